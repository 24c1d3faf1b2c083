"""The route model and `flaskarch routes`: every endpoint, its URL as served, its effective auth
and where that comes from; FLK501 is a query on it. Each shape below was met in real apps."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, check, write_project

SNAPSHOTS = Path(__file__).parent / "snapshots"


def routes(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flaskarch", "routes", *args], cwd=root, capture_output=True,
                          text=True, env={**os.environ, "NO_COLOR": "1"})


def inventory(root: Path) -> dict[tuple[str, str], dict]:
    """(first method, rule or view) -> route, from `routes --format json`."""
    proc = routes(root, "--format", "json", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    out = {}
    for r in json.loads(proc.stdout)["routes"]:
        out[((r["methods"] or ["?"])[0], r["rule"] or r["view"])] = r
    return out


def flk501(root: Path) -> list[tuple[str, int]]:
    return [(f.path, f.line) for f in check(root, select=("FLK501",), use_cache=False).findings]


BP = "from flask import Blueprint\n\nbp = Blueprint('admin', __name__)\n"


def test_helper_applied_decorators_protect_and_say_so(tmp_path):
    """`configure_api(blueprint, routes, decorators=[jwt_required()])` registers and protects."""
    write_project(tmp_path, {
        "app/__init__.py": "",
        "app/api/__init__.py": "",
        "app/api/helpers.py": """
            def configure_api(blueprint, routes, decorators=None):
                for rule, view in routes:
                    view_func = view.as_view(view.__name__.lower())
                    for decorator in decorators or []:
                        view_func = decorator(view_func)
                    blueprint.add_url_rule(rule, view_func=view_func)
            """,
        "app/api/users.py": """
            from flask import Blueprint
            from flask.views import MethodView
            from flask_jwt_extended import jwt_required
            from app.api.helpers import configure_api

            users_bp = Blueprint("users", __name__, url_prefix="/api/users")


            class UserList(MethodView):
                def post(self):
                    return {}


            class Ping(MethodView):
                def post(self):
                    return {}


            configure_api(users_bp, [("/", UserList)], decorators=[jwt_required()])
            configure_api(users_bp, [("/sync", Ping)])
            """,
    })
    got = inventory(tmp_path)
    protected = got[("POST", "/api/users/")]
    assert protected["auth"]["kind"] == "helper" and "jwt_required" in protected["auth"]["by"]
    assert protected["auth"]["path"] == "app/api/users.py" and protected["auth"]["line"] == 19
    assert got[("POST", "/api/users/sync")]["auth"]["kind"] == "none"
    assert flk501(tmp_path) == [("app/api/users.py", 15)]


def test_route_tables_iterated_into_add_resource(tmp_path):
    write_project(tmp_path, {
        "app/__init__.py": "",
        "app/resources.py": """
            from flask_restful import Resource
            from flask_jwt_extended import jwt_required


            class LoginResource(Resource):
                def post(self):
                    return {}


            class ReportResource(Resource):
                def delete(self):
                    return {}


            class ProfileResource(Resource):
                method_decorators = [jwt_required()]

                def put(self):
                    return {}
            """,
        "app/routes.py": """
            from flask import Blueprint
            from flask_restful import Api
            from app.resources import LoginResource, ProfileResource, ReportResource

            api_bp = Blueprint("api", __name__, url_prefix="/api")
            api = Api(api_bp)

            ROUTES = [
                ("/auth/login", LoginResource),
                ("/reports/<rid>", ReportResource),
                ("/me", ProfileResource),
            ]

            for rule, resource in ROUTES:
                api.add_resource(resource, rule)
            """,
    })
    got = inventory(tmp_path)
    assert got[("POST", "/api/auth/login")]["auth"]["kind"] == "public"
    assert got[("PUT", "/api/me")]["auth"]["kind"] == "class"
    report = got[("DELETE", "/api/reports/<rid>")]
    assert report["auth"]["kind"] == "none" and report["endpoint"] == "api.reportresource"
    assert flk501(tmp_path) == [("app/resources.py", 11)]


def test_a_url_built_at_run_time_is_unknown_not_guessed(tmp_path):
    write_project(tmp_path, {
        "app/__init__.py": "",
        "app/views.py": """
            from flask import Blueprint

            bp = Blueprint("orgs", __name__)


            def org_scoped_rule(rule):
                return "/orgs/<org>" + rule


            def add_member(token):
                return {}


            def accept_invite(token):
                return {}


            bp.add_url_rule(org_scoped_rule("/members/<token>"), view_func=add_member, methods=["POST"])
            bp.add_url_rule(org_scoped_rule("/invite/<token>"), view_func=accept_invite, methods=["POST"])
            """,
    })
    got = inventory(tmp_path)
    assert [(r["rule"], r["methods"]) for r in got.values()] == [(None, ["POST"]), (None, ["POST"])]
    assert routes(tmp_path, "--no-cache").stdout.count("unknown") >= 2
    # the defaults judge the last segments, which the literal gives (redash's `/invite/<token>`)
    assert got[("POST", "app.views.accept_invite")]["auth"]["kind"] == "public"
    # URL patterns cannot match an unknown URL; function-name and endpoint entries still can
    assert flk501(tmp_path) == [("app/views.py", 10)]
    write_project(tmp_path, {"pyproject.toml": "[tool.flaskarch]\npublic-routes = [\"/orgs/*\"]\n"})
    assert flk501(tmp_path) == [("app/views.py", 10)]
    write_project(tmp_path, {"pyproject.toml": "[tool.flaskarch]\npublic-routes = [\"orgs.add_member\"]\n"})
    assert flk501(tmp_path) == []


def test_delegating_methods_and_concatenated_decorator_lists(tmp_path):
    write_project(tmp_path, {
        "app/__init__.py": "",
        "app/base.py": """
            from flask.views import MethodView
            from flask_login import login_required


            class BaseResource(MethodView):
                decorators = [login_required]


            class Editable(MethodView):
                @login_required
                def post(self):
                    return {}
            """,
        "app/views.py": """
            from flask import Blueprint
            from app.base import BaseResource, Editable
            from app.limits import limit

            bp = Blueprint("items", __name__)


            class Items(Editable):
                def post(self):
                    return super().post()


            class Tags(BaseResource):
                decorators = BaseResource.decorators + [limit]

                def delete(self):
                    return {}


            class Open(Editable):
                def post(self):
                    return {"open": True}


            bp.add_url_rule("/items", view_func=Items.as_view("items"))
            bp.add_url_rule("/tags", view_func=Tags.as_view("tags"))
            bp.add_url_rule("/open", view_func=Open.as_view("open"))
            """,
        "app/limits.py": "def limit(f):\n    return f\n",
    })
    got = inventory(tmp_path)
    assert got[("POST", "/items")]["auth"]["kind"] == "decorator"
    assert "parent" in got[("POST", "/items")]["auth"]["by"]
    assert got[("DELETE", "/tags")]["auth"]["kind"] == "class"
    assert got[("POST", "/open")]["auth"]["kind"] == "none"
    assert flk501(tmp_path) == [("app/views.py", 21)]


GUARDS = {
    "app/__init__.py": "",
    "app/auth.py": """
        from flask import abort
        from flask_jwt_extended import get_jwt, verify_jwt_in_request


        def require_admin():
            verify_jwt_in_request()
            if not get_jwt().get("admin"):
                abort(403)


        def only_confirmed():
            from flask_login import current_user
            from flask import redirect, url_for
            if current_user.is_authenticated and not current_user.confirmed:
                return redirect(url_for("auth.unconfirmed"))
        """,
    "app/admin.py": """
        from flask import Blueprint
        from app.auth import require_admin

        admin_bp = Blueprint("admin", __name__, url_prefix="/admin")
        admin_bp.before_request(require_admin)


        @admin_bp.post("/purge")
        def purge():
            return {}
        """,
    "app/main.py": """
        from flask import Blueprint
        from app.auth import only_confirmed

        main_bp = Blueprint("main", __name__)
        main_bp.before_app_request(only_confirmed)


        @main_bp.post("/posts")
        def create_post():
            return {}
        """,
}


def test_guards_in_call_form_count_and_a_redirect_for_unconfirmed_users_does_not(tmp_path):
    write_project(tmp_path, GUARDS)
    got = inventory(tmp_path)
    purge = got[("POST", "/admin/purge")]["auth"]
    assert purge["kind"] == "guard" and "require_admin" in purge["by"] and purge["path"] == "app/admin.py"
    assert got[("POST", "/posts")]["auth"]["kind"] == "none"
    assert flk501(tmp_path) == [("app/main.py", 9)]


def test_an_app_wide_guard_protects_every_route(tmp_path):
    write_project(tmp_path, {**GUARDS, "app/factory.py": """
        from flask import Flask, abort, g


        def create_app():
            app = Flask(__name__)

            def check_auth():
                if g.user is None:
                    abort(401)

            app.before_request(check_auth)
            return app
        """})
    got = inventory(tmp_path)
    assert got[("POST", "/posts")]["auth"]["kind"] == "guard"
    assert "app-wide" in got[("POST", "/posts")]["auth"]["by"]
    assert flk501(tmp_path) == []


def test_blueprints_registered_in_create_app_with_local_imports_get_their_prefix(tmp_path):
    write_project(tmp_path, {
        "pyproject.toml": "[tool.flaskarch]\npublic-routes = [\"/api/v1/auth/impersonate\"]\n",
        "app/__init__.py": """
            from flask import Flask


            def create_app():
                app = Flask(__name__)
                from .auth.views import auth_bp
                from .users import views as user_views
                app.register_blueprint(auth_bp, url_prefix="/api/v1/auth")
                app.register_blueprint(user_views.users_bp, url_prefix="/api/v1/users")
                return app
            """,
        "app/auth/__init__.py": "",
        "app/auth/views.py": """
            from flask import Blueprint

            auth_bp = Blueprint("auth", __name__)


            @auth_bp.post("/impersonate")
            def impersonate():
                return {}
            """,
        "app/users/__init__.py": "",
        "app/users/views.py": """
            from flask import Blueprint

            users_bp = Blueprint("users", __name__)


            @users_bp.post("/")
            def create_user():
                return {}
            """,
    })
    got = inventory(tmp_path)
    assert got[("POST", "/api/v1/auth/impersonate")]["auth"]["by"] == "public-routes: /api/v1/auth/impersonate"
    assert got[("POST", "/api/v1/users/")]["endpoint"] == "users.create_user"
    # sign-up stays non-public by default: a team lists it
    assert flk501(tmp_path) == [("app/users/views.py", 7)]


@pytest.mark.parametrize("rule,public", [
    ("/reset/<token>", True), ("/forgot", True), ("/oauth2/token", True), ("/login/<provider>", True),
    ("/auth/<provider>/callback", True), ("/password/reset", True), ("/users", False),
    ("/api/tokens", False), ("/devices", False),
])
def test_default_public_routes(tmp_path, rule, public):
    write_project(tmp_path, {"app/views.py": BP + f"\n\n@bp.post('{rule}')\ndef view():\n    return {{}}\n"})
    assert (flk501(tmp_path) == []) is public


@pytest.mark.parametrize("app", ["backant_app", "mscr_app", "factory_app"])
def test_fixture_route_inventory_snapshot(app):
    """`flaskarch routes --format json` of each sample app, as committed."""
    proc = routes(FIXTURES / app, "--format", "json", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    snapshot = SNAPSHOTS / f"{app}.routes.json"
    if os.environ.get("FLASKARCH_UPDATE_SNAPSHOTS"):
        snapshot.write_text(proc.stdout, encoding="utf-8")
    assert json.loads(proc.stdout) == json.loads(snapshot.read_text(encoding="utf-8"))


def test_routes_formats_and_unprotected(tmp_path):
    write_project(tmp_path, GUARDS)
    md = routes(tmp_path, "--format", "markdown", "--no-cache").stdout
    assert md.startswith("| Methods | URL | Endpoint | View | Auth | Auth from |")
    assert "| POST | `/admin/purge` | admin.purge | `app/admin.py:9` | **guard** |" in md
    assert "1 mutating route without auth" in md
    csv_out = routes(tmp_path, "--format", "csv", "--no-cache").stdout.splitlines()
    assert csv_out[0].startswith("methods,rule,endpoint,path,line,view,auth,")
    assert any(line.startswith("POST,/posts,main.create_post,app/main.py,9,app.main.create_post,none,") for line in csv_out)
    only = json.loads(routes(tmp_path, "--format", "json", "--unprotected", "--no-cache").stdout)["routes"]
    assert [(r["rule"], r["auth"]["kind"]) for r in only] == [("/posts", "none")]
    text = routes(tmp_path, "--no-cache").stdout
    assert "/admin/purge" in text and "guard" in text
    # paths are relative to the current folder
    sub = routes(tmp_path / "app", "--format", "json", "--no-cache")
    assert {r["path"] for r in json.loads(sub.stdout)["routes"]} == {"admin.py", "main.py"}


def test_flk501_message_says_what_it_looked_for(tmp_path):
    write_project(tmp_path, GUARDS)
    (finding,) = check(tmp_path, select=("FLK501",), use_cache=False).findings
    assert finding.message.startswith(
        "POST route /posts has no authentication (no auth decorator, no guard on blueprint `main`, "
        "not in public-routes): add @")


def test_a_project_decorator_wrapping_auth_through_a_local_import(tmp_path):
    """pgadmin's `pga_login_required` applies `mfa_utils.mfa_required` imported inside it."""
    write_project(tmp_path, {
        "app/__init__.py": "",
        "app/mfa.py": """
            from functools import wraps
            from flask_login import login_required


            def mfa_required(wrapped):
                @wraps(wrapped)
                @login_required
                def inner(*a, **k):
                    return wrapped(*a, **k)
                return inner
            """,
        "app/checks.py": """
            from functools import wraps


            def pga_login_required(func):
                import app.mfa as mfa_utils

                @wraps(func)
                @mfa_utils.mfa_required
                def wrapper(*args, **kwargs):
                    return func(*args, **kwargs)

                return wrapper
            """,
        "app/views.py": BP + "\nfrom app.checks import pga_login_required\n\n\n@bp.post('/save')\n"
                             "@pga_login_required\ndef save():\n    return {}\n",
    })
    assert inventory(tmp_path)[("POST", "/save")]["auth"]["kind"] == "decorator"
    assert flk501(tmp_path) == []


