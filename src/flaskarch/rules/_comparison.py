"""Shared by FLK401/FLK402: `== <singleton>` on SQLAlchemy column expressions."""

from __future__ import annotations

from flaskarch._lazy import cst

from flaskarch.names import dotted_name
from flaskarch.rule import Fix, Rule, replace
from flaskarch.semantics import is_model_class_expr, model_attribute_in
from flaskarch.walker import walk_subtree

QUERY_METHODS = {"filter", "where", "having", "join", "outerjoin"}
QUERY_FUNCTIONS = {"and_", "or_", "not_", "case"}


def is_query_call(rule: Rule, node: cst.Call) -> bool:
    func = node.func
    if isinstance(func, cst.Attribute):
        return func.attr.value in QUERY_METHODS or func.attr.value in QUERY_FUNCTIONS
    name = dotted_name(func)
    if name is None:
        return False
    qual = rule.ctx.names.qualify(func) or name
    return qual.rsplit(".", 1)[-1] in QUERY_FUNCTIONS


class SingletonComparison(Rule):
    """Base: subclasses set `singletons` (the literal names they handle)."""

    singletons: frozenset[str] = frozenset()
    sqlalchemy_only = True
    fix = "safe"

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._in_query: set[int] = set()

    def visit_Call(self, node: cst.Call) -> None:
        if not is_query_call(self, node):
            return
        for arg in node.args:
            if arg.keyword is not None:
                continue  # filter_by-style keywords are not comparisons
            for sub in walk_subtree(arg.value):
                if isinstance(sub, cst.Comparison):
                    self._in_query.add(id(sub))

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if len(node.comparisons) != 1:
            return
        target = node.comparisons[0]
        op = target.operator
        if not isinstance(op, (cst.Equal, cst.NotEqual)):
            return
        left, right = node.left, target.comparator
        literal, other = (right, left) if _singleton(right) in self.singletons else (left, right)
        value = _singleton(literal)
        if value not in self.singletons or _singleton(other) is not None:
            return
        if isinstance(other, cst.Attribute) and model_attribute_in(self.ctx, other, "relationships"):
            return  # `Model.rel != None` is SQLAlchemy's EXISTS, not a Python test
        in_query = id(node) in self._in_query
        if not in_query and not (
            isinstance(other, cst.Attribute) and is_model_class_expr(self.ctx, other.value)
        ):
            return
        method = "is_" if isinstance(op, cst.Equal) else "is_not"
        written = "==" if isinstance(op, cst.Equal) else "!="
        self.report(
            node,
            f"`{written} {value}` on a column: use `.{method}({value})` (never `is {value}`, which "
            "Python evaluates before SQLAlchemy sees it)",
            None if has_comment(self.ctx.module, node)
            else Fix(f"replace `{written} {value}` with `.{method}({value})`", [replace(node, method_call(other, method, value))]),
        )


def method_call(column: cst.BaseExpression, method: str, value: str) -> cst.Call:
    """`column.is_(False)`, keeping the column expression as written (parentheses too)."""
    return cst.Call(
        func=cst.Attribute(value=column, attr=cst.Name(method)),
        args=[cst.Arg(cst.Name(value))],
    )


def has_comment(module: cst.Module, node: cst.CSTNode) -> bool:
    """A comment inside the node: rewriting it would drop the comment, so no fix is offered."""
    code = module.code_for_node(node)
    return "#" in code and any(isinstance(n, cst.Comment) for n in _all_nodes(node))


def _all_nodes(node: cst.CSTNode) -> list[cst.CSTNode]:
    out, stack = [], [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(current.children)
    return out


def _singleton(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return node.value
    return None
