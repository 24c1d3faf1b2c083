"""A fix labelled safe returns the same rows: proved on SQLite with NULLs.

A repository of real queries is fixed with `--fix` (safe fixes only); the original and the fixed
module then run against the same in-memory database, and every query must return the same rows.
The unsafe rewrites are left alone by `--fix`; with `--unsafe-fixes` some of them do change the
rows, which is why they carry that label. A peewee module next to it is neither reported nor
rewritten.
"""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import write_project
from rules._shared import flaskarch

pytest.importorskip("sqlalchemy")

MODELS = """
from datetime import datetime
from typing import Optional

from sqlalchemy import Boolean, Column, DateTime, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Account(Base):
    __tablename__ = "account"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    flag = Column(Boolean)  # nullable
    strict = Column(Boolean, nullable=False, default=False)
    deleted_at = Column(DateTime)


class Member(Base):
    __tablename__ = "member"
    id: Mapped[int] = mapped_column(primary_key=True)
    admin: Mapped[bool] = mapped_column(default=False)  # NOT NULL: Mapped[bool] without Optional
    muted: Mapped[Optional[bool]] = mapped_column()
"""

REPOSITORY = """
from sqlalchemy import and_, func, not_, or_ as any_of, select

from app.models.account import Account, Member


def ids(session, stmt):
    return sorted(row.id for row in session.scalars(stmt).all())


def eq_false(session):
    return ids(session, select(Account).where(Account.flag == False))


def eq_true_reversed(session):
    return ids(session, select(Account).where(True == Account.flag))


def in_or(session):
    return ids(session, select(Account).where(any_of(Account.flag == False, Account.name == "b")))


def in_bitwise_or(session):
    return ids(session, select(Account).where((Account.flag == False) | (Account.id > 5)))


def in_and_with_negated_not_null(session):
    return ids(session, select(Account).where(and_(Account.flag == True, not_(Account.strict == True))))


def negated_nullable(session):
    return ids(session, select(Account).where(~(Account.flag == False)))


def not_negated_nullable(session):
    return ids(session, select(Account).where(not_(Account.flag == True)))


def ne_nullable(session):
    return ids(session, select(Account).where(Account.flag != True))


def ne_false_nullable(session):
    return ids(session, select(Account).where(Account.flag != False))


def ne_not_null(session):
    return ids(session, select(Account).where(Account.strict != True))


def negated_not_null(session):
    return ids(session, select(Account).where(~(Account.strict == False)))


def mapped_not_null(session):
    return ids(session, select(Member).where(Member.admin != True))


def mapped_optional(session):
    return ids(session, select(Member).where(Member.muted != True))


def inside_a_function(session):
    return ids(session, select(Account).where(func.coalesce(Account.flag == False, True)))


def bound_then_negated(session):
    disabled = Account.flag == False
    return ids(session, select(Account).where(~disabled))


def none_tests(session):
    return (
        ids(session, select(Account).where(Account.deleted_at == None)),
        ids(session, select(Account).where(None != Account.deleted_at)),
        ids(session, select(Account).where(~(Account.deleted_at == None))),
        ids(session, select(Account).where(not_(any_of(Account.deleted_at != None, Account.strict == True)))),
    )


def legacy_query(session):
    return ids(session, select(Account).filter(Account.name.in_(["a", "b"]), Account.flag == False))
"""

# the functions whose rewrite is unsafe: `--fix` leaves their comparisons as written
UNSAFE = {"negated_nullable", "not_negated_nullable", "ne_nullable", "ne_false_nullable",
          "mapped_optional", "inside_a_function", "bound_then_negated"}

PEEWEE_DB = """
from peewee import *
from sqlalchemy.engine.url import make_url

database = SqliteDatabase(None)


def configure(url):
    database.init(make_url(url).database)


class BaseModel(Model):
    class Meta:
        database = database


class Post(BaseModel):
    title = CharField()
    hidden = BooleanField(null=True)
    deleted = DateTimeField(null=True)
"""

