"""FLK508 jwt-verification-disabled (rules/FLK508.md).

Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines. Each case is
a small project, the code under test (selected alone), and the (path, line) of every finding
expected for that code; an empty list means the case is a trap that must stay silent.
"""

from __future__ import annotations

import pytest

from rules._shared import SVC, assert_catalog_case, catalog_params

AUTH = "app/auth.py"

# (code, description, files, expected findings as (path, line))
CASES = [
    # ---- must trigger ----------------------------------------------------------------------
    ("FLK508", "PyJWT options verify_signature False", {AUTH: """
        import jwt
        from flask import current_app, request


        def current_user_id():
            token = request.headers["Authorization"].removeprefix("Bearer ")
            payload = jwt.decode(
                token,
                current_app.config["SECRET_KEY"],
                algorithms=["HS256"],
                options={"verify_signature": False},
            )
            return payload["sub"]
        """}, [(AUTH, 7)]),
    ("FLK508", "old PyJWT verify=False, keyword and positional", {AUTH: """
        import jwt


        def claims(token, key):
            return jwt.decode(token, verify=False)


        def claims_positional(token, key):
            return jwt.decode(token, key, False)
        """}, [(AUTH, 5), (AUTH, 9)]),
    ("FLK508", "algorithms naming none, any case, also through a constant", {AUTH: """
        import jwt

        ALGORITHMS = ("HS256", "NONE")


        def parse(token, key):
            return jwt.decode(token, key, algorithms=["HS256", "none"])


        def parse_other(token, key):
            return jwt.decode(token, key, algorithms=ALGORITHMS)


        def parse_single(token, key):
            return jwt.decode(token, key, "None")
        """}, [(AUTH, 7), (AUTH, 11), (AUTH, 15)]),
    ("FLK508", "no algorithms argument, through from-import and module alias", {AUTH: """
        import jwt as pyjwt
        from jwt import decode


        def parse(token, key):
            return pyjwt.decode(token, key)


        def parse_plain(token, key):
            return decode(token, key=key, audience="api")


        def parse_none(token, key):
            return pyjwt.decode_complete(token, key, algorithms=None)
        """}, [(AUTH, 6), (AUTH, 10), (AUTH, 14)]),
    ("FLK508", "python-jose decode with options in a variable or dict(), get_unverified_claims", {AUTH: """
        from jose import jwt
        from jose import jwt as jose_jwt


        class TokenService:
            def read(self, token, key):
                opts = {"verify_signature": False, "verify_exp": True}
                return jwt.decode(token, key, algorithms=["RS256"], options=opts)

            def read_dict(self, token, key):
                return jose_jwt.decode(token, key, ["RS256"], dict(verify_signature=False))

            def peek(self, token):
                return jwt.get_unverified_claims(token)
        """}, [(AUTH, 8), (AUTH, 11), (AUTH, 14)]),
    # ---- must NOT trigger --------------------------------------------------------------------
    ("FLK508", "verified decode with algorithms, keyword or positional", {AUTH: """
        import jwt
        from jose import jwt as jose_jwt


        def parse(token, key, algs):
            first = jwt.decode(token, key, algorithms=["HS256"])
            second = jwt.decode(token, key, ["RS256", "ES256"], audience="api")
            third = jose_jwt.decode(token, key, algorithms=algs, options={"verify_aud": False})
            return first, second, third
        """}, []),
    ("FLK508", "flask_jwt_extended JWTManager instance called jwt", {
        "app/extensions.py": """
        from flask_jwt_extended import JWTManager

        jwt = JWTManager()
        """,
        SVC: """
        from app.extensions import jwt


        def load(token):
            return jwt.decode(token)


        class Holder:
            def __init__(self, jwt):
                self.data = jwt.decode("utf-8")
        """}, []),
    ("FLK508", "get_unverified_header to pick the key, then a verified decode", {AUTH: """
        import jwt


        def parse(token, keys):
            kid = jwt.get_unverified_header(token)["kid"]
            return jwt.decode(token, keys[kid], algorithms=["RS256"])
        """}, []),
    ("FLK508", "options unknown here: a parameter, or **kwargs", {AUTH: """
        import jwt


        def parse(token, key, verify=True, **kwargs):
            first = jwt.decode(token, key, algorithms=["HS256"], options={"verify_signature": verify})
            second = jwt.decode(token, key, **kwargs)
            return first, second
        """}, []),
    ("FLK508", "the project's own jwt module", {
        "jwt.py": "def decode(token, key=None):\n    return {}\n",
        AUTH: """
        import jwt


        def parse(token):
            return jwt.decode(token)
        """}, []),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)


def test_position_is_the_first_token_of_the_call(project):
    found = project({AUTH: """
        import jwt


        def parse(token):
            return jwt.decode(token, options={"verify_signature": False})
        """}, select=("FLK508",))
    assert [(line, col) for _, line, col, _ in found] == [(5, 12)]
