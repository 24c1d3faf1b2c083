"""FLK602 unregistered-blueprint (rules/FLK602.md).

Table-driven cases: a module-level `Blueprint(...)` that no module of the project registers is
reported at the assignment's target; every way of registering it that the index can follow
(direct, by alias, nested, a list or tuple iterated into `register_blueprint`, a function-local
import in `create_app`, `module.bp`) keeps it quiet, and so does a registration the index cannot
follow (a helper taking a list, getattr/import_module loops): then the rule stays silent for the
whole project. The cache tests at the end: a one-file run (pre-commit) uses the cached project
facts, and editing the registering module changes the blueprint module's cached result.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import check, found, write_project
from rules._shared import assert_catalog_case, catalog_params

FACTORY = "app/__init__.py"
USERS = "app/views/users.py"
REPORTS = "app/views/reports.py"
ORPHAN = "app/views/orphan.py"  # beside the registered ones: proves the registrations were followed


def views(name: str, var: str | None = None, head: str = "from flask import Blueprint") -> str:
    var = var or f"{name}_bp"
    return f"""
        {head}

        {var} = Blueprint("{name}", __name__, url_prefix="/{name}")


        @{var}.get("/")
        def index():
            return {{"success": True, "data": []}}
        """


BASE = {"app/views/__init__.py": "", USERS: views("users"), REPORTS: views("reports")}

# (code, description, files, expected findings as (path, line))
CASES = [
    ("FLK602", "the forgotten blueprint of a factory that registers the other one", {**BASE, FACTORY: """
        from flask import Flask
        from app.views.users import users_bp


        def create_app():
            app = Flask(__name__)
            app.register_blueprint(users_bp)
            return app
        """}, [(REPORTS, 3)]),
    ("FLK602", "an app that registers nothing: every blueprint is reported", {**BASE, FACTORY: """
        from flask import Flask

        app = Flask(__name__)
        """}, [(USERS, 3), (REPORTS, 3)]),
    ("FLK602", "Blueprint through an alias, flask.Blueprint, an annotated target, inside `if`", {
        **BASE,
        "app/views/admin.py": """
        import flask
        from flask import Blueprint as BP

        admin_bp: BP = BP("admin", __name__)
        pages = flask.Blueprint("pages", __name__)
        if True:
            legacy_bp = BP("legacy", __name__)
        """,
        FACTORY: """
        from flask import Flask
        from app.views.users import users_bp
        from app.views.reports import reports_bp

        app = Flask(__name__)
        app.register_blueprint(users_bp)
        app.register_blueprint(reports_bp)
        """}, [("app/views/admin.py", 4), ("app/views/admin.py", 5), ("app/views/admin.py", 7)]),
    ("FLK602", "a nested blueprint registered on a parent; its sibling is not", {
        **BASE,
        "app/api.py": """
        from flask import Blueprint
        from app.views.users import users_bp

        api_bp = Blueprint("api", __name__, url_prefix="/api")
        api_bp.register_blueprint(users_bp)
        """,
        FACTORY: """
        from flask import Flask
        from app.api import api_bp

        app = Flask(__name__)
        app.register_blueprint(api_bp)
        """}, [(REPORTS, 3)]),
    ("FLK602", "registered directly, by alias, and in its own module", {ORPHAN: views("orphan"),
        **BASE,
        "app/views/health.py": """
        from flask import Blueprint, Flask

        health_bp = Blueprint("health", __name__)
        app = Flask(__name__)
        app.register_blueprint(health_bp)
        """,
        FACTORY: """
        from flask import Flask
        from app.views.users import users_bp as users
        from app.views.reports import reports_bp as reports

        app = Flask(__name__)
        app.register_blueprint(users)
        app.register_blueprint(
            reports,
            url_prefix="/r",
        )
        """}, [(ORPHAN, 3)]),
    ("FLK602", "a list in another module iterated into register_blueprint", {ORPHAN: views("orphan"),
        **BASE,
        "app/blueprints.py": """
        from app.views.users import users_bp
        from app.views import reports

        BLUEPRINTS = [users_bp, reports.reports_bp]
        """,
        FACTORY: """
        from flask import Flask
        from app.blueprints import BLUEPRINTS


        def create_app():
            app = Flask(__name__)
            for blueprint in BLUEPRINTS:
                app.register_blueprint(blueprint)
            return app
        """}, [(ORPHAN, 3)]),
    ("FLK602", "a module-level tuple of this module, looped at module level", {ORPHAN: views("orphan"), **BASE, FACTORY: """
        from flask import Flask
        from app.views.users import users_bp
        from app.views.reports import reports_bp

        app = Flask(__name__)
        ALL = (users_bp, reports_bp)
        for bp in ALL:
            app.register_blueprint(bp)
        """}, [(ORPHAN, 3)]),
    ("FLK602", "literal tuples in the loop: plain, rows with prefixes, modules' bp", {ORPHAN: views("orphan"),
        **BASE,
        "app/views/admin.py": views("admin", "bp"),
        "app/views/audit.py": views("audit", "bp"),
        "app/views/tags.py": views("tags"),
        FACTORY: """
        from flask import Flask
        from app.views.users import users_bp
        from app.views.reports import reports_bp
        from app.views import admin, audit
        from app.views.tags import tags_bp


        def create_app():
            app = Flask(__name__)
            for bp in (users_bp,):
                app.register_blueprint(bp)
            for bp, prefix in [(reports_bp, "/r"), (tags_bp, "/t")]:
                app.register_blueprint(bp, url_prefix=prefix)
            for module in (admin, audit):
                app.register_blueprint(module.bp)
            return app
        """}, [(ORPHAN, 3)]),
    ("FLK602", "create_app's function-local imports, module.bp, a local list, the keyword form", {ORPHAN: views("orphan"),
        **BASE,
        "app/views/admin.py": views("admin", "bp"),
        "app/views/tags.py": views("tags"),
        "app/views/audit.py": views("audit", "bp"),
        FACTORY: """
        from flask import Flask


        def create_app():
            app = Flask(__name__)
            from .views.users import users_bp
            from .views import admin
            import app.views.audit as audit_views
            from app.views.reports import reports_bp
            from app.views.tags import tags_bp

            app.register_blueprint(users_bp)
            app.register_blueprint(admin.bp)
            app.register_blueprint(blueprint=audit_views.bp)
            extra = [reports_bp, tags_bp]
            for bp in extra:
                app.register_blueprint(bp)
            return app
        """}, [(ORPHAN, 3)]),
    ("FLK602", "a package re-exporting its blueprint (`from .routes import bp`)", {ORPHAN: views("orphan"),
        "app/main/__init__.py": "from .routes import bp\n",
        "app/main/routes.py": views("main", "bp"),
        FACTORY: """
        from flask import Flask


        def create_app():
            app = Flask(__name__)
            from app.main import bp as main_bp
            app.register_blueprint(main_bp)
            return app
        """}, [(ORPHAN, 3)]),
    ("FLK602", "flask-smorest's api.register_blueprint counts", {ORPHAN: views("orphan"),
        "app/resources/pets.py": """
        from flask_smorest import Blueprint

        blp = Blueprint("pets", __name__, url_prefix="/pets")
        """,
        FACTORY: """
        from flask import Flask
        from flask_smorest import Api
        from app.resources.pets import blp as pets_blp

        app = Flask(__name__)
        api = Api(app)
        api.register_blueprint(pets_blp)
        """}, [(ORPHAN, 3)]),
    ("FLK602", "registered under `if __name__ == '__main__':`", {ORPHAN: views("orphan"), USERS: views("users"), "run.py": """
        from flask import Flask
        from app.views.users import users_bp

        if __name__ == "__main__":
            app = Flask(__name__)
            app.register_blueprint(users_bp)
            app.run()
        """}, [(ORPHAN, 3)]),
    ("FLK602", "a helper taking a list built elsewhere: silent for the whole project", {
        **BASE,
        ORPHAN: views("orphan"),
        "app/blueprints.py": """
        from app.views.users import users_bp
        from app.views.reports import reports_bp

        BLUEPRINTS = [users_bp, reports_bp]


        def register_blueprints(app, blueprints):
            for bp in blueprints:
                app.register_blueprint(bp)
        """,
        FACTORY: """
        from flask import Flask
        from app.blueprints import BLUEPRINTS, register_blueprints

        app = Flask(__name__)
        register_blueprints(app, BLUEPRINTS)
        """}, []),
    ("FLK602", "import_module / getattr loops: silent", {**BASE, ORPHAN: views("orphan"), FACTORY: """
        from importlib import import_module
        from flask import Flask


        def create_app():
            app = Flask(__name__)
            for name in ("users", "reports"):
                module = import_module(f"app.views.{name}")
                app.register_blueprint(getattr(module, f"{name}_bp"))
            return app
        """}, []),
    ("FLK602", "register_blueprint handed to map(), and a comprehension: silent", {
        **BASE, ORPHAN: views("orphan"),
        FACTORY: """
        from flask import Flask
        from app.views.users import users_bp
        from app.views.reports import reports_bp

        app = Flask(__name__)
        list(map(app.register_blueprint, [users_bp]))
        [app.register_blueprint(bp) for bp in (reports_bp,)]
        """}, []),
    ("FLK602", "module-level import_module result: silent", {**BASE, ORPHAN: views("orphan"), FACTORY: """
        import importlib
        from flask import Flask

        app = Flask(__name__)
        views = importlib.import_module("app.views.users")
        app.register_blueprint(views.users_bp)
        """}, []),
    ("FLK602", "a project function's value: silent; a library's (swagger-ui) is not a reason", {
        **BASE, ORPHAN: views("orphan"),
        "app/registry.py": """
        from app.views.reports import reports_bp


        def reports():
            return reports_bp
        """,
        FACTORY: """
        from flask import Flask
        from flask_swagger_ui import get_swaggerui_blueprint
        from app.registry import reports

        app = Flask(__name__)
        app.register_blueprint(get_swaggerui_blueprint("/docs", "/openapi.json"))
        app.register_blueprint(reports())
        """}, []),
    ("FLK602", "a library's blueprint factory alone does not silence the rule", {**BASE, FACTORY: """
        from flask import Flask
        from flask_swagger_ui import get_swaggerui_blueprint
        from app.views.users import users_bp

        app = Flask(__name__)
        app.register_blueprint(users_bp)
        app.register_blueprint(get_swaggerui_blueprint("/docs", "/openapi.json"))
        """}, [(REPORTS, 3)]),
    ("FLK602", "registered by a method from an attribute (`self.blueprint`): silent", {**BASE, ORPHAN: views("orphan"), "app/service.py": """
        from flask import Flask


        class Service:
            def __init__(self, blueprint):
                self.app = Flask(__name__)
                self.blueprint = blueprint

            def mount(self):
                self.app.register_blueprint(self.blueprint)
        """}, []),
    ("FLK602", "blueprints made in functions are not module-level", {
        "app/views/factory.py": """
        from flask import Blueprint


        def make_bp(name):
            bp = Blueprint(name, __name__)
            return bp
        """,
        FACTORY: """
        from flask import Flask, Blueprint


        def create_app():
            app = Flask(__name__)
            local = Blueprint("local", __name__)
            app.register_blueprint(local)
            return app
        """}, []),
    ("FLK602", "a library of blueprints (no app, no registration anywhere)", BASE, []),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)


def test_reported_at_the_target_in_every_preset(project):
    files = {**BASE, FACTORY: "from flask import Flask\n\napp = Flask(__name__)\n",
             REPORTS: 'from flask import Blueprint\n\n\nif True:\n    reports_bp = Blueprint("reports", __name__)\n'}
    for preset in ("backant", "mscr", "factory"):
        hits = [f for f in project(files, preset=preset) if f[3] == "FLK602"]
        assert (REPORTS, 5, 5, "FLK602") in hits and (USERS, 3, 1, "FLK602") in hits


# ---- the cache: a one-file run and an edit of the registering module -----------------------

PROJECT = {
    "pyproject.toml": "[project]\nname = 'shop'\n",
    **BASE,
    FACTORY: """
        from flask import Flask
        from app.views.users import users_bp


        def create_app():
            app = Flask(__name__)
            app.register_blueprint(users_bp)
            return app
        """,
}
REGISTERING_BOTH = """
from flask import Flask
from app.views.users import users_bp
from app.views.reports import reports_bp


