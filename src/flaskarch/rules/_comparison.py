"""Shared by FLK401/FLK402/FLK406: singleton tests on SQLAlchemy column expressions, where they
sit in a query, and when rewriting them keeps the rows the query returns."""

from __future__ import annotations

from dataclasses import dataclass

from flaskarch._lazy import cst

from flaskarch.names import Import, dotted_name
from flaskarch.rule import Fix, Rule, replace
from flaskarch.semantics import column_facts, is_model_class_expr
from flaskarch.walker import iter_children

QUERY_METHODS = {"filter", "where", "having", "join", "outerjoin"}
QUERY_FUNCTIONS = {"and_", "or_", "not_", "case"}
# calls whose arguments are predicates combined with AND/OR: NULL and false stay alike there
_CONJUNCTIONS = {"and_", "or_"}


@dataclass(frozen=True)
class Position:
    """Where a test sits in a query argument: how many negations (`~`, `not_`) enclose it, and
    whether every step from the argument down to it is a predicate combinator (`&`, `|`,
    `and_`, `or_`) so that NULL and false decide the row alike."""

    negations: int
    predicate: bool


def query_call_name(rule: Rule, node: cst.Call) -> str | None:
    """`filter`, `where`, ..., `and_`, `or_`, `not_`, `case` (through import aliases), or None."""
    func = node.func
    if isinstance(func, cst.Attribute):
        name = func.attr.value
        return name if name in QUERY_METHODS or name in QUERY_FUNCTIONS else None
    written = dotted_name(func)
    if written is None:
        return None
    name = (rule.ctx.names.qualify(func) or written).rsplit(".", 1)[-1]
    return name if name in QUERY_FUNCTIONS else None


def is_query_call(rule: Rule, node: cst.Call) -> bool:
    return query_call_name(rule, node) is not None


def mark_query_arguments(rule: Rule, node: cst.Call, positions: dict[int, Position],
                         kinds: tuple[type, ...]) -> None:
    """Record the Position of every node of `kinds` inside the positional arguments of a query
    call; the outermost query call decides (the walk reaches it first)."""
    name = query_call_name(rule, node)
    if name is None:
        return
    negations = 1 if name == "not_" else 0
    predicate = name != "case"
    for arg in node.args:
        if arg.keyword is None:
            _mark(rule, arg.value, Position(negations, predicate), positions, kinds)


def _mark(rule: Rule, node: cst.CSTNode, pos: Position, out: dict[int, Position], kinds: tuple[type, ...]) -> None:
    if isinstance(node, kinds) and id(node) not in out:
        out[id(node)] = pos
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.BitInvert):
        _mark(rule, node.expression, Position(pos.negations + 1, pos.predicate), out, kinds)
        return
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.BitAnd, cst.BitOr)):
        _mark(rule, node.left, pos, out, kinds)
        _mark(rule, node.right, pos, out, kinds)
        return
    if isinstance(node, cst.Call):
        name = query_call_name(rule, node)
        if name in _CONJUNCTIONS or name == "not_":
            inner = Position(pos.negations + (name == "not_"), pos.predicate)
            for arg in node.args:
                _mark(rule, arg.value, inner if arg.keyword is None else Position(inner.negations, False), out, kinds)
            return
    opaque = Position(pos.negations, False)  # inside a function, a comparison, a CASE: values, not rows
    for child in iter_children(node):
        _mark(rule, child, opaque, out, kinds)


def keeps_rows(rule: Rule, column: cst.BaseExpression, pos: Position | None, equality: bool) -> bool:
    """Whether `column.is_(v)` / `.is_not(v)` for `column ==/!= v` (v True or False) returns
    the same rows. Three-valued logic: `= false` and `IS false` differ only on NULL (NULL vs
    false), which a WHERE treats alike unless a negation turns NULL into NULL and false into
    true; `!= true` (NULL) and `IS NOT true` (true) differ on NULL everywhere. A column that
    cannot be NULL (`nullable=False`, a primary key) makes every rewrite exact."""
    facts = column_facts(rule.ctx, column)
    if facts is None or facts.relationship:
        return False  # not known to be a SQLAlchemy column: no rewrite is known to be right
    if facts.not_null:
        return True
    return equality and pos is not None and pos.predicate and pos.negations % 2 == 0


class SingletonComparison(Rule):
    """Base: subclasses set `singletons` (the literal names they handle)."""

    singletons: frozenset[str] = frozenset()
    sqlalchemy_only = True
    fix = "safe"
    # an attribute of a library's model (flask_appbuilder's `PermissionView.permission`) may be
    # a relationship, for which `== None` is the right spelling: FLK402 stays silent there
    skips_library_models = False

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._in_query: dict[int, Position] = {}

    def visit_Call(self, node: cst.Call) -> None:
        mark_query_arguments(self, node, self._in_query, (cst.Comparison,))

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
        facts = column_facts(self.ctx, other)
        if facts is not None and (facts.relationship or facts.orm != "sqlalchemy"):
            # `Model.rel != None` is SQLAlchemy's EXISTS; a peewee field has no `.is_()`
            return
        if facts is None and self.skips_library_models and _library_class_attribute(self.ctx, other):
            return
        pos = self._in_query.get(id(node))
        if pos is None and not (isinstance(other, cst.Attribute) and is_model_class_expr(self.ctx, other.value)):
            return
        equality = isinstance(op, cst.Equal)
        method = "is_" if equality else "is_not"
        written = "==" if equality else "!="
        self.report(
            node,
            f"`{written} {value}` on a column: use `.{method}({value})` (never `is {value}`, which "
            "Python evaluates before SQLAlchemy sees it)",
            None if has_comment(self.ctx.module, node) else Fix(
                f"replace `{written} {value}` with `.{method}({value})`",
                [replace(node, method_call(other, method, value))],
                applicability="safe" if self.fix_keeps_rows(other, pos, equality) else "unsafe",
            ),
        )

    def fix_keeps_rows(self, column: cst.BaseExpression, pos: Position | None, equality: bool) -> bool:
        return keeps_rows(self, column, pos, equality)


def _library_class_attribute(ctx, node: cst.BaseExpression) -> bool:
    """`Cls.attr` where `Cls` is imported from outside the project (the index cannot see it)."""
    if not isinstance(node, cst.Attribute):
        return False
    written = dotted_name(node.value)
    if written is None or not written[:1].isupper() or "." in written:
        return False
    binding = ctx.names.lookup(written)
    qual = ctx.names.qualify(node.value)
    return isinstance(binding, Import) and qual is not None and not ctx.facts.is_project_name(qual)


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
