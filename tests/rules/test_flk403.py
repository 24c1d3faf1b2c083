"""FLK403 legacy-query-api (rules/FLK403.md).

Table-driven cases for every "triggers" and "must NOT trigger" line of the catalog entry
(each case: a small project and the exact (path, line, column) of every finding expected under
the case's preset, an empty list being a trap that must stay silent), then exact fix outputs
run through the CLI.
"""

from __future__ import annotations

import pytest

from conftest import EXT, write_project
from rules._shared import CTRL, REPO, SVC, assert_preset_case, dedent, fix, fixable, flaskarch, preset_params

USER = {
    "app/models/user.py": """
        from app.extensions import db


        class User(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            email = db.Column(db.String(255))
            is_active = db.Column(db.Boolean)
        """,
}

# (code, description, files, expected findings as (path, line, column), preset)
CASES = [
    # ---- FLK403: Model.query ----------------------------------------------------------
    ("FLK403", "Model.query on a db.Model imported from the models", {**EXT, **USER, REPO: """
        from app.models.user import User


        class UserRepository:
            def by_email(self, email):
                return User.query.filter_by(email=email).first()

            def get(self, user_id):
                return User.query.get(user_id)
        """}, [(REPO, 6, 16), (REPO, 9, 16)], "mscr"),
    ("FLK403", "a chain of Query methods is one finding, at the model", {**EXT, **USER, REPO: """
        from app.models.user import User


        def active():
            return (
                User.query
                .filter(User.is_active.is_(True))
                .order_by(User.email)
                .all()
            )
        """}, [(REPO, 6, 9)], "factory"),
    ("FLK403", "aliased model import, DeclarativeBase model in the same module", {**EXT, **USER, SVC: """
        from sqlalchemy.orm import DeclarativeBase
        from app.models.user import User as Account


        class Base(DeclarativeBase):
            pass


        class Tag(Base):
            __tablename__ = "tags"


        def load(account_id):
            return Account.query.get(account_id), Tag.query.all()
        """}, [(SVC, 14, 12), (SVC, 14, 43)], "mscr"),
    ("FLK403", "model the index cannot see, used as X.query.<Query method>", {SVC: """
        import sqlalchemy
        from vendor_models import Invoice


        def unpaid():
            return Invoice.query.filter_by(paid=False).all()
        """}, [(SVC, 6, 12)], "mscr"),
    ("FLK403", "Model.query on a model in a controller module too", {**EXT, **USER, CTRL: """
        from app.models.user import User


        def show(user_id):
            return {"email": User.query.get_or_404(user_id).email}
        """}, [(CTRL, 5, 22)], "mscr"),
    # ---- FLK403: session.query() ------------------------------------------------------
    ("FLK403", "db.session.query, reported at db", {**EXT, **USER, REPO: """
        from app.extensions import db
        from app.models.user import User


        def count():
            return db.session.query(User).filter(User.is_active.is_(True)).count()
        """}, [(REPO, 6, 12)], "mscr"),
    ("FLK403", "self.session.query and a bound s = db.session", {**EXT, **USER, REPO: """
        from sqlalchemy.orm import Session
        from app.extensions import db
        from app.models.user import User


        class UserRepository:
            def __init__(self, session: Session):
                self.session = session

            def all(self):
                return self.session.query(User).all()

            def first(self):
                s = db.session
                return s.query(User).first()
        """}, [(REPO, 11, 16), (REPO, 15, 16)], "mscr"),
    ("FLK403", "session made by a sessionmaker in another module", {
        "app/db.py": "from sqlalchemy.orm import sessionmaker\n\nSessionLocal = sessionmaker()\nsession = SessionLocal()\n",
        SVC: """
        from app.db import session


        def names():
            return [row.name for row in session.query("User").all()]
        """}, [(SVC, 5, 33)], "factory"),
    ("FLK403", "the configured session name (myDB)", {SVC: """
        import sqlalchemy
        from app.helper.DBSession import myDB


        def features():
            return myDB.query("Feature").all()
        """}, [(SVC, 6, 12)], "mscr"),
    # ---- FLK403: must NOT trigger -----------------------------------------------------
    ("FLK403", "2.0 style: select(), session.get, db.get_or_404", {**EXT, **USER, REPO: """
        from sqlalchemy import select
        from app.extensions import db
        from app.models.user import User


        def get(user_id):
            return db.session.get(User, user_id) or db.get_or_404(User, user_id)


        def by_email(email):
            return db.session.scalars(select(User).filter_by(email=email)).first()
        """}, [], "mscr"),
    ("FLK403", "Flask cookie session, request.args, a local string called query", {**EXT, **USER, CTRL: """
        from flask import request, session
        from app.services import user_service


        def search():
            query = request.args.get("query", "")
            session["last_query"] = query.strip()
            return user_service.search(query.lower())
        """}, [], "mscr"),
    ("FLK403", "a project class that is not a model, and self.query", {**EXT, **USER, SVC: """
        from app.extensions import db


        class Criteria:
            query = None


        class Finder:
            def run(self):
                return self.query.filter(Criteria.query.filter(1))
        """}, [], "mscr"),
    ("FLK403", "other libraries' .query(): Elasticsearch DSL Search", {**EXT, SVC: """
        from elasticsearch_dsl import Search
        from app.extensions import db


        def find(text):
            return Search(index="users").query("match", name=text).execute()
        """}, [], "mscr"),
    ("FLK403", "a lowercase or unknown receiver of .query", {**EXT, SVC: """
        from app.extensions import db
        import searchlib


        def find(client, text):
            return client.query.filter(text), searchlib.query.all()
        """}, [], "mscr"),
    ("FLK403", "a module that uses another ORM and not SQLAlchemy", {SVC: """
        from pony.orm import db_session
        from vendor_models import Invoice


        def unpaid():
            return Invoice.query.filter_by(paid=False).all()
        """}, [], "mscr"),
    ("FLK403", "not in the backant preset", {**EXT, **USER, REPO: """
        from app.models.user import User


        def get(user_id):
            return User.query.get(user_id)
        """}, [], "backant"),
]


