"""FLK401 boolean-comparison (rules/FLK401.md).

Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines. Each case is
a small project, the code under test (selected alone), and the (path, line) of every finding
expected for that code; an empty list means the case is a trap that must stay silent.

The fix tests after the cases cover the comparison rewrites FLK401, FLK402 and FLK406 share
(flaskarch/rules/_comparison.py) wherever a test mixes them.
"""

from __future__ import annotations

import libcst as cst
import pytest

from conftest import DB_MODULE, EXT, write_project
from rules._shared import HEAD, MODELS, REPO, USER_MODEL, assert_catalog_case, catalog_params, fixed, flaskarch

# (code, description, files, expected findings as (path, line))
CASES = [
    ("FLK401", "reversed operands, join on-clause, and_/or_/not_/case, model attr outside filters", {
        **EXT, **MODELS, REPO: """
        from sqlalchemy import and_, or_, not_, case, select
        from app.models.user import User


        def q(Team):
            a = select(User).where(False == User.is_active)
            b = select(User).join(Team, and_(Team.id == User.id, Team.open == True))
            c = select(User).where(or_(User.is_active != False, not_(User.is_active == True)))
            d = case((User.is_active == True, "on"), else_="off")
            flag = User.is_active == False
            return a, b, c, d, flag
        """}, [(REPO, 6), (REPO, 7), (REPO, 8), (REPO, 8), (REPO, 9), (REPO, 10)]),
    ("FLK401", "filter_by keywords and plain Python comparisons", {**EXT, **MODELS, REPO: """
        from app.extensions import db
        from app.models.user import User


        def q(flag, user):
            if flag == False:
                return db.session.query(User).filter_by(is_active=False).all()
            if user.is_admin == True:
                return []
        """}, []),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)


# ---- fixes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body,expected",
    [
        (  # parenthesised multi-line filter with a comment, reversed operand
            "def f():\n    return db.session.scalars(\n        select(User).where(\n"
            "            (False == User.active),  # only inactive\n            User.deleted_at  ==  None,\n"
            "        )\n    ).all()\n",
            "def f():\n    return db.session.scalars(\n        select(User).where(\n"
            "            (User.active.is_(False)),  # only inactive\n            User.deleted_at.is_(None),\n"
            "        )\n    ).all()\n",
        ),
        (  # chained filters, aliased and_, != forms (`!= True` on a nullable column: unsafe, kept)
            "def g():\n    return db.session.query(User).filter(User.active != True)"
            ".filter(both(User.deleted_at != None, User.active == True)).all()\n",
            "def g():\n    return db.session.query(User).filter(User.active != True)"
            ".filter(both(User.deleted_at.is_not(None), User.active.is_(True))).all()\n",
        ),
        (  # a comparison split over lines inside parentheses
            "def h():\n    return db.session.query(User).filter(\n        User.active\n        == False\n    ).all()\n",
            "def h():\n    return db.session.query(User).filter(\n        User.active.is_(False)\n    ).all()\n",
        ),
    ],
)
def test_boolean_and_none_fixes(tmp_path, body, expected):
    """Several comparisons of FLK401 and FLK402 in one query, fixed together."""
    out = fixed(tmp_path, REPO, HEAD + body)
    assert out == HEAD + expected
    assert " is False" not in out and " is None" not in out


def test_plain_python_comparisons_are_left_alone(tmp_path):
    source = HEAD + "def f(flag, user):\n    if flag == False or user.active is True:\n        return None\n"
    assert fixed(tmp_path, REPO, source) == source


def test_the_fixed_filter_returns_the_right_rows_on_sqlite(tmp_path):
    """`.is_(False)` selects the inactive users; the `is False` rewrite other linters make
    compiles to a constant and returns none."""
    pytest.importorskip("sqlalchemy")
    from sqlalchemy import Boolean, Column, Integer, create_engine, select
    from sqlalchemy.orm import DeclarativeBase, Session

    class Base(DeclarativeBase):
        pass

    class Account(Base):
        __tablename__ = "account"
        id = Column(Integer, primary_key=True)
        active = Column(Boolean)

    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all([Account(active=True), Account(active=False), Account(active=False)])
        session.commit()
        source = "rows = session.scalars(select(Account).where(Account.active == False)).all()\n"
        module = cst.parse_module(source)
        from flaskarch.rules._comparison import method_call

        from flaskarch.walker import walk_subtree

        (comparison,) = [n for n in walk_subtree(module) if isinstance(n, cst.Comparison)]
        fixed_code = cst.Module(body=()).code_for_node(method_call(comparison.left, "is_", "False"))
        assert fixed_code == "Account.active.is_(False)"
        scope = {"session": session, "select": select, "Account": Account}
        exec(source.replace("Account.active == False", fixed_code), scope)
        assert len(scope["rows"]) == 2
        exec(source.replace("Account.active == False", "Account.active is False"), scope)
        assert scope["rows"] == []


def test_fix_regressions_found_in_review(tmp_path):
    """Each shape here once produced a wrong fix; now a right one, or none (the auth shapes of
    the same review are in test_flk501.py)."""
    files = {
        # a comment inside a multi-line comparison: reported, but no fix that would drop it
        "app/repositories/user_repository.py": HEAD + (
            "def f():\n    return db.session.query(User).filter(\n        User.active ==  # legacy\n"
            "        False,\n        not User.deleted_at,\n    ).all()\n"
        ),
    }
    write_project(tmp_path, {"app/extensions.py": DB_MODULE, "app/models/user.py": USER_MODEL, **files})
    flaskarch(tmp_path, "--fix", "--unsafe-fixes")
    repo = (tmp_path / "app/repositories/user_repository.py").read_text()
    assert "User.active ==  # legacy" in repo  # kept as written
    assert "not User.deleted_at" in repo  # a DateTime column: `.is_(False)` would be wrong SQL
    proc = flaskarch(tmp_path, "--select", "FLK401,FLK406", "--format", "concise")
    assert [line.split(":")[0:2] for line in proc.stdout.splitlines()[:-1]] == [
        ["app/repositories/user_repository.py", "8"], ["app/repositories/user_repository.py", "10"],
    ]