def test_a_view_that_starts_by_checking_the_caller_is_protected_and_a_not_found_check_is_not(tmp_path):
    write_project(tmp_path, {"app/views.py": BP + """

from flask import abort, redirect, session
from app.models import User


@bp.post("/welcome")
def welcome():
    if "welcome_user_id" not in session:
        return redirect("/login")
    return {}


@bp.delete("/users/<uid>")
def delete_user(uid):
    user = User.query.get(uid)
    if user is None:
        abort(404)
    return {}
"""})
    got = inventory(tmp_path)
    assert got[("POST", "/welcome")]["auth"]["kind"] == "guard"
    assert flk501(tmp_path) == [("app/views.py", 18)]


def test_fastapi_routers_are_not_flask_routes(tmp_path):
    write_project(tmp_path, {"app/api.py": """
        from fastapi import APIRouter, Depends

        router = APIRouter()


        @router.post("/items")
        def create_item(user=Depends(lambda: None)):
            return {}
        """})
    assert inventory(tmp_path) == {} and flk501(tmp_path) == []


def test_a_decorator_whose_name_declares_the_requirement_counts(tmp_path):
    """data-sources-app: `@endpoint_info(auth_info=...)` wraps `@authentication_required(...)`,
    which delegates the check to a helper in another module."""
    write_project(tmp_path, {
        "app/__init__.py": "",
        "app/auth.py": """
            from functools import wraps
            from app.checks import get_authentication


            def authentication_required(allowed):
                def decorator(func):
                    @wraps(func)
                    def wrapper(*a, **k):
                        get_authentication(allowed)
                        return func(*a, **k)
                    return wrapper
                return decorator
            """,
        "app/info.py": """
            from functools import wraps
            from app.auth import authentication_required


            def endpoint_info(auth_info):
                def decorator(func):
                    @wraps(func)
                    @authentication_required(auth_info)
                    def inner(*a, **k):
                        return func(*a, **k)
                    return inner
                return decorator
            """,
        "app/checks.py": "def get_authentication(allowed):\n    return allowed\n",
        "app/views.py": BP + "\nfrom app.info import endpoint_info\n\n\n@bp.post('/reports')\n"
                             "@endpoint_info(auth_info='jwt')\ndef create_report():\n    return {}\n",
    })
    assert inventory(tmp_path)[("POST", "/reports")]["auth"]["kind"] == "decorator"
    assert flk501(tmp_path) == []


