"""FLK102 commit-in-repository (rules/FLK102.md).

Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines. Each case is
a small project, the code under test (selected alone), and the (path, line) of every finding
expected for that code; an empty list means the case is a trap that must stay silent.
"""

from __future__ import annotations

import textwrap

import pytest

from conftest import EXT
from rules._shared import REPO, assert_catalog_case, catalog_params, fixed

# (code, description, files, expected findings as (path, line))
CASES = [
    ("FLK102", "self.session.commit and self.commit", {**EXT, REPO: """
        from app.extensions import db


        class UserRepository:
            def save(self, user):
                self.session.add(user)
                self.session.commit()

            def save_all(self, users):
                self.commit()
        """}, [(REPO, 7), (REPO, 10)]),
    ("FLK102", "commit pass-through, commit_* definitions, flush, rollback", {**EXT, REPO: """
        from app.extensions import db


        class UserRepository:
            def commit(self):
                self.session.commit()

            def commit_later(self):
                self.session.flush()

            def undo(self):
                db.session.rollback()
        """}, []),
    ("FLK102", "peewee repositories are never touched", {REPO: """
        from peewee import SqliteDatabase

        database = SqliteDatabase("x.db")


        class UserRepository:
            def save(self, user):
                user.save()
                self.commit()
        """}, []),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)


# ---- fixes ------------------------------------------------------------------------------


def test_commit_to_flush_is_unsafe_and_only_for_statements(tmp_path):
    source = textwrap.dedent(
        """\
        from app.extensions import db


        class UserRepository:
            def save(self, user):
                db.session.add(user)
                db.session.commit()  # persist

            def save_and_report(self, user):
                return self.session.commit()
        """
    )
    assert fixed(tmp_path, REPO, source) == source  # --fix alone: unsafe fixes wait
    out = fixed(tmp_path, REPO, source, "--unsafe-fixes")
    assert "db.session.flush()  # persist" in out
    assert "return self.session.commit()" in out
