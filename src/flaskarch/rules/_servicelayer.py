"""What FLK104-FLK106 share: which receivers are repositories and which are sessions, and
which classes are views (the HTTP layer, wherever their module sits).

RULES.md speaks of "a repository" by the receiver's name (`self.user_repo`, `self.repository`,
`myUserRepository`): a name or attribute whose last segment ends in `repo` / `repository`,
case-insensitive. A session object is semantics' (`is_session_object`), plus a parameter of the
enclosing function annotated with an SQLAlchemy session class (`def create(self, session:
Session)`), which is the same object handed in instead of bound on `self`.
"""

from __future__ import annotations

from flaskarch._lazy import cst

from flaskarch.context import FileContext
from flaskarch.facts.vocab import SQLA_CORE_ROOTS
from flaskarch.names import Local
from flaskarch.semantics import is_session_object
from flaskarch.walker import iter_children

REPO_SUFFIXES = ("repo", "repository")
SESSION_ANNOTATIONS = frozenset({"Session", "AsyncSession", "scoped_session", "async_scoped_session"})


def last_segment(node: cst.BaseExpression) -> str | None:
    """`user_repo` of `self.user_repo`, `repo` of `repo`; None for calls, subscripts, ..."""
    if isinstance(node, cst.Attribute):
        return node.attr.value
    if isinstance(node, cst.Name):
        return node.value
    return None


def is_repository_receiver(ctx: FileContext, node: cst.BaseExpression) -> bool:
    """A repository: a name or attribute whose last segment ends in repo / repository (any
    case), or one whose type is a repository class (named so, or defined in a repository
    module): `self.users` after `self.users = users or UserRepository()`, a parameter
    annotated `users: UserRepository`."""
    last = last_segment(node)
    if last is None:
        return False
    if last.lower().endswith(REPO_SUFFIXES):
        return True
    if isinstance(node, cst.Attribute):
        if isinstance(node.value, cst.Name) and node.value.value == "self":
            cls = ctx.enclosing_class()
            return cls is not None and any(_is_repository_type(ctx, t) for t in _self_types(cls, last))
        return False
    value = ctx.names.assigned_value(node)
    if value is not None:
        return any(_is_repository_type(ctx, t) for t in _value_types(value, None))
    fn = ctx.enclosing_function()
    if fn is not None and isinstance(ctx.names.lookup(last), Local):
        annotation = _param_annotation(fn, last)
        return annotation is not None and any(_is_repository_type(ctx, t) for t in _annotation_types(annotation))
    return False


def _is_repository_type(ctx: FileContext, node: cst.BaseExpression) -> bool:
    name = last_segment(node)
    if name is None:
        return False
    if name.lower().endswith(REPO_SUFFIXES):
        return True
    qual = ctx.names.qualify(node)
    if qual is None or "." not in qual:
        return False
    info = ctx.facts.class_info(qual)
    return info is not None and ctx.facts.layer_of_module(info.module) == "repository"


def _self_types(cls: cst.ClassDef, attr: str) -> list[cst.BaseExpression]:
    """The type expressions a class gives `self.<attr>`: a class-level annotation, the
    classes called in `self.<attr> = ...` assignments of its methods, or the annotations of
    the parameters assigned."""
    out: list[cst.BaseExpression] = []
    for stmt in cls.body.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if (isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name)
                        and small.target.value == attr):
                    out.extend(_annotation_types(small.annotation.annotation))
        elif isinstance(stmt, cst.FunctionDef):
            for node in _simple_statements(stmt.body):
                targets: list[cst.BaseExpression] = []
                value = None
                if isinstance(node, cst.Assign):
                    targets = [t.target for t in node.targets]
                    value = node.value
                elif isinstance(node, cst.AnnAssign):
                    targets = [node.target]
                    value = node.value
                    if _is_self_attr(node.target, attr):
                        out.extend(_annotation_types(node.annotation.annotation))
                if value is not None and any(_is_self_attr(t, attr) for t in targets):
                    out.extend(_value_types(value, stmt))
    return out


def _is_self_attr(node: cst.BaseExpression, attr: str) -> bool:
    return (isinstance(node, cst.Attribute) and node.attr.value == attr
            and isinstance(node.value, cst.Name) and node.value.value == "self")


def _simple_statements(block: cst.BaseSuite) -> list[cst.BaseSmallStatement]:
    out: list[cst.BaseSmallStatement] = []
    stack: list[cst.CSTNode] = [block]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            continue
        if isinstance(node, (cst.Assign, cst.AnnAssign)):
            out.append(node)
            continue
        if isinstance(node, (cst.BaseSuite, cst.BaseCompoundStatement, cst.SimpleStatementLine,
                             cst.Else, cst.ExceptHandler, cst.Finally)):
            stack.extend(iter_children(node))
    return out