def test_a_hook_on_an_unknown_blueprint_is_not_app_wide(tmp_path):
    """vss365-api: `blueprint.before_request(auth)` inside a blueprint factory protects the
    blueprints it makes, which the model cannot tell apart: it protects none, not every route."""
    write_project(tmp_path, {
        "app/__init__.py": "",
        "app/factory.py": """
            from flask import Blueprint


            def api_factory(name, auth_function=None):
                blueprint = Blueprint(name, __name__)
                if auth_function is not None:
                    blueprint.before_request(auth_function)
                return blueprint
            """,
        "app/views.py": BP + "\n\n@bp.post('/things')\ndef make_thing():\n    return {}\n",
    })
    assert inventory(tmp_path)[("POST", "/things")]["auth"]["kind"] == "none"


def test_a_project_decorator_factory_is_named_but_never_written_by_the_fix(tmp_path):
    write_project(tmp_path, {
        "app/__init__.py": "",
        "app/auth.py": """
            from functools import wraps
            from flask import abort, g


            def require_permission(permission):
                def decorator(fn):
                    @wraps(fn)
                    def inner(*a, **k):
                        if permission not in g.user.permissions:
                            abort(403)
                        return fn(*a, **k)
                    return inner
                return decorator
            """,
        "app/views.py": BP + "\n\n@bp.post('/keys')\ndef make_key():\n    return {}\n",
    })
    result = check(tmp_path, select=("FLK501",), use_cache=False)
    (finding,) = result.findings
    assert finding.message.endswith("add @require_permission(...) (or list it in public-routes)")
    assert finding.fix is None


