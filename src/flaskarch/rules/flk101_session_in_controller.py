"""FLK101 session-in-controller: controllers must not touch the database directly."""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.names import dotted_name
from flaskarch.rule import Rule
from flaskarch.semantics import is_engine, is_model_class_expr, is_session_object

CURSOR_METHODS = {"execute", "executemany", "fetchone", "fetchall"}
ENGINE_METHODS = {"execute", "connect", "begin", "raw_connection"}


class SessionInController(Rule):
    code = "FLK101"
    name = "session-in-controller"
    summary = "A controller touches the database directly (session, Model.query, engine, cursor)."
    tags = ('architecture', 'layering')
    layers = frozenset({"controller"})
    prefilter = re.compile(r"session|query|engine|cursor|execute|\.db\b")

    @classmethod
    def prefilter_for(cls, settings):
        extra = "|".join(re.escape(n) for n in settings.effective_session_names())
        return re.compile(cls.prefilter.pattern + ("|" + extra if extra else ""))

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._reported: set[int] = set()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        ctx = self.ctx
        if id(node) in self._reported:
            return
        receiver = node.value
        attr = node.attr.value
        if is_session_object(ctx, receiver):
            self.report(node, f"database session used in a controller (`.{attr}`): move this into a service method")
            return
        if attr in ENGINE_METHODS and is_engine(ctx, receiver):
            self.report(node, f"database engine used in a controller (`.{attr}`): move this into a service method")
            return
        if attr in CURSOR_METHODS and _is_cursor(ctx, receiver):
            self.report(node, "database cursor used in a controller: move this query into a service method")
            return
        if ctx.uses_sqlalchemy and isinstance(receiver, cst.Attribute) and receiver.attr.value == "query":
            # `X.query.<method>`: the legacy query property, whatever X resolves to
            self._reported.add(id(receiver))
            self.report(node, "`Model.query` used in a controller: move this query into a service method")
            return
        if attr == "query" and is_model_class_expr(ctx, receiver):
            # a bare `User.query` (handed to a paginator, bound to a name) runs queries all the same
            self.report(node, "`Model.query` used in a controller: move this query into a service method")


def _is_cursor(ctx, node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.Call):
        return isinstance(node.func, cst.Attribute) and node.func.attr.value == "cursor"
    value = ctx.names.assigned_value(node)
    if value is not None:
        return _is_cursor(ctx, value)
    name = dotted_name(node)
    return name in ("cursor", "cur")