PEEWEE_QUERIES = """
from app.db import Post, database


def visible():
    return Post.select().where(Post.hidden == False, Post.deleted == None)


def shown():
    return Post.select().where((Post.hidden != True) | (Post.deleted != None))
"""


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def session_factory():
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    def make(models):
        engine = create_engine("sqlite://")
        models.Base.metadata.create_all(engine)
        session = Session(engine)
        from datetime import datetime

        rows = []
        for i, (flag, strict, deleted) in enumerate([
            (True, True, None), (False, False, None), (None, False, datetime(2024, 1, 1)),
            (None, True, None), (True, False, datetime(2024, 2, 1)), (False, True, None), (None, False, None),
        ], start=1):
            rows.append(models.Account(id=i, name="abc"[i % 3], flag=flag, strict=strict, deleted_at=deleted))
        for i, (admin, muted) in enumerate([(True, None), (False, True), (False, None), (True, False)], start=1):
            rows.append(models.Member(id=i, admin=admin, muted=muted))
        session.add_all(rows)
        session.commit()
        return session

    return make


def _project(tmp_path: Path) -> None:
    write_project(tmp_path, {
        "app/__init__.py": "",
        "app/models/__init__.py": "",
        "app/models/account.py": MODELS,
        "app/repositories/__init__.py": "",
        "app/repositories/account_repository.py": REPOSITORY,
    })


def _results(tmp_path: Path, session_factory, tag: str) -> dict[str, object]:
    sys.path.insert(0, str(tmp_path))
    try:
        for name in [m for m in sys.modules if m == "app" or m.startswith("app.")]:
            del sys.modules[name]
        models = importlib.import_module("app.models.account")
        repo = _load(tmp_path / "app/repositories/account_repository.py", f"repo_{tag}")
        session = session_factory(models)
        names = [n for n in dir(repo) if callable(getattr(repo, n)) and not n.startswith("_")
                 and getattr(repo, n).__module__ == repo.__name__ and n != "ids"]
        return {n: getattr(repo, n)(session) for n in names}
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == "app" or m.startswith("app.")]:
            del sys.modules[name]


def _function_source(source: str, name: str) -> str:
    start = source.index(f"def {name}(")
    end = source.find("\ndef ", start + 1)
    return source[start:end if end != -1 else len(source)]


def test_safe_fixes_return_the_same_rows(tmp_path, session_factory):
    _project(tmp_path)
    before = _results(tmp_path, session_factory, "before")
    out = flaskarch(tmp_path, "--fix", "--select", "FLK401,FLK402")
    assert out.returncode in (0, 1), out.stderr
    fixed = (tmp_path / "app/repositories/account_repository.py").read_text()
    original = textwrap.dedent(REPOSITORY).lstrip("\n")
    # the safe rewrites happened, the unsafe ones did not
    for name in ("eq_false", "eq_true_reversed", "in_or", "in_bitwise_or", "in_and_with_negated_not_null",
                 "ne_not_null", "negated_not_null", "mapped_not_null", "none_tests", "legacy_query"):
        assert "== True" not in _function_source(fixed, name) and "== False" not in _function_source(fixed, name)
        assert "!= True" not in _function_source(fixed, name) and "== None" not in _function_source(fixed, name)
    for name in UNSAFE:
        assert _function_source(fixed, name) == _function_source(original, name), name
    after = _results(tmp_path, session_factory, "after")
    assert after == before


def test_unsafe_fixes_are_unsafe_for_a_reason(tmp_path, session_factory):
    """Applied anyway, the rewrites labelled unsafe do change rows on this data."""
    _project(tmp_path)
    before = _results(tmp_path, session_factory, "before_unsafe")
    flaskarch(tmp_path, "--fix", "--unsafe-fixes", "--select", "FLK401,FLK402")
    after = _results(tmp_path, session_factory, "after_unsafe")
    changed = {name for name in before if before[name] != after[name]}
    assert changed and changed <= UNSAFE
    assert {"negated_nullable", "ne_nullable", "mapped_optional"} <= changed


def test_nothing_in_a_peewee_module_is_reported_or_rewritten(tmp_path):
    """A peewee database module that also imports one SQLAlchemy helper is still peewee's."""
    write_project(tmp_path, {"app/__init__.py": "", "app/db.py": PEEWEE_DB, "app/queries.py": PEEWEE_QUERIES})
    out = flaskarch(tmp_path, "--fix", "--unsafe-fixes", "--select", "FLK4")
    assert "FLK4" not in out.stdout, out.stdout
    assert (tmp_path / "app/queries.py").read_text() == textwrap.dedent(PEEWEE_QUERIES).lstrip("\n")
