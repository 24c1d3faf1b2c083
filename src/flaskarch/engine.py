"""The engine: parse once, walk once, position, decide, resolve fixes.

`check_source` is a pure function of (the file's bytes, the decisions of its project's
settings, the project's answers): that is what lets the runner fan it out to worker processes
and cache its result, keyed by the answers it recorded.
"""

from __future__ import annotations

import traceback

from flaskarch._lazy import cst

from flaskarch.config import Settings
from flaskarch.context import FileContext
from flaskarch.decision import Decisions, Suppressions, fingerprint, make_finding
from flaskarch.facts.answers import Answers
from flaskarch.facts.model import ModuleFacts
from flaskarch.layers import classify
from flaskarch.names import NameTable
from flaskarch.noqa import file_is_skipped
from flaskarch.results import FileResult, SourceFile
from flaskarch.rule import Edit, Finding, FixInfo, NodeEdit, PendingReport, Rule
from flaskarch.walker import Walker

__all__ = ["check_source", "detect_preset", "fingerprint"]


def check_source(
    sf: SourceFile,
    text: str | None,
    facts: ModuleFacts,
    decisions: Decisions,
    answers: Answers,
    verbose: bool = False,
    apply_noqa: bool = True,
) -> FileResult:
    """Findings of one file, with the answers its check asked. Never raises: a crash becomes
    a tool error for this file. apply_noqa=False leaves `# noqa` to the caller (flake8)."""
    result = FileResult(sf.path)
    answers.begin()
    try:
        _check(sf, text, facts, decisions, answers, result, apply_noqa)
    except Exception as exc:  # noqa: BLE001 - one file's crash must not end the run
        detail = traceback.format_exc() if verbose else ""
        result.findings = []
        result.errors.append(
            f"{sf.path}: internal error: {type(exc).__name__}: {exc}" + (f"\n{detail}" if detail else "")
        )
    finally:
        result.answers = answers.end()
    result.findings.sort(key=Finding.sort_key)
    return result


def _check(sf: SourceFile, text: str | None, facts: ModuleFacts, decisions: Decisions, answers: Answers,
           result: FileResult, apply_noqa: bool) -> None:
    syntax_error = facts.syntax_error
    if syntax_error is not None and text is not None and _libcst_parses(text):
        syntax_error = None  # newer syntax than the running CPython knows (`type X = ...` on 3.11)
    if syntax_error is not None or text is None:
        if syntax_error is not None and decisions.runs("FLK001", sf.relpath):
            line, col, msg = syntax_error
            result.findings.append(_syntax_error(sf.path, line, col, msg))
        return
    lines = text.splitlines()
    if file_is_skipped(lines):
        return
    settings = decisions.settings
    ctx = FileContext(
        path=sf.path, relpath=sf.relpath, module_name=sf.module, layer=classify(sf.relpath, settings),
        settings=settings, facts=answers, source=text, module=None, names=None,
        uses_sqlalchemy=answers.module_uses_sqlalchemy(sf.module),
    )
    candidates = [r for r in decisions.rules_for(sf.relpath) if not r.engine_rule and r.applies_to(ctx)]
    # rules about the file's path need no tree
    rules = [cls(ctx) for cls in candidates if not cls.needs_tree]
    for rule in rules:
        rule.finish()
    # prefilter: a rule whose pattern is absent cannot fire; no tree rule left, no parse
    tree_rules = [r for r in candidates if r.needs_tree and _prefilter_matches(r, settings, text)]
    module = None
    if tree_rules:
        try:
            module = cst.parse_module(text)
        except cst.ParserSyntaxError as exc:
            if decisions.runs("FLK001", sf.relpath):
                result.findings.append(_syntax_error(sf.path, exc.raw_line, exc.raw_column + 1, exc.message))
            return
        result.parsed = True
        ctx.module = module
        ctx.names = NameTable(sf.module, sf.is_package)
        ctx.names.fill_module(module)
        walkers = [cls(ctx) for cls in tree_rules]
        Walker(ctx, walkers).walk(module)
        for rule in walkers:
            rule.finish()
        rules += walkers
    noqa = decisions.suppressions(lines, apply_noqa)
    pending = [(rule, rep) for rule in rules for rep in rule.reports]
    if pending:
        result.findings += _decide(ctx, module, lines, pending, noqa)
    result.findings += decisions.unused_noqa(sf.path, sf.relpath, lines, noqa)


