"""FLK105 commit-without-rollback: a service commits outside a try that rolls back and re-raises."""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.rule import Rule
from flaskarch.rules._servicelayer import in_view_class, is_repository_receiver, is_session_receiver
from flaskarch.walker import walk_running

# calls that always raise: a handler that ends in one does not swallow the failure
RAISING_CALLS = frozenset({"flask.abort", "flask.helpers.abort", "werkzeug.exceptions.abort"})


class CommitWithoutRollback(Rule):
    code = "FLK105"
    name = "commit-without-rollback"
    summary = "A service commits outside a try whose handler rolls back and re-raises."
    presets = frozenset({"mscr"})
    tags = ("architecture", "transactions")
    layers = frozenset({"service"})
    sqlalchemy_only = True
    prefilter = re.compile(r"\.commit\(")

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        # bodies (of a guarding try, of `with ....begin():`) whose statements are protected
        self._guarded: set[int] = set()
        # per function: how many guarded bodies enclose the walk now
        self._depth: list[int] = [0]

    # -- guarded regions --------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._depth.append(0)  # a nested function runs later, outside its definer's try

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._depth.pop()

    def visit_Try(self, node: cst.Try) -> None:
        if node.handlers and all(self._does_not_swallow(h) for h in node.handlers) and any(
            _rolls_back(h) for h in node.handlers
        ):
            self._guarded.add(id(node.body))

    def visit_TryStar(self, node: cst.TryStar) -> None:
        self.visit_Try(node)  # type: ignore[arg-type]

    def visit_With(self, node: cst.With) -> None:
        if any(_is_begin(item.item) for item in node.items):
            self._guarded.add(id(node.body))

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        if id(node) in self._guarded:
            self._depth[-1] += 1

    def leave_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        if id(node) in self._guarded:
            self._depth[-1] -= 1

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self.visit_IndentedBlock(node)  # type: ignore[arg-type]

    def leave_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self.leave_IndentedBlock(node)  # type: ignore[arg-type]

    # -- commits ------------------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "commit" or self._depth[-1]:
            return
        receiver = func.value
        repository = is_repository_receiver(self.ctx, receiver)
        if not (repository or is_session_receiver(self.ctx, receiver)):
            return
        fn = self.ctx.enclosing_function()
        if fn is not None and fn.name.value == "commit":
            return  # the pass-through itself
        if in_view_class(self.ctx):
            return  # a request handler in a module named like a service: no service method
        undo = "the repository's `rollback()`" if repository else "`rollback()`"
        self.report(
            node,
            "commit() without rollback on failure: wrap the unit of work in `try:` ... `except "
            f"Exception:` that calls {undo} and re-raises (`raise` or a domain error)",
        )

    # -- handlers -------------------------------------------------------------------------------------
    def _does_not_swallow(self, handler: cst.CSTNode) -> bool:
        """The handler does not swallow the failure: it raises (re-raise, a domain error,
        `abort()`) or returns an error value (anything but a bare `return` / `return None`)."""
        for node in _handler_nodes(handler):
            if isinstance(node, cst.Raise):
                return True
            if isinstance(node, cst.Return) and node.value is not None and not (
                isinstance(node.value, cst.Name) and node.value.value == "None"
            ):
                return True
            if isinstance(node, cst.Call) and self.ctx.names.qualify(node.func) in RAISING_CALLS:
                return True
        return False


def _handler_nodes(handler: cst.CSTNode) -> list[cst.CSTNode]:
    """The code of a handler's body, not that of functions or classes defined in it."""
    return walk_running(handler.body)[1:]  # type: ignore[attr-defined]


def _rolls_back(handler: cst.CSTNode) -> bool:
    """A `rollback()` call in the handler: on a session, a repository, `self`, any receiver."""
    for node in _handler_nodes(handler):
        if isinstance(node, cst.Call):
            func = node.func
            name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", None)
            if name == "rollback":
                return True
    return False


def _is_begin(item: cst.BaseExpression) -> bool:
    """`session.begin()`, `db.session.begin()`, `Session.begin()`, `session.begin_nested()`."""
    if isinstance(item, cst.Call) and isinstance(item.func, cst.Attribute):
        return item.func.attr.value in ("begin", "begin_nested")
    return False
