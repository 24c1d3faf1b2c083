"""Positions of reported nodes, without libcst's whole-module metadata pass.

libcst nodes carry no positions; its PositionProvider rebuilds the whole tree and generates
the whole module's code with tracking (measured: 60% of a cold run on CTFd). Here the walker
has recorded, for each finding, the innermost block statement holding it; the stdlib `ast`
(a tenth of a libcst parse) gives that statement's line, found by pairing libcst's block
statements with ast's by order; and the tracking code generation runs on that statement
alone, with the enclosing blocks' indentation seeded so that columns come out exact.
"""

from __future__ import annotations

import ast
import re

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider
from libcst.metadata.position_provider import PositionProvidingCodegenState

from flaskarch.rule import PendingReport

Range = tuple[tuple[int, int], tuple[int, int]]


class _Sink:
    """Stands in for the metadata provider the codegen state writes positions into."""

    def __init__(self) -> None:
        self._computed: dict[cst.CSTNode, object] = {}


class _Mismatch(Exception):
    """libcst's and ast's statements did not pair up: fall back to the full pass."""


def node_positions(
    module: cst.Module,
    text: str,
    reports: list[PendingReport],
    stmt_parent: dict[int, cst.CSTNode | None],
    state: dict | None = None,
) -> dict[int, Range]:
    """1-based (line, column) start and end of each reported node, keyed by id(node). `state`
    carries the file's ast and generated statements from one call to the next."""
    out: dict[int, Range] = {}
    wanted = [r for r in reports if r.node is not None]
    if not wanted:
        return out
    state = {} if state is None else state
    if "tree" not in state:
        try:
            state["tree"] = ast.parse(text)
        except (SyntaxError, ValueError):
            state["tree"] = None
        state["lines"] = text.splitlines()
        state["generated"] = {}
    tree, lines = state["tree"], state["lines"]
    generated: dict[int, tuple[dict[cst.CSTNode, object], int]] = state["generated"]
    missing = []
    for rep in wanted:
        try:
            if tree is None or rep.stmt is None:
                raise _Mismatch
            path = _path(rep.stmt, stmt_parent)
            anchor, indents = _anchor(module, tree, path)
            out[id(rep.node)] = _locate(module, rep.node, rep.stmt, anchor, indents, generated, lines)
        except (_Mismatch, KeyError, IndexError):
            missing.append(rep.node)
    if missing:
        out.update(_full_pass(module, {id(n) for n in missing}))
    return out


def _path(stmt: cst.CSTNode, parents: dict[int, cst.CSTNode | None]) -> list[cst.CSTNode]:
    path = [stmt]
    parent = parents[id(stmt)]
    while parent is not None:
        path.append(parent)
        parent = parents[id(parent)]
    path.reverse()
    return path


def _anchor(module: cst.Module, tree: ast.Module, path: list[cst.CSTNode]) -> tuple[ast.stmt, list[str]]:
    """The ast statement paired with the innermost statement of path, and its block indents."""
    indents: list[str] = []
    anchor = _pair(list(module.body), tree.body, path[0])
    for parent, child in zip(path, path[1:]):
        for block, ast_body in _blocks(parent, anchor):
            if any(s is child for s in block.body):
                anchor = _pair(list(block.body), ast_body, child)
                indents.append(block.indent if block.indent is not None else module.default_indent)
                break
        else:
            raise _Mismatch
    return anchor, indents


def _pair(stmts: list[cst.CSTNode], ast_stmts: list[ast.stmt], target: cst.CSTNode) -> ast.stmt:
    cursor = 0
    for stmt in stmts:
        if stmt is target:
            if cursor >= len(ast_stmts):
                raise _Mismatch
            return ast_stmts[cursor]
        cursor += len(stmt.body) if isinstance(stmt, cst.SimpleStatementLine) else 1
    raise _Mismatch


