"""FLK402 none-comparison (rules/FLK402.md).

Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines. Each case is
a small project, the code under test (selected alone), and the (path, line) of every finding
expected for that code; an empty list means the case is a trap that must stay silent.

Its fixes are tested together with FLK401's (one query mixing both) in test_flk401.py.
"""

from __future__ import annotations

import pytest

from conftest import EXT
from rules._shared import MODELS, REPO, assert_catalog_case, catalog_params

# (code, description, files, expected findings as (path, line))
CASES = [
    ("FLK402", "== None / != None in filters, either order", {**EXT, **MODELS, REPO: """
        from app.extensions import db
        from app.models.user import User


        def q():
            return db.session.query(User).filter(User.deleted_at == None, None != User.public_id).all()
        """}, [(REPO, 6), (REPO, 6)]),
    ("FLK402", "peewee module is never touched", {"app/repositories/user_repository.py": """
        from peewee import Model, DateTimeField


        class User(Model):
            deleted_at = DateTimeField(null=True)


        def live():
            return User.select().where(User.deleted_at == None)
        """}, []),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)
