"""FLK102 commit-in-repository: services own transactions, repositories only flush."""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.rule import Fix, Rule, replace
from flaskarch.semantics import is_session_object


class CommitInRepository(Rule):
    code = "FLK102"
    name = "commit-in-repository"
    summary = "A repository calls commit(); services own transaction boundaries."
    tags = ('architecture', 'layering')
    layers = frozenset({"repository"})
    sqlalchemy_only = True
    fix = "unsafe"
    prefilter = re.compile(r"\.commit\(")

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._statement_calls: set[int] = set()

    def visit_Expr(self, node: cst.Expr) -> None:
        value = node.value
        if isinstance(value, cst.Await):  # `await self.session.commit()`
            value = value.expression
        if isinstance(value, cst.Call):
            self._statement_calls.add(id(value))

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "commit":
            return
        receiver = func.value
        is_self = isinstance(receiver, cst.Name) and receiver.value == "self"
        if not (is_self or is_session_object(self.ctx, receiver)):
            return
        fn = self.ctx.enclosing_function()
        if fn is not None and fn.name.value == "commit":
            return  # the pass-through services call
        fix = None
        # a call whose value nobody uses, on a real session (a bare `self` may have no flush())
        if id(node) in self._statement_calls and not is_self:
            fix = Fix("replace `commit()` with `flush()`", [replace(func.attr, "flush")])
        self.report(node, "commit() in a repository: flush() here and let the service commit", fix)
