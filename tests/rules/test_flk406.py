"""FLK406 python-identity-in-filter (rules/FLK406.md): the fix of Python identity tests in a query.

It shares the comparison rewrites with FLK401 and FLK402: tests that mix them (the plain Python
comparisons left alone, the SQLite check of the rewritten filter, the review regressions with
`not <DateTime column>`) are in test_flk401.py; the page's examples run in test_pages.py.
"""

from __future__ import annotations

from rules._shared import HEAD, REPO, fixed


def test_identity_fixes(tmp_path):
    """Python identity tests (FLK406): what other linters' fixes leave behind."""
    body = (
        "def k():\n    return db.session.query(User).filter(User.active is False, "
        "User.deleted_at is not None, not User.active).all()\n"
    )
    expected = (
        "def k():\n    return db.session.query(User).filter(User.active.is_(False), "
        "User.deleted_at.is_not(None), User.active.is_(False)).all()\n"
    )
    assert fixed(tmp_path, REPO, HEAD + body) == HEAD + body  # unsafe: `--fix` alone leaves it
    out = fixed(tmp_path, REPO, HEAD + body, "--unsafe-fixes")
    assert out == HEAD + expected
    assert " is False" not in out and " is None" not in out