def test_a_local_api_in_create_app_and_a_starred_route_table(tmp_path):
    """timesketch: `api_v1 = Api(app, prefix="/api/v1")` inside create_app(), then
    `for route in V1_API_ROUTES: api_v1.add_resource(*route)` over a table in another module."""
    write_project(tmp_path, {
        "app/__init__.py": """
            from flask import Flask
            from flask_restful import Api
            from app.routes import V1_API_ROUTES


            def create_app():
                app = Flask(__name__)
                api_v1 = Api(app, prefix="/api/v1")
                for route in V1_API_ROUTES:
                    api_v1.add_resource(*route)
                return app
            """,
        "app/routes.py": """
            from app.resources import SketchResource

            V1_API_ROUTES = [(SketchResource, "/sketches/<int:sketch_id>/")]
            """,
        "app/resources.py": """
            from flask_login import login_required
            from flask_restful import Resource


            class SketchResource(Resource):
                @login_required
                def post(self, sketch_id):
                    return {}

                def delete(self, sketch_id):
                    return {}
            """,
    })
    got = inventory(tmp_path)
    assert got[("POST", "/api/v1/sketches/<int:sketch_id>/")]["auth"]["kind"] == "decorator"
    assert got[("DELETE", "/api/v1/sketches/<int:sketch_id>/")]["auth"]["kind"] == "none"
    assert flk501(tmp_path) == [("app/resources.py", 10)]