@pytest.mark.parametrize("code,files,expected,preset", preset_params(CASES))
def test_catalog_case(project, code, files, expected, preset):
    assert_preset_case(project, code, files, expected, preset)


# ---- fixes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source,expected",
    [
        (  # the module's db under an alias; odd spacing and a comment
            """
            from app.extensions import db as database
            from app.models.user import User


            def get(user_id):
                return User.query.get( user_id )  # by pk


            def get_or_404(user_id):
                return User.query.get_or_404(
                    user_id,  # 404 for unknown ids
                )
            """,
            """
            from app.extensions import db as database
            from app.models.user import User


            def get(user_id):
                return database.session.get( User, user_id )  # by pk


            def get_or_404(user_id):
                return database.get_or_404(
                    User, user_id,  # 404 for unknown ids
                )
            """,
        ),
        (  # no db bound: the project's one db is imported, once for two calls
            '''
            """Loaders."""
            from app.models.user import User as Account


            def load(user_id):
                return Account.query.get(int(user_id))


            def load_or_404(user_id):
                return (Account).query.get_or_404(user_id)
            ''',
            '''
            """Loaders."""
            from app.models.user import User as Account
            from app.extensions import db


            def load(user_id):
                return db.session.get(Account, int(user_id))


            def load_or_404(user_id):
                return db.get_or_404(Account, user_id)
            ''',
        ),
        (  # a db imported inside the function is the one used
            """
            from app.models.user import User


            def get(user_id):
                from app.extensions import db

                return User.query.get(user_id)
            """,
            """
            from app.models.user import User


            def get(user_id):
                from app.extensions import db

                return db.session.get(User, user_id)
            """,
        ),
        (  # other shapes are reported without a fix
            """
            from app.extensions import db
            from app.models.user import User


            def others(ids, user_id):
                a = User.query.filter(User.is_active.is_(True)).get(user_id)
                b = User.query.get(ident=user_id)
                c = User.query.get_or_404(user_id, description="no such user")
                d = User.query.get(*ids)
                e = db.session.query(User).get(user_id)
                return a, b, c, d, e
            """,
            None,
        ),
    ],
)
def test_legacy_query_fixes(tmp_path, source, expected):
    out = fix(tmp_path, "FLK403", {**EXT, **USER, SVC: source}, SVC)
    assert out == dedent(expected if expected is not None else source)


def test_legacy_query_without_an_importable_db_has_no_fix(tmp_path):
    """Two SQLAlchemy() objects: which session the model uses is not knowable."""
    source = dedent(
        """
        from app.models.user import User


        def get(user_id):
            return User.query.get(user_id)
        """
    )
    files = {**EXT, **USER, "app/other_db.py": "from flask_sqlalchemy import SQLAlchemy\n\ndb2 = SQLAlchemy()\n", SVC: source}
    assert fix(tmp_path, "FLK403", files, SVC) == source
    assert fixable(tmp_path, "FLK403") == [(5, False)]


def test_legacy_query_db_name_taken_has_no_fix(tmp_path):
    source = dedent(
        """
        from app.models.user import User
        from app.helpers import db


        def get(user_id):
            return User.query.get(user_id)
        """
    )
    files = {**EXT, **USER, "app/helpers.py": "db = object()\n", SVC: source}
    assert fix(tmp_path, "FLK403", files, SVC) == source
    assert fixable(tmp_path, "FLK403") == [(6, False)]


def test_legacy_query_fix_is_safe_where_the_version_is_known(tmp_path):
    """Applied by --fix alone on a project whose files say SQLAlchemy >= 1.4 (`Session.get`);
    on an unknown version the API may be missing, so it needs --unsafe-fixes."""
    source = "from app.extensions import db\nfrom app.models.user import User\n\nx = User.query.get(1)\n"
    write_project(tmp_path, {**EXT, **USER, SVC: source})
    flaskarch(tmp_path, "--fix", "--select", "FLK403")
    assert (tmp_path / SVC).read_text() == source
    write_project(tmp_path, {"requirements.txt": "Flask-SQLAlchemy==3.1.1\nSQLAlchemy>=2.0,<2.1\n"})
    flaskarch(tmp_path, "--fix", "--select", "FLK403")
    assert (tmp_path / SVC).read_text() == source.replace("User.query.get(1)", "db.session.get(User, 1)")
