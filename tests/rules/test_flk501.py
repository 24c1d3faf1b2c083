"""FLK501 mutating-route-without-auth (rules/FLK501.md).

Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines. Each case is
a small project, the code under test (selected alone), and the (path, line) of every finding
expected for that code; an empty list means the case is a trap that must stay silent.
"""

from __future__ import annotations

import textwrap

import pytest

from conftest import DB_MODULE, write_project
from rules._shared import CTRL, USER_MODEL, assert_catalog_case, catalog_params, fixed, flaskarch

# (code, description, files, expected findings as (path, line))
CASES = [
    ("FLK501", "HTTPMethod.POST, add_url_rule, aliases of the auth decorator", {CTRL: """
        from http import HTTPMethod
        from flask import Blueprint
        from flask_jwt_extended import jwt_required as jr

        bp = Blueprint("users", __name__, url_prefix="/users")


        @bp.route("/", methods=[HTTPMethod.POST])
        def create():
            return {}


        @bp.route("/<pid>", methods=["DELETE"])
        @jr()
        def delete(pid):
            return {}


        def archive(pid):
            return {}


        bp.add_url_rule("/<pid>/archive", view_func=archive, methods=["PATCH"])
        """}, [(CTRL, 9), (CTRL, 19)]),
    ("FLK501", "public defaults: prefix joined, tokens endpoint is not public", {CTRL: """
        from flask import Blueprint

        bp = Blueprint("auth", __name__, url_prefix="/auth")
        api = Blueprint("api", __name__, url_prefix="/api")


        @bp.post("/login")
        def do_login():
            return {}


        @bp.post("/password/reset/<token>")
        def reset(token):
            return {}


        @api.post("/tokens")
        def create_api_token():
            return {}


        @api.post("/devices")
        def register_device():
            return {}
        """}, [(CTRL, 18), (CTRL, 23)]),
    ("FLK501", "public-routes config by endpoint, function and URL glob", {
        "pyproject.toml": '[tool.flaskarch]\npublic-routes = ["hooks.stripe", "ingest", "*/public/*"]\n',
        CTRL: """
        from flask import Blueprint

        bp = Blueprint("hooks", __name__)


        @bp.post("/stripe")
        def stripe():
            return {}


        @bp.post("/ingest")
        def ingest():
            return {}


        @bp.post("/v1/public/form")
        def form():
            return {}


        @bp.post("/private")
        def private():
            return {}
        """}, [(CTRL, 22)]),
    ("FLK501", "guards: before_request in another module, inherited decorators, auth-view-bases", {
        "pyproject.toml": '[tool.flaskarch]\nauth-view-bases = ["SecureView"]\n',
        "app/blueprints.py": "from flask import Blueprint\n\nadmin_bp = Blueprint('admin', __name__)\n",
        "app/security.py": """
            from flask import abort
            from flask_login import current_user
            from app.blueprints import admin_bp


            @admin_bp.before_request
            def require_admin():
                if not current_user.is_authenticated:
                    abort(401)
            """,
        "app/views/base.py": """
            from flask.views import MethodView
            from flask_login import login_required


            class AuthedView(MethodView):
                decorators = [login_required]


            class SecureView(MethodView):
                pass
            """,
        "app/views/admin_views.py": """
            from app.blueprints import admin_bp
            from app.views.base import AuthedView, SecureView
            from flask.views import MethodView


            @admin_bp.post("/purge")
            def purge():
                return {}


            class Items(AuthedView):
                def post(self):
                    return {}


            class Secrets(SecureView):
                def delete(self):
                    return {}


            class Open(MethodView):
                def put(self):
                    return {}
            """,
    }, [("app/views/admin_views.py", 22)]),
    ("FLK501", "project wrapper decorator defined in another module", {
        "app/decorators.py": """
            from functools import wraps
            from app.auth import token_required


            def admin_only(f):
                @wraps(f)
                @token_required
                def inner(*a, **k):
                    return f(*a, **k)
                return inner
            """,
        "app/auth.py": "def token_required(f):\n    return f\n",
        "app/routes/admin_route.py": """
            from flask import Blueprint
            from app.decorators import admin_only

            admin_bp = Blueprint("admin", __name__)


            @admin_bp.route("/users", methods=["GET", "POST"])
            @admin_only
            def users():
                return {}
            """,
    }, []),
    ("FLK501", "attribute auth decorators and GET-only routes", {CTRL: """
        from flask import Blueprint
        from flask_httpauth import HTTPTokenAuth

        bp = Blueprint("x", __name__)
        auth = HTTPTokenAuth()


        @bp.route("/a", methods=["POST"])
        @auth.login_required
        def a():
            return {}


        @bp.route("/b", methods=["GET", "HEAD", "OPTIONS"])
        def b():
            return {}


        @bp.get("/c")
        def c():
            return {}
        """}, []),
    ("FLK501", "misplaced auth is FLK502's, not FLK501's", {CTRL: """
        from flask import Blueprint
        from app.auth import token_required

        bp = Blueprint("x", __name__)


        @token_required
        @bp.route("/a", methods=["POST"])
        def a():
            return {}
        """}, []),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)


