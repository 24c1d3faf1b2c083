"""Route decorators as libcst sees them (FLK501 places its fix under them; FLK502 moves auth
decorators below them). The project-wide route model is `flaskarch.facts.routes`; both read the
same vocabulary (`facts.vocab.HTTP_METHODS`)."""

from __future__ import annotations

from dataclasses import dataclass

from flaskarch._lazy import cst

from flaskarch.names import dotted_name

from flaskarch.facts.vocab import HTTP_METHODS as SHORTCUTS


@dataclass
class Route:
    receiver: cst.BaseExpression  # the blueprint / app / api the route is registered on
    rule: str | None
    methods: frozenset[str] | None  # None: not statically known


def string_value(node: cst.BaseExpression | None) -> str | None:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _arg(call: cst.Call, position: int, keyword: str) -> cst.BaseExpression | None:
    positional = [a for a in call.args if a.keyword is None and not a.star]
    for a in call.args:
        if a.keyword is not None and a.keyword.value == keyword:
            return a.value
    if len(positional) > position:
        return positional[position].value
    return None


def parse_methods(node: cst.BaseExpression | None) -> frozenset[str] | None:
    """`["GET", "POST"]`, `("POST",)`, `{HTTPMethod.POST}`; None when not literal."""
    if node is None:
        return frozenset({"GET"})
    if not isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return None
    out = set()
    for el in node.elements:
        value = string_value(el.value)
        if value is None:
            name = dotted_name(el.value)
            if name is None:
                return None
            value = name.rsplit(".", 1)[-1]
        out.add(value.upper())
    return frozenset(out)


def route_of_decorator(deco: cst.Decorator) -> Route | None:
    """`@bp.route(rule, methods=[...])` or `@bp.post(rule)`; None for other decorators."""
    expr = deco.decorator
    if not isinstance(expr, cst.Call) or not isinstance(expr.func, cst.Attribute):
        return None
    attr = expr.func.attr.value
    rule_node = _arg(expr, 0, "rule")
    if attr == "route":
        if rule_node is None:
            return None
        methods_node = None
        for a in expr.args:
            if a.keyword is not None and a.keyword.value == "methods":
                methods_node = a.value
        return Route(expr.func.value, string_value(rule_node), parse_methods(methods_node))
    if attr in SHORTCUTS and string_value(rule_node) is not None:
        return Route(expr.func.value, string_value(rule_node), frozenset({SHORTCUTS[attr]}))
    return None
