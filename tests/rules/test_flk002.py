"""FLK002 unused-noqa (rules/FLK002.md).

Table-driven cases for the page's rules: a `# noqa: FLK…` code that suppressed nothing on its
line is reported; other tools' codes, a bare `# noqa` and FLK002 named in the comment are not.
FLK002 judges only the codes of rules that ran, so each case names the rules selected beside it.
The fix (dropping the unused codes) runs with the page's Fixed examples in test_pages.py.
"""

from __future__ import annotations

import pytest

from conftest import EXT
from rules._shared import CTRL, SVC

# (code, description, files, expected findings as (path, line), rules selected beside it)
CASES = [
    ("FLK002", "a FLK101 noqa in a service suppresses nothing", {**EXT, SVC: """
        from app.extensions import db


        def get(user_id):
            return db.session.get(user_id)  # noqa: FLK101
        """}, [(SVC, 5)], ("FLK101",)),
    ("FLK002", "a noqa that suppresses a finding is used", {**EXT, CTRL: """
        from app.extensions import db


        def get(user_id):
            return db.session.get(user_id)  # noqa: FLK101
        """}, [], ("FLK101",)),
    ("FLK002", "an unknown FLK code; other tools' codes and a bare noqa are not judged", {SVC: """
        def totals(rows):
            return [r.total for r in rows]  # noqa: FLK999, E501  # totals are small


        def first(rows):
            return rows[0]  # noqa


        def last(rows):
            return rows[-1]  # noqa: E501
        """}, [(SVC, 2)], ()),
    ("FLK002", "FLK002 named in the comment keeps the suppression", {SVC: """
        def rename(user_id, name):  # noqa: FLK101, FLK002
            return user_id, name
        """}, [], ("FLK101",)),
    ("FLK002", "the codes of rules that did not run are not judged", {**EXT, SVC: """
        from app.extensions import db


        def get(user_id):
            return db.session.get(user_id)  # noqa: FLK101
        """}, [], ()),
]


@pytest.mark.parametrize("code,files,expected,beside", [pytest.param(c, f, e, b, id=f"{c}-{d}") for c, d, f, e, b in CASES])
def test_catalog_case(project, code, files, expected, beside):
    found = project(files, select=(code, *beside))
    assert sorted((path, line) for path, line, _, c in found if c == code) == sorted(expected)
    assert all(c in (code, *beside) for *_, c in found)
