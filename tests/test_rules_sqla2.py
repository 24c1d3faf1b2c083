"""FLK403 legacy-query-api, FLK404 legacy-column, FLK405 enum-not-str (RULES.md 4xx).

Table-driven cases for every "triggers" and "must NOT trigger" line of the catalog entries
(each case: a small project and the exact (path, line, column) of every finding expected, an
empty list being a trap that must stay silent), then exact fix outputs run through the CLI.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import EXT, check, write_project

USER = {
    "app/models/user.py": """
        from app.extensions import db


        class User(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            email = db.Column(db.String(255))
            is_active = db.Column(db.Boolean)
        """,
}
REPO = "app/repositories/user_repository.py"
SVC = "app/services/user_service.py"
CTRL = "app/controllers/user_controller.py"
MODEL = "app/models/user.py"
SCHEMA = "app/schemas/user_schemas.py"

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
    # ---- FLK404: triggers -------------------------------------------------------------
    ("FLK404", "db.Column in a db.Model, reported at the target", {**EXT, MODEL: """
        from app.extensions import db


        class User(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            name = db.Column(db.String(100))  # display name
        """}, [(MODEL, 5, 5), (MODEL, 6, 5)], "mscr"),
    ("FLK404", "sa.Column, Column aliases, a mixin and an __abstract__ base", {MODEL: """
        import sqlalchemy as sa
        from sqlalchemy import Column as Col, Integer
        from sqlalchemy.orm import declarative_base

        Base = declarative_base()


        class TimestampMixin:
            created_at = sa.Column(sa.DateTime)


        class Model(Base):
            __abstract__ = True
            id = Col(Integer, primary_key=True)
        """}, [(MODEL, 9, 5), (MODEL, 14, 5)], "factory"),
    ("FLK404", "annotated with something other than Mapped", {MODEL: """
        from sqlalchemy import Column, String
        from sqlalchemy.orm import DeclarativeBase


        class Base(DeclarativeBase):
            pass


        class User(Base):
            __tablename__ = "users"
            name: str = Column(String(50))
        """}, [(MODEL, 11, 5)], "mscr"),
    ("FLK404", "a *_model.py module outside a models folder", {"app/user_model.py": """
        from sqlalchemy import Column, Integer


        class UserMixin:
            id = Column(Integer, primary_key=True)
        """}, [("app/user_model.py", 5, 5)], "mscr"),
    # ---- FLK404: must NOT trigger -----------------------------------------------------
    ("FLK404", "2.0 style, and Mapped-annotated Column", {MODEL: """
        from sqlalchemy import Column, String
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


        class Base(DeclarativeBase):
            pass


        class User(Base):
            __tablename__ = "users"
            id: Mapped[int] = mapped_column(primary_key=True)
            name: Mapped[str | None] = Column(String(50))
            nick: "Mapped[str]" = Column(String(20))
        """}, [], "mscr"),
    ("FLK404", "Table() columns, module-level and method-level Column", {MODEL: """
        from sqlalchemy import Column, Integer, MetaData, Table

        metadata = MetaData()
        user_roles = Table("user_roles", metadata, Column("user_id", Integer, primary_key=True))
        spare = Column(Integer)


        class Builder:
            def column(self):
                col = Column(Integer)
                return col
        """}, [], "mscr"),
    ("FLK404", "a class with Column attributes outside the model layer", {**EXT, REPO: """
        from app.extensions import db


        class Row(db.Model):
            id = db.Column(db.Integer, primary_key=True)
        """}, [], "mscr"),
    ("FLK404", "a Column that is not SQLAlchemy's", {MODEL: """
        import sqlalchemy
        from tablib.columns import Column


        class Report:
            total = Column("total")
        """}, [], "mscr"),
    ("FLK404", "a peewee model module", {MODEL: """
        from peewee import CharField, Column, Model


        class Note(Model):
            title = CharField()
            body = Column("body")
        """}, [], "mscr"),
    ("FLK404", "not in the backant preset", {**EXT, "models/user_model.py": """
        from app.extensions import db


        class User(db.Model):
            id = db.Column(db.Integer, primary_key=True)
        """}, [], "backant"),
    # ---- FLK405: triggers -------------------------------------------------------------
    ("FLK405", "from enum import Enum in a model module, at the class name", {MODEL: """
        from enum import Enum


        class Status(Enum):
            ACTIVE = "active"
        """}, [(MODEL, 4, 7)], "mscr"),
    ("FLK405", "import enum / enum.Enum, and an alias, in a schema module", {SCHEMA: """
        import enum
        from enum import Enum as PyEnum


        class Role(enum.Enum):
            ADMIN = "admin"


        class Level(PyEnum):
            LOW = 1
        """}, [(SCHEMA, 5, 7), (SCHEMA, 9, 7)], "mscr"),
    ("FLK405", "a subclass of a project enum base in another module", {
        "app/enums.py": (
            "from enum import Enum\n\n\nclass ChoiceEnum(Enum):\n    @classmethod\n"
            "    def choices(cls):\n        return [m.value for m in cls]\n"
        ),
        "app/schemas/order_schema.py": """
        from app.enums import ChoiceEnum


        class OrderStatus(ChoiceEnum):
            OPEN = "open"
        """}, [("app/schemas/order_schema.py", 4, 7)], "mscr"),
    # ---- FLK405: must NOT trigger -----------------------------------------------------
    ("FLK405", "str mixins, StrEnum, IntEnum, Flag, IntFlag, (int, Enum)", {MODEL: """
        import enum
        from enum import Enum, Flag, IntEnum, IntFlag, StrEnum


        class A(str, Enum):
            X = "x"


        class B(StrEnum):
            X = "x"


        class C(IntEnum):
            X = 1


        class D(Flag):
            X = 1


        class E(enum.IntFlag):
            X = 1


        class F(int, enum.Enum):
            X = 1
        """}, [], "mscr"),
    ("FLK405", "SQLAlchemy's and graphene's Enum are not enum.Enum", {MODEL: """
        import graphene
        import sqlalchemy as sa
        from sqlalchemy import Enum


        class LowerEnum(Enum):
            pass


        class UpperEnum(sa.Enum):
            pass


        class Episode(graphene.Enum):
            NEWHOPE = 4
        """}, [], "mscr"),
    ("FLK405", "a subclass of a project (str, Enum) base", {
        "app/enums.py": "from enum import Enum\n\n\nclass StrChoice(str, Enum):\n    pass\n",
        MODEL: """
        from app.enums import StrChoice


        class Status(StrChoice):
            OPEN = "open"
        """}, [], "mscr"),
    ("FLK405", "enums outside model and schema modules", {SVC: """
        from enum import Enum


        class Format(Enum):
            CSV = "csv"
        """, "app/enums.py": "from enum import Enum\n\n\nclass Kind(Enum):\n    A = 'a'\n"}, [], "mscr"),
    ("FLK405", "only in the mscr preset", {MODEL: """
        from enum import Enum


        class Status(Enum):
            ACTIVE = "active"
        """}, [], "factory"),
]


@pytest.mark.parametrize(
    "code,files,expected,preset",
    [pytest.param(c, f, e, p, id=f"{c}-{d}") for c, d, f, e, p in CASES],
)
def test_catalog_case(project, code, files, expected, preset):
    """The code's findings under the preset (no --select: the preset decides what runs)."""
    found = project(files, preset=preset)
    assert sorted((path, line, col) for path, line, col, c in found if c == code) == sorted(expected)


@pytest.mark.parametrize("code", ["FLK403", "FLK404", "FLK405"])
def test_selected_alone_reports_only_itself(project, code):
    files = next(f for c, _, f, expected, _ in CASES if c == code and expected)
    found = project(files, select=(code,))
    assert found and {c for *_, c in found} == {code}


# ---- fixes --------------------------------------------------------------------------


def flaskarch(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flaskarch", "check", ".", "--no-cache", *args],
        cwd=cwd, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"},
    )


def fix(tmp_path: Path, code: str, files: dict[str, str], target: str, preset: str = "mscr") -> str:
    """`--fix --unsafe-fixes` on the project; the target's new text. A second run must change
    nothing."""
    write_project(tmp_path, files)
    args = ("--fix", "--unsafe-fixes", "--select", code, "--preset", preset)
    flaskarch(tmp_path, *args)
    out = (tmp_path / target).read_text(encoding="utf-8")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*.py")}
    flaskarch(tmp_path, *args)
    assert before == {p: p.read_bytes() for p in tmp_path.rglob("*.py")}, "second --fix changed files"
    return out


def fixable(tmp_path: Path, code: str) -> list[tuple[int, bool]]:
    """(line, has a fix) of the code's findings in the project as it is now."""
    result = check(tmp_path, select=(code,), preset="mscr")
    return [(f.line, f.fix is not None) for f in result.findings if f.code == code]


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# FLK403 ---------------------------------------------------------------------------------


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


def test_legacy_query_fix_is_safe(tmp_path):
    """Applied by --fix alone."""
    source = "from app.extensions import db\nfrom app.models.user import User\n\nx = User.query.get(1)\n"
    write_project(tmp_path, {**EXT, **USER, SVC: source})
    flaskarch(tmp_path, "--fix", "--select", "FLK403")
    assert (tmp_path / SVC).read_text() == source.replace("User.query.get(1)", "db.session.get(User, 1)")


# FLK404 ---------------------------------------------------------------------------------


def test_legacy_columns_fixed_with_imports_added_once(tmp_path):
    source = """
        from app.extensions import db


        class Event(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            starts_at = db.Column(db.DateTime, nullable=False)
            ends_at = db.Column(db.DateTime)  # open-ended when NULL
            created_at = db.Column(db.DateTime(timezone=True), nullable=False)
            price = db.Column(db.Numeric(10, 2), nullable=False)
            ratio = db.Column(db.Numeric(asdecimal=False))
            ref = db.Column(db.Uuid, unique=True, nullable=True)
            data = db.Column(
                db.JSON,  # free-form
                default=dict,
            )
        """
    expected = """
        from app.extensions import db
        from datetime import datetime
        from decimal import Decimal
        import uuid
        from sqlalchemy.orm import Mapped, mapped_column


        class Event(db.Model):
            id: Mapped[int] = mapped_column(db.Integer, primary_key=True)
            starts_at: Mapped[datetime] = mapped_column(db.DateTime, nullable=False)
            ends_at: Mapped[datetime | None] = mapped_column(db.DateTime)  # open-ended when NULL
            created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), nullable=False)
            price: Mapped[Decimal] = mapped_column(db.Numeric(10, 2), nullable=False)
            ratio: Mapped[float | None] = mapped_column(db.Numeric(asdecimal=False))
            ref: Mapped[uuid.UUID | None] = mapped_column(db.Uuid, unique=True, nullable=True)
            data: Mapped[dict | None] = mapped_column(
                db.JSON,  # free-form
                default=dict,
            )
        """
    out = fix(tmp_path, "FLK404", {**EXT, MODEL: source}, MODEL)
    assert out == dedent(expected)
    assert out.count("from datetime import datetime") == 1
    assert out.count("from sqlalchemy.orm import Mapped, mapped_column") == 1


def test_legacy_column_existing_imports_are_reused(tmp_path):
    source = """
        import datetime as dt
        from uuid import UUID

        from sqlalchemy import Boolean, Column, Date, Enum, Integer, LargeBinary, String, Time
        from sqlalchemy.orm import DeclarativeBase, Mapped

        from app.enums import Status


        class Base(DeclarativeBase):
            pass


        class Shift(Base):
            __tablename__ = "shifts"

            id = Column(Integer, primary_key=True, nullable=False)
            day = Column(Date, primary_key=False)
            starts = Column(Time, nullable=False)
            label: str = Column("shift_label", String(20), nullable=False)
            status = Column(Enum(Status, native_enum=False), nullable=False)
            open = Column(type_=Boolean, nullable=False)
            blob = Column(LargeBinary)
        """
    expected = """
        import datetime as dt
        from uuid import UUID

        from sqlalchemy import Boolean, Column, Date, Enum, Integer, LargeBinary, String, Time
        from sqlalchemy.orm import DeclarativeBase, Mapped

        from app.enums import Status
        from sqlalchemy.orm import mapped_column


        class Base(DeclarativeBase):
            pass


        class Shift(Base):
            __tablename__ = "shifts"

            id: Mapped[int] = mapped_column(Integer, primary_key=True, nullable=False)
            day: Mapped[dt.date | None] = mapped_column(Date, primary_key=False)
            starts: Mapped[dt.time] = mapped_column(Time, nullable=False)
            label: Mapped[str] = mapped_column("shift_label", String(20), nullable=False)
            status: Mapped[Status] = mapped_column(Enum(Status, native_enum=False), nullable=False)
            open: Mapped[bool] = mapped_column(type_=Boolean, nullable=False)
            blob: Mapped[bytes | None] = mapped_column(LargeBinary)
        """
    files = {"app/enums.py": "import enum\n\n\nclass Status(str, enum.Enum):\n    A = 'a'\n", MODEL: source}
    assert fix(tmp_path, "FLK404", files, MODEL) == dedent(expected)


def test_legacy_column_without_a_known_type_has_no_fix(tmp_path):
    source = dedent(
        """
        from sqlalchemy import Column, Date, Enum, ForeignKey, Integer, Interval
        from sqlalchemy.orm import declarative_base

        Base = declarative_base()
        NULLABLE = True


        class Booking(Base):
            __tablename__ = "bookings"
            length = Column(Interval)
            owner_id = Column(ForeignKey("users.id"))
            kind = Column(Enum("a", "b", name="kind"))
            note = Column(Integer, nullable=NULLABLE)
            date = Column(Date)
            a = b = Column(Integer)
        """
    )
    assert fix(tmp_path, "FLK404", {MODEL: source}, MODEL) == source
    assert fixable(tmp_path, "FLK404") == [(10, False), (11, False), (12, False), (13, False), (14, False), (15, False)]


def test_legacy_column_fix_keeps_unknown_ones_and_suppressed_ones_out_of_the_imports(tmp_path):
    source = """
        from app.extensions import db


        class Item(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            length = db.Column(db.Interval)
            sold_on = db.Column(db.Date)  # noqa: FLK404
        """
    expected = """
        from app.extensions import db
        from sqlalchemy.orm import Mapped, mapped_column


        class Item(db.Model):
            id: Mapped[int] = mapped_column(db.Integer, primary_key=True)
            length = db.Column(db.Interval)
            sold_on = db.Column(db.Date)  # noqa: FLK404
        """
    assert fix(tmp_path, "FLK404", {**EXT, MODEL: source}, MODEL) == dedent(expected)


def test_legacy_column_fix_is_unsafe(tmp_path):
    source = "from sqlalchemy import Column, Integer\n\n\nclass M:\n    id = Column(Integer, primary_key=True)\n"
    write_project(tmp_path, {MODEL: source})
    flaskarch(tmp_path, "--fix", "--select", "FLK404")
    assert (tmp_path / MODEL).read_text() == source
    assert fixable(tmp_path, "FLK404") == [(5, True)]


# FLK405 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source,expected",
    [
        (
            """
            import enum


            class Status(enum.Enum):  # lifecycle
                ACTIVE = "active"
                ARCHIVED = 'archived'
                LONG = ("long"
                        " name")
                _ignore_ = ["x"]

                def label(self):
                    return self.value.title()
            """,
            """
            import enum


            class Status(str, enum.Enum):  # lifecycle
                ACTIVE = "active"
                ARCHIVED = 'archived'
                LONG = ("long"
                        " name")
                _ignore_ = ["x"]

                def label(self):
                    return self.value.title()
            """,
        ),
        (
            """
            from enum import Enum as E


            class Color(
                # a comment before the base
                E,
            ): RED = "red"; BLUE = "blue"
            """,
            """
            from enum import Enum as E


            class Color(
                # a comment before the base
                str, E,
            ): RED = "red"; BLUE = "blue"
            """,
        ),
    ],
)
def test_enum_fix_adds_str_first(tmp_path, source, expected):
    assert fix(tmp_path, "FLK405", {MODEL: dedent(source)}, MODEL) == dedent(expected)


@pytest.mark.parametrize(
    "body",
    [
        "class Level(Enum):\n    LOW = 1\n    HIGH = 'high'\n",
        "class Level(Enum):\n    LOW = auto()\n",
        "class Level(Enum):\n    LOW = f'{PREFIX}low'\n",
        "class Level(Enum):\n    LOW = PREFIX\n",
        "class Level(Enum):\n    LOW = b'low'\n",
        "class Level(Enum):\n    LOW, HIGH = 'low', 'high'\n",
        "class Level(Enum):\n    def label(self):\n        return 'x'\n",
        "str = bytes\n\n\nclass Level(Enum):\n    LOW = 'low'\n",
    ],
)
def test_enum_without_string_members_has_no_fix(tmp_path, body):
    source = "from enum import Enum, auto\n\nPREFIX = 'p'\n\n\n" + body
    assert fix(tmp_path, "FLK405", {MODEL: source}, MODEL) == source
    assert [has for _, has in fixable(tmp_path, "FLK405")] == [False]