def _decide(ctx: FileContext, module, lines: list[str], pending: list, noqa: Suppressions) -> list[Finding]:
    """Position the reports, drop duplicates and suppressed ones, then let each rule complete
    the fixes of what is kept, and resolve those fixes to text edits."""
    # report nodes and the nodes their fixes edit, positioned in one pass
    positions = _positions(ctx, module, [rep for _, rep in pending] + _fix_targets(ctx, [rep for _, rep in pending], {}))
    kept: list[tuple[Rule, PendingReport, tuple, tuple]] = []
    seen = set()
    for rule, rep in pending:
        start, end = positions.get(id(rep.node), ((1, 1), (1, 1))) if rep.node is not None else ((1, 1), (1, 1))
        if (rule.code, start) in seen:
            continue
        seen.add((rule.code, start))
        if noqa.suppresses(rule.code, start[0]):
            continue
        kept.append((rule, rep, start, end))
    by_rule: dict[int, tuple[Rule, list[PendingReport]]] = {}
    for rule, rep, _, _ in kept:
        by_rule.setdefault(id(rule), (rule, []))[1].append(rep)
    for rule, reports in by_rule.values():
        rule.complete_fixes(reports)
    # edits rules added while completing their fixes (FLK404's shared imports)
    targets = _fix_targets(ctx, [rep for _, rep, _, _ in kept], positions)
    if targets:
        positions.update(_positions(ctx, module, targets))
    newline = module.default_newline if module is not None else "\n"
    out = []
    for rule, rep, start, end in kept:
        finding = make_finding(type(rule), ctx.path, start[0], start[1], end[0], end[1], rep.message,
                               rep.severity)
        if rep.fix is not None and rule.fix is not None:
            edits = _resolve_edits(rep.fix.edits, positions, lines, newline)
            if edits is not None and (edits or rep.fix.project):
                finding.fix = FixInfo(rep.fix.applicability or rule.fix, rep.fix.message, edits, rep.fix.project)
        source_line = lines[start[0] - 1] if 0 < start[0] <= len(lines) else ""
        finding.fingerprint = fingerprint(rule.code, rep.scope, source_line)
        out.append(finding)
    return out


def _fix_targets(ctx: FileContext, reports: list[PendingReport], positions: dict) -> list[PendingReport]:
    """The nodes the reports' fixes edit that have no position yet."""
    return [
        PendingReport(target, "", None, target if id(target) in ctx.stmt_parent else rep.stmt)
        for rep in reports if rep.fix is not None
        for edit in rep.fix.edits if isinstance(edit, NodeEdit)
        for target in (edit.node, edit.until) if target is not None and id(target) not in positions
    ]


def _positions(ctx: FileContext, module, reports: list[PendingReport]) -> dict:
    if module is None:
        return {}
    from flaskarch.positions import node_positions  # only files with findings need it

    return node_positions(module, ctx.source, reports, ctx.stmt_parent, ctx.position_state)


def _syntax_error(path: str, line: int, col: int, message: str) -> Finding:
    from flaskarch.rules import RULES_BY_CODE

    return make_finding(RULES_BY_CODE["FLK001"], path, line, col, line, col, f"cannot parse: {message}")


def _resolve_edits(edits: list, positions: dict, lines: list[str], newline: str) -> tuple[Edit, ...] | None:
    """Node-based edits -> positioned text edits, in the file's own newline style."""
    out = []
    for edit in edits:
        if isinstance(edit, Edit):
            out.append(edit)
            continue
        where = positions.get(id(edit.node))
        if where is None:
            return None
        start, end = where
        content = edit.content
        if edit.reindent and 0 < start[0] <= len(lines):
            line = lines[start[0] - 1]
            indent = line[: len(line) - len(line.lstrip())]
            if edit.kind == "line_after":  # a whole new line: indented like the node's line
                content = indent + content
            else:
                content = content.replace("\n", "\n" + indent)
        # one newline style: the file's (content copied from a CRLF source already has it)
        content = content.replace("\r\n", "\n").replace("\r", "\n")
        if newline != "\n":
            content = content.replace("\n", newline)
        edit = NodeEdit(edit.kind, edit.node, content, edit.until)
        if edit.kind == "replace":
            out.append(Edit(start, end, edit.content))
        elif edit.kind == "before":
            out.append(Edit(start, start, edit.content))
        elif edit.kind == "after":
            out.append(Edit(end, end, edit.content))
        elif edit.kind == "line_after":  # a new line right after the node's last line
            if end[0] < len(lines):
                out.append(Edit((end[0] + 1, 1), (end[0] + 1, 1), edit.content))
            else:
                tail = (end[0], len(lines[end[0] - 1]) + 1) if lines else (1, 1)
                out.append(Edit(tail, tail, newline + edit.content.rstrip("\r\n")))
        else:  # span: from node's start to until's start
            until = positions.get(id(edit.until))
            if until is None:
                return None
            out.append(Edit(start, until[0], edit.content))
    return tuple(out)


def _libcst_parses(text: str) -> bool:
    try:
        cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return False
    return True


def _prefilter_matches(rule: type[Rule], settings: Settings, text: str) -> bool:
    pattern = rule.prefilter_for(settings)
    return pattern is None or pattern.search(text) is not None


def detect_preset(relpaths: list[str]) -> str:
    """RULES.md: backant with routes/*_route.py, mscr with controllers/*_controller.py, else factory."""
    backant = mscr = False
    for rel in relpaths:
        parts = rel.split("/")
        if len(parts) >= 2:
            folder, name = parts[-2], parts[-1]
            if folder == "routes" and name.endswith("_route.py"):
                backant = True
            elif folder == "controllers" and name.endswith("_controller.py"):
                mscr = True
    return "backant" if backant else "mscr" if mscr else "factory"

