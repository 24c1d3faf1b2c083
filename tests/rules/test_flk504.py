"""FLK504 hardcoded-secret (rules/FLK504.md).

Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines. Each case is
a small project, the code under test (selected alone), and the (path, line) of every finding
expected for that code; an empty list means the case is a trap that must stay silent.
"""

from __future__ import annotations

import pytest

from rules._shared import assert_catalog_case, catalog_params

CONFIG = "app/config.py"
INIT = "app/__init__.py"

# (code, description, files, expected findings as (path, line))
CASES = [
    ("FLK504", "module-level secret names, case-insensitive, annotated and chained", {CONFIG: """
        SECRET_KEY = "s3cr3t-key-0001"
        JWT_SECRET_KEY = 'jwt-key'
        jwt_secret = "abc"
        STRIPE_API_KEY: str = "sk_live_123"
        MAIL_PASSWORD = DB_PASSWORD = "hunter2"
        GITHUB_TOKEN = (
            "ghp_"
            "0123456789"
        )
        WTF_CSRF_SECRET_KEY = b"\\x01\\x02"
        """}, [(CONFIG, 1), (CONFIG, 2), (CONFIG, 3), (CONFIG, 4), (CONFIG, 5), (CONFIG, 5), (CONFIG, 6), (CONFIG, 10)]),
    ("FLK504", "class-level settings of a config class, also inside if/else", {CONFIG: """
        import os


        class Config:
            SECRET_KEY = "dev"
            if os.environ.get("MAIL_SERVER"):
                MAIL_PASSWORD = os.environ["MAIL_PASSWORD"]
            else:
                MAIL_PASSWORD = "local-mail"


        class ProductionConfig(Config):
            AWS_SECRET = "aws/abc"
        """}, [(CONFIG, 5), (CONFIG, 9), (CONFIG, 13)]),
    ("FLK504", "app configuration anywhere: subscript, secret_key, update, from_mapping, setdefault", {INIT: """
        from flask import Flask, current_app


        def create_app():
            app = Flask(__name__)
            app.config["SECRET_KEY"] = "dev"
            app.secret_key = "dev"
            app.config.update(
                DEBUG=False,
                JWT_SECRET_KEY="jwt-dev",
            )
            app.config.update({"SENDGRID_API_KEY": "SG.123"})
            app.config.from_mapping(SECRET_KEY="dev", DATABASE="x.sqlite")
            app.config.setdefault("SECRET_KEY", "fallback")
            Flask(__name__).config["SECRET_KEY"] = "inline"
            return app


        def configure():
            def inner():
                current_app.config["ADMIN_PASSWORD"] = "admin"
            return inner
        """}, [(INIT, 6), (INIT, 7), (INIT, 10), (INIT, 12), (INIT, 13), (INIT, 14), (INIT, 15), (INIT, 21)]),
    ("FLK504", "literal defaults of environment reads through every import form", {CONFIG: """
        import os
        import os as o
        from os import getenv, environ
        from os import getenv as ge


        SECRET_KEY = os.getenv("SECRET_KEY", "dev")
        JWT_SECRET_KEY = os.environ.get("JWT_SECRET_KEY", default="jwt")
        MAIL_PASSWORD = o.getenv("MAIL_PASSWORD", "pw")
        REDIS_PASSWORD = environ.get("REDIS_PASSWORD") or "redis"
        SLACK_TOKEN = ge("SLACK_TOKEN", "xoxb-1").encode()
        DATABASE_URL = getenv("DATABASE_URL", "sqlite://")


        def client():
            return make_client(token=os.getenv("GITHUB_TOKEN", "ghp_dev"))
        """}, [(CONFIG, 7), (CONFIG, 8), (CONFIG, 9), (CONFIG, 10), (CONFIG, 11), (CONFIG, 16)]),
    ("FLK504", "the variable's name is tested, or the target's when the variable is not a secret name", {CONFIG: """
        import os

        ENV_KEY = "APP_KEY"


        class Config:
            SECRET_KEY = os.environ.get(ENV_KEY, "dev")
            FLASK_SECRET_KEY = os.getenv("APP_KEY", "dev")
            TIMEOUT = os.getenv("API_TOKEN", "tok")
        """}, [(CONFIG, 7), (CONFIG, 8), (CONFIG, 9)]),
    ("FLK504", "config writes with an environment fallback are reported at the target", {INIT: """
        import os
        from flask import Flask

        app = Flask(__name__)
        app.config["SECRET_KEY"] = os.environ.get("KEY", "dev")
        app.config.update(API_TOKEN=os.getenv("TOKEN", "x-123"))
        """}, [(INIT, 5), (INIT, 6)]),
    ("FLK504", "values from the environment without a literal default", {CONFIG: """
        import os
        from os import environ


        SECRET_KEY = os.environ["SECRET_KEY"]
        JWT_SECRET_KEY = os.getenv("JWT_SECRET_KEY")
        MAIL_PASSWORD = environ.get("MAIL_PASSWORD", None)
        DB_PASSWORD = os.environ.get("DB_PASSWORD") or None
        API_TOKEN = os.getenv("API_TOKEN", "")
        """}, []),
    ("FLK504", "empty strings, None and non-string values", {CONFIG: """
        SECRET_KEY = ""
        MAIL_PASSWORD = ''
        LDAP_BIND_PASSWORD = None
        ACCESS_TOKEN = 3600
        SESSION_TOKEN = f"{PREFIX}-token"
        """}, []),
    ("FLK504", "test configuration classes named Test*/Testing* (and *TestConfig)", {CONFIG: """
        class Config:
            pass


        class TestConfig(Config):
            SECRET_KEY = "test"


        class TestingConfig(Config):
            SECRET_KEY = "testing"
            ADMIN_PASSWORD = "admin"


        class UnitTestConfig(Config):
            JWT_SECRET_KEY = "unit"
        """}, []),
    ("FLK504", "test configuration modules", {"app/config/testing.py": """
        SECRET_KEY = "testing"
        """}, []),
    ("FLK504", "placeholders read from settings objects", {INIT: """
        from flask import Flask
        from app.settings import settings


        def create_app(config):
            app = Flask(__name__)
            app.config["SECRET_KEY"] = settings.SECRET_KEY
            app.secret_key = config.secret_key
            app.config.update(JWT_SECRET_KEY=settings.jwt_secret)
            return app
        """, "app/settings.py": """
        from pydantic_settings import BaseSettings


        class Settings(BaseSettings):
            SECRET_KEY: str
            jwt_secret: str


        settings = Settings()
        """}, []),
    ("FLK504", "names that only contain a secret word, or end in another word", {CONFIG: """
        TOKEN_TYPE = "bearer"
        CSRF_TOKEN_HEADER = "X-CSRFToken"
        PASSWORD_RESET_SALT = "password-reset"
        SECURITY_PASSWORD_HASH = "bcrypt"
        SECRET_KEY_FILE = "/run/secrets/key"
        PASSWORD = "plain word name"
        TOKEN = "bare token"
        """}, []),
    ("FLK504", "key names, header names, URLs, messages, not-configured markers", {CONFIG: """
        DB_PASSWORD = "DB_PASSWORD"
        ACCESS_TOKEN = "access_token"
        REFRESH_TOKEN = "refresh-token"
        CSRF_TOKEN = "X-CSRF-Token"
        RESET_PASSWORD = "/auth/reset-password"
        OAUTH_TOKEN = "https://oauth2.example.com/token"
        INVALID_TOKEN = "Invalid token"
        WRONG_PASSWORD = "The password is wrong."
        MAPS_API_KEY = "<your-maps-api-key>"
        SENTRY_API_KEY = "unset"
        """}, []),
    ("FLK504", "the name of a Kubernetes / Docker secret object, not its value", {"app/config/k8s_provider.py": """
        import os

        KUBERNETES_API_HOST = os.environ.get("KUBERNETES_SERVICE_HOST", "")
        SERVICE_ACCOUNT_TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount/token"
        QE_NAMESPACE = os.environ.get("QE_K8S_NAMESPACE", "quay-enterprise")
        QE_CONFIG_SECRET = os.environ.get("QE_K8S_CONFIG_SECRET", "quay-enterprise-config-secret")


        class KubernetesSettings:
            TLS_SECRET = "myapp-ingress-tls-secret"
        """}, []),
    ("FLK504", "a weak development value shaped like a name is still a secret", {CONFIG: """
        import os

        JWT_SECRET = os.getenv("JWT_SECRET", "my-jwt-secret")
        WEBHOOK_SECRET = "super-top-secret"
        SIGNING_SECRET = "app-signing-key"
        """}, [(CONFIG, 3), (CONFIG, 4), (CONFIG, 5)]),
    ("FLK504", "placeholders are still known keys for SECRET_KEY", {CONFIG: """
        SECRET_KEY = "<change-me>"
        JWT_SECRET_KEY = "secret key"
        """}, [(CONFIG, 1), (CONFIG, 2)]),
    ("FLK504", "enum members and plain locals in function bodies", {"app/models/token.py": """
        import enum


        class TokenKind(enum.Enum):
            ACCESS_TOKEN = "a"
            REFRESH_TOKEN = "r"


        def login(user):
            reset_password = "temporary"
            return reset_password
        """}, []),
    ("FLK504", "a dict or a bare name called config is not the app's configuration", {CONFIG: """
        def defaults():
            config = {}
            config["SECRET_KEY"] = "x"
            options.update(SECRET_KEY="y")
            return config
        """}, []),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)


