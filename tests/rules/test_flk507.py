"""FLK507 plaintext-password (rules/FLK507.md).

Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines: request data or a
password name stored in a `password` / `password_hash` attribute or column without a hashing
call, and a stored password attribute compared with `==` / `!=`.
"""

from __future__ import annotations

import pytest

from conftest import EXT
from rules._shared import CTRL, MODEL, SVC, assert_catalog_case, catalog_params

PLAIN_MODEL = {**EXT, MODEL: """
    from app.extensions import db


    class User(db.Model):
        id = db.Column(db.Integer, primary_key=True)
        email = db.Column(db.String(120), unique=True)
        password = db.Column(db.String(128))
        password_hash = db.Column(db.String(256))
    """}

# flasky's model: a write-only `password` property whose setter hashes
SETTER_MODEL = {**EXT, MODEL: """
    from werkzeug.security import check_password_hash, generate_password_hash
    from app.extensions import db


    class User(db.Model):
        id = db.Column(db.Integer, primary_key=True)
        password_hash = db.Column(db.String(128))

        @property
        def password(self):
            raise AttributeError("password is not a readable attribute")

        @password.setter
        def password(self, password):
            self.password_hash = generate_password_hash(password)

        def verify_password(self, password):
            return check_password_hash(self.password_hash, password)
    """}

