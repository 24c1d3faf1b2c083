"""The engine: read, index, parse once, walk once, position, suppress.

`check_source` is a pure function of (the file's bytes, the effective settings, the project
index): that is what lets the runner fan it out to worker processes and cache its result.
"""

from __future__ import annotations

import hashlib
import traceback

from flaskarch._lazy import cst

from flaskarch.config import Settings
from flaskarch.context import FileContext
from flaskarch.index import ModuleFacts, ProjectIndex
from flaskarch.layers import classify
from flaskarch.names import NameTable
from flaskarch.noqa import NOQA_RE, file_is_skipped, parse_noqa, suppressed
from flaskarch.paths import globset
from flaskarch.results import FileResult, SourceFile
from flaskarch.rule import Edit, Finding, FixInfo, NodeEdit, PendingReport, Rule
from flaskarch.rules import RULES_BY_CODE
from flaskarch.walker import Walker

SYNTAX_ERROR = RULES_BY_CODE["FLK001"]
UNUSED_NOQA = RULES_BY_CODE["FLK002"]
ENGINE_RULES = (SYNTAX_ERROR, UNUSED_NOQA)


def enabled_rules(settings: Settings) -> list[type[Rule]]:
    """The rules the settings turn on: preset (or `select`), `extend-select`, minus `ignore`."""
    out = []
    for code, rule in RULES_BY_CODE.items():
        if settings.select is None:
            on = settings.preset in rule.presets
        else:
            on = any(code.startswith(p) for p in settings.select)
        if any(code.startswith(p) for p in settings.extend_select):
            on = True
        if any(code.startswith(p) for p in settings.ignore):
            on = False
        if on:
            out.append(rule)
    return out


def check_source(
    sf: SourceFile,
    text: str | None,
    facts: ModuleFacts,
    settings: Settings,
    index: ProjectIndex,
    rule_classes: list[type[Rule]],
    verbose: bool = False,
    apply_noqa: bool = True,
) -> FileResult:
    """Findings of one file. Never raises: a crash becomes a tool error for this file.
    apply_noqa=False leaves `# noqa` to the caller (flake8 does its own)."""
    result = FileResult(sf.path)
    ignored_here = _per_file_ignores(sf.relpath, settings)
    syntax_error = facts.syntax_error
    if syntax_error is not None and text is not None and _libcst_parses(text):
        syntax_error = None  # newer syntax than the running CPython knows (`type X = ...` on 3.11)
    if syntax_error is not None or text is None:
        if syntax_error is not None and SYNTAX_ERROR in rule_classes:
            line, col, msg = syntax_error
            finding = _finding(SYNTAX_ERROR, sf.path, line, col, line, col, f"cannot parse: {msg}")
            if not any(finding.code.startswith(p) for p in ignored_here):
                result.findings.append(finding)
        return result
    lines = text.splitlines()
    if file_is_skipped(lines):
        return result
    layer = classify(sf.relpath, settings)
    try:
        return _check_parsed(sf, text, lines, layer, settings, index, rule_classes, ignored_here, result, apply_noqa)
    except Exception as exc:  # noqa: BLE001 - one file's crash must not end the run
        detail = traceback.format_exc() if verbose else ""
        result.errors.append(
            f"{sf.path}: internal error: {type(exc).__name__}: {exc}" + (f"\n{detail}" if detail else "")
        )
        return result


def _check_parsed(
    sf: SourceFile,
    text: str,
    lines: list[str],
    layer: str | None,
    settings: Settings,
    index: ProjectIndex,
    rule_classes: list[type[Rule]],
    ignored_here: tuple[str, ...],
    result: FileResult,
    apply_noqa: bool = True,
) -> FileResult:
    uses_sqla = index.module_uses_sqlalchemy(sf.module)
    candidates = [
        r for r in rule_classes if r not in ENGINE_RULES and not any(r.code.startswith(p) for p in ignored_here)
    ]
    ctx = FileContext(
        path=sf.path, relpath=sf.relpath, module_name=sf.module, layer=layer, settings=settings,
        index=index, source=text, module=None, names=None, uses_sqlalchemy=uses_sqla,
    )
    candidates = [r for r in candidates if r.applies_to(ctx)]
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
            if SYNTAX_ERROR in rule_classes:
                result.findings.append(
                    _finding(SYNTAX_ERROR, sf.path, exc.raw_line, exc.raw_column + 1, exc.raw_line,
                             exc.raw_column + 1, f"cannot parse: {exc.message}")
                )
            return result
        result.parsed = True
        ctx.module = module
        ctx.names = NameTable(sf.module, sf.is_package)
        ctx.names.fill_module(module)
        walkers = [cls(ctx) for cls in tree_rules]
        Walker(ctx, walkers).walk(module)
        for rule in walkers:
            rule.finish()
        rules += walkers
    pending = [(rule, rep) for rule in rules for rep in rule.reports]
    noqa = parse_noqa(lines) if apply_noqa else {}
    used: dict[int, set[str]] = {}
    if not pending:
        _unused_noqa(sf.path, lines, noqa, used, rule_classes, ignored_here, result)
        return result
    wanted = [rep for _, rep in pending]
    for _, rep in pending:  # the nodes fixes edit are positioned in the same pass
        if rep.fix is not None:
            for edit in rep.fix.edits:
                if isinstance(edit, NodeEdit):
                    for target in (edit.node, edit.until):
                        if target is not None:
                            own = target if id(target) in ctx.stmt_parent else rep.stmt
                            wanted.append(PendingReport(target, "", None, own))
    if module is not None:
        from flaskarch.positions import node_positions  # only files with findings need it

        positions = node_positions(module, text, wanted, ctx.stmt_parent)
    else:
        positions = {}
    seen = set()
    for rule, rep in pending:
        start, end = positions.get(id(rep.node), ((1, 1), (1, 1))) if rep.node is not None else ((1, 1), (1, 1))
        key = (rule.code, start)
        if key in seen:
            continue
        seen.add(key)
        if suppressed(noqa.get(start[0]), rule.code):
            used.setdefault(start[0], set()).add(rule.code)
            continue
        finding = _finding(type(rule), sf.path, start[0], start[1], end[0], end[1], rep.message)
        if rep.fix is not None and rule.fix is not None:
            edits = _resolve_edits(rep.fix.edits, positions, lines, module.default_newline if module else "\n")
            if edits is not None and (edits or rep.fix.project):
                finding.fix = FixInfo(rule.fix, rep.fix.message, edits, rep.fix.project)
        source_line = lines[start[0] - 1] if 0 < start[0] <= len(lines) else ""
        finding.fingerprint = fingerprint(rule.code, rep.scope, source_line)
        result.findings.append(finding)
    _unused_noqa(sf.path, lines, noqa, used, rule_classes, ignored_here, result)
    result.findings.sort(key=Finding.sort_key)
    return result


