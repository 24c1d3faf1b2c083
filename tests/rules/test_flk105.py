"""FLK105 commit-without-rollback (rules/FLK105.md).

Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines. Each case is
a small project, the code under test (selected alone, under the mscr preset it belongs to), and
the (path, line) of every finding expected for that code; an empty list means the case is a trap
that must stay silent.
"""

from __future__ import annotations

import pytest

from conftest import EXT
from rules._shared import CTRL, SVC, assert_preset_case, catalog_params

REPOSITORY = {
    "app/repositories/user_repository.py": """
        from app.extensions import db


        class UserRepository:
            def add(self, user):
                db.session.add(user)

            def commit(self):
                db.session.commit()

            def rollback(self):
                db.session.rollback()
        """,
}

# (code, description, files, expected findings as (path, line))
CASES = [
    ("FLK105", "the MSCR seed's create() with a bare repository commit", {**EXT, **REPOSITORY, SVC: """
        from app.repositories.user_repository import UserRepository


        class UserService:
            def __init__(self, user_repo: UserRepository):
                self.user_repo = user_repo

            def create(self, user):
                self.user_repo.add(user)
                self.user_repo.commit()
                return user
        """}, [(SVC, 10)]),
    ("FLK105", "a repository found by its type, a session, a session parameter, self.db.session", {**EXT, **REPOSITORY, SVC: """
        from sqlalchemy.orm import Session

        from app.extensions import db
        from app.repositories.user_repository import UserRepository


        class UserService:
            def __init__(self, users: UserRepository | None = None, database=None):
                self.users = users or UserRepository()
                self.db = database

            def activate(self, user):
                user.active = True
                self.users.commit()

            def rename(self, user, name):
                user.name = name
                db.session.commit()

            def close(self, user):
                user.closed = True
                self.db.session.commit()


        async def touch(session: Session, user):
            user.seen = True
            await session.commit()
        """}, [(SVC, 14), (SVC, 18), (SVC, 22), (SVC, 27)]),
    ("FLK105", "try whose handler rolls back and re-raises, directly or through the repository", {**EXT, **REPOSITORY, SVC: """
        from app.extensions import db
        from app.errors import UserExists


        class UserService:
            def __init__(self, user_repo):
                self.user_repo = user_repo

            def create(self, user):
                try:
                    self.user_repo.add(user)
                    self.user_repo.commit()
                except Exception:
                    self.user_repo.rollback()
                    raise
                return user

            def register(self, user):
                try:
                    db.session.add(user)
                    db.session.commit()
                except Exception as exc:
                    db.session.rollback()
                    raise UserExists(user.email) from exc
                return user

            def update(self, user, data):
                try:
                    user.name = data["name"]
                    db.session.commit()
                except Exception:
                    db.session.rollback()
                    return {"error": "could not save"}
                return user
        """}, []),
    ("FLK105", "handlers that swallow the failure or never roll back", {**EXT, SVC: """
        import logging

        from app.extensions import db

        logger = logging.getLogger(__name__)


        def bare_return(user):
            try:
                db.session.commit()
            except Exception:
                db.session.rollback()
                return


        def return_none(user):
            try:
                db.session.commit()
            except Exception:
                db.session.rollback()
                return None


        def only_logs(user):
            try:
                db.session.commit()
            except Exception:
                db.session.rollback()
                logger.exception("commit failed")


        def no_rollback(user):
            try:
                db.session.commit()
            except Exception:
                raise
        """}, [(SVC, 10), (SVC, 18), (SVC, 26), (SVC, 34)]),
    ("FLK105", "commits in a guarded try's else/finally/handler or in a function defined in it", {**EXT, SVC: """
        from app.extensions import db


        def save(user):
            try:
                db.session.add(user)

                def later():
                    db.session.commit()
            except Exception:
                db.session.rollback()
                raise
            else:
                db.session.commit()
            return later
        """}, [(SVC, 9), (SVC, 14)]),
    ("FLK105", "with session.begin() / db.session.begin() blocks and a method named commit", {**EXT, SVC: """
        from sqlalchemy.orm import Session

        from app.extensions import db


        class UserService:
            def __init__(self, engine):
                self.engine = engine

            def rename(self, user, name):
                with db.session.begin():
                    user.name = name
                    db.session.commit()

            def archive(self, user):
                with Session(self.engine) as session, session.begin():
                    session.add(user)
                    session.commit()

            def commit(self):
                db.session.commit()
        """}, []),
    ("FLK105", "controllers and repositories are not judged", {**EXT, **REPOSITORY, CTRL: """
        from flask import Blueprint

        from app.extensions import db

        bp = Blueprint("users", __name__)


        @bp.post("/users/<int:user_id>/activate")
        def activate(user_id):
            db.session.commit()
            return "", 204
        """}, []),
    ("FLK105", "peewee services are never touched", {SVC: """
        from peewee import SqliteDatabase

        database = SqliteDatabase("app.db")


        class UserService:
            def __init__(self, user_repo):
                self.user_repo = user_repo

            def create(self, user):
                user.save()
                self.user_repo.commit()
        """}, []),
    ("FLK105", "a request handler class in a module named like a service", {**EXT, "app/api/service.py": """
        from flask.views import MethodView

        from app.extensions import db


        class Activate(MethodView):
            def post(self, user):
                user.active = True
                db.session.commit()
                return "", 204
        """}, []),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    found = project(files, select=(code,), preset="mscr")
    assert sorted((path, line) for path, line, _, c in found if c == code) == sorted(expected)
    assert all(c == code for *_, c in found)


def test_mscr_preset_only(project):
    files = {**EXT, SVC: """
        from app.extensions import db


        def save(user):
            db.session.add(user)
            db.session.commit()
        """}
    assert_preset_case(project, "FLK105", files, [(SVC, 6, 5)], "mscr")
    assert_preset_case(project, "FLK105", files, [], "factory")
    assert_preset_case(project, "FLK105", files, [], "backant")
