"""FLK404 legacy-column (rules/FLK404.md).

Table-driven cases for every "triggers" and "must NOT trigger" line of the catalog entry
(each case: a small project and the exact (path, line, column) of every finding expected under
the case's preset, an empty list being a trap that must stay silent), then exact fix outputs
run through the CLI.
"""

from __future__ import annotations

import pytest

from conftest import EXT, write_project
from rules._shared import MODEL, REPO, assert_preset_case, dedent, fix, fixable, flaskarch, preset_params

# (code, description, files, expected findings as (path, line, column), preset)
CASES = [
    # ---- FLK403: Model.query ----------------------------------------------------------
    # ---- FLK403: session.query() ------------------------------------------------------
    # ---- FLK403: must NOT trigger -----------------------------------------------------
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
]


@pytest.mark.parametrize("code,files,expected,preset", preset_params(CASES))
def test_catalog_case(project, code, files, expected, preset):
    assert_preset_case(project, code, files, expected, preset)


# ---- fixes ------------------------------------------------------------------------------


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
