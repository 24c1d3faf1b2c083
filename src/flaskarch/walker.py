"""One walk per file, shared by every enabled rule.

libcst's own ``module.visit`` rebuilds every node it passes (that is why a visitor that does
nothing doubles the parse cost). This walker only reads: it descends through the fields
that can hold code, skips whitespace and operator tokens, and calls the rules' batched
``visit_<Node>``/``leave_<Node>`` methods. It also keeps the name table's scopes and the
stack of enclosing definitions, so rules never track those themselves.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

from flaskarch._lazy import cst

from flaskarch.context import FileContext
from flaskarch.rule import Rule, iter_visit_methods


def _node_types() -> tuple[frozenset[type], frozenset[type]]:
    """(code node types to descend into, token/whitespace types to skip), as exact types:
    `type(x) in set` is several times cheaper than isinstance() against libcst's ABCs."""
    import libcst  # the real module: the lazy proxy has no dir()

    code, tokens = set(), set()
    for name in dir(libcst):
        obj = getattr(libcst, name)
        if isinstance(obj, type) and issubclass(obj, cst.CSTNode) and not getattr(obj, "__abstractmethods__", None):
            if obj.__module__ in ("libcst._nodes.whitespace", "libcst._nodes.op"):
                tokens.add(obj)
            else:
                code.add(obj)
    return frozenset(code), frozenset(tokens)


_CODE_TYPES: frozenset[type] = frozenset()  # filled on first use (libcst loads lazily)
_TOKEN_TYPES: frozenset[type] = frozenset()
_SKIP_FIELDS = frozenset(
    {"lpar", "rpar", "comma", "semicolon", "leading_lines", "lines_after_decorators", "header",
     "footer", "newline", "trailing_whitespace", "equal", "colon", "dot", "lbracket", "rbracket",
     "lbrace", "rbrace", "default_comma", "default_comma_whitespace", "star_tok", "operator",
     "asynchronous", "relative", "indent", "encoding", "default_indent", "default_newline"}
)
_FIELDS: dict[type, tuple[str, ...]] = {}


def child_fields(cls: type) -> tuple[str, ...]:
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = tuple(
            f.name
            for f in dataclasses.fields(cls)
            if not f.name.startswith("whitespace") and f.name not in _SKIP_FIELDS
        )
        _FIELDS[cls] = fields
    return fields


def _ensure_types() -> None:
    global _CODE_TYPES, _TOKEN_TYPES
    if not _CODE_TYPES:
        _CODE_TYPES, _TOKEN_TYPES = _node_types()


def iter_children(node: cst.CSTNode) -> list[cst.CSTNode]:
    out: list[cst.CSTNode] = []
    code = _CODE_TYPES or (_ensure_types() or _CODE_TYPES)
    fields = _FIELDS.get(type(node)) or child_fields(type(node))
    for name in fields:
        value = getattr(node, name)
        kind = type(value)
        if kind in code:
            out.append(value)
        elif kind is tuple or kind is list:
            for item in value:
                if type(item) in code:
                    out.append(item)
    return out


def walk_subtree(node: cst.CSTNode) -> "list[cst.CSTNode]":
    """Every code node below `node` (inclusive), for rules that search an argument list."""
    out = []
    stack = [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(reversed(iter_children(current)))
    return out


def walk_running(node: cst.CSTNode) -> "list[cst.CSTNode]":
    """The code below `node` (inclusive) that runs with it: not the bodies of functions,
    classes and lambdas defined inside (a handler's or a loop's own code)."""
    out: list[cst.CSTNode] = []
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.FunctionDef, cst.ClassDef, cst.Lambda)) and current is not node:
            continue
        out.append(current)
        stack.extend(iter_children(current))
    return out


Callback = Callable[[Any], Any]


class Walker:
    def __init__(self, ctx: FileContext, rules: list[Rule]) -> None:
        self.ctx = ctx
        self.visit: dict[str, list[Callback]] = {}
        self.leave: dict[str, list[Callback]] = {}
        for rule in rules:
            for phase, type_name, method in iter_visit_methods(rule):
                table = self.visit if phase == "visit" else self.leave
                table.setdefault(type_name, []).append(method)

    def walk(self, module: cst.Module) -> None:
        ctx = self.ctx
        names = ctx.names
        visit, leave = self.visit, self.leave
        parents = ctx.stmt_parent  # block statement -> enclosing block statement (positions)
        for stmt in module.body:
            parents[id(stmt)] = None
        stack: list[Any] = list(reversed(module.body))
        while stack:
            item = stack.pop()
            if type(item) is tuple:  # leave marker: (node, is block statement)
                node, is_block_stmt = item
                type_name = type(node).__name__
                if type_name in ("FunctionDef", "ClassDef"):
                    names.pop()
                    ctx.stack.pop()
                elif type_name == "SimpleStatementLine" and len(names.scopes) > 1:
                    names.bind_statement(node)
                for cb in leave.get(type_name, ()):
                    cb(node)
                if is_block_stmt:
                    ctx.current_stmt = parents[id(node)]
                continue
            node = item
            type_name = type(node).__name__
            is_block_stmt = id(node) in parents
            if is_block_stmt:
                ctx.current_stmt = node
            elif type_name == "IndentedBlock":
                owner = ctx.current_stmt
                for stmt in node.body:
                    parents[id(stmt)] = owner
            for cb in visit.get(type_name, ()):
                cb(node)
            if type_name == "FunctionDef":
                names.push_function(node)
                ctx.stack.append(node)
            elif type_name == "ClassDef":
                names.push_class()
                ctx.stack.append(node)
            elif type_name == "With":
                for with_item in node.items:
                    if with_item.asname is not None and isinstance(with_item.asname.name, cst.Name):
                        names.bind_local(with_item.asname.name.value, with_item.item)
            elif type_name == "For" and isinstance(node.target, cst.Name):
                names.bind_local(node.target.value)
            if (
                is_block_stmt
                or type_name in leave
                or type_name in ("FunctionDef", "ClassDef")
                or (type_name == "SimpleStatementLine" and len(names.scopes) > 1)
            ):
                stack.append((node, is_block_stmt))
            stack.extend(reversed(iter_children(node)))
        ctx.current_stmt = None
