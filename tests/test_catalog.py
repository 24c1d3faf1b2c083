"""Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines (RULES.md).

Each case is a small project, the code under test, and the (path, line) of every finding
expected for that code; an empty list means the case is a trap that must stay silent.
"""

from __future__ import annotations

import pytest

from conftest import EXT

MODELS = {
    "app/models/user.py": """
        from app.extensions import db


        class User(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            public_id = db.Column(db.String(36))
            is_active = db.Column(db.Boolean)
            deleted_at = db.Column(db.DateTime)
        """,
}
CTRL = "app/controllers/user_controller.py"
REPO = "app/repositories/user_repository.py"
SVC = "app/services/user_service.py"

CASES = [
    # ---- FLK101 -----------------------------------------------------------------------
    ("FLK101", "aliased db import", {**EXT, CTRL: """
        from app.extensions import db as database


        def save(user):
            database.session.add(user)
        """}, [(CTRL, 5)]),
    ("FLK101", "bound session then used", {**EXT, CTRL: """
        from app.extensions import db


        def save(user):
            s = db.session
            s.add(user)
        """}, [(CTRL, 6)]),
    ("FLK101", "myDB singleton", {CTRL: """
        from helper.DBSession import myDB


        def count():
            return myDB.execute("select 1")
        """}, [(CTRL, 5)]),
    ("FLK101", "sessionmaker session imported from project module", {
        "app/db.py": "from sqlalchemy.orm import sessionmaker\n\nSessionLocal = sessionmaker()\nsession = SessionLocal()\n",
        CTRL: """
        from app.db import session


        def users():
            return session.query("User").all()
        """}, [(CTRL, 5)]),
    ("FLK101", "Flask cookie session is not a DB session", {CTRL: """
        from flask import session, request


        def me():
            session["user_id"] = request.args.get("id")
            return session.get("user_id")
        """}, []),
    ("FLK101", "a local string called query; service calls", {**EXT, CTRL: """
        from app.services import user_service


        def search(term):
            query = "name:" + term
            return user_service.search(query.strip())
        """}, []),
    ("FLK101", "importing db is not a finding", {**EXT, CTRL: """
        from app.extensions import db


        def ok():
            return "fine"
        """}, []),
    ("FLK101", "Model.query through a resolved model", {**EXT, **MODELS, CTRL: """
        from app.models.user import User


        def get(pid):
            return User.query.filter_by(public_id=pid).first()
        """}, [(CTRL, 5)]),
    ("FLK101", "engine.connect and cursor.execute", {CTRL: """
        from sqlalchemy import create_engine

        engine = create_engine("sqlite://")


        def rows(conn_factory):
            with engine.connect() as conn:
                conn.execute("select 1")
            cursor = conn_factory().cursor()
            cursor.execute("select 2")
        """}, [(CTRL, 7), (CTRL, 8), (CTRL, 10)]),
    ("FLK101", "services may use the session", {**EXT, SVC: """
        from app.extensions import db


        def save(user):
            db.session.add(user)
        """}, []),
    # ---- FLK102 -----------------------------------------------------------------------
    ("FLK102", "self.session.commit and self.commit", {**EXT, REPO: """
        from app.extensions import db


        class UserRepository:
            def save(self, user):
                self.session.add(user)
                self.session.commit()

            def save_all(self, users):
                self.commit()
        """}, [(REPO, 7), (REPO, 10)]),
    ("FLK102", "commit pass-through, commit_* definitions, flush, rollback", {**EXT, REPO: """
        from app.extensions import db


        class UserRepository:
            def commit(self):
                self.session.commit()

            def commit_later(self):
                self.session.flush()

            def undo(self):
                db.session.rollback()
        """}, []),
    ("FLK102", "peewee repositories are never touched", {REPO: """
        from peewee import SqliteDatabase

        database = SqliteDatabase("x.db")


        class UserRepository:
            def save(self, user):
                user.save()
                self.commit()
        """}, []),
    # ---- FLK103 -----------------------------------------------------------------------
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
    # ---- FLK201 -----------------------------------------------------------------------
    ("FLK201", "backant: services/ file without suffix; views/ needs none", {
        "routes/user_route.py": "x = 1\n",
        "services/mailer.py": "x = 1\n",
        "views/home.py": "x = 1\n",
        "services/user_route.py": "x = 1\n",  # another layer's suffix: FLK202's business
        "repositories/Repository.py": "x = 1\n",
        "services/base.py": "x = 1\n",
    }, [("services/mailer.py", 1)]),
    ("FLK201", "factory preset has no naming rule", {"app/services/mailer.py": "x = 1\n"}, []),
    # ---- FLK301 -----------------------------------------------------------------------
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
    ("FLK101", "X.query.<method> whatever X is (a parameter here)", {**EXT, CTRL: """
        from app.extensions import db


        def get_or_404(model, ident):
            return model.query.get_or_404(ident)
        """}, [(CTRL, 5)]),
    # ---- FLK401 / FLK402 -----------------------------------------------------------------
    ("FLK401", "reversed operands, join on-clause, and_/or_/not_/case, model attr outside filters", {
        **EXT, **MODELS, REPO: """
        from sqlalchemy import and_, or_, not_, case, select
        from app.models.user import User


        def q(Team):
            a = select(User).where(False == User.is_active)
            b = select(User).join(Team, and_(Team.id == User.id, Team.open == True))
            c = select(User).where(or_(User.is_active != False, not_(User.is_active == True)))
            d = case((User.is_active == True, "on"), else_="off")
            flag = User.is_active == False
            return a, b, c, d, flag
        """}, [(REPO, 6), (REPO, 7), (REPO, 8), (REPO, 8), (REPO, 9), (REPO, 10)]),
    ("FLK401", "filter_by keywords and plain Python comparisons", {**EXT, **MODELS, REPO: """
        from app.extensions import db
        from app.models.user import User


        def q(flag, user):
            if flag == False:
                return db.session.query(User).filter_by(is_active=False).all()
            if user.is_admin == True:
                return []
        """}, []),
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
    # ---- FLK501 -----------------------------------------------------------------------
    ("FLK501", "HTTPMethod.POST, add_url_rule, aliases of the auth decorator", {CTRL: """
        from http import HTTPMethod
        from flask import Blueprint
        from flask_jwt_extended import jwt_required as jr

        bp = Blueprint("users", __name__, url_prefix="/users")


        @bp.route("/", methods=[HTTPMethod.POST])
        def create():
            return {}


        @bp.route("/<pid>", methods=["DELETE"])
        @jr()
        def delete(pid):
            return {}


        def archive(pid):
            return {}


        bp.add_url_rule("/<pid>/archive", view_func=archive, methods=["PATCH"])
        """}, [(CTRL, 9), (CTRL, 19)]),
    ("FLK501", "public defaults: prefix joined, tokens endpoint is not public", {CTRL: """
        from flask import Blueprint

        bp = Blueprint("auth", __name__, url_prefix="/auth")
        api = Blueprint("api", __name__, url_prefix="/api")


        @bp.post("/login")
        def do_login():
            return {}


        @bp.post("/password/reset/<token>")
        def reset(token):
            return {}


        @api.post("/tokens")
        def create_api_token():
            return {}


        @api.post("/devices")
        def register_device():
            return {}
        """}, [(CTRL, 18), (CTRL, 23)]),
    ("FLK501", "public-routes config by endpoint, function and URL glob", {
        "pyproject.toml": '[tool.flaskarch]\npublic-routes = ["hooks.stripe", "ingest", "*/public/*"]\n',
        CTRL: """
        from flask import Blueprint

        bp = Blueprint("hooks", __name__)


        @bp.post("/stripe")
        def stripe():
            return {}


        @bp.post("/ingest")
        def ingest():
            return {}


        @bp.post("/v1/public/form")
        def form():
            return {}


        @bp.post("/private")
        def private():
            return {}
        """}, [(CTRL, 22)]),
    ("FLK501", "guards: before_request in another module, inherited decorators, auth-view-bases", {
        "pyproject.toml": '[tool.flaskarch]\nauth-view-bases = ["SecureView"]\n',
        "app/blueprints.py": "from flask import Blueprint\n\nadmin_bp = Blueprint('admin', __name__)\n",
        "app/security.py": """
            from flask import abort
            from flask_login import current_user
            from app.blueprints import admin_bp


            @admin_bp.before_request
            def require_admin():
                if not current_user.is_authenticated:
                    abort(401)
            """,
        "app/views/base.py": """
            from flask.views import MethodView
            from flask_login import login_required


            class AuthedView(MethodView):
                decorators = [login_required]


            class SecureView(MethodView):
                pass
            """,
        "app/views/admin_views.py": """
            from app.blueprints import admin_bp
            from app.views.base import AuthedView, SecureView
            from flask.views import MethodView


            @admin_bp.post("/purge")
            def purge():
                return {}


            class Items(AuthedView):
                def post(self):
                    return {}


            class Secrets(SecureView):
                def delete(self):
                    return {}


            class Open(MethodView):
                def put(self):
                    return {}
            """,
    }, [("app/views/admin_views.py", 22)]),
    ("FLK501", "project wrapper decorator defined in another module", {
        "app/decorators.py": """
            from functools import wraps
            from app.auth import token_required


            def admin_only(f):
                @wraps(f)
                @token_required
                def inner(*a, **k):
                    return f(*a, **k)
                return inner
            """,
        "app/auth.py": "def token_required(f):\n    return f\n",
        "app/routes/admin_route.py": """
            from flask import Blueprint
            from app.decorators import admin_only

            admin_bp = Blueprint("admin", __name__)


            @admin_bp.route("/users", methods=["GET", "POST"])
            @admin_only
            def users():
                return {}
            """,
    }, []),
    ("FLK501", "attribute auth decorators and GET-only routes", {CTRL: """
        from flask import Blueprint
        from flask_httpauth import HTTPTokenAuth

        bp = Blueprint("x", __name__)
        auth = HTTPTokenAuth()


        @bp.route("/a", methods=["POST"])
        @auth.login_required
        def a():
            return {}


        @bp.route("/b", methods=["GET", "HEAD", "OPTIONS"])
        def b():
            return {}


        @bp.get("/c")
        def c():
            return {}
        """}, []),
    # ---- FLK502 -----------------------------------------------------------------------
    ("FLK502", "auth above the route, misplaced only decorator silences FLK501", {CTRL: """
        from flask import Blueprint
        from app.auth import token_required

        bp = Blueprint("x", __name__)


        @token_required
        @bp.route("/a", methods=["POST"])
        def a():
            return {}
        """}, [(CTRL, 7)]),
    ("FLK501", "misplaced auth is FLK502's, not FLK501's", {CTRL: """
        from flask import Blueprint
        from app.auth import token_required

        bp = Blueprint("x", __name__)


        @token_required
        @bp.route("/a", methods=["POST"])
        def a():
            return {}
        """}, []),
]


@pytest.mark.parametrize(
    "code,files,expected", [pytest.param(c, f, e, id=f"{c}-{name}") for c, name, f, e in CASES]
)
def test_catalog_case(project, code, files, expected):
    found = project(files, select=(code,))
    assert sorted((path, line) for path, line, _, c in found if c == code) == sorted(expected)
    assert all(c == code for *_, c in found)
