"""FLK509 cors-wildcard-credentials (rules/FLK509.md).

Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines. Each case is
a small project, the code under test (selected alone), and the (path, line) of every finding
expected for that code; an empty list means the case is a trap that must stay silent.
"""

from __future__ import annotations

import pytest

from rules._shared import CTRL, assert_catalog_case, catalog_params

INIT = "app/__init__.py"

# (code, description, files, expected findings as (path, line))
CASES = [
    ("FLK509", "origins '*' (string, list, regex) with supports_credentials=True", {INIT: """
        from flask import Flask
        from flask_cors import CORS

        app = Flask(__name__)
        CORS(app, origins="*", supports_credentials=True)
        CORS(app, origins=["*"], supports_credentials=True)
        CORS(
            app,
            supports_credentials=True,
            origins=r".*",
        )
        """}, [(INIT, 5), (INIT, 6), (INIT, 7)]),
    ("FLK509", "through resources={...: {'origins': '*'}}, credentials at top level or per resource", {INIT: """
        from flask import Flask
        import flask_cors

        app = Flask(__name__)
        flask_cors.CORS(app, resources={r"/api/*": {"origins": "*"}}, supports_credentials=True)
        flask_cors.CORS(app, resources={r"/api/*": {"origins": "*", "supports_credentials": True}})
        """}, [(INIT, 5), (INIT, 6)]),
    ("FLK509", "no origins at all: flask-cors's default is '*'", {INIT: """
        from flask import Flask
        from flask_cors import CORS as Cors

        app = Flask(__name__)
        Cors(app, supports_credentials=True)
        Cors(app, resources={r"/api/*": {"methods": ["GET"]}}, supports_credentials=True)
        """}, [(INIT, 5), (INIT, 6)]),
    ("FLK509", "cross_origin decorator, aliased", {CTRL: """
        from flask import Blueprint
        from flask_cors import cross_origin as allow_cors

        bp = Blueprint("users", __name__)


        @bp.route("/me")
        @allow_cors(origins="*", supports_credentials=True)
        def me():
            return {}
        """}, [(CTRL, 8)]),
    ("FLK509", "init_app on a CORS() object, options split between both calls", {
        "app/extensions.py": """
        from flask_cors import CORS

        cors = CORS(origins="*")
        """,
        INIT: """
        from flask import Flask
        from flask_cors import CORS
        from app.extensions import cors


        def create_app():
            app = Flask(__name__)
            cors.init_app(app, origins="*", supports_credentials=True)
            local = CORS(origins="*")
            local.init_app(app, supports_credentials=True)
            return app
        """}, [(INIT, 8), (INIT, 10)]),
    ("FLK509", "a name bound to the literals", {INIT: """
        from flask import Flask
        from flask_cors import CORS

        ALLOWED = "*"
        CREDENTIALS = True
        app = Flask(__name__)
        CORS(app, origins=ALLOWED, supports_credentials=CREDENTIALS)
        """}, [(INIT, 7)]),
    ("FLK509", "config form: CORS_ORIGINS '*' with CORS_SUPPORTS_CREDENTIALS True in one class or app", {
        "app/config.py": """
        class Config:
            CORS_ORIGINS = "*"
            CORS_SUPPORTS_CREDENTIALS = True


        class Safe:
            CORS_ORIGINS = ["https://app.example.com"]
            CORS_SUPPORTS_CREDENTIALS = True
        """,
        INIT: """
        from flask import Flask


        def create_app():
            app = Flask(__name__)
            app.config["CORS_ORIGINS"] = ["*"]
            app.config["CORS_SUPPORTS_CREDENTIALS"] = True
            app.config.update(CORS_ORIGINS="*", CORS_SUPPORTS_CREDENTIALS=True)
            return app
        """}, [("app/config.py", 3), (INIT, 7), (INIT, 8)]),
    ("FLK509", "wildcard without credentials, credentials with listed origins", {INIT: """
        from flask import Flask
        from flask_cors import CORS, cross_origin

        app = Flask(__name__)
        CORS(app)
        CORS(app, origins="*")
        CORS(app, resources={r"/api/*": {"origins": "*"}})
        CORS(app, origins=["https://app.example.com"], supports_credentials=True)
        CORS(app, origins=r"https://.*\\.example\\.com", supports_credentials=True)
        CORS(app, resources={r"/api/*": {"origins": ["https://a.example.com"]}}, supports_credentials=True)
        CORS(app, origins="*", supports_credentials=False)


        @app.route("/x")
        @cross_origin(origins=["https://a.example.com"], supports_credentials=True)
        def x():
            return ""
        """}, []),
    ("FLK509", "origins computed at run time or left to the app's configuration", {INIT: """
        import os
        from flask import Flask
        from flask_cors import CORS

        app = Flask(__name__)
        app.config.from_object("app.config")
        CORS(app, origins=os.environ["CORS_ORIGINS"].split(","), supports_credentials=True)
        CORS(app, supports_credentials=True, **app.config["CORS_OPTIONS"])
        """, "app/config.py": """
        CORS_ORIGINS = ["https://app.example.com"]
        """}, []),
    ("FLK509", "decorators relying on CORS_ORIGINS in the package's settings module", {
        "alerta/settings.py": """
        CORS_ORIGINS = ["http://localhost:8000"]
        CORS_SUPPORTS_CREDENTIALS = True
        """,
        "alerta/auth/login.py": """
        from flask_cors import cross_origin
        from alerta.auth import auth


        @auth.route("/auth/login", methods=["OPTIONS", "POST"])
        @cross_origin(supports_credentials=True)
        def login():
            return {}
        """}, []),
    ("FLK509", "send_wildcard=True with credentials makes flask-cors refuse to start", {INIT: """
        from flask import Flask
        from flask_cors import CORS

        app = Flask(__name__)
        CORS(app, origins="*", send_wildcard=True, supports_credentials=True)
        """}, []),
    ("FLK509", "a CORS that is not flask-cors", {INIT: """
        from flask import Flask
        from myproject.cors import CORS


        def cross_origin(**kw):
            return lambda f: f


        app = Flask(__name__)
        CORS(app, origins="*", supports_credentials=True)


        @cross_origin(origins="*", supports_credentials=True)
        def view():
            return ""
        """}, []),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)


def test_positions_at_the_call(project):
    found = project({CTRL: """
        from flask import Blueprint
        from flask_cors import CORS, cross_origin

        bp = Blueprint("x", __name__)
        cors = CORS(bp, supports_credentials=True)


        @bp.route("/x")
        @cross_origin(supports_credentials=True)
        def x():
            return ""
        """}, select=("FLK509",))
    assert [(line, col) for _, line, col, _ in found] == [(5, 8), (9, 2)]
