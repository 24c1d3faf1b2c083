"""FLK506 sensitive-data-logged (rules/FLK506.md).

Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines: a logging call
(builtin print, or a logging method on a `logging` / `log` / `*logger*` receiver) whose
arguments show a sensitive name, attribute, f-string field or dict key.
"""

from __future__ import annotations

import pytest

from rules._shared import CTRL, SVC, assert_catalog_case, catalog_params

CASES = [
    ("FLK506", "new_password passed to logger.info", {SVC: """
        import logging

        logger = logging.getLogger(__name__)


        def change_password(user, new_password):
            logger.info("changing password of %s to %s", user.email, new_password)
            user.set_password(new_password)
        """}, [(SVC, 7)]),
    ("FLK506", "config attribute and config key MAIL_PASSWORD", {SVC: """
        from flask import current_app


        def mail_settings(config):
            current_app.logger.debug("mail password %s", config.MAIL_PASSWORD)
            current_app.logger.debug("mail password %s", current_app.config["MAIL_PASSWORD"])
        """}, [(SVC, 5), (SVC, 6)]),
    ("FLK506", "attribute user.api_key in an f-string field of print", {CTRL: """
        def show(user):
            print(f"created key {user.api_key} for {user.email}")
            return {"ok": True}
        """}, [(CTRL, 2)]),
    ("FLK506", "f-string field token, self.logger and app.logger", {SVC: """
        class TokenService:
            def __init__(self, app, logger):
                self.logger = logger
                self.app = app

            def issue(self, user):
                token = user.make_token()
                self.logger.warning(f"issued {token!r}")
                self.app.logger.info("issued %s", token)
                return token
        """}, [(SVC, 8), (SVC, 9)]),
    ("FLK506", "dict key in extra=, access_token and refresh_token keys", {SVC: """
        import structlog

        log = structlog.get_logger()


        def tokens(pair):
            log.info("login", extra={"access_token": pair.access})
            log.info("refresh", data={"refresh_token": pair.refresh, "user": pair.user})
        """}, [(SVC, 7), (SVC, 8)]),
    ("FLK506", "one finding per call, multi-line call with several secrets", {SVC: """
        import logging

        LOGGER = logging.getLogger("auth")


        def login(username, password, secret):
            LOGGER.error(
                "login failed for %s with %s (%s)",
                username,
                password,
                secret,
            )
        """}, [(SVC, 7)]),
    ("FLK506", "Authorization header read with .get and a subscript", {CTRL: """
        from flask import request
        import logging

        log = logging.getLogger(__name__)


        def hook():
            log.debug("auth header: %s", request.headers.get("Authorization"))
            log.debug("api key: %s", request.headers["X-Api-Key"])
            return "", 204
        """}, [(CTRL, 8), (CTRL, 9)]),
    ("FLK506", "receivers: myLogger, getLogger(...) call, aliased logging module, imported function", {SVC: """
        import logging as lg
        from logging import error as log_error


        def pay(card, myLogger):
            myLogger.critical("card %s", card.credit_card)
            lg.getLogger(__name__).info("ssn=%s", card.ssn)
            lg.warning("%s", card.passwd)
            log_error("%s", card.secret)
        """}, [(SVC, 6), (SVC, 7), (SVC, 8), (SVC, 9)]),
    ("FLK506", "LOG and Log receivers (the `log` segment in any case)", {SVC: """
        import logging

        LOG = logging.getLogger(__name__)


        def f(password, self_):
            LOG.info("pw %s", password)
            self_.Log.debug("pw %s", password)
        """}, [(SVC, 7), (SVC, 8)]),
    ("FLK506", "form.password.data (a WTForms field's value) and token.decode()", {CTRL: """
        def register(form, token):
            print("registering", form.password.data)
            print("with", token.decode("utf-8"))
        """}, [(CTRL, 2), (CTRL, 3)]),
    ("FLK506", "password_hash is sensitive, str.format argument", {SVC: """
        import logging

        logger = logging.getLogger(__name__)


        def debug_user(user):
            logger.debug("hash: {}".format(user.password_hash))
        """}, [(SVC, 7)]),
    # ---- must NOT trigger ---------------------------------------------------------------------
    ("FLK506", "the word only inside a literal message", {SVC: """
        import logging

        logger = logging.getLogger(__name__)


        def login(user):
            logger.warning("invalid password for %s", user.email)
            logger.info("token refreshed")
            print(f"password reset requested by {user.email}")
        """}, []),
    ("FLK506", "token_type, token_count, password_len, token_expires, token_expiry, password_length", {SVC: """
        import logging

        logger = logging.getLogger(__name__)


        def describe(token_type, token_count, password_len, token_expires, resp):
            logger.info("%s %s %s %s", token_type, token_count, password_len, token_expires)
            logger.info("%s %s", resp.token_expiry, resp["password_length"])
            logger.info("%s", resp.access_token_expires)
        """}, []),
    ("FLK506", "names listed in log-allowed-names", {
        "pyproject.toml": '[tool.flaskarch]\nlog-allowed-names = ["token_hint", "secret_question"]\n',
        SVC: """
        import logging

        logger = logging.getLogger(__name__)


        def hint(user):
            logger.info("hint %s / %s", user.token_hint, user.secret_question)
        """}, []),
    ("FLK506", "a print that is not the builtin, a non-logger receiver", {SVC: """
        from app.console import print


        def show(password, results):
            print(password)
            results.error(password)
            results.info(password)
        """}, []),
    ("FLK506", "a local function named print shadows the builtin", {SVC: """
        def print(*args):
            pass


        def show(password):
            print(password)
        """}, []),
    ("FLK506", "len(password), a comparison, a flag and masked values", {SVC: """
        import logging

        logger = logging.getLogger(__name__)


        def check(password, confirm, token, has_password):
            logger.debug("password length %d", len(password))
            logger.debug("match: %s", password == confirm)
            logger.debug("token present: %s", token is not None)
            logger.debug("has password: %s", has_password)
            logger.debug("token: %s", mask_secret(token))
            logger.debug("payload: %s", {"password": "***", "user": "bob"})
        """}, []),
    ("FLK506", "token_url, secret_name, id_token_claims keys: where or what, not the value", {SVC: """
        import logging

        logger = logging.getLogger(__name__)


        def configure(provider, id_token_claims):
            logger.info("token endpoint %s", provider.token_url)
            logger.info("secret %s", provider.secret_name)
            logger.info("claims: %s", sorted(id_token_claims.keys()))
            logger.info("email %s", id_token_claims.get("email"))
        """}, []),
    ("FLK506", "a method of a token object shows what it returns: get_serial(), is_active()", {SVC: """
        import logging

        log = logging.getLogger(__name__)


        def check_tokens(token_list, otp):
            for token in token_list:
                log.debug(f"Checking token {token.get_serial()}")
                if not token.is_active():
                    log.info("token %s of %s is disabled", token.get_serial(), token.user.login)
                try:
                    token.check_otp(otp)
                except Exception as err:
                    log.warning(f"Error calculating OTP for token {token.get_serial()}: {err}")
            for token_obj in token_list:
                print(f"{token_obj.token.serial!s}\t{token_obj.get_tokeninfo()!s}")
        """}, []),
    ("FLK506", "identifiers, kinds and predicates: token_id, token_serial, token_types, TOKEN_IS_...", {SVC: """
        import logging

        from app.events import CONDITION

        log = logging.getLogger(__name__)


        def add_tokens(container_serial, token_serials, token_id, token_info, allowed_token_types):
            for token_serial in token_serials:
                log.warning(f"Error adding token {token_serial} to container {container_serial}")
            log.warning(f"Overwriting the entry of token_id {token_id}")
            log.warning(f"Error creating token {token_info} from template")
            log.debug(f"Found these allowed token types: {list(allowed_token_types)}")
            log.debug(f"Condition {CONDITION.TOKEN_IS_IN_CONTAINER} not fulfilled")
        """}, []),
    ("FLK506", "the token itself, its repr, and value-preserving methods (encode().hex()) still count", {SVC: """
        import logging

        log = logging.getLogger(__name__)


        def debug_token(serial, token, token_obj, password):
            log.debug(f"Getting otp values for token {token}")
            log.debug(f"Condition for token {token_obj!r} not fulfilled")
            log.debug("pw bytes %s", password.encode("utf-8").hex())
            print("{0}, {1}".format(serial, token.strip()))
        """}, [(SVC, 7), (SVC, 8), (SVC, 9), (SVC, 10)]),
    ("FLK506", "plural and longer words are other words: tokens, tokenizer, secretary", {SVC: """
        import logging

        logger = logging.getLogger(__name__)


        def stats(tokens, tokenizer, secretary):
            logger.info("%d %s %s", tokens, tokenizer, secretary)
        """}, []),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)


def test_reported_at_the_first_token_of_the_logging_call(project):
    found = project({SVC: """
        import logging

        logger = logging.getLogger(__name__)


        def f(user, password):
            if user:   logger.info("%s", password)
            x = [print(password)]
        """}, select=("FLK506",))
    assert [(line, col) for _, line, col, _ in found] == [(7, 16), (8, 10)]