def test_a_helper_method_of_an_api_subclass(tmp_path):
    """redash: `class ApiExt(Api): def add_org_resource(self, resource, *urls, **kwargs)`
    rewriting each URL with `org_scoped_rule`, called as `api.add_org_resource(R, "/x", endpoint="e")`."""
    write_project(tmp_path, {
        "app/__init__.py": "",
        "app/api.py": """
            from flask_restful import Api
            from app.resources import AlertResource, InviteResource


            def org_scoped_rule(rule):
                return "/<org_slug>" + rule


            class ApiExt(Api):
                def add_org_resource(self, resource, *urls, **kwargs):
                    urls = [org_scoped_rule(url) for url in urls]
                    return self.add_resource(resource, *urls, **kwargs)


            api = ApiExt()
            api.add_org_resource(AlertResource, "/api/alerts/<alert_id>", endpoint="alert")
            api.add_org_resource(InviteResource, "/invite/<token>", endpoint="invite")
            """,
        "app/resources.py": """
            from flask_restful import Resource


            class AlertResource(Resource):
                def delete(self, alert_id):
                    return {}


            class InviteResource(Resource):
                def post(self, token):
                    return {}
            """,
    })
    got = inventory(tmp_path)
    alert = got[("DELETE", "app.resources.AlertResource.delete")]
    assert alert["endpoint"] == "alert" and alert["rule"] is None and alert["auth"]["kind"] == "none"
    assert got[("POST", "app.resources.InviteResource.post")]["auth"]["kind"] == "public"
    assert flk501(tmp_path) == [("app/resources.py", 5)]


