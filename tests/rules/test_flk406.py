"""FLK406 python-identity-in-filter (rules/FLK406.md): the fix of Python identity tests in a query.

It shares the comparison rewrites with FLK401 and FLK402: tests that mix them (the plain Python
comparisons left alone, the SQLite check of the rewritten filter, the review regressions with
`not <DateTime column>`) are in test_flk401.py; the page's examples run in test_pages.py.
"""

from __future__ import annotations

from rules._shared import HEAD, REPO, SVC, fixed


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


def test_identity_with_a_value_inside_or_and_and(tmp_path):
    """`or_(Query.user_id is user_id, ...)`: a real bug from a real project. Reported, with an
    unsafe fix to `==`; identity tests outside queries, and on a peewee model, are not."""
    from conftest import EXT, check, found, write_project

    files = {
        **EXT,
        "app/models/query.py": """
            from app.extensions import db


            class Query(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                user_id = db.Column(db.Integer)
                public = db.Column(db.Boolean, nullable=False)
            """,
        "app/models/note.py": """
            from peewee import Model, IntegerField


            class Note(Model):
                user_id = IntegerField()
            """,
        SVC: """
            import sqlalchemy as sa
            from app.models.query import Query
            from app.models.note import Note


            def visible(session, user_id):
                if Query.user_id is user_id:
                    return []
                notes = Note.select().where(sa.or_(Note.user_id is user_id))
                return session.scalars(sa.select(Query).where(sa.or_(Query.user_id is user_id, Query.public))).all()
            """,
    }
    write_project(tmp_path, files)
    assert [(p, line, c) for p, line, _, c in found(check(tmp_path, select=("FLK406",)))] == [(SVC, 10, "FLK406")]
    out = fixed(tmp_path, SVC, (tmp_path / SVC).read_text(), "--unsafe-fixes", extra=files)
    assert "sa.or_(Query.user_id == user_id, Query.public)" in out
    assert "Note.user_id is user_id" in out and "if Query.user_id is user_id" in out
