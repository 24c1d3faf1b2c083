"""FLK301 integer-id-in-response (rules/FLK301.md).

Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines. Each case is
a small project, the code under test (selected alone), and the (path, line) of every finding
expected for that code; an empty list means the case is a trap that must stay silent.
"""

from __future__ import annotations

import pytest

from conftest import EXT
from rules._shared import CTRL, MODELS, assert_catalog_case, catalog_params

# (code, description, files, expected findings as (path, line))
CASES = [
    ("FLK301", "pydantic response forms: Optional[int], int | None, response use", {
        "app/schemas/user_schemas.py": """
            from typing import Optional
            from pydantic import BaseModel


            class UserOut(BaseModel):
                id: Optional[int]
                team_id: int | None
                public_id: str


            class Profile(BaseModel):
                user_id: int
            """,
        CTRL: """
            from app.schemas.user_schemas import Profile


            def me(u):
                return Profile.model_validate(u).model_dump()
            """,
    }, [("app/schemas/user_schemas.py", 6), ("app/schemas/user_schemas.py", 7),
        ("app/schemas/user_schemas.py", 12)]),
    ("FLK301", "inherited pydantic base in another module; request schemas silent", {
        "app/schemas/base.py": "from pydantic import BaseModel\n\n\nclass Schema(BaseModel):\n    pass\n",
        "app/schemas/user_schemas.py": """
            from uuid import UUID
            from app.schemas.base import Schema


            class UserDetail(Schema):
                id: int
                page: int


            class UserCreate(Schema):
                manager_id: int


            class UserSummary(Schema):
                id: UUID
                org_id: str
            """,
    }, [("app/schemas/user_schemas.py", 6)]),
    ("FLK301", "jsonify nested dict in a controller; public ids silent", {CTRL: """
        from flask import jsonify


        def show(u):
            return jsonify({"data": {"id": u.id, "owner_public_id": u.owner.public_id, "team_uuid": u.team_uuid}})
        """}, [(CTRL, 5)]),
    ("FLK301", "to_dict returning self.id", {**EXT, "app/models/user.py": """
        from app.extensions import db


        class User(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            public_id = db.Column(db.String(36))

            def to_dict(self):
                return {"id": self.id, "public_id": self.public_id}
        """}, [("app/models/user.py", 9)]),
    ("FLK301", "auto schema with Meta.load_only id; input schemas by base or suffix", {
        **EXT, **MODELS, "app/schemas/user_schemas.py": """
            from marshmallow import Schema, fields
            from marshmallow_sqlalchemy import SQLAlchemyAutoSchema
            from app.models.user import User


            class UserEntrySchema(SQLAlchemyAutoSchema):
                class Meta:
                    model = User
                    load_only = ("id",)


            class AppInputSchema(Schema):
                pass


            class MembershipSchema(AppInputSchema):
                user_id = fields.Integer(required=True)


            class AddMemberParameters(Schema):
                user_id = fields.Integer(required=True)


            class UserAutoSchema(SQLAlchemyAutoSchema):
                class Meta:
                    model = User
            """,
    }, [("app/schemas/user_schemas.py", 24)]),
    ("FLK301", "to_dict building its dict in a variable", {**EXT, "app/models/user.py": """
        from app.extensions import db


        class User(db.Model):
            id = db.Column(db.Integer, primary_key=True)

            def to_dict(self):
                data = {"id": self.id, "name": "x"}
                return data
        """}, [("app/models/user.py", 8)]),
    ("FLK301", "to_dict of a plain dataclass: `id: str` is not an integer id, `id: int` is", {
        "app/domain/cards.py": """
        from dataclasses import dataclass
        from typing import Optional


        @dataclass
        class Card:
            id: str
            owner_id: str

            def to_dict(self):
                return {"id": self.id, "owner_id": self.owner_id}


        @dataclass
        class Counter:
            id: Optional[int]

            def to_dict(self):
                return {"id": self.id}


        class Plain:
            def __init__(self, ident):
                self.id = ident

            def to_dict(self):
                return {"id": self.id}
        """}, [("app/domain/cards.py", 19)]),
    ("FLK301", "request bodies named *PostSchema, *PutSchema, *PayloadSchema are not responses", {
        "app/schemas/chart_schemas.py": """
        from marshmallow import Schema, fields


        class ChartPostSchema(Schema):
            datasource_id = fields.Integer(required=True)


        class ColumnsPutSchema(Schema):
            id = fields.Integer()


        class ExecutePayloadSchema(Schema):
            database_id = fields.Integer()


        class ChartSchema(Schema):
            datasource_id = fields.Integer()
        """}, [("app/schemas/chart_schemas.py", 17)]),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)
