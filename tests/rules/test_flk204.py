"""FLK204 singleton-naming (rules/FLK204.md).

Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines. Each case is
a small backant-style project, the code under test (selected alone), and the (path, line) of
every finding expected for that code; an empty list means the case is a trap that must stay
silent. The class is resolved through imports, aliases and the module's own definitions.
"""

from __future__ import annotations

import pytest

from rules._shared import assert_catalog_case, catalog_params

BASE = {
    "helper/DBSession.py": """
        from sqlalchemy.orm import scoped_session, sessionmaker

        myDB = scoped_session(sessionmaker())
        """,
    "repositories/Repository.py": """
        class Repository:
            def __init__(self, session, logger=None):
                self.session = session
        """,
}
USER_REPO = "repositories/user_repository.py"
USER_SVC = "services/user_service.py"

# (code, description, files, expected findings as (path, line))
CASES = [
    ("FLK204", "the seed's own singletons are fine", {**BASE,
        USER_REPO: """
        import logging

        from helper.DBSession import myDB
        from repositories.Repository import Repository

        myLogger = logging.getLogger(__name__)


        class UserRepository(Repository):
            pass


        myUserRepository = UserRepository(myDB, myLogger)
        """,
        USER_SVC: """
        from repositories.user_repository import myUserRepository


        class UserService:
            def __init__(self, repository):
                self.repository = repository


        myUserService = UserService(myUserRepository)
        """}, []),
    ("FLK204", "a repository and a service singleton under other names", {**BASE,
        USER_REPO: """
        from helper.DBSession import myDB
        from repositories.Repository import Repository


        class UserRepository(Repository):
            pass


        user_repository = UserRepository(myDB)
        """,
        USER_SVC: """
        from repositories.user_repository import user_repository


        class UserService:
            def __init__(self, repository):
                self.repository = repository


        service = UserService(
            user_repository,
        )
        """}, [(USER_REPO, 9), (USER_SVC, 9)]),
    ("FLK204", "an imported class under an alias: named after the real class", {**BASE,
        USER_SVC: "class UserService:\n    pass\n",
        "services/feature_service.py": """
        from services.user_service import UserService as US
        from . import user_service as users

        myUS = US()
        myUserService = US()
        other = users.UserService()
        """}, [("services/feature_service.py", 4), ("services/feature_service.py", 6)]),
    ("FLK204", "relative import in a repository, annotated and chained targets", {**BASE,
        USER_REPO: "class UserRepository:\n    pass\n",
        "repositories/feature_repository.py": """
        from .user_repository import UserRepository

        users: UserRepository = UserRepository()
        repo = myUserRepository = UserRepository()
        """}, [("repositories/feature_repository.py", 3), ("repositories/feature_repository.py", 4)]),
    ("FLK204", "module-level if/try blocks count; functions, classes and __main__ do not", {**BASE,
        USER_SVC: """
        import os


        class UserService:
            pass


        if os.environ.get("TESTING"):
            service = UserService()
        try:
            backup_service = UserService()
        except ImportError:
            pass


        def make():
            service = UserService()
            return service


        class Registry:
            service = UserService()


        if __name__ == "__main__":
            service = UserService()
        """}, [(USER_SVC, 9), (USER_SVC, 11)]),
    ("FLK204", "only repository and service modules", {**BASE,
        USER_SVC: "class UserService:\n    pass\n",
        "routes/user_route.py": """
        from services.user_service import UserService

        user_service = UserService()
        """,
        "helper/container.py": """
        from services.user_service import UserService

        user_service = UserService()
        """}, []),
    ("FLK204", "classes not ending in Repository/Service, functions, class references", {**BASE,
        USER_SVC: """
        from helper.DBSession import myDB


        class UserService:
            pass


        class ServiceCache:
            pass


        def CreateService():
            return UserService()


        def get_user_service():
            return UserService()


        cache = ServiceCache()
        made = CreateService()
        current = get_user_service()
        service_class = UserService
        session = myDB
        """}, []),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)


def test_backant_preset_only_at_the_target(project):
    files = {**BASE,
             USER_SVC: "class UserService:\n    pass\n\n\nif True:\n    service = UserService()\n"}
    assert [(p, line, col, c) for p, line, col, c in project(files, preset="backant") if c == "FLK204"] == [
        (USER_SVC, 6, 5, "FLK204")]
    for preset in ("mscr", "factory"):
        assert not [f for f in project(files, preset=preset) if f[3] == "FLK204"]


def test_message_names_the_singleton(tmp_path):
    from conftest import check, write_project

    write_project(tmp_path, {USER_SVC: "class UserService:\n    pass\n\n\nservice = UserService()\n"})
    [finding] = check(tmp_path, select=("FLK204",)).findings
    assert "`myUserService`" in finding.message
