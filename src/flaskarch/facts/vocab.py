"""Every Flask, SQLAlchemy, auth and ORM name the facts and the rules recognise, once.

A list that two modules need lives here, so the extractor, the answers and the rules cannot
drift apart (one of them knowing `sqlmodel` as SQLAlchemy and another not).
"""

from __future__ import annotations

# -- SQLAlchemy and other ORMs ------------------------------------------------------------
# Packages whose import makes a module a SQLAlchemy module (RULES.md: ORM per model class)
SQLA_ROOTS = ("sqlalchemy", "flask_sqlalchemy", "flask_sqlalchemy_lite", "sqlmodel")
# The packages that define Session/sessionmaker/Column/relationship themselves
SQLA_CORE_ROOTS = ("sqlalchemy", "flask_sqlalchemy")
OTHER_ORM_ROOTS = ("peewee", "playhouse", "pony", "mongoengine", "tortoise", "flask_mongoengine",
                   "flask_peewee", "pymongo", "flask_pymongo")
DB_FACTORIES = frozenset({"SQLAlchemy", "SQLAlchemyLite"})
SESSION_FACTORIES = frozenset({"sessionmaker", "scoped_session", "async_sessionmaker", "async_scoped_session"})
SESSION_CLASSES = frozenset({"Session", "AsyncSession"})
ENGINE_FACTORIES = frozenset({"create_engine", "create_async_engine"})
MODEL_BASES = frozenset({
    "sqlalchemy.orm.DeclarativeBase",
    "sqlalchemy.orm.DeclarativeBaseNoMeta",
    "flask_sqlalchemy.model.Model",
    "sqlmodel.SQLModel",
})
RELATIONSHIP_FUNCTIONS = frozenset({"relationship", "relation", "backref", "association_proxy",
                                    "dynamic_loader"})
COLUMN_FUNCTIONS = frozenset({"Column", "mapped_column"})
INT_TYPES = frozenset({"Integer", "BigInteger", "SmallInteger", "int"})
BOOL_TYPES = frozenset({"Boolean", "bool"})

# -- Flask views ------------------------------------------------------------------------------
VIEW_BASES = frozenset({
    "flask.views.MethodView",
    "flask.views.View",
    "flask_restful.Resource",
    "flask_restx.Resource",
    "flask_restplus.Resource",
    "flask_smorest.MethodView",
})
VIEW_BASE_NAMES = frozenset({"MethodView", "Resource"})
VIEW_BASE_ROOTS = frozenset({"flask", "flask_restful", "flask_restx", "flask_restplus", "flask_smorest",
                             "flask_classful"})
HTTP_METHODS = {"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE"}
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# -- authentication ---------------------------------------------------------------------------
# Words that say a function or check is about the user (a guard must mention one)
AUTH_HINTS = ("user", "auth", "token", "login", "jwt", "identity", "permission", "admin",
              "session", "credential", "api_key", "apikey", "signed_in", "logged_in")
# A project decorator whose name has one of these and whose wrapper stops the request is auth
GUARD_DECORATOR_WORDS = ("auth", "login", "admin", "token", "jwt", "permission", "role", "require",
                         "user", "owner", "staff", "member", "protect", "secure", "signed", "logged",
                         "access", "verified")
# Extension objects whose decorators authenticate (`allows.requires(...)`, `auth.login_required`)
AUTH_OBJECT_FACTORIES = frozenset({"Allows", "Permission", "HTTPBasicAuth", "HTTPTokenAuth",
                                   "HTTPDigestAuth", "MultiAuth", "ResourceProtector", "OAuth2Provider",
                                   "OAuth2", "Praetorian", "JWTManager", "Security"})
AUTH_OBJECT_METHODS = frozenset({"requires", "require", "login_required", "require_oauth", "auth_required",
                                 "roles_required", "roles_accepted", "permission_required"})
# Decorators of well-known extensions, beyond the configured list
LIBRARY_AUTH_DECORATORS = frozenset({"fresh_login_required", "fresh_jwt_required", "roles_accepted",
                                     "permissions_required", "permissions_accepted", "auth_token_required",
                                     "http_auth_required", "require_oauth", "jwt_optional_required"})
# Auth decorators that take arguments (`@roles_required("admin")`): a fix cannot write one
DECORATOR_FACTORY_NAMES = frozenset({"role_required", "roles_required", "roles_accepted", "require_permission",
                                     "permission_required", "permissions_required", "permissions_accepted"})
# A module-level function with one of these words may be a `before_request` handler that is
# registered elsewhere in call form (`bp.before_request(require_admin)`)
GUARD_HANDLER_WORDS = ("auth", "login", "token", "jwt", "permission", "admin", "require", "check", "verify",
                       "protect", "guard", "secure", "access", "api_key", "apikey")
# With "required" in a project decorator's name, these words say what it requires
REQUIRED_AUTH_WORDS = ("auth", "login", "token", "jwt", "permission", "admin", "role", "apikey", "api_key",
                       "key", "user", "credential", "signed", "logged", "scope", "session")
# Calls that raise when the request carries no valid token (flask-jwt-extended)
VERIFY_CALLS = frozenset({"verify_jwt_in_request", "verify_fresh_jwt_in_request",
                          "verify_jwt_refresh_token_in_request"})
# What a view can test to know who is calling (a local `user` is usually a looked-up record)
REQUEST_IDENTITY_ROOTS = frozenset({"current_user", "session", "g", "request", "flask_login"})
# A decorator with this word admits logged-out users only (`@anonymous_user_required`): public
ANONYMOUS_WORD = "anonymous"
# Where well-known auth decorators come from, and which are called (`@jwt_required()`)
AUTH_DECORATOR_SOURCES = {"jwt_required": "flask_jwt_extended", "login_required": "flask_login"}
CALLED_AUTH_DECORATORS = frozenset({"jwt_required"})

# Routes public by design (FLK501's defaults; `public-routes` adds to them): the URL rule's last
# one or two segments exactly, a segment run it starts with, or how it ends
PUBLIC_EXACT = ("/login", "/logout", "/register", "/signup", "/setup", "/token", "/token/refresh",
                "/refresh", "/health", "/healthz", "/ping", "/forgot")
PUBLIC_PREFIXES = ("/password/reset", "/reset-password", "/reset/", "/forgot-password", "/webhooks/", "/webhook",
                   "/oauth/", "/oauth2/", "/callback", "/invite", "/login/", "/saml/", "/resend-",
                   "/request-reset-password", "/request-password-reset")
PUBLIC_ENDS = ("/callback",)
PUBLIC_FUNCTIONS = frozenset({"login", "logout", "register", "signup", "refresh", "refresh_token",
                              "health", "healthcheck"})

# Modules importing these serve no Flask routes (FastAPI's `@router.post` is not `@bp.post`)
NOT_FLASK_ROOTS = frozenset({"fastapi", "starlette", "django", "aiohttp", "sanic"})

# -- schemas ------------------------------------------------------------------------------------
PYDANTIC_BASES = frozenset({"pydantic.BaseModel", "pydantic.main.BaseModel"})
MARSHMALLOW_BASES = frozenset({"Schema", "SQLAlchemySchema", "SQLAlchemyAutoSchema", "ModelSchema"})
MARSHMALLOW_ROOTS = ("marshmallow", "marshmallow_sqlalchemy", "flask_marshmallow")
RESPONSE_CONSTRUCTORS = frozenset({"model_validate", "from_orm", "model_validate_json"})
