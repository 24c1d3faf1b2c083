"""FLK502 auth-decorator-order: an auth decorator above the route decorator protects nothing."""

from __future__ import annotations

import re

import libcst as cst

from flaskarch.rule import Rule
from flaskarch.rules._routes import route_of_decorator
from flaskarch.semantics import is_auth_expr


class AuthDecoratorOrder(Rule):
    code = "FLK502"
    name = "auth-decorator-order"
    summary = "An auth decorator placed above the route decorator: Flask registers the unprotected function."
    fix = "safe"
    prefilter = re.compile(r"@")

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        decorators = node.decorators
        lowest_route = -1
        for i, deco in enumerate(decorators):
            if route_of_decorator(deco) is not None:
                lowest_route = i
        if lowest_route <= 0:
            return
        for deco in decorators[:lowest_route]:
            if route_of_decorator(deco) is None and is_auth_expr(self.ctx, deco.decorator):
                self.report(
                    deco,
                    "auth decorator above the route decorator: Flask registers the unprotected view; "
                    "move it below the route decorator",
                    "move the auth decorators below the lowest route decorator",
                )
