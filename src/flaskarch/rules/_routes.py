"""The route model shared by FLK501/FLK502: which decorators and calls make routes."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from flaskarch._lazy import cst

from flaskarch.context import FileContext
from flaskarch.names import dotted_name

from flaskarch.facts.vocab import HTTP_METHODS as SHORTCUTS
from flaskarch.facts.vocab import MUTATING, PUBLIC_EXACT, PUBLIC_FUNCTIONS, PUBLIC_PREFIXES


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


def full_rule(ctx: FileContext, route: Route) -> str | None:
    """The rule as served: joined under its blueprint's url_prefix when that is literal."""
    if route.rule is None:
        return None
    qual = ctx.names.qualify(route.receiver)
    if qual is None:
        return route.rule
    prefix = ctx.facts.url_prefix(qual)
    if not prefix:
        return route.rule
    return prefix.rstrip("/") + ("/" + route.rule.lstrip("/") if route.rule.strip("/") else route.rule)


def is_guarded(ctx: FileContext, route: Route) -> bool:
    qual = ctx.names.qualify(route.receiver)
    return qual is not None and ctx.facts.is_guarded(qual)


def endpoint(ctx: FileContext, route: Route, function: str) -> str | None:
    qual = ctx.names.qualify(route.receiver)
    name = ctx.facts.blueprint_name(qual) if qual else None
    return f"{name}.{function}" if name else None


def default_public(rule: str | None, function: str) -> bool:
    if function in PUBLIC_FUNCTIONS:
        return True
    if not rule:
        return False
    # `/reset_password` is the same endpoint as `/reset-password` to a reader
    segments = [s.replace("_", "-") for s in rule.split("/") if s]
    if not segments:
        return False
    if "/" + segments[-1] in PUBLIC_EXACT or "/" + "/".join(segments[-2:]) in PUBLIC_EXACT:
        return True
    for i in range(len(segments)):
        tail = "/" + "/".join(segments[i:]) + ("/" if rule.endswith("/") or i < len(segments) - 1 else "")
        if tail.startswith(PUBLIC_PREFIXES):
            return True
    return False


def configured_public(patterns: tuple[str, ...], candidates: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(c, p) for p in patterns for c in candidates if c)
