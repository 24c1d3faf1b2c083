"""FLK106 query-in-loop: a query per iteration (the N+1 pattern)."""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.names import dotted_name
from flaskarch.rule import Rule
from flaskarch.rules._servicelayer import is_repository_receiver, is_session_receiver, last_segment
from flaskarch.semantics import is_class_like, is_model_class_expr
from flaskarch.walker import iter_children

# session methods that run a query
SESSION_QUERIES = frozenset({"execute", "scalars", "scalar", "scalar_one", "get", "query", "get_one"})
# what queues work for the next flush without a round trip (a repository's methods of these
# names wrap them)
NO_QUERY = frozenset({"add", "add_all", "delete", "merge", "flush"})
COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)


class QueryInLoop(Rule):
    code = "FLK106"
    name = "query-in-loop"
    summary = "A query inside a loop body (session query, repository call, Model.query): the N+1 pattern."
    severity = "warning"
    precision = "medium"
    tags = ("architecture", "performance")
    layers = frozenset({"service", "controller"})
    sqlalchemy_only = True
    # a loop, and a query method or something named like a repository (any case)
    prefilter = re.compile(
        r"(?s)\A(?=.*\b(?:for|while)\b).*(?:\.(?:execute|scalars?|scalar_one|get|get_one|query)\b|repo)",
        re.IGNORECASE,
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._in_loop: set[int] = set()  # every node that runs once per iteration of some loop
        # names bound by the enclosing loops' targets: items, not repositories
        self._loop_names: dict[int, frozenset[str]] = {}
        self._reported: set[int] = set()

    # -- loop regions -----------------------------------------------------------------------------
    def _mark(self, node: cst.CSTNode | None, targets: frozenset[str]) -> None:
        if node is None:
            return
        stack = [node]
        while stack:
            current = stack.pop()
            if isinstance(current, (cst.FunctionDef, cst.ClassDef)):
                continue  # defined per iteration, run later (or never)
            self._in_loop.add(id(current))
            if targets:
                self._loop_names[id(current)] = self._loop_names.get(id(current), frozenset()) | targets
            stack.extend(iter_children(current))

    def visit_For(self, node: cst.For) -> None:
        self._mark(node.body, _names(node.target))

    def visit_While(self, node: cst.While) -> None:
        self._mark(node.body, frozenset())

    def _comprehension(self, node: cst.CSTNode) -> None:
        first: cst.CompFor = node.for_in  # type: ignore[attr-defined]
        targets = frozenset()
        comp: cst.CompFor | None = first
        while comp is not None:
            targets |= _names(comp.target)
            comp = comp.inner_for_in
        for part in ("elt", "key", "value"):
            self._mark(getattr(node, part, None), targets)
        for cond in first.ifs:
            self._mark(cond, targets)
        self._mark(first.inner_for_in, targets)

    visit_ListComp = _comprehension
    visit_SetComp = _comprehension
    visit_GeneratorExp = _comprehension
    visit_DictComp = _comprehension

    # -- queries -----------------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        if id(node) not in self._in_loop:
            return
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        receiver = func.value
        if method in SESSION_QUERIES and is_session_receiver(self.ctx, receiver):
            self.report(node, f"`{method}()` on a session inside a loop runs one query per item: "
                        "load the rows in one query before the loop (`where(Model.id.in_(ids))`)")
            return
        if (method not in NO_QUERY and is_repository_receiver(self.ctx, receiver)
                and last_segment(receiver) not in self._loop_names.get(id(node), ())):
            shown = dotted_name(func) or method
            self.report(node, f"repository call `{shown}()` inside a loop runs one query per item: "
                        "add a repository method that loads them all at once (`get_many(ids)`) and call "
                        "it before the loop")

    def visit_Attribute(self, node: cst.Attribute) -> None:
        """`Model.query.<method>` (one finding per chain, at the model)."""
        if id(node) not in self._in_loop or id(node) in self._reported:
            return
        receiver = node.value
        if isinstance(receiver, cst.Attribute) and receiver.attr.value == "query":
            model = receiver.value
            if is_model_class_expr(self.ctx, model) or is_class_like(self.ctx, model):
                self._reported.add(id(receiver))
                shown = dotted_name(model) or "Model"
                self.report(node, f"`{shown}.query` inside a loop runs one query per item: load the rows "
                            f"in one query before the loop (`{shown}.query.filter({shown}.id.in_(ids))`)")


def _names(target: cst.CSTNode) -> frozenset[str]:
    if isinstance(target, cst.Name):
        return frozenset({target.value})
    if isinstance(target, (cst.Tuple, cst.List)):
        out: frozenset[str] = frozenset()
        for element in target.elements:
            out |= _names(element.value)
        return out
    if isinstance(target, cst.StarredElement):
        return _names(target.value)
    return frozenset()