CASES = [
    ("FLK507", "constructor keyword from request JSON", {**PLAIN_MODEL, CTRL: """
        from flask import Blueprint, request
        from app.extensions import db
        from app.models.user import User

        bp = Blueprint("users", __name__)


        @bp.post("/users")
        def create_user():
            data = request.get_json()
            user = User(email=data["email"], password=data["password"])
            db.session.add(user)
            db.session.commit()
            return {"id": user.id}, 201
        """}, [(CTRL, 11)]),
    ("FLK507", "attribute assigned request.form (aliased request import), multi-line call", {**PLAIN_MODEL, CTRL: """
        from flask import request as req
        from app.models.user import User


        def update(user_id):
            user = User.query.get(user_id)
            user.password = req.form.get(
                "new_password",
            )
            return "", 204
        """}, [(CTRL, 7)]),
    ("FLK507", "password parameter stored in password_hash by a service", {**PLAIN_MODEL, SVC: """
        from ..models.user import User


        class UserService:
            def register(self, email, password):
                new_user = User(email=email)
                new_user.password_hash = password
                return new_user
        """}, [(SVC, 7)]),
    ("FLK507", "a model method storing its argument", {**EXT, MODEL: """
        from app.extensions import db


        class User(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            password = db.Column(db.String(128))

            def set_password(self, password):
                self.password = password
        """}, [(MODEL, 9)]),
    ("FLK507", "stored attribute compared with == and !=", {**PLAIN_MODEL, CTRL: """
        from flask import abort, request
        from app.models.user import User


        def login():
            data = request.get_json()
            user = User.query.filter_by(email=data["email"]).first()
            if user is None or user.password != data["password"]:
                abort(401)
            return {"ok": user.password == data["password"]}
        """}, [(CTRL, 8), (CTRL, 10)]),
    ("FLK507", "row.password_hash != given", {SVC: """
        def check(cursor, email, given):
            row = cursor.execute("SELECT * FROM users WHERE email = ?", (email,)).fetchone()
            if row.password_hash != given:
                return False
            return True
        """}, [(SVC, 3)]),
    ("FLK507", "a model column compared in a query, filter_by with a password", {**PLAIN_MODEL, SVC: """
        from app.models.user import User


        def authenticate(email, password):
            user = User.query.filter(User.email == email, User.password == password).first()
            return user or User.query.filter_by(email=email, password=password).first()
        """}, [(SVC, 5), (SVC, 6)]),
    ("FLK507", "WTForms field data into a model without setter", {**PLAIN_MODEL, CTRL: """
        from app.extensions import db
        from app.models.user import User


        def register(form):
            user = User(email=form.email.data,
                        password=form.password.data)
            db.session.add(user)
        """}, [(CTRL, 7)]),
    ("FLK507", "hashed in no branch: a stripped password", {**PLAIN_MODEL, SVC: """
        from app.models.user import User


        def reset(user: User, raw):
            password = raw.strip()
            if not password:
                password = "changeme"
            user.password = password.strip()
        """}, [(SVC, 8)]),
    ("FLK507", "peewee model create()", {"app/models/user.py": """
        from peewee import CharField, Model


        class User(Model):
            name = CharField()
            password = CharField()
        """, SVC: """
        from app.models.user import User


        def create_user(name, password):
            return User.create(name=name, password=password)
        """}, [(SVC, 5)]),
    ("FLK507", "account receivers matched by words: author, current_author, newuser", {SVC: """
        def check(author, current_author, newuser, given):
            if author.password == given:
                return True
            if current_author.password != given:
                return False
            return newuser.password == given
        """}, [(SVC, 2), (SVC, 4), (SVC, 6)]),
    # ---- must NOT trigger ---------------------------------------------------------------------
    ("FLK507", "the Basic-auth password a client sent (request.authorization.password) against a configured one",
     {"app/web/request.py": """
        import typing

        import flask


        class AppRequest(flask.Request):
            user_agent_string: str


        app_request = typing.cast(AppRequest, flask.request)
        """, CTRL: """
        from flask import Response, current_app
        from app.web.request import app_request


        def metrics():
            password = current_app.config.get("METRICS_PASSWORD")
            if not password:
                return Response("metrics are disabled", status=404)
            if not app_request.authorization or app_request.authorization.password != password:
                return Response("access forbidden", status=401)
            return Response("ok")
        """}, []),
    ("FLK507", "comparing two plain names in a sign-up form", {CTRL: """
        from flask import flash, request


        def signup():
            password = request.form["password"]
            confirm_password = request.form["confirm_password"]
            if password != confirm_password:
                flash("passwords do not match")
            return "", 204
        """}, []),
    ("FLK507", "check_password_hash", {**PLAIN_MODEL, SVC: """
        from werkzeug.security import check_password_hash
        from app.models.user import User


        def authenticate(email, password):
            user = User.query.filter_by(email=email).first()
            return user if user and check_password_hash(user.password_hash, password) else None
        """}, []),
    ("FLK507", "flasky: a hashing property setter (constructor keyword and attribute)", {**SETTER_MODEL, CTRL: """
        from flask_login import current_user
        from app.extensions import db
        from app.models.user import User


        def register(form):
            user = User(email=form.email.data, password=form.password.data)
            db.session.add(user)


        def change_password(form):
            current_user.password = form.password.data
            db.session.add(current_user)
        """}, []),
    ("FLK507", "set_password hashing, hashed earlier in the function", {**PLAIN_MODEL, SVC: """
        from werkzeug.security import generate_password_hash as gph
        from app.models.user import User


        def create(email, password):
            hashed = gph(password)
            return User(email=email, password=hashed)


        def set_password(user, password):
            user.password_hash = gph(password)
        """}, []),
    ("FLK507", "hashed in one branch", {**PLAIN_MODEL, SVC: """
        import bcrypt
        from app.models.user import User


        def create(email, password, remote):
            if remote:
                password = ""
            else:
                password = bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt())
            return User(email=email, password=password)
        """}, []),
    ("FLK507", "argon2, passlib and a project hashing function", {**PLAIN_MODEL, SVC: """
        from argon2 import PasswordHasher
        from passlib.context import CryptContext
        from app.models.user import User
        from app.security import hash_password

        pwd_context = CryptContext(schemes=["bcrypt"])


        def store(user, password):
            user.password = PasswordHasher().hash(password)
            user.password_hash = pwd_context.hash(password)
            user.password = hash_password(password)
        """}, []),
    ("FLK507", "column and form field declarations", {**PLAIN_MODEL, "app/forms.py": """
        from flask_wtf import FlaskForm
        from wtforms import PasswordField


        class LoginForm(FlaskForm):
            password = PasswordField("Password")
            confirm_password = PasswordField("Repeat")
        """}, []),
    ("FLK507", "a request schema's own confirmation check and emptiness tests", {**PLAIN_MODEL, "app/schemas/user.py": """
        from pydantic import BaseModel, model_validator


        class RegisterIn(BaseModel):
            password: str
            password_confirm: str

            @model_validator(mode="after")
            def same(self):
                if self.password != self.password_confirm:
                    raise ValueError("passwords differ")
                return self
        """, SVC: """
        from app.models.user import User


        def has_password(user: User):
            return user.password is not None and user.password != "" and user.password_hash != None
        """}, []),
    ("FLK507", "a service credential from the environment is no user password", {"app/mail.py": """
        import os


        class MailClient:
            def __init__(self):
                self.password = os.environ["SMTP_PASSWORD"]

            def connect(self, conn, settings):
                conn.password = settings.SMTP_PASSWORD
        """}, []),
    ("FLK507", "a @validates('password') hook that hashes", {**EXT, MODEL: """
        from sqlalchemy.orm import validates
        from app.extensions import db
        from app.utils import hash_password


        class User(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            password = db.Column(db.String(128))

            @validates("password")
            def validate_password(self, key, plaintext):
                return hash_password(plaintext)
        """, SVC: """
        from app.models.user import User


        def reset(user: User, password):
            user.password = password
            return User(password=password)
        """}, []),
    ("FLK507", "a constructor that decides itself, a model read back from a document", {"app/models/user.py": """
        class User:
            def __init__(self, name, password):
                self.name = name
                self.password = password  # the hash, from the caller

            @classmethod
            def from_document(cls, doc):
                return User(name=doc["name"], password=doc.get("password"))
        """}, []),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)


def test_positions_target_keyword_and_comparison(project):
    found = project({**PLAIN_MODEL, SVC: """
        from app.models.user import User


        def f(user, password):
            user.password = password
            u = User(email="x",   password=password)
            return u.password == password
        """}, select=("FLK507",))
    assert sorted((line, col) for _, line, col, _ in found) == [(5, 5), (6, 27), (7, 12)]
