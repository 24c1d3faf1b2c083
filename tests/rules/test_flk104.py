"""FLK104 http-in-service (rules/FLK104.md).

Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines. Each case is
a small project, the code under test (selected alone), and the (path, line) of every finding
expected for that code; an empty list means the case is a trap that must stay silent.
"""

from __future__ import annotations

import pytest

from conftest import EXT
from rules._shared import CTRL, REPO, SVC, assert_catalog_case, catalog_params

# (code, description, files, expected findings as (path, line))
CASES = [
    ("FLK104", "each use of request, jsonify, make_response, abort, redirect, session, Response", {**EXT, SVC: """
        from flask import Response, abort, jsonify, make_response, redirect, request, session


        class UserService:
            def create(self):
                data = request.get_json()
                if not data:
                    abort(400)
                owner = session["user_id"]
                return jsonify({"owner": owner, "name": data["name"]})

            def export(self, rows):
                response = make_response("\\n".join(rows))
                response.headers["Content-Type"] = "text/csv"
                return response

            def done(self):
                return redirect("/users")

            def empty(self):
                return Response(status=204)
        """}, [(SVC, 6), (SVC, 8), (SVC, 9), (SVC, 10), (SVC, 13), (SVC, 18), (SVC, 21)]),
    ("FLK104", "aliases and module attributes resolve through imports", {SVC: """
        import flask
        from flask import request as req
        from flask import jsonify as to_json


        def search_users(repo):
            term = req.args.get("q", "")
            page = flask.request.args.get("page", 1, type=int)
            return to_json(
                repo.search(term, page)
            )
        """}, [(SVC, 7), (SVC, 8), (SVC, 9)]),
    ("FLK104", "a repository module is judged too", {**EXT, REPO: """
        from flask import abort, request

        from app.extensions import db
        from app.models.user import User


        class UserRepository:
            def get_or_404(self, user_id):
                user = db.session.get(User, user_id)
                if user is None:
                    abort(404)
                return user

            def page(self):
                return request.args.get("page", 1, type=int)
        """}, [(REPO, 11), (REPO, 15)]),
    ("FLK104", "an import that is never used is no finding", {SVC: """
        from flask import abort, jsonify, request, session


        def total(items):
            return sum(item.price for item in items)
        """}, []),
    ("FLK104", "current_app and g are allowed", {SVC: """
        from flask import current_app, g


        class MailService:
            def send(self, to):
                sender = current_app.config["MAIL_SENDER"]
                current_app.logger.info("mail from %s to %s by %s", sender, to, g.user.id)
        """}, []),
    ("FLK104", "raising the project's own exceptions", {SVC: """
        from app.errors import UserNotFound


        class UserService:
            def get(self, repo, public_id):
                user = repo.get_by_public_id(public_id)
                if user is None:
                    raise UserNotFound(public_id)
                return user
        """}, []),
    ("FLK104", "an SQLAlchemy session called session is not Flask's", {**EXT, SVC: """
        from sqlalchemy.orm import Session

        from app.extensions import db
        from app.models.user import User

        session = db.session


        class UserService:
            def __init__(self, session: Session):
                self.session = session

            def get(self, user_id):
                return self.session.get(User, user_id)

            def count(self):
                return session.query(User).count()


        def rename(session: Session, user, name):
            user.name = name
            session.flush()
        """}, []),
    ("FLK104", "a project's own abort, request-named parameters, keywords and attributes", {SVC: """
        from flask import request

        from .errors import abort


        class ReportService:
            def __init__(self, request_log):
                self.request = request_log

            def build(self, request, session=None):
                abort("no rows")
                return self.request.count(request=request, session=session)
        """}, []),
    ("FLK104", "controllers may use the HTTP layer", {CTRL: """
        from flask import Blueprint, jsonify, request

        bp = Blueprint("users", __name__)


        @bp.post("/users")
        def create_user():
            return jsonify(request.get_json()), 201
        """}, []),
    ("FLK104", "a view class in a module named like a service is the HTTP layer", {
        "app/api/base.py": """
            from flask.views import MethodView


            class ApiView(MethodView):
                pass
            """,
        "app/api/service.py": """
            from flask import jsonify, request
            from flask.views import MethodView

            from app.api.base import ApiView


            class Health(MethodView):
                def get(self):
                    return jsonify({"ok": True, "verbose": request.args.get("v")})


            class Status(ApiView):
                def get(self):
                    return jsonify({"ok": True})


            def describe():
                return jsonify({"version": 1})
            """,
    }, [("app/api/service.py", 18)]),
    ("FLK104", "a return annotation is not a use, the construction is", {SVC: """
        from flask import Response


        def export_csv(rows) -> Response:
            return Response(
                "\\n".join(rows),
                mimetype="text/csv",
            )
        """}, [(SVC, 5)]),
    ("FLK104", "http-allowed-in-services configures what is allowed", {
        "pyproject.toml": """
            [tool.flaskarch]
            http-allowed-in-services = ["current_app", "request"]
            """,
        SVC: """
            from flask import current_app, g, request


            def audit(action):
                current_app.logger.info("%s %s by %s", action, request.path, g.user)
            """,
    }, [(SVC, 5)]),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)


def test_reported_at_the_first_token_of_each_use(project):
    found = project({SVC: """
        import flask
        from flask import request as req


        def search():
            return req.args.get("q"), flask.request.args.get("page")
        """}, select=("FLK104",))
    assert [(line, col) for _, line, col, _ in found] == [(6, 12), (6, 31)]
