"""Shared meaning of Flask/SQLAlchemy expressions, resolved through imports and scopes.

Rules ask "is this a session object?", "is this a model column?", "which names are the
auth decorators?" here, so every rule answers the same way (RULES.md "session object").
"""

from __future__ import annotations

from dataclasses import dataclass

from flaskarch._lazy import cst

from flaskarch.context import FileContext
from flaskarch.facts.vocab import (
    DB_FACTORIES,
    ENGINE_FACTORIES,
    OTHER_ORM_ROOTS,
    SESSION_CLASSES,
    SESSION_FACTORIES,
    SQLA_CORE_ROOTS,
)
from flaskarch.names import Assigned, Defined, Import, dotted_name



def _last(qualname: str | None) -> str:
    return (qualname or "").rsplit(".", 1)[-1]


def _from_sqla(qualname: str | None) -> bool:
    return bool(qualname) and qualname.split(".")[0] in SQLA_CORE_ROOTS  # type: ignore[union-attr]


def is_db_object(ctx: FileContext, node: cst.BaseExpression, depth: int = 0) -> bool:
    """A Flask-SQLAlchemy `SQLAlchemy()` instance (`db`), however it was imported or aliased."""
    if depth > 8:
        return False
    if isinstance(node, cst.Call):
        return _last(ctx.names.qualify(node.func)) in DB_FACTORIES
    value = ctx.names.assigned_value(node)
    if value is not None:
        return is_db_object(ctx, value, depth + 1)
    qual = ctx.names.qualify(node)
    if qual is None:
        return False
    if ctx.facts.is_db_object(qual):
        return True
    # an imported `db` the index cannot see (module outside the run): trust the name
    binding = ctx.names.lookup((dotted_name(node) or "").split(".")[0])
    return isinstance(binding, Import) and _last(qual) == "db" and not _from_other_orm(qual)


def _from_other_orm(qual: str) -> bool:
    return qual.split(".")[0] in OTHER_ORM_ROOTS


def is_session_factory(ctx: FileContext, node: cst.BaseExpression, depth: int = 0) -> bool:
    if depth > 8:
        return False
    if isinstance(node, cst.Call):
        qual = ctx.names.qualify(node.func)
        return _last(qual) in SESSION_FACTORIES and (_from_sqla(qual) or qual is None)
    value = ctx.names.assigned_value(node)
    if value is not None:
        return is_session_factory(ctx, value, depth + 1)
    qual = ctx.names.qualify(node)
    if qual is None:
        return False
    if ctx.facts.is_session_object(qual):
        # `Session = sessionmaker(...)` in another project module
        return _last(qual)[:1].isupper()
    return False


def is_engine(ctx: FileContext, node: cst.BaseExpression, depth: int = 0) -> bool:
    if depth > 8:
        return False
    if isinstance(node, cst.Call):
        return _last(ctx.names.qualify(node.func)) in ENGINE_FACTORIES
    if isinstance(node, cst.Attribute) and node.attr.value == "engine":
        return is_db_object(ctx, node.value, depth + 1)
    value = ctx.names.assigned_value(node)
    if value is not None:
        return is_engine(ctx, value, depth + 1)
    qual = ctx.names.qualify(node)
    return qual is not None and ctx.facts.is_engine_object(qual)


def is_session_object(ctx: FileContext, node: cst.BaseExpression, depth: int = 0) -> bool:
    """RULES.md's "session object": db.session, self.session/self.db, SQLAlchemy sessions,
    configured singleton names (myDB), and locals bound to any of these."""
    if depth > 8:
        return False
    names = ctx.names
    if isinstance(node, cst.Attribute):
        attr = node.attr.value
        if isinstance(node.value, cst.Name) and node.value.value == "self":
            return attr in ("session", "db") and _self_is_session(ctx, attr)
        if attr == "session":
            return is_db_object(ctx, node.value, depth + 1)
        return False
    if isinstance(node, cst.Call):
        func = node.func
        qual = names.qualify(func)
        if _last(qual) in SESSION_CLASSES and (_from_sqla(qual) or qual is None):
            return True
        if is_session_factory(ctx, func, depth + 1):
            return True
        if isinstance(func, cst.Attribute) and func.attr.value in ("connect", "begin"):
            return is_engine(ctx, func.value, depth + 1)
        return False
    if not isinstance(node, cst.Name):
        return False
    name = node.value
    binding = names.lookup(name)
    session_names = ctx.settings.effective_session_names()
    if isinstance(binding, Assigned):
        if name in session_names:
            return True
        return is_session_object(ctx, binding.value, depth + 1)
    if isinstance(binding, Import):
        qual = binding.qualname
        if _last(qual) in session_names:
            return True
        if ctx.facts.is_session_object(qual) and not _last(qual)[:1].isupper():
            return True
        # `from flask_sqlalchemy... import session`-style imports
        return _last(qual) == "session" and _from_sqla(qual)
    if binding is None and name in session_names:
        return True
    return False


