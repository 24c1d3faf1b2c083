"""FLK103 layer-import (rules/FLK103.md).

Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines. Each case is
a small project, the code under test (selected alone), and the (path, line) of every finding
expected for that code; an empty list means the case is a trap that must stay silent.
"""

from __future__ import annotations

import pytest

from conftest import EXT
from rules._shared import CTRL, MODELS, REPO, assert_catalog_case, catalog_params

# (code, description, files, expected findings as (path, line))
CASES = [
    ("FLK103", "relative import of a service from a repository", {
        "app/__init__.py": "", "app/services/__init__.py": "", "app/repositories/__init__.py": "",
        "app/services/mail_service.py": "def send():\n    pass\n",
        REPO: "from ..services.mail_service import send\n"}, [(REPO, 1)]),
    ("FLK103", "model importing a service; schema importing a repository", {
        "app/models/order.py": "from app.services.user_service import notify\n",
        "app/services/user_service.py": "def notify():\n    pass\n",
        "app/repositories/order_repository.py": "class R:\n    pass\n",
        "app/schemas/order_schemas.py": "from app.repositories.order_repository import R\n",
    }, [("app/models/order.py", 1), ("app/schemas/order_schemas.py", 1)]),
    ("FLK103", "allowed directions and TYPE_CHECKING", {
        "app/models/order.py": "class Order:\n    pass\n",
        "app/services/order_service.py": "from app.repositories.order_repository import R\nfrom app.models.order import Order\n",
        "app/repositories/order_repository.py": "from app.models.order import Order\nclass R:\n    pass\n",
        "app/schemas/order_schemas.py": "from app.models.order import Order\n",
        "app/controllers/order_controller.py": """
            from typing import TYPE_CHECKING
            from app.services.order_service import R
            from app.schemas.order_schemas import Order

            if TYPE_CHECKING:
                from app.models.order import Order
            """,
    }, []),
    ("FLK103", "a controller importing an enum, a constant, an exception, a dataclass or db from models", {
        **EXT,
        "app/models/__init__.py": "from .user import User, Role, MAX_NAME, UserGone, Card\nfrom ..extensions import db\n",
        "app/models/user.py": """
        import enum
        from dataclasses import dataclass
        from app.extensions import db

        MAX_NAME = 80


        class Role(str, enum.Enum):
            ADMIN = "admin"


        class UserGone(Exception):
            pass


        @dataclass
        class Card:
            id: str


        class User(db.Model):
            id = db.Column(db.Integer, primary_key=True)
        """,
        CTRL: """
        from app.models import Role, MAX_NAME, UserGone, Card, db
        from app.models.user import Role as R
        """,
        "app/controllers/admin_controller.py": """
        from app.models import Role, User
        from app.models.user import User as Account
        from app import models
        """}, [("app/controllers/admin_controller.py", 1), ("app/controllers/admin_controller.py", 2),
               ("app/controllers/admin_controller.py", 3)]),
    ("FLK103", "a bare views.py serving no route (admin or template classes) stays quiet", {
        **EXT, **MODELS,
        "app/admin/views.py": """
        from app.models.user import User


        class UserAdmin:
            model = User
        """,
        "app/main/views.py": """
        from flask import Blueprint
        from app.models.user import User

        bp = Blueprint("main", __name__)


        @bp.route("/users")
        def users():
            return [u.public_id for u in User.query.all()]
        """}, [("app/main/views.py", 2)]),
    ("FLK103", "peewee: the database object is not a model; a peewee model class is", {
        "app/models.py": """
        from peewee import SqliteDatabase, Model, CharField

        database = SqliteDatabase(None)


        class Page(Model):
            title = CharField()

            class Meta:
                database = database
        """,
        CTRL: """
        from app.models import database
        from app.models import Page
        """}, [(CTRL, 2)]),
    ("FLK103", "a plain class of a models module (a domain model with its own storage) is a model", {
        "app/models/alert.py": """
        from app.database import backend


        class Alert:
            def __init__(self, resource):
                self.resource = resource

            def create(self):
                return backend.create_alert(self)
        """,
        CTRL: """
        from app.models.alert import Alert
        """}, [(CTRL, 1)]),
    ("FLK103", "an import inside a function is read (the module is parsed for it)", {
        **EXT, **MODELS, CTRL: """
        from app.services import user_service


        def export():
            from app.models.user import User

            return [u.public_id for u in user_service.all(User)]
        """}, [(CTRL, 5)]),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)
