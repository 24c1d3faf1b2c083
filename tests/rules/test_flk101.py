"""FLK101 session-in-controller (rules/FLK101.md).

Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines. Each case is
a small project, the code under test (selected alone), and the (path, line) of every finding
expected for that code; an empty list means the case is a trap that must stay silent.
"""

from __future__ import annotations

import pytest

from conftest import EXT
from rules._shared import CTRL, MODELS, SVC, assert_catalog_case, catalog_params

# (code, description, files, expected findings as (path, line))
CASES = [
    ("FLK101", "aliased db import", {**EXT, CTRL: """
        from app.extensions import db as database


        def save(user):
            database.session.add(user)
        """}, [(CTRL, 5)]),
    ("FLK101", "bound session then used", {**EXT, CTRL: """
        from app.extensions import db


        def save(user):
            s = db.session
            s.add(user)
        """}, [(CTRL, 6)]),
    ("FLK101", "myDB singleton", {CTRL: """
        from helper.DBSession import myDB


        def count():
            return myDB.execute("select 1")
        """}, [(CTRL, 5)]),
    ("FLK101", "sessionmaker session imported from project module", {
        "app/db.py": "from sqlalchemy.orm import sessionmaker\n\nSessionLocal = sessionmaker()\nsession = SessionLocal()\n",
        CTRL: """
        from app.db import session


        def users():
            return session.query("User").all()
        """}, [(CTRL, 5)]),
    ("FLK101", "Flask cookie session is not a DB session", {CTRL: """
        from flask import session, request


        def me():
            session["user_id"] = request.args.get("id")
            return session.get("user_id")
        """}, []),
    ("FLK101", "a local string called query; service calls", {**EXT, CTRL: """
        from app.services import user_service


        def search(term):
            query = "name:" + term
            return user_service.search(query.strip())
        """}, []),
    ("FLK101", "importing db is not a finding", {**EXT, CTRL: """
        from app.extensions import db


        def ok():
            return "fine"
        """}, []),
    ("FLK101", "Model.query through a resolved model", {**EXT, **MODELS, CTRL: """
        from app.models.user import User


        def get(pid):
            return User.query.filter_by(public_id=pid).first()
        """}, [(CTRL, 5)]),
    ("FLK101", "engine.connect and cursor.execute", {CTRL: """
        from sqlalchemy import create_engine

        engine = create_engine("sqlite://")


        def rows(conn_factory):
            with engine.connect() as conn:
                conn.execute("select 1")
            cursor = conn_factory().cursor()
            cursor.execute("select 2")
        """}, [(CTRL, 7), (CTRL, 8), (CTRL, 10)]),
    ("FLK101", "services may use the session", {**EXT, SVC: """
        from app.extensions import db


        def save(user):
            db.session.add(user)
        """}, []),
    ("FLK101", "X.query.<method> whatever X is (a parameter here)", {**EXT, CTRL: """
        from app.extensions import db


        def get_or_404(model, ident):
            return model.query.get_or_404(ident)
        """}, [(CTRL, 5)]),
    ("FLK101", "a bare Model.query (handed to a paginator) counts once; with a method, once", {
        **EXT, **MODELS, CTRL: """
        from app.models.user import User as Account


        def page(paginate):
            listing = paginate(Account.query, per_page=20)
            return listing, Account.query.filter_by(is_active=True).count()
        """}, [(CTRL, 5), (CTRL, 6)]),
    ("FLK101", "`query` of a non-model object is not Model.query", {**EXT, **MODELS, CTRL: """
        from flask import request


        def search(form):
            return form.query, request.query
        """}, []),
    # layers from bare file names: the classic `app/main/routes.py`, `app/auth/views.py` layout
    ("FLK101", "bare routes.py in a blueprint package is a controller", {**EXT, **MODELS, "app/main/routes.py": """
        from flask import Blueprint
        from ..extensions import db
        from ..models.user import User

        bp = Blueprint("main", __name__)


        @bp.route("/follow/<name>", methods=["POST"])
        def follow(name):
            user = db.session.scalar(db.select(User).where(User.public_id == name))
            db.session.commit()
            return "ok"
        """}, [("app/main/routes.py", 10), ("app/main/routes.py", 11)]),
    ("FLK101", "bare views.py is a controller", {**EXT, **MODELS, "app/auth/views.py": """
        from app.models.user import User


        def index():
            return [u.public_id for u in User.query.all()]
        """}, [("app/auth/views.py", 5)]),
    ("FLK101", "a file's own name wins over its folder: endpoints/users/service.py is a service", {
        **EXT, "app/endpoints/users/service.py": """
        from app.extensions import db


        def save(user):
            db.session.add(user)
        """, "app/endpoints/users/controllers.py": """
        from app.extensions import db


        def save(user):
            db.session.add(user)
        """}, [("app/endpoints/users/controllers.py", 5)]),
    ("FLK101", "self.session bound to a conference session (a domain object) is no database", {
        **EXT, "app/models/talk.py": """
        from app.extensions import db


        class Session(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            title = db.Column(db.String(80))
        """,
        "app/controllers/schedule_controller.py": """
        from flask.views import MethodView
        from app.models.talk import Session


        class SlotView(MethodView):
            def __init__(self, talk=None):
                self.session = Session(title="keynote")
                self.db = talk

            def get(self):
                return {"title": self.session.title, "room": self.db.room}
        """}, []),
    ("FLK101", "self.session bound to a session: directly, by annotation, through a base in another module", {
        **EXT, "app/controllers/base.py": """
        from app.extensions import db


        class BaseView:
            def __init__(self):
                self.session = db.session
        """,
        CTRL: """
        from sqlalchemy.orm import Session as OrmSession
        from app.controllers.base import BaseView


        class UserView(BaseView):
            def get(self):
                return self.session.execute("select 1")


        class AuditView:
            def __init__(self, session: OrmSession):
                self.session = session

            def get(self):
                return self.session.scalars("select 1")
        """}, [(CTRL, 7), (CTRL, 15)]),
    ("FLK101", "a model re-exported by a star import of the models package resolves", {
        **EXT, **MODELS, "app/models/__init__.py": "from .user import *\n", CTRL: """
        from app.models import User


        def page(paginate):
            return paginate(User.query, per_page=20)
        """}, [(CTRL, 5)]),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)
