"""FLK502 auth-decorator-order: an auth decorator above the route decorator protects nothing."""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.rule import Fix, NodeEdit, Rule
from flaskarch.rules._routes import route_of_decorator
from flaskarch.semantics import is_auth_expr


class AuthDecoratorOrder(Rule):
    code = "FLK502"
    name = "auth-decorator-order"
    summary = "An auth decorator placed above the route decorator: Flask registers the unprotected function."
    tags = ('security',)
    precision = "very-high"
    security_severity = "8.1"
    fix = "safe"
    prefilter = re.compile(r"@[^\n]*\.(?:route|get|post|put|patch|delete)\b")  # a route decorator

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        decorators = node.decorators
        lowest_route = -1
        for i, deco in enumerate(decorators):
            if route_of_decorator(deco) is not None:
                lowest_route = i
        if lowest_route <= 0:
            return
        misplaced = [
            d for d in decorators[:lowest_route]
            if route_of_decorator(d) is None and is_auth_expr(self.ctx, d.decorator)
        ]
        if not misplaced:
            return
        fix = Fix("move the auth decorators below the lowest route decorator", [self._move(node, misplaced, lowest_route)])
        for deco in misplaced:
            self.report(
                deco,
                "auth decorator above the route decorator: Flask registers the unprotected view; "
                "move it below the route decorator",
                fix,
            )

    def _move(self, node: cst.FunctionDef, misplaced: list[cst.Decorator], lowest_route: int) -> NodeEdit:
        """Rewrite the decorator lines from the first `@` to `def`, auth ones moved below the
        lowest route decorator, in their order, with their comments."""
        decorators = list(node.decorators)
        moved = {id(d) for d in misplaced}
        order = [d for d in decorators[: lowest_route + 1] if id(d) not in moved]
        order += misplaced + decorators[lowest_route + 1 :]
        code = self.ctx.module.code_for_node
        parts = []
        for deco in order:
            if deco is not decorators[0]:  # the first one's comment lines lie outside the span
                parts.extend(code(line) for line in deco.leading_lines)
            parts.append("@" + code(deco.whitespace_after_at) + code(deco.decorator) + code(deco.trailing_whitespace))
        return NodeEdit("span", decorators[0], "".join(parts), until=node, reindent=True)