def test_positions_are_at_the_target_keyword_or_key(project):
    found = project({INIT: """
        import os
        from flask import Flask

        app = Flask(__name__)
        app.config["SECRET_KEY"] = "dev"
        app.config.update(DEBUG=False, MAIL_PASSWORD="pw")
        app.config.update({"API_TOKEN": "t0k"})


        class Config:
            SECRET_KEY = "dev"


        def token():
            return call(os.getenv("GITHUB_TOKEN", "dev"))
        """}, select=("FLK504",))
    assert [(line, col) for _, line, col, _ in found] == [(5, 1), (6, 32), (7, 20), (11, 5), (15, 17)]


def test_message_text(tmp_path):
    from conftest import check, write_project

    write_project(tmp_path, {CONFIG: """
        import os

        SECRET_KEY = "dev"
        ADMIN_PASSWORD = os.getenv("ADMIN_PASS", "admin")
        """})
    messages = [f.message for f in check(tmp_path, select=("FLK504",)).findings]
    assert messages[0] == 'read SECRET_KEY from the environment: os.environ["SECRET_KEY"]'
    assert messages[1].startswith('hardcoded fallback for ADMIN_PASSWORD: read it without a default, os.environ["ADMIN_PASS"]')


def test_an_environment_fallback_is_a_warning_and_a_literal_an_error(tmp_path):
    """The catalog's severities: a literal default of `os.getenv` is a warning (the variable is
    still read from the environment first), a literal secret an error; both in SARIF levels."""
    from conftest import check, write_project

    write_project(tmp_path, {"app/config.py": (
        "from os import getenv\n\n\nclass Config:\n    SECRET_KEY = getenv(\"SECRET_KEY\", \"dev\")\n"
        "    MAIL_PASSWORD = \"hunter2\"\n"
    )})
    result = check(tmp_path, select=("FLK504",))
    assert [(f.line, f.severity) for f in result.findings] == [(5, "warning"), (6, "error")]
