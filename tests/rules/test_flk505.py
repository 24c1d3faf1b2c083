"""FLK505 debug-enabled (rules/FLK505.md).

Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines. Each case is
a small project, the code under test (selected alone), and the (path, line) of every finding
expected for that code; an empty list means the case is a trap that must stay silent.
"""

from __future__ import annotations

import pytest

from rules._shared import assert_catalog_case, catalog_params

INIT = "app/__init__.py"
RUN = "run.py"

# (code, description, files, expected findings as (path, line))
CASES = [
    ("FLK505", "app.run(debug=True) on a Flask app, a factory's app, an imported app", {
        "app.py": """
        from flask import Flask

        app = Flask(__name__)

        if __name__ == "__main__":
            app.run(host="0.0.0.0", debug=True)
        """,
        RUN: """
        from app import create_app

        application = create_app()
        application.run(
            port=5000,
            debug=True,
        )
        """,
        "serve.py": """
        from app import app as flask_app

        flask_app.run(debug=True)
        """,
        INIT: """
        from flask import Flask


        def create_app():
            return Flask(__name__)
        """}, [("app.py", 6), (RUN, 4), ("serve.py", 3)]),
    ("FLK505", "Flask-SocketIO's run is the same debug server", {"manage.py": """
        from flask import Flask
        from flask_socketio import SocketIO as IO

        app = Flask(__name__)
        socketio = IO(app)

        if __name__ == "__main__":
            socketio.run(app, debug=True)
        """}, [("manage.py", 8)]),
    ("FLK505", "an app passed in (unresolved) still counts", {"app/cli.py": """
        def serve(app):
            app.run(debug=True)
        """}, [("app/cli.py", 2)]),
    ("FLK505", "app.debug = True and config writes, in functions too", {INIT: """
        from flask import Flask, current_app


        def create_app():
            app = Flask(__name__)
            app.debug = True
            app.config["DEBUG"] = True
            app.config.update(DEBUG=True, TESTING=False)
            app.config.from_mapping({"DEBUG": True})
            return app


        def enable():
            current_app.debug = True
        """}, [(INIT, 6), (INIT, 7), (INIT, 8), (INIT, 9), (INIT, 14)]),
    ("FLK505", "DEBUG = True in config classes by name, and any class of config.py", {"app/settings.py": """
        class Config:
            DEBUG = True


        class ProductionConfig(Config):
            DEBUG: bool = True


        class StagingSettings:
            DEBUG = True


        class DockerEnvironment:
            DEBUG = True


        class Options:
            DEBUG = True
        """, "config.py": """
        class Base:
            DEBUG = True
        """}, [("app/settings.py", 2), ("app/settings.py", 6), ("app/settings.py", 10), ("app/settings.py", 14),
               ("app/settings.py", 18), ("config.py", 2)]),
    ("FLK505", "development, local and test config classes", {"config.py": """
        class Config:
            DEBUG = False


        class DevConfig(Config):
            DEBUG = True


        class DevelopmentConfig(Config):
            DEBUG = True


        class LocalConfig(Config):
            DEBUG = True


        class TestConfig(Config):
            DEBUG = True


        class TestingConfig(Config):
            DEBUG = True


        class DockerDevConfig(Config):
            DEBUG = True
        """}, []),
    ("FLK505", "a class elsewhere whose name is not a config class name", {"app/toolbar.py": """
        class Toolbar:
            DEBUG = True
        """}, []),
    ("FLK505", "module level in configuration modules", {
        "config.py": "DEBUG = True\n",
        "settings_prod.py": "DEBUG = True\n",
        "app/settings/production.py": "DEBUG = True\n",
        "app/config/__init__.py": "import os\n\nif os.environ.get('X'):\n    DEBUG = True\n",
    }, [("config.py", 1), ("settings_prod.py", 1), ("app/settings/production.py", 1), ("app/config/__init__.py", 4)]),
    ("FLK505", "module level in development, local and test configuration modules", {
        "config_dev.py": "DEBUG = True\n",
        "app/settings/local.py": "DEBUG = True\n",
        "app/config/testing.py": "DEBUG = True\n",
        "app/config/development.py": "DEBUG = True\n",
        "settings_local_docker.py": "DEBUG = True\n",
    }, []),
    ("FLK505", "module level outside configuration modules", {"app/views.py": "DEBUG = True\n"}, []),
    ("FLK505", "debug off or not a literal", {INIT: """
        import os
        from flask import Flask

        app = Flask(__name__)
        app.debug = False
        app.config["DEBUG"] = os.environ.get("FLASK_DEBUG") == "1"
        app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
        app.run(debug=False)
        """}, []),
    ("FLK505", "another library's run(debug=True) and debug attributes", {"worker.py": """
        import asyncio
        import uvicorn
        from sanic import Sanic

        api = Sanic("api")


        class Parser:
            def __init__(self):
                self.debug = True


        async def main():
            pass

        asyncio.run(main(), debug=True)
        uvicorn.run("app:app", debug=True)
        api.run(debug=True)
        """}, []),
    ("FLK505", "run(debug=True) guarded by the configuration's debug flag", {INIT: """
        from flask import Flask

        app = Flask(__name__)


        def serve(args):
            if app.config["DEBUG"]:
                app.run(debug=True)
            if args.debug:
                app.debug = True
        """}, []),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)


def test_positions(project):
    found = project({INIT: """
        from flask import Flask

        app = Flask(__name__)
        app.config.update(TESTING=False, DEBUG=True)


        class ProductionConfig:
            DEBUG = True

        app.run(host="0.0.0.0", debug=True)
        """}, select=("FLK505",))
    assert [(line, col) for _, line, col, _ in found] == [(4, 34), (8, 5), (10, 1)]