def create_app():
    app = Flask(__name__)
    for bp in (users_bp, reports_bp):
        app.register_blueprint(bp)
    return app
"""


def _flk602(result) -> list[tuple[str, int, int, str]]:
    return [f for f in found(result) if f[3] == "FLK602"]


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    write_project(tmp_path, PROJECT)
    return tmp_path


def test_a_one_file_run_uses_the_cached_project_facts(shop):
    assert _flk602(check(shop)) == [(REPORTS, 3, 1, "FLK602")]
    one = check(shop, [REPORTS])
    assert one.files == 1 and one.cached == 1 and one.parsed == 0
    assert _flk602(one) == [(REPORTS, 3, 1, "FLK602")]
    assert _flk602(check(shop, [USERS])) == []  # registered by the factory, which the run did not name


def test_editing_the_registering_module_rechecks_the_blueprint_module(shop):
    check(shop)
    (shop / FACTORY).write_text(REGISTERING_BOTH)
    one = check(shop, [REPORTS])  # pre-commit on the blueprint's module only
    assert _flk602(one) == [] and one.parsed == 1
    full = check(shop)
    assert _flk602(full) == [] and full.cached == full.files - 1  # the factory; the other views kept
    (shop / FACTORY).write_text(REGISTERING_BOTH.replace("for bp in (users_bp, reports_bp):", "for bp in (users_bp,):"))
    assert _flk602(check(shop)) == [(REPORTS, 3, 1, "FLK602")]


def test_a_dynamic_registration_added_anywhere_silences_the_cached_finding(shop):
    assert _flk602(check(shop)) == [(REPORTS, 3, 1, "FLK602")]
    write_project(shop, {"app/plugins.py": """
        def load(app, names):
            for blueprint in names:
                app.register_blueprint(blueprint)
        """})
    assert _flk602(check(shop, [REPORTS])) == []
    (shop / "app/plugins.py").unlink()
    assert _flk602(check(shop, [REPORTS])) == [(REPORTS, 3, 1, "FLK602")]


def test_cached_and_fresh_runs_agree(shop):
    (shop / FACTORY).write_text(REGISTERING_BOTH.replace("(users_bp, reports_bp)", "[users_bp]"))
    fresh = check(shop, use_cache=False)
    assert _flk602(fresh) == [(REPORTS, 3, 1, "FLK602")]
    assert found(check(shop)) == found(fresh) == found(check(shop))
