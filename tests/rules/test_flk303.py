"""FLK303 response-envelope (rules/FLK303.md).

Table-driven cases: a controller returns `jsonify(<dict literal>)` whose top-level keys lack
"success" (also as the first element of a returned tuple), reported at `jsonify` (resolved through
imports and aliases); dicts with "success", non-literal arguments and modules outside the
controllers are left alone. backant preset only.
"""

from __future__ import annotations

import pytest

from rules._shared import assert_catalog_case, assert_preset_case, catalog_params

ROUTE = "routes/user_route.py"
SERVICE = "services/user_service.py"
HEAD = """
    from flask import Blueprint, request
    from helper.auth import token_required
    from services.user_service import myUserService

    user_bp = Blueprint("user", __name__, url_prefix="/user")
    """

# (code, description, files, expected findings as (path, line))
CASES = [
    ("FLK303", "a dict without success, and an error tuple", {ROUTE: HEAD + """
    from flask import jsonify


    @user_bp.route("/<string:public_id>", methods=["GET"])
    @token_required
    def get_user(public_id):
        user = myUserService.get(public_id)
        if user is None:
            return jsonify({"error": "user not found"}), 404
        return jsonify({"data": {"public_id": user.public_id}})
    """}, [(ROUTE, 15), (ROUTE, 16)]),
    ("FLK303", "aliases: `jsonify as js`, `flask.jsonify`, `flask.json.jsonify`; multi-line", {ROUTE: HEAD + """
    import flask
    from flask import jsonify as js
    from flask.json import jsonify as json_response


    @user_bp.route("/", methods=["GET"])
    def list_users():
        if request.args.get("legacy"):
            return flask.jsonify({"users": []})
        if request.args.get("v2"):
            return json_response({"items": []}), 200
        return js(
            {
                "data": [u.public_id for u in myUserService.all()],
                "count": myUserService.count(),
            }
        )
    """}, [(ROUTE, 15), (ROUTE, 17), (ROUTE, 18)]),
    ("FLK303", "a decorator's wrapper in a controller module returns responses too", {ROUTE: HEAD + """
    from functools import wraps
    from flask import jsonify


    def admin_only(f):
        @wraps(f)
        def wrapper(*args, **kwargs):
            if not request.headers.get("X-Admin"):
                return jsonify({"message": "forbidden"}), 403
            return f(*args, **kwargs)
        return wrapper
    """}, [(ROUTE, 15)]),
    ("FLK303", "the envelope, non-literal arguments, keywords, spreads, computed keys", {ROUTE: HEAD + """
    from flask import jsonify

    BASE = {"success": True}
    KEY = "success"


    @user_bp.route("/<string:public_id>", methods=["PUT"])
    @token_required
    def update_user(public_id):
        user = myUserService.update(public_id, request.get_json())
        if user is None:
            return jsonify({"success": False, "error": "user not found"}), 404
        if request.args.get("a"):
            payload = {"data": user.public_id}
            return jsonify(payload)
        if request.args.get("b"):
            return jsonify(success=True, data=user.public_id)
        if request.args.get("c"):
            return jsonify({**BASE, "data": user.public_id})
        if request.args.get("d"):
            return jsonify({KEY: True, "data": user.public_id})
        if request.args.get("e"):
            return jsonify([user.public_id])
        return jsonify({"success": True, "data": {"public_id": user.public_id}})
    """}, []),
    ("FLK303", "outside controllers; a project function called jsonify; a plain dict", {
        SERVICE: """
        from flask import jsonify


        class UserService:
            def export(self):
                return jsonify({"data": []})


        myUserService = UserService()
        """,
        "routes/export_route.py": """
        from flask import Blueprint
        from helper.serialize import jsonify

        export_bp = Blueprint("export", __name__)


        @export_bp.route("/export")
        def export():
            return jsonify({"rows": []})


        @export_bp.route("/plain")
        def plain():
            return {"rows": []}
        """}, []),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)


FILES = {ROUTE: """
    import flask

    user_bp = flask.Blueprint("user", __name__)


    @user_bp.route("/ping")
    def ping():
        return flask.jsonify({"pong": True}), 200
    """}


def test_at_jsonify_in_backant_only(project):
    assert_preset_case(project, "FLK303", FILES, [(ROUTE, 8, 12)], "backant")
    assert_preset_case(project, "FLK303", FILES, [], "mscr")
    assert_preset_case(project, "FLK303", FILES, [], "factory")