def _blocks(stmt: cst.CSTNode, anchor: ast.stmt) -> list[tuple[cst.IndentedBlock, list[ast.stmt]]]:
    """Each indented block of a compound statement with the ast statements it pairs with."""
    out: list[tuple[cst.BaseSuite, list[ast.stmt]]] = []
    if isinstance(stmt, (cst.FunctionDef, cst.ClassDef, cst.With)):
        out.append((stmt.body, anchor.body))  # type: ignore[attr-defined]
    elif isinstance(stmt, cst.If):
        node: cst.CSTNode | None = stmt
        a: ast.stmt = anchor
        while isinstance(node, cst.If) and isinstance(a, ast.If):
            out.append((node.body, a.body))
            if isinstance(node.orelse, cst.If):
                node, a = node.orelse, (a.orelse[0] if a.orelse else None)  # type: ignore[assignment]
            else:
                if isinstance(node.orelse, cst.Else):
                    out.append((node.orelse.body, a.orelse))
                break
    elif isinstance(stmt, (cst.For, cst.While)):
        out.append((stmt.body, anchor.body))  # type: ignore[attr-defined]
        if stmt.orelse is not None:
            out.append((stmt.orelse.body, anchor.orelse))  # type: ignore[attr-defined]
    elif isinstance(stmt, (cst.Try, cst.TryStar)):
        out.append((stmt.body, anchor.body))  # type: ignore[attr-defined]
        for handler, ast_handler in zip(stmt.handlers, anchor.handlers):  # type: ignore[attr-defined]
            out.append((handler.body, ast_handler.body))
        if stmt.orelse is not None:
            out.append((stmt.orelse.body, anchor.orelse))  # type: ignore[attr-defined]
        if stmt.finalbody is not None:
            out.append((stmt.finalbody.body, anchor.finalbody))  # type: ignore[attr-defined]
    return [(b, a) for b, a in out if isinstance(b, cst.IndentedBlock)]


def _locate(module, node, stmt, anchor, indents, generated, lines) -> Range:
    if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
        # the `def`/`class` line and its name come straight from ast and the line's text
        if node is stmt:
            start = (anchor.lineno, len("".join(indents)) + 1)
            end = (anchor.end_lineno or anchor.lineno, _char_col(lines, anchor.end_lineno, anchor.end_col_offset))
            return start, end
        if node is stmt.name:
            match = re.search(r"\b(?:def|class)\s+(" + re.escape(stmt.name.value) + r")\b", lines[anchor.lineno - 1])
            if match:
                col = match.start(1) + 1
                return (anchor.lineno, col), (anchor.lineno, col + len(stmt.name.value))
    entry = generated.get(id(stmt))
    if entry is None:
        sink = _Sink()
        state = PositionProvidingCodegenState(
            default_indent=module.default_indent, default_newline=module.default_newline, provider=sink
        )
        state.indent_tokens = list(indents)
        stmt._codegen(state)
        delta = anchor.lineno - sink._computed[stmt].start.line  # type: ignore[attr-defined]
        entry = (sink._computed, delta)
        generated[id(stmt)] = entry
    computed, delta = entry
    rng = computed[node]
    return (
        (rng.start.line + delta, rng.start.column + 1),  # type: ignore[attr-defined]
        (rng.end.line + delta, rng.end.column + 1),  # type: ignore[attr-defined]
    )


def _char_col(lines: list[str], line: int | None, byte_col: int | None) -> int:
    """ast columns count UTF-8 bytes; reports count characters (1-based)."""
    if line is None or byte_col is None or not 0 < line <= len(lines):
        return 1
    return len(lines[line - 1].encode("utf-8")[:byte_col].decode("utf-8", errors="ignore")) + 1


def _full_pass(module: cst.Module, wanted: set[int]) -> dict[int, Range]:
    ranges = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    return {
        id(node): ((r.start.line, r.start.column + 1), (r.end.line, r.end.column + 1))
        for node, r in ranges.items()
        if id(node) in wanted
    }
