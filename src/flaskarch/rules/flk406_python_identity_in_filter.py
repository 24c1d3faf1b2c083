"""FLK406 python-identity-in-filter: `Model.col is False` / `not Model.col` inside a query.

Python evaluates these before SQLAlchemy sees them, so the filter becomes a constant and the
query silently returns nothing: the damage general linters' `== False` autofixes leave behind.
"""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.rule import Fix, Rule, replace
from flaskarch.rules._comparison import Position, has_comment, mark_query_arguments, method_call
from flaskarch.semantics import column_facts, is_column_expression, model_attribute_in


class PythonIdentityInFilter(Rule):
    code = "FLK406"
    name = "python-identity-in-filter"
    summary = "A Python identity or `not` test on a column inside a query: the filter becomes a constant."
    tags = ('sqlalchemy', 'correctness')
    precision = "very-high"
    sqlalchemy_only = True
    # the fix turns a constant filter into the intended one: the rows change, so it is unsafe
    fix = "unsafe"
    # `is`/`not` and a query call, anywhere; \A: tried once, not at every offset
    prefilter = re.compile(r"(?s)\A(?=.*\b(?:is|not)\b)(?=.*\b(?:filter|where|having|and_|or_|not_)\b)")

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._in_query: dict[int, Position] = {}

    def visit_Call(self, node: cst.Call) -> None:
        mark_query_arguments(self, node, self._in_query, (cst.Comparison, cst.UnaryOperation))

    def _column(self, node: cst.BaseExpression) -> bool:
        """A column expression of a SQLAlchemy model (not another ORM's field)."""
        if not is_column_expression(self.ctx, node):
            return False
        facts = column_facts(self.ctx, node)
        return facts is None or facts.orm == "sqlalchemy"

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if id(node) not in self._in_query or len(node.comparisons) != 1:
            return
        target = node.comparisons[0]
        op = target.operator
        if not isinstance(op, (cst.Is, cst.IsNot)):
            return
        value = target.comparator
        column = node.left
        if not self._column(column):
            return
        negated = isinstance(op, cst.IsNot)
        written = "is not" if negated else "is"
        if isinstance(value, cst.Name) and value.value in ("True", "False", "None"):
            method = "is_not" if negated else "is_"
            shown = f"`.{method}({value.value})`"
            new: cst.BaseExpression = method_call(column, method, value.value)
            what = f"{written} {value.value}"
        else:
            # `or_(Query.user_id is user_id, ...)`: an identity test between a column and a value
            shown = "`!=`" if negated else "`==`"
            new = cst.Comparison(left=column, comparisons=[cst.ComparisonTarget(
                cst.NotEqual() if negated else cst.Equal(), value)])
            what = written
        self.report(
            node,
            f"`{what}` on a column inside a query is evaluated by Python, not SQL: use {shown}",
            None if has_comment(self.ctx.module, node) else Fix(f"replace with {shown}", [replace(node, new)]),
        )

    def visit_UnaryOperation(self, node: cst.UnaryOperation) -> None:
        if id(node) not in self._in_query or not isinstance(node.operator, cst.Not):
            return
        column = node.expression
        if not self._column(column):
            return
        # `.is_(False)` means "is false" only for a boolean column (`email IS false` is an error)
        fixable = model_attribute_in(self.ctx, column, "bool_columns") and not has_comment(self.ctx.module, node)
        self.report(
            node,
            "`not` on a column inside a query is evaluated by Python, not SQL: use `.is_(False)` "
            "(or `.is_(None)` for a nullable non-boolean column)",
            Fix("replace with `.is_(False)`", [replace(node, method_call(column, "is_", "False"))]) if fixable else None,
        )