def _value_types(value: cst.BaseExpression, fn: cst.FunctionDef | None) -> list[cst.BaseExpression]:
    """`UserRepository()` -> UserRepository; `users or UserRepository()` -> both sides; a
    parameter -> its annotation."""
    if isinstance(value, cst.Call):
        return [value.func]
    if isinstance(value, cst.BooleanOperation):
        return _value_types(value.left, fn) + _value_types(value.right, fn)
    if isinstance(value, cst.IfExp):
        return _value_types(value.body, fn) + _value_types(value.orelse, fn)
    if isinstance(value, cst.Name) and fn is not None:
        annotation = _param_annotation(fn, value.value)
        if annotation is not None:
            return _annotation_types(annotation)
    return []


def _param_annotation(fn: cst.FunctionDef, name: str) -> cst.BaseExpression | None:
    params = fn.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if param.name.value == name and param.annotation is not None:
            return param.annotation.annotation
    return None


def _annotation_types(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    """`UserRepository`, `UserRepository | None`, `Optional[UserRepository]`, `"UserRepository"`."""
    if isinstance(node, cst.BinaryOperation):
        return _annotation_types(node.left) + _annotation_types(node.right)
    if isinstance(node, cst.Subscript):
        out: list[cst.BaseExpression] = []
        for element in node.slice:
            if isinstance(element.slice, cst.Index):
                out.extend(_annotation_types(element.slice.value))
        return out
    if isinstance(node, cst.SimpleString):
        try:
            return _annotation_types(cst.parse_expression(node.value.strip("\"'")))
        except Exception:  # not an expression: no type
            return []
    if isinstance(node, (cst.Name, cst.Attribute)):
        return [node]
    return []


def is_session_receiver(ctx: FileContext, node: cst.BaseExpression) -> bool:
    """A session object (RULES.md), or a parameter annotated `Session` / `AsyncSession` /
    `scoped_session` from SQLAlchemy (or unresolved: `"Session"` as a string annotation)."""
    if is_session_object(ctx, node):
        return True
    if _is_self_db_session(ctx, node):
        return True
    if not isinstance(node, cst.Name) or not isinstance(ctx.names.lookup(node.value), Local):
        return False
    fn = ctx.enclosing_function()
    if fn is None:
        return False
    params = fn.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if param.name.value == node.value and param.annotation is not None:
            return _is_session_annotation(ctx, param.annotation.annotation)
    return False


def _is_self_db_session(ctx: FileContext, node: cst.BaseExpression) -> bool:
    """`self.db.session`: the Flask-SQLAlchemy object handed to the constructor (`def
    __init__(self, db): self.db = db`), unless the class binds `self.db` to something the index
    knows is no database."""
    if not (isinstance(node, cst.Attribute) and node.attr.value == "session"):
        return False
    inner = node.value
    if not (isinstance(inner, cst.Attribute) and inner.attr.value == "db"
            and isinstance(inner.value, cst.Name) and inner.value.value == "self"):
        return False
    cls = ctx.enclosing_class()
    if cls is None:
        return False
    return ctx.facts.self_binding(f"{ctx.module_name}.{cls.name.value}", "db") != "other"


def _is_session_annotation(ctx: FileContext, node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.SimpleString):  # `session: "Session"`
        return node.value.strip("\"'") in SESSION_ANNOTATIONS
    if isinstance(node, cst.Subscript):  # `scoped_session[Session]`
        node = node.value
    qual = ctx.names.qualify(node)
    if qual is None:
        return False
    last = qual.rsplit(".", 1)[-1]
    return last in SESSION_ANNOTATIONS and qual.split(".")[0] in SQLA_CORE_ROOTS


# view classes: a class deriving from one is the HTTP layer wherever its module sits
VIEW_BASES = frozenset({
    "flask.views.View", "flask.views.MethodView", "flask.View", "flask.MethodView",
    "flask_restful.Resource", "flask_restx.Resource", "flask_restplus.Resource",
    "flask_classful.FlaskView", "flask_smorest.MethodView",
})


def in_view_class(ctx: FileContext) -> bool:
    """Inside a view class: a `MethodView` / `Resource`, or a class deriving from a class of a
    controller module (a project's request-handler base). A module named like a service that
    holds request handlers is the HTTP layer by what it defines, as a `views.py` without routes
    is no controller (RULES.md "Layers")."""
    return any(isinstance(node, cst.ClassDef) and is_view_class(ctx, node) for node in ctx.stack)


def is_view_class(ctx: FileContext, node: cst.ClassDef) -> bool:
    facts = ctx.facts
    for base in node.bases:
        qual = ctx.names.qualify(base.value)
        if qual is None:
            continue
        for ancestor in (qual, *(a.qualname for a in facts.ancestors(qual))):
            if ancestor in VIEW_BASES:
                return True
            info = facts.class_info(ancestor)
            if info is not None and facts.layer_of_module(info.module) == "controller":
                return True
    return False
