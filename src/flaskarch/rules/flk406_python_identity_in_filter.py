"""FLK406 python-identity-in-filter: `Model.col is False` / `not Model.col` inside a query.

Python evaluates these before SQLAlchemy sees them, so the filter becomes a constant and the
query silently returns nothing: the damage general linters' `== False` autofixes leave behind.
"""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.names import dotted_name
from flaskarch.rule import Fix, Rule, replace
from flaskarch.rules._comparison import has_comment, is_query_call, method_call
from flaskarch.semantics import is_column_expression, model_attribute_in
from flaskarch.walker import walk_subtree

IDENTITY_CALLS = {"filter", "where", "having", "and_", "or_", "not_"}


class PythonIdentityInFilter(Rule):
    code = "FLK406"
    name = "python-identity-in-filter"
    summary = "A Python identity or `not` test on a column inside a query: the filter becomes a constant."
    tags = ('sqlalchemy', 'correctness')
    precision = "very-high"
    sqlalchemy_only = True
    fix = "safe"
    # `is`/`not` and a query call, anywhere; \A: tried once, not at every offset
    prefilter = re.compile(r"(?s)\A(?=.*\b(?:is|not)\b)(?=.*\b(?:filter|where|having|and_|or_|not_)\b)")

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._in_query: set[int] = set()

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        name = func.attr.value if isinstance(func, cst.Attribute) else (dotted_name(func) or "").rsplit(".", 1)[-1]
        if name not in IDENTITY_CALLS or not is_query_call(self, node):
            return
        for arg in node.args:
            if arg.keyword is None:
                for sub in walk_subtree(arg.value):
                    if isinstance(sub, (cst.Comparison, cst.UnaryOperation)):
                        self._in_query.add(id(sub))

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if id(node) not in self._in_query or len(node.comparisons) != 1:
            return
        target = node.comparisons[0]
        op = target.operator
        if not isinstance(op, (cst.Is, cst.IsNot)):
            return
        value = target.comparator
        if not (isinstance(value, cst.Name) and value.value in ("True", "False", "None")):
            return
        column = node.left
        if not is_column_expression(self.ctx, column):
            return
        method = "is_" if isinstance(op, cst.Is) else "is_not"
        written = "is" if isinstance(op, cst.Is) else "is not"
        self.report(
            node,
            f"`{written} {value.value}` on a column inside a query is evaluated by Python, not SQL: "
            f"use `.{method}({value.value})`",
            None if has_comment(self.ctx.module, node)
            else Fix(f"replace with `.{method}({value.value})`", [replace(node, method_call(column, method, value.value))]),
        )

    def visit_UnaryOperation(self, node: cst.UnaryOperation) -> None:
        if id(node) not in self._in_query or not isinstance(node.operator, cst.Not):
            return
        column = node.expression
        if not is_column_expression(self.ctx, column):
            return
        # `.is_(False)` means "is false" only for a boolean column (`email IS false` is an error)
        fixable = model_attribute_in(self.ctx, column, "bool_columns") and not has_comment(self.ctx.module, node)
        self.report(
            node,
            "`not` on a column inside a query is evaluated by Python, not SQL: use `.is_(False)` "
            "(or `.is_(None)` for a nullable non-boolean column)",
            Fix("replace with `.is_(False)`", [replace(node, method_call(column, "is_", "False"))]) if fixable else None,
        )
