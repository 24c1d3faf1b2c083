"""FLK302 integer-id-in-url (rules/FLK302.md).

Table-driven cases: a URL rule the module declares as a route (route decorators, `add_url_rule`,
flask-restful `add_resource`, restx `@ns.route` on a class, route tables) with an `int` converter on
an identifier is reported at the first token of the rule string; `<int:page>` and other non-id
names, string/uuid converters and strings that are not route rules are not. mscr preset only.
"""

from __future__ import annotations

import pytest

from rules._shared import CTRL, assert_catalog_case, assert_preset_case, catalog_params

# (code, description, files, expected findings as (path, line))
CASES = [
    ("FLK302", "route decorators: <int:id>, <int:user_id>, a verb shortcut, a multi-line call", {CTRL: """
        from flask import Blueprint

        user_bp = Blueprint("users", __name__, url_prefix="/users")


        @user_bp.route("/<int:id>", methods=["GET"])
        def get_user(id):
            return {}


        @user_bp.delete("/<int:user_id>")
        def delete_user(user_id):
            return "", 204


        @user_bp.route(
            "/<int:user_id>/roles/<int:role_id>",
            methods=["PUT"],
        )
        def set_role(user_id, role_id):
            return {}
        """}, [(CTRL, 6), (CTRL, 11), (CTRL, 17)]),
    ("FLK302", "add_url_rule, MethodView, flask-restful add_resource with several URLs", {
        "app/controllers/item_controller.py": """
        from flask import Blueprint
        from flask.views import MethodView
        from flask_restful import Api, Resource

        item_bp = Blueprint("items", __name__)
        api = Api(item_bp)


        class ItemAPI(MethodView):
            def get(self, item_id):
                return {}


        class Order(Resource):
            def get(self, order_id=None):
                return {}


        item_bp.add_url_rule("/items/<int:item_id>", view_func=ItemAPI.as_view("item"))
        api.add_resource(Order, "/orders", "/orders/<int:order_id>")
        """}, [("app/controllers/item_controller.py", 19), ("app/controllers/item_controller.py", 20)]),
    ("FLK302", "restx @ns.route on a class; converter arguments; camelCase ids", {
        "app/controllers/doc_controller.py": """
        from flask_restx import Namespace, Resource

        ns = Namespace("docs")


        @ns.route("/<int:docId>")
        class Doc(Resource):
            def get(self, docId):
                return {}


        @ns.route("/<int(signed=True):revision_pk>")
        class Revision(Resource):
            def get(self, revision_pk):
                return {}
        """}, [("app/controllers/doc_controller.py", 6), ("app/controllers/doc_controller.py", 12)]),
    ("FLK302", "a route table iterated into add_url_rule", {"app/controllers/urls.py": """
        from flask import Blueprint
        from app.controllers.views import UserView, PostView

        bp = Blueprint("urls", __name__)
        ROUTES = [
            ("/users/<int:user_id>", UserView),
            ("/posts/<uuid:public_id>", PostView),
        ]
        for rule, view in ROUTES:
            bp.add_url_rule(rule, view_func=view.as_view(view.__name__.lower()))
        """}, [("app/controllers/urls.py", 6)]),
    ("FLK302", "rules built at run time: the literal part holding the converter", {
        "app/controllers/event_controller.py": """
        from flask import Blueprint
        from app.controllers import views

        PREFIX = "/event/<uuid:event>"
        event_bp = Blueprint("events", __name__)
        event_bp.add_url_rule(PREFIX + "/sessions/<int:session_id>", "session", views.session)
        event_bp.add_url_rule(f"{PREFIX}/tracks/<int:track_id>", "track", views.track)
        event_bp.add_url_rule("/%s/<int:id>" % "rooms", "room", views.room)
        event_bp.add_url_rule(PREFIX + "/page/<int:page>", "page", views.page)


        @event_bp.route(PREFIX + "/notes/<int:note_id>", methods=["GET"])
        def note(event, note_id):
            return {}
        """}, [("app/controllers/event_controller.py", n) for n in (6, 7, 8, 12)]),
    ("FLK302", "non-id names, public ids, the default converter", {CTRL: """
        from flask import Blueprint

        user_bp = Blueprint("users", __name__, url_prefix="/users")


        @user_bp.get("/page/<int:page>")
        def list_users(page):
            return {}


        @user_bp.get("/archive/<int:year>/<int:month>/<int:per_page>")
        def archive(year, month, per_page):
            return {}


        @user_bp.get("/<uuid:public_id>")
        def get_user(public_id):
            return {}


        @user_bp.get("/by-name/<string:public_id>/<id>")
        def by_name(public_id, id):
            return {}


        @user_bp.get("/<int:uid>/<int:idx>/<int:paid>")
        def odd(uid, idx, paid):
            return {}
        """}, []),
    ("FLK302", "strings that are not route rules: a docstring, a client URL", {CTRL: '''
        import requests
        from flask import Blueprint

        user_bp = Blueprint("users", __name__, url_prefix="/users")
        LEGACY = "/users/<int:id>"


        @user_bp.get("/<uuid:public_id>")
        def get_user(public_id):
            """Replaces GET /users/<int:id>."""
            return requests.get("https://old.example.com" + "/users/<int:id>").json()
        '''}, []),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)


FILES = {CTRL: """
    from flask import Blueprint

    user_bp = Blueprint("users", __name__)


    @user_bp.route(
        '/<int:id>', methods=["GET"]
    )
    def get_user(id):
        return {}
    """}


def test_at_the_first_token_of_the_rule_string_in_mscr_only(project):
    assert_preset_case(project, "FLK302", FILES, [(CTRL, 7, 5)], "mscr")
    assert_preset_case(project, "FLK302", FILES, [], "factory")
    assert_preset_case(project, "FLK302", FILES, [], "backant")


def test_computed_rules_at_their_literal_part(project):
    files = {CTRL: """
        from flask import Blueprint
        from app.controllers import views

        PREFIX = "/users"
        user_bp = Blueprint("users", __name__)
        user_bp.add_url_rule(PREFIX + "/<int:id>", "user", views.user)
        user_bp.add_url_rule(f"{PREFIX}/<int:id>/posts", "posts", views.posts)
        """}
    assert project(files, select=("FLK302",)) == [(CTRL, 6, 31, "FLK302"), (CTRL, 7, 22, "FLK302")]


def test_implicitly_concatenated_rule_reported_once(project):
    files = {CTRL: """
        from flask import Blueprint

        user_bp = Blueprint("users", __name__)


        @user_bp.get("/orgs/<uuid:org>"
                     "/members/<int:member_id>")
        def member(org, member_id):
            return {}
        """}
    hits = [f for f in project(files, select=("FLK302",))]
    assert hits == [(CTRL, 6, 14, "FLK302")]