def _unused_noqa(path: str, lines: list[str], noqa: dict, used: dict[int, set[str]],
                 rule_classes: list[type[Rule]], ignored_here: tuple[str, ...], result: FileResult) -> None:
    """FLK002: FLK codes of `# noqa: ...` that suppressed nothing on their line; other tools'
    codes are left alone. The fix drops the unused codes, or the directive when none is left."""
    if UNUSED_NOQA not in rule_classes or any(UNUSED_NOQA.code.startswith(p) for p in ignored_here):
        return
    for number, directive in noqa.items():
        if directive.codes is None:
            continue
        hits = used.get(number, set())
        # judged: codes of rules that ran here (a disabled rule's noqa cannot be judged), and
        # codes that name no rule at all
        ran = [r.code for r in rule_classes if not any(r.code.startswith(p) for p in ignored_here)]
        unused = [
            c for c in directive.codes
            if c.startswith("FLK")
            and (any(code.startswith(c) for code in ran) or not any(code.startswith(c) for code in RULES_BY_CODE))
            and not any(h == c or h.startswith(c) for h in hits)
        ]
        if not unused:
            continue
        line = lines[number - 1]
        match = NOQA_RE.search(line)
        if match is None:
            continue
        kept = [c for c in directive.codes if c not in unused]
        start, end = match.start(), match.end()
        after = line[end:]
        if kept:
            edit_span, content = (start, end), "# noqa: " + ", ".join(kept)
        elif not after.strip():
            edit_span, content = (len(line[:start].rstrip()), len(line)), ""
        elif after.lstrip().startswith("#"):
            edit_span, content = (start, end + len(after) - len(after.lstrip())), ""
        else:
            edit_span, content = (start, end), "#"
        finding = _finding(UNUSED_NOQA, path, number, start + 1, number, end + 1,
                           f"unused `noqa` code{'s' if len(unused) > 1 else ''} {', '.join(unused)}: "
                           "nothing on this line needs suppressing, remove "
                           f"{'them' if len(unused) > 1 else 'it'}")
        finding.fix = FixInfo("safe", "remove the unused noqa codes",
                              (Edit((number, edit_span[0] + 1), (number, edit_span[1] + 1), content),))
        finding.fingerprint = fingerprint(UNUSED_NOQA.code, "", line)
        if UNUSED_NOQA.code not in directive.codes:  # `# noqa: FLK002` keeps it quiet
            result.findings.append(finding)


def fingerprint(code: str, scope: str, source_line: str) -> str:
    """Stable identity of a finding: not its line number, so moving code keeps it."""
    normalised = " ".join(source_line.split())
    return hashlib.sha256(f"{code}|{scope}|{normalised}".encode()).hexdigest()[:16]


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


def _finding(
    rule: type[Rule], path: str, line: int, col: int, end_line: int, end_col: int, message: str
) -> Finding:
    return Finding(
        code=rule.code, name=rule.name, severity=rule.severity, path=path, line=line, column=col,
        end_line=end_line, end_column=end_col, message=message,
        fingerprint=fingerprint(rule.code, "", message),  # rules' findings refine this
    )


def _per_file_ignores(relpath: str, settings: Settings) -> tuple[str, ...]:
    out: list[str] = []
    for glob, codes in settings.per_file_ignores:
        if globset((glob,)).match(relpath):
            out.extend(codes)
    return tuple(out)


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

