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
    ("FLK402", "relationships from either side (backref=, back_populates, @declared_attr) are not columns", {
        **EXT,
        "app/models/__init__.py": "",
        "app/models/author.py": """
        from sqlalchemy.orm import backref
        from app.extensions import db


        class Author(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            posts = db.relationship("Post", backref=backref("author", lazy="joined"))
            reviews = db.relationship("app.models.post.Review", backref="reviewer")
        """,
        "app/models/post.py": """
        from sqlalchemy.orm import declared_attr
        from app.extensions import db


        class Tagged:
            @declared_attr
            def tags(cls):
                return db.relationship("Tag")


        class Post(Tagged, db.Model):
            id = db.Column(db.Integer, primary_key=True)
            author_id = db.Column(db.ForeignKey("author.id"))
            published_at = db.Column(db.DateTime)


        class Review(db.Model):
            id = db.Column(db.Integer, primary_key=True)
        """,
        REPO: """
        from app.extensions import db
        from ..models.post import Post as Article, Review


        def orphans():
            return db.session.query(Article).filter(
                Article.author == None, Article.tags != None, Review.reviewer == None,
                Article.published_at == None,
            ).all()
        """}, [(REPO, 8)]),
    ("FLK402", "peewee module importing a SQLAlchemy helper; the ORM is decided per model class", {
        "app/db.py": """
        from peewee import *
        from sqlalchemy.engine.url import make_url

        database = SqliteDatabase(None)


        class BaseModel(Model):
            class Meta:
                database = database
        """,
        "app/models.py": """
        from peewee import DateTimeField
        from app.db import BaseModel


        class Post(BaseModel):
            deleted = DateTimeField(null=True)
        """,
        "app/queries.py": """
        from app.db import database
        from app.models import Post


        def live():
            with database.atomic():
                return list(Post.select().where(Post.deleted == None))
        """}, []),
    ("FLK402", "a library's model (may be a relationship) is left alone; the project's columns are not", {
        **EXT, **MODELS, REPO: """
        from flask_appbuilder.security.sqla.models import PermissionView
        from sqlalchemy import or_
        from app.extensions import db
        from app.models.user import User


        def broken(session):
            return session.query(PermissionView).filter(
                or_(PermissionView.permission == None, PermissionView.view_menu == None)
            ).all(), db.session.query(User).filter(or_(User.deleted_at == None)).all()
        """}, [(REPO, 10)]),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)
