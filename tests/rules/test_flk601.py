"""FLK601 module-level-app (rules/FLK601.md).

Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines. Each case is
a small project, the code under test (selected alone), and the (path, line) of every finding
expected for that code; an empty list means the case is a trap that must stay silent. `Flask`
is resolved through imports and aliases, and a project class deriving from it counts.
"""

from __future__ import annotations

import pytest

from rules._shared import assert_catalog_case, catalog_params

MODULE_APP = """
from flask import Flask

app = Flask(__name__)
app.config["JSON_SORT_KEYS"] = False
"""
FACTORY = """
from flask import Flask


def create_app(config_object="app.config.Config"):
    app = Flask(__name__)
    app.config.from_object(config_object)
    return app
"""

# (code, description, files, expected findings as (path, line))
CASES = [
    ("FLK601", "the single-module app in a package __init__ and in app.py", {
        "app/__init__.py": MODULE_APP,
        "app.py": MODULE_APP,
    }, [("app/__init__.py", 3), ("app.py", 3)]),
    ("FLK601", "an app factory, and app = create_app() in app.py", {
        "app/__init__.py": FACTORY,
        "app.py": "from app import create_app\n\napp = create_app()\n",
    }, []),
    ("FLK601", "entry points and scripts/ are exempt", {
        "wsgi.py": MODULE_APP,
        "asgi.py": MODULE_APP,
        "run.py": MODULE_APP,
        "manage.py": MODULE_APP,
        "deploy/wsgi.py": MODULE_APP,
        "scripts/seed_db.py": MODULE_APP,
        "tools/scripts/export.py": MODULE_APP,
        "tests/test_app.py": MODULE_APP,
    }, []),
    ("FLK601", "Flask through aliases, the flask module and flask.app", {
        "app/a.py": "from flask import Flask as F\n\napplication = F(__name__)\n",
        "app/b.py": "import flask\n\nweb = flask.Flask(\n    __name__,\n    static_folder=None,\n)\n",
        "app/c.py": "import flask as fl\n\napp: fl.Flask = fl.Flask(__name__)\n",
        "app/d.py": "from flask.app import Flask\n\nserver = Flask('server')\n",
    }, [("app/a.py", 3), ("app/b.py", 3), ("app/c.py", 3), ("app/d.py", 3)]),
    ("FLK601", "module-level if/try blocks count; the __main__ block is an entry point", {
        "app/server.py": """
        import os

        from flask import Flask

        if os.environ.get("LEGACY"):
            app = Flask(__name__)
        else:
            app = Flask("legacy")
        try:
            import sentry_sdk
        except ImportError:
            fallback = Flask(__name__)
        """,
        "app/dev.py": """
        from flask import Flask

        if __name__ == "__main__":
            app = Flask(__name__)
            app.run(debug=True)
        """,
    }, [("app/server.py", 6), ("app/server.py", 8), ("app/server.py", 12)]),
    ("FLK601", "inside functions, methods and classes is not module level", {
        "app/factory.py": """
        from flask import Flask


        def make_app():
            app = Flask(__name__)
            return app


        def build():
            def inner():
                return Flask(__name__)
            return inner()


        class AppBuilder:
            def build(self):
                self.app = Flask(__name__)
                return self.app
        """,
    }, []),
    ("FLK601", "a project subclass of Flask counts, even from a module that never says Flask", {
        "app/core.py": """
        from flask import Flask


        class PortalApp(Flask):
            pass


        class Portal(PortalApp):
            pass
        """,
        "app/main.py": "from app.core import PortalApp\n\nportal = PortalApp()\n",
        "app/web.py": "from .core import Portal\n\nweb = Portal(__name__)\n",
    }, [("app/main.py", 3), ("app/web.py", 3)]),
    ("FLK601", "Quart, APIFlask, connexion's FlaskApp and FastAPI are not flask.Flask", {
        "app/a.py": "from quart import Quart\n\napp = Quart(__name__)\n",
        "app/b.py": "from apiflask import APIFlask\n\napp = APIFlask(__name__)\n",
        "app/c.py": "from connexion import FlaskApp\n\napp = FlaskApp(__name__)\n",
        "app/d.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
        "app/e.py": "class Flask:\n    pass\n\n\nthing = Flask()\n",
    }, []),
    ("FLK601", "not assigned: a module-level Flask(...).run() is not this rule's", {
        "app/oneoff.py": "from flask import Flask\n\nFlask(__name__).run()\n",
    }, []),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)


@pytest.mark.parametrize("preset,expected", [("mscr", True), ("factory", True), ("backant", False)])
def test_presets_and_position(project, preset, expected):
    files = {"app/__init__.py": "from flask import Flask\n\nif True:\n    app = Flask(__name__)\n"}
    found = [f for f in project(files, preset=preset) if f[3] == "FLK601"]
    assert found == ([("app/__init__.py", 4, 5, "FLK601")] if expected else [])
