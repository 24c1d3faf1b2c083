"""FLK106 query-in-loop (rules/FLK106.md).

Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines. Each case is
a small project, the code under test (selected alone), and the (path, line) of every finding
expected for that code; an empty list means the case is a trap that must stay silent.
"""

from __future__ import annotations

import pytest

from conftest import EXT
from rules._shared import CTRL, MODELS, REPO, SVC, assert_catalog_case, catalog_params

# (code, description, files, expected findings as (path, line))
CASES = [
    ("FLK106", "each session query method in a for body", {**EXT, **MODELS, SVC: """
        from sqlalchemy import func, select

        from app.extensions import db
        from app.models.user import User


        def load(ids):
            out = []
            for user_id in ids:
                out.append(db.session.get(User, user_id))
                out.append(db.session.get_one(User, user_id))
                out.append(db.session.execute(select(User).where(User.id == user_id)).scalar_one())
                out.append(db.session.scalars(select(User).where(User.id == user_id)).first())
                out.append(db.session.scalar(select(func.count()).select_from(User)))
                out.append(db.session.scalar_one(select(User).where(User.id == user_id)))
                out.append(db.session.query(User).filter_by(id=user_id).first())
            return out
        """}, [(SVC, 10), (SVC, 11), (SVC, 12), (SVC, 13), (SVC, 14), (SVC, 15), (SVC, 16)]),
    ("FLK106", "repository calls by name, by type and Model.query", {**EXT, **MODELS, SVC: """
        from app.models.user import User
        from app.repositories.user_repository import UserRepository, myUserRepository


        class UserService:
            def __init__(self, user_repo, repository, users: UserRepository):
                self.user_repo = user_repo
                self.repository = repository
                self.users = users

            def names(self, ids):
                names = []
                for user_id in ids:
                    names.append(self.user_repo.get(user_id).name)
                    names.append(self.repository.get(user_id).name)
                    names.append(myUserRepository.get_by_id(user_id).name)
                    names.append(self.users.find(user_id).name)
                    names.append(User.query.filter_by(id=user_id).first().name)
                return names
        """, REPO: """
        class UserRepository:
            def find(self, user_id):
                return None


        myUserRepository = UserRepository()
        """}, [(SVC, 14), (SVC, 15), (SVC, 16), (SVC, 17), (SVC, 18)]),
    ("FLK106", "not the loop's own iterable, not a while condition, not outside loops", {**EXT, **MODELS, SVC: """
        from sqlalchemy import select

        from app.extensions import db
        from app.models.user import User


        class UserService:
            def __init__(self, user_repo):
                self.user_repo = user_repo

            def emails(self):
                first = self.user_repo.first()
                out = [first.email]
                for user in self.user_repo.list_active():
                    out.append(user.email)
                for user in db.session.scalars(select(User)):
                    out.append(user.email)
                while self.user_repo.has_pending():
                    out.append("pending")
                    break
                return out + [u.email for u in db.session.scalars(select(User))]
        """}, []),
    ("FLK106", "add, add_all, delete, merge, flush run no query", {**EXT, SVC: """
        from app.extensions import db


        class ImportService:
            def __init__(self, user_repo):
                self.user_repo = user_repo

            def run(self, users, stale):
                for user in users:
                    db.session.add(user)
                    db.session.merge(user)
                    db.session.add_all([user])
                    self.user_repo.add(user)
                for user in stale:
                    db.session.delete(user)
                    db.session.flush()
        """}, []),
    ("FLK106", "an inner loop's iterable in an outer body; nested loops report once", {**EXT, **MODELS, SVC: """
        from app.extensions import db
        from app.models.user import User


        def teams(team_repo, teams):
            out = {}
            for team in teams:
                for member in team_repo.members_of(team.id):
                    for role in member.roles:
                        out[role] = db.session.get(
                            User,
                            member.user_id,
                        )
            return out
        """}, [(SVC, 8), (SVC, 10)]),
    ("FLK106", "comprehensions: element, if clause and later iterables; not the first iterable", {**EXT, **MODELS, SVC: """
        from app.extensions import db
        from app.models.user import User


        def report(user_repo, ids, groups):
            users = [user_repo.get(i) for i in user_repo.list_ids()]
            active = {i for i in ids if db.session.get(User, i) is not None}
            by_id = {i: User.query.get(i) for i in ids}
            members = [m for g in groups for m in user_repo.members_of(g)]
            total = sum(user_repo.count_for(g) for g in groups)
            return users, active, by_id, members, total
        """}, [(SVC, 6), (SVC, 7), (SVC, 8), (SVC, 9), (SVC, 10)]),
    ("FLK106", "a while body", {**EXT, **MODELS, SVC: """
        from app.extensions import db
        from app.models.user import User


        def walk_managers(user):
            chain = []
            while user.manager_id is not None:
                user = db.session.get(User, user.manager_id)
                chain.append(user)
            return chain
        """}, [(SVC, 8)]),
    ("FLK106", "controllers too; Flask's cookie session is no session object", {**EXT, **MODELS, CTRL: """
        from flask import Blueprint, jsonify, session

        from app.models.user import User

        bp = Blueprint("users", __name__)


        @bp.get("/users/recent")
        def recent():
            out = []
            for key in ("last_seen", "last_edited"):
                out.append(session.get(key))
                out.append(User.query.filter_by(public_id=session.get(key)).first())
            return jsonify(out)
        """}, [(CTRL, 13)]),
    ("FLK106", "a loop variable named repo is an item, not a repository", {**EXT, SVC: """
        from app.extensions import db


        def sync(repos):
            for repo in repos:
                repo.refresh_branches()
            return [r for repo in repos for r in repo.get_remotes()]
        """}, []),
    ("FLK106", "repositories, models and other layers are not judged", {**EXT, **MODELS, REPO: """
        from app.extensions import db
        from app.models.user import User


        class UserRepository:
            def get_many(self, ids):
                return [db.session.get(User, i) for i in ids]
        """}, []),
    ("FLK106", "a function defined in a loop body runs later", {**EXT, **MODELS, SVC: """
        from app.extensions import db
        from app.models.user import User


        def loaders(ids):
            out = []
            for user_id in ids:
                def load(user_id=user_id):
                    return db.session.get(User, user_id)
                out.append(load)
            return out
        """}, []),
    ("FLK106", "peewee services are never touched", {SVC: """
        from peewee import SqliteDatabase

        database = SqliteDatabase("app.db")


        def names(user_repo, ids):
            return [user_repo.get(i).name for i in ids]
        """}, []),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)


def test_a_warning_at_the_first_token_of_the_call(project, tmp_path):
    from conftest import check

    files = {**EXT, SVC: """
        from app.extensions import db


        class UserService:
            def __init__(self, user_repo):
                self.user_repo = user_repo

            def names(self, ids):
                return [
                    self.user_repo.get(i).name for i in ids
                ]
        """}
    assert [(line, col) for _, line, col, _ in project(files, select=("FLK106",))] == [(10, 13)]
    result = check(tmp_path, select=("FLK106",))
    assert [f.severity for f in result.findings] == ["warning"]