def test_restx_namespaces_give_prefix_and_endpoint_names(tmp_path):
    write_project(tmp_path, {
        "app/__init__.py": "",
        "app/api.py": """
            from flask import Blueprint
            from flask_restx import Api
            from app.admin import ns as admin_ns

            api_bp = Blueprint("api", __name__, url_prefix="/api")
            api = Api(api_bp)
            api.add_namespace(admin_ns, path="/admin")
            """,
        "app/admin.py": """
            from flask_restx import Namespace, Resource

            ns = Namespace("admin")


            @ns.route("/users/<int:uid>")
            class AdminUsersByID(Resource):
                def delete(self, uid):
                    return {}
            """,
    })
    route = inventory(tmp_path)[("DELETE", "/api/admin/users/<int:uid>")]
    assert route["endpoint"] == "api.admin_admin_users_by_id"


def test_checks_that_let_only_anonymous_users_through_or_read_settings_are_not_auth(tmp_path):
    """flask-base `if not current_user.is_anonymous: return redirect(...)` admits only logged-out
    callers; redash `if not current_org.get_setting("auth_password_login_enabled")` is a setting."""
    write_project(tmp_path, {"app/views.py": BP + """

from flask import abort, redirect
from flask_login import current_user
from app.org import current_org


@bp.post("/join")
def join():
    if not current_user.is_anonymous:
        return redirect("/")
    return {}


@bp.post("/password-login")
def password_login():
    if not current_org.get_setting("auth_password_login_enabled"):
        abort(404)
    return {}
"""})
    got = inventory(tmp_path)
    assert got[("POST", "/join")]["auth"]["kind"] == "none"
    assert got[("POST", "/password-login")]["auth"]["kind"] == "none"
    assert flk501(tmp_path) == [("app/views.py", 12), ("app/views.py", 19)]


def test_a_prefix_built_at_run_time_makes_the_url_unknown(tmp_path):
    """vss365-api `Blueprint(..., url_prefix=f"/v2/{name}")`, pgadmin's blueprints made by a
    project class: the URL is unknown rather than the bare rule."""
    write_project(tmp_path, {
        "app/__init__.py": "",
        "app/views.py": """
            from flask import Blueprint
            from app.modules import PgAdminModule

            name = "emails"
            emails = Blueprint(name, __name__, url_prefix=f"/v2/{name}")
            blueprint = PgAdminModule("browser", __name__)


            @emails.get("/")
            def list_emails():
                return {}


            @blueprint.route("/nodes/", methods=["GET"])
            def nodes():
                return {}
            """,
        "app/modules.py": "from flask import Blueprint\n\n\nclass PgAdminModule(Blueprint):\n    pass\n",
    })
    got = inventory(tmp_path)
    assert {r["rule"] for r in got.values()} == {None}
    assert len(got) == 2


def test_an_anonymous_only_decorator_marks_a_public_view(tmp_path):
    write_project(tmp_path, {"app/views.py": BP + """

from flask_security import anonymous_user_required


@bp.post("/reset-my-thing")
@anonymous_user_required
def reset_my_thing():
    return {}
"""})
    route = inventory(tmp_path)[("POST", "/reset-my-thing")]
    assert route["auth"]["kind"] == "public" and "anonymous_user_required" in route["auth"]["by"]
    assert flk501(tmp_path) == []


