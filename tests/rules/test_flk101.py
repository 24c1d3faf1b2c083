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
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)