# ---- fixes ------------------------------------------------------------------------------


def test_missing_auth_gets_the_project_decorator_and_its_import(tmp_path):
    source = textwrap.dedent(
        '''\
        """User endpoints."""
        from flask import Blueprint

        user_bp = Blueprint("users", __name__)


        @user_bp.route("/users", methods=["POST"])
        @user_bp.route("/people", methods=["POST"])
        def create():
            return {}


        @user_bp.delete("/users/<pid>")
        def delete(pid):
            return {}
        '''
    )
    extra = {"app/auth.py": "def token_required(f):\n    return f\n"}
    out = fixed(tmp_path, "app/controllers/user_controller.py", source, "--unsafe-fixes", extra=extra)
    assert out == textwrap.dedent(
        '''\
        """User endpoints."""
        from flask import Blueprint
        from app.auth import token_required

        user_bp = Blueprint("users", __name__)


        @user_bp.route("/users", methods=["POST"])
        @user_bp.route("/people", methods=["POST"])
        @token_required
        def create():
            return {}


        @user_bp.delete("/users/<pid>")
        @token_required
        def delete(pid):
            return {}
        '''
    )


def test_missing_auth_uses_what_the_project_already_uses(tmp_path):
    write_project(tmp_path, {
        "app/controllers/a_controller.py": textwrap.dedent("""\
            from flask import Blueprint
            from flask_jwt_extended import jwt_required

            a_bp = Blueprint("a", __name__)


            @a_bp.post("/a")
            @jwt_required()
            def create():
                return {}
            """),
        "app/controllers/b_controller.py": textwrap.dedent("""\
            from flask import Blueprint

            b_bp = Blueprint("b", __name__)


            @b_bp.post("/b")
            def create():
                return {}
            """),
    })
    flaskarch(tmp_path, "--fix", "--unsafe-fixes")
    assert (tmp_path / "app/controllers/b_controller.py").read_text() == textwrap.dedent("""\
        from flask import Blueprint
        from flask_jwt_extended import jwt_required

        b_bp = Blueprint("b", __name__)


        @b_bp.post("/b")
        @jwt_required()
        def create():
            return {}
        """)


def test_fix_regressions_found_in_review(tmp_path):
    """Each shape here once produced a wrong fix; now a right one, or none (the comparison shapes
    of the same review are in test_flk401.py)."""
    files = {
        # aliased jwt_required keeps its call form
        "app/controllers/a_controller.py": textwrap.dedent("""\
            from flask import Blueprint
            from flask_jwt_extended import jwt_required as jwt_req

            a_bp = Blueprint("a", __name__)


            @a_bp.delete("/a/<pid>")
            # TODO: soft delete
            @limiter.limit("1/s")
            def remove(pid):
                return {}
            """),
        # the project's decorator defined below the view: adding it would be a NameError
        "app/controllers/b_controller.py": textwrap.dedent("""\
            from flask import Blueprint

            b_bp = Blueprint("b", __name__)


            @b_bp.post("/b")
            def create():
                return {}


            def token_required(f):
                return f
            """),
    }
    write_project(tmp_path, {"app/extensions.py": DB_MODULE, "app/models/user.py": USER_MODEL, **files})
    flaskarch(tmp_path, "--fix", "--unsafe-fixes")
    a = (tmp_path / "app/controllers/a_controller.py").read_text()
    assert '@a_bp.delete("/a/<pid>")\n@jwt_req()\n# TODO: soft delete\n@limiter.limit("1/s")\n' in a
    assert (tmp_path / "app/controllers/b_controller.py").read_text() == files["app/controllers/b_controller.py"]