def class_qualname(ctx: FileContext, node: cst.BaseExpression) -> str | None:
    """The qualified name of the class an expression names (a class of this module, or one
    resolved through imports), or None."""
    name = dotted_name(node)
    if name is None:
        return None
    binding = ctx.names.lookup(name.split(".")[0])
    if isinstance(binding, Defined) and binding.kind == "class" and "." not in name:
        return f"{ctx.module_name}.{name}"
    return ctx.names.qualify(node)


def _self_is_session(ctx: FileContext, attr: str) -> bool:
    """`self.session` is a database session when the class binds it to one (a session
    object or factory, a parameter annotated `Session`), itself or through a project base.
    Bound to nothing the index can judge (an unannotated parameter, a base outside the
    project), it is one in a repository or service, where that is what the layer means."""
    cls = ctx.enclosing_class()
    kind = "unknown"
    if cls is not None:
        kind = ctx.facts.self_binding(f"{ctx.module_name}.{cls.name.value}", attr)
    if kind == "unknown":
        return ctx.layer in ("repository", "service")
    return kind == "session"


def is_model_class_expr(ctx: FileContext, node: cst.BaseExpression) -> bool:
    """A name that resolves to a SQLAlchemy model class in the project."""
    qual = class_qualname(ctx, node)
    return qual is not None and ctx.facts.is_model_class(qual)


@dataclass(frozen=True)
class ColumnFacts:
    """What the project says of `Model.attr`: the model's ORM, whether the attribute is a
    relationship (declared on either side), and whether the column can never be NULL."""

    orm: str | None
    relationship: bool
    not_null: bool


def column_facts(ctx: FileContext, node: cst.BaseExpression) -> ColumnFacts | None:
    """Facts of `Model.attr` when `Model` resolves to a model class of the project, else None."""
    if not isinstance(node, cst.Attribute):
        return None
    qual = class_qualname(ctx, node.value)
    if qual is None:
        return None
    orm = ctx.facts.class_orm(qual)
    if orm is None:
        return None
    attr = node.attr.value
    return ColumnFacts(
        orm,
        attr in ctx.facts.inherited(qual, "relationships"),
        attr in ctx.facts.inherited(qual, "not_null"),
    )


def is_class_like(ctx: FileContext, node: cst.BaseExpression) -> bool:
    """A capitalised name that is a class or imported (not a local variable or parameter)."""
    name = dotted_name(node)
    if name is None:
        return False
    last = name.rsplit(".", 1)[-1]
    if not last[:1].isupper():
        return False
    binding = ctx.names.lookup(name.split(".")[0])
    return isinstance(binding, (Import, Defined)) or (binding is None and bool(ctx.names.star_imports))


def is_column_expression(ctx: FileContext, node: cst.BaseExpression) -> bool:
    """`User.is_active`: an attribute of a model class (resolved, or a class-like name)."""
    if not isinstance(node, cst.Attribute):
        return False
    owner = node.value
    if is_model_class_expr(ctx, owner):
        return True
    # `User.is_active` where User is an imported capitalised class the index cannot see
    name = dotted_name(owner)
    if name is None or "." in name:
        return False
    binding = ctx.names.lookup(name)
    return name[:1].isupper() and isinstance(binding, Import)


def auth_decorator_names(ctx: FileContext) -> tuple[str, ...]:
    return ctx.settings.effective_auth_decorators()


def is_auth_expr(ctx: FileContext, expr: cst.BaseExpression) -> bool:
    """An auth decorator by the configured list (through imports/aliases) or a project
    decorator that wraps one (`def admin_only(f): @token_required ...`)."""
    if isinstance(expr, cst.Call):
        expr = expr.func
    names = auth_decorator_names(ctx)
    name = dotted_name(expr)
    if name is None:
        return False
    if name.rsplit(".", 1)[-1] in names:
        return True
    qual = ctx.names.qualify(expr)
    if qual is None:
        return False
    return ctx.facts.is_auth_decorator(qual)


def model_attribute_in(ctx: FileContext, attr: cst.BaseExpression, attribute: str) -> bool:
    """`User.active` where `active` is in the model's (inherited) ClassFacts list `attribute`
    (`bool_columns`, `relationships`, ...); False when the class is not known to the index."""
    if not isinstance(attr, cst.Attribute):
        return False
    qual = ctx.names.qualify(attr.value)
    return qual is not None and attr.attr.value in ctx.facts.inherited(qual, attribute)