def test_unregistered_view_classes_are_listed_unless_a_served_subclass_covers_them(tmp_path):
    write_project(tmp_path, {"app/views.py": BP + """

from flask.views import MethodView


class BaseList(MethodView):
    def post(self):
        return {}


class Reports(BaseList):
    pass


class NodeView(MethodView):
    def delete(self, nid):
        return {}


class SchemaView(NodeView):
    def delete(self, nid):
        return {}


bp.add_url_rule("/reports", view_func=Reports.as_view("reports"))
"""})
    views = {r["view"] for r in inventory(tmp_path).values()}
    assert "app.views.Reports.post" in views and "app.views.BaseList.post" not in views
    assert {"app.views.NodeView.delete", "app.views.SchemaView.delete"} <= views


def test_route_decorators_with_a_rule_built_by_a_call_keep_its_literal_tail(tmp_path):
    """redash: `@routes.route(org_scoped_rule("/invite/<token>"), methods=["GET", "POST"])`."""
    write_project(tmp_path, {"app/views.py": BP + """

def org_scoped_rule(rule):
    return "/<org_slug>" + rule


@bp.route(org_scoped_rule("/invite/<token>"), methods=["GET", "POST"])
def invite(token):
    return {}


@bp.route(org_scoped_rule("/members"), methods=["POST"])
def members():
    return {}
"""})
    got = inventory(tmp_path)
    assert got[("GET", "app.views.invite")]["auth"]["kind"] == "public"
    assert got[("GET", "app.views.invite")]["rule"] is None
    assert flk501(tmp_path) == [("app/views.py", 16)]


def test_blueprints_made_by_a_factory_with_a_guard_passed_in(tmp_path):
    """vss365-api: `_api_factory(name, prefix, auth_function=None)` makes a flask-smorest
    Blueprint (imported as `APIBlueprint`) with `url_prefix=f"/v2/{prefix}"` and registers
    `auth_function` as its before_request; `partial(protect_blueprint, "emails")` is passed in."""
    write_project(tmp_path, {
        "app/__init__.py": "",
        "app/auth_helpers.py": """
            from flask import abort
            from app.keys import can_access, get_token_from_request


            def protect_blueprint(*perms):
                token = get_token_from_request()
                if not can_access(token, perms):
                    abort(403)
            """,
        "app/views.py": """
            from functools import partial

            from flask_smorest import Blueprint as APIBlueprint

            from app import auth_helpers


            def _api_factory(name, url_prefix, auth_function=None):
                blueprint = APIBlueprint(name, __name__, url_prefix=f"/v2/{url_prefix}")
                if auth_function is not None:
                    blueprint.before_request(auth_function)
                return blueprint


            emails = _api_factory("emails", "emails", partial(auth_helpers.protect_blueprint, "emails"))
            hosts = _api_factory("hosts", "hosts")


            @emails.post("/")
            def subscribe():
                return {}


            @hosts.post("/")
            def add_host():
                return {}
            """,
    })
    got = {r["endpoint"]: r for r in inventory(tmp_path).values()}
    assert got["emails.subscribe"]["auth"]["kind"] == "guard" and got["emails.subscribe"]["rule"] is None
    assert got["hosts.add_host"]["auth"]["kind"] == "none"
    assert flk501(tmp_path) == [("app/views.py", 25)]


def test_a_route_table_imported_inside_create_app(tmp_path):
    write_project(tmp_path, {
        "app/__init__.py": """
            from flask import Flask
            from flask_restful import Api


            def create_app():
                app = Flask(__name__)
                from app.routes import API_ROUTES
                api = Api(app, prefix="/api")
                for route in API_ROUTES:
                    api.add_resource(*route)
                return app
            """,
        "app/routes.py": "from app.resources import Things\n\nAPI_ROUTES = [(Things, '/things')]\n",
        "app/resources.py": "from flask_restful import Resource\n\n\nclass Things(Resource):\n"
                            "    def post(self):\n        return {}\n",
    })
    assert ("POST", "/api/things") in inventory(tmp_path)
