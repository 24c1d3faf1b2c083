"""The fix workflow: per-file and project-wide fixes to one fixpoint, then written once.

Each round applies every allowed per-file fix (each file to its own fixpoint, see
:mod:`flaskarch.fixer`) and every project-wide rename (:mod:`flaskarch.project_fixes`) to the
texts in memory, then rebuilds the project's facts from the fixed texts and re-checks the
changed files and every file whose recorded answers the change altered. Rounds go on until
nothing changes, so a second `--fix` finds nothing left to do and the report describes the
files as they now are (renamed modules under their new names).

Only then is anything written: every file to change must still hold the bytes that were read
(else nothing is written), each is replaced atomically in its own encoding, BOM, line endings
and mode, and a failure part-way restores what was already written.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import replace
from typing import Any

from flaskarch.cache import Cache
from flaskarch.results import DecodeError, FileResult, Finding, SourceFile, decode_source, make_source_file

MAX_ROUNDS = 5


class _Tree:
    """The project's files as the fixes leave them: texts, paths (after renames), originals."""

    def __init__(self, reads: list[Any], checked: list[SourceFile], root: str) -> None:
        self.root = root
        self.reads = {r.sf.abspath: r for r in reads}
        self.checked = [sf.abspath for sf in checked]
        self.original: dict[str, bytes] = {}  # original abspath -> bytes as read
        self.texts: dict[str, str] = {}  # current abspath -> current text
        self.origin: dict[str, str] = {}  # current abspath -> original abspath
        self.renames: list[tuple[str, str]] = []

    def text(self, path: str) -> str | None:
        """The file's current text, read (and its bytes kept for the write guard) on first use."""
        if path in self.texts:
            return self.texts[path]
        from flaskarch.runner import _data

        data = _data(self.reads[path])
        if data is None:
            return None
        try:
            text = decode_source(data)
        except DecodeError:
            return None
        self.original[path] = data
        self.origin[path] = path
        self.texts[path] = text
        return text

    def changed(self) -> list[str]:
        """Current paths whose text or name differs from what was read."""
        out = []
        for path, text in self.texts.items():
            orig = self.origin[path]
            if orig != path or decode_source(self.original[orig]) != text:
                out.append(path)
        return out

    def rename(self, old: str, new: str, here: str) -> None:
        r = self.reads.pop(old)
        sf = make_source_file(new, self.root, here)
        self.reads[new] = replace(r, sf=sf)
        self.texts[new] = self.texts.pop(old)
        self.origin[new] = self.origin.pop(old)
        self.checked = [new if p == old else p for p in self.checked]
        self.renames.append((self.origin[new], new))


def fix_project(ps: Any, reads: list[Any], checked: list[SourceFile], by_path: dict[str, FileResult],
                mode: str, allowed: set[str], cache: Cache, result: Any, verbose: bool,
                jobs: int | None) -> dict[str, FileResult]:
    """Fix the checked files to a fixpoint; write them (`fix`) or keep the diffs (`diff`).
    Returns the results of the checked files as they stand after the fixes."""
    here = os.getcwd()
    tree = _Tree(reads, checked, ps.settings.root)
    current = dict(by_path)
    fixed: list[Finding] = []
    for _ in range(MAX_ROUNDS):
        touched = _file_fixes(tree, current, ps, allowed, fixed, result)
        _project_fixes(tree, current, ps, allowed, fixed, result, here, touched)
        if not touched:
            break
        ps, current = _recheck(tree, current, ps, touched, verbose)
    else:
        result.warnings.append(f"fixes did not settle after {MAX_ROUNDS} rounds; run again to finish")
    if not fixed:
        return by_path
    result.fixed.extend(fixed)
    if mode == "diff":
        result.diffs.extend(_diffs(tree))
        return by_path
    problem = _write(tree)
    if problem:
        result.errors.append(problem)
        result.fixed.clear()
        return by_path
    return {path: current[path] for path in tree.checked if path in current}


def _fixable(fr: FileResult | None, allowed: set[str], project: bool) -> list[Finding]:
    if fr is None:
        return []
    return [f for f in fr.findings if f.fix is not None and f.fix.applicability in allowed
            and bool(f.fix.project) == project and (project or f.fix.edits)]


def _file_fixes(tree: _Tree, current: dict[str, FileResult], ps: Any, allowed: set[str],
                fixed: list[Finding], result: Any) -> set[str]:
    from flaskarch.engine import check_source
    from flaskarch.facts.extract import extract_facts
    from flaskarch.fixer import fix_text

    touched = set()
    for path in tree.checked:
        fr = current.get(path)
        if not _fixable(fr, allowed, project=False):
            continue
        text = tree.text(path)
        if text is None:
            continue
        sf = tree.reads[path].sf

        def recheck(new_text: str, sf: SourceFile = sf) -> list[Finding]:
            facts = extract_facts(new_text, sf.module, sf.relpath, sf.is_package)
            return check_source(sf, new_text, facts, ps.decisions, ps.answers).findings

        ff = fix_text(sf.path, text, fr.findings, recheck, allowed)  # type: ignore[union-attr]
        if ff.error:
            result.errors.append(ff.error)
        if ff.changed:
            tree.texts[path] = ff.text
            fixed.extend(ff.fixed)
            touched.add(path)
    return touched


def _project_fixes(tree: _Tree, current: dict[str, FileResult], ps: Any, allowed: set[str],
                   fixed: list[Finding], result: Any, here: str, touched: set[str]) -> None:
    """Renames across the project (FLK201, FLK203), one after another, each all-or-nothing;
    `touched` (the paths changed this round) follows the renames."""
    from flaskarch import project_fixes

    renamed_now: set[str] = set()
    wanted = [(path, f) for path in list(tree.checked) for f in _fixable(current.get(path), allowed, project=True)]
    if not wanted:
        return
    files: dict[str, tuple[str, str, bool]] = {}
    for path, r in tree.reads.items():
        text = tree.text(path)
        if text is not None:
            files[path] = (r.sf.module, text, r.sf.is_package)
    for path, finding in wanted:
        if path in renamed_now or path not in files:
            continue  # renamed or rewritten by an earlier rename this round: judged next round
        action = finding.fix.project  # type: ignore[union-attr]
        if action[0] == "rename-module":
            new_path = os.path.join(os.path.dirname(path), action[1])
            taken = new_path in files or os.path.exists(new_path)
            change = project_fixes.ProjectChange(error=f"{action[1]} already exists: not renamed") if taken \
                else project_fixes.rename_module(files, ps.answers, path, new_path)
        else:
            change = project_fixes.rename_symbol(files, ps.answers, files[path][0], action[1], action[2])
        if change.error:
            result.warnings.append(f"{finding.path}: {finding.code} fix refused: {change.error}")
            continue
        problem = project_fixes.check(change)
        if problem:
            result.warnings.append(f"{finding.path}: {finding.code} fix not applied: {problem}")
            continue
        for changed_path, (_, new) in change.texts.items():
            tree.texts[changed_path] = new
            module, _, is_package = files[changed_path]
            files[changed_path] = (module, new, is_package)
            touched.add(changed_path)
            renamed_now.add(changed_path)
        for old_path, new_path in change.renames:
            tree.rename(old_path, new_path, here)
            r = tree.reads[new_path]
            files.pop(old_path)
            files[new_path] = (r.sf.module, tree.texts[new_path], r.sf.is_package)
            current[new_path] = current.pop(old_path, FileResult(r.sf.path))
            touched.discard(old_path)
            touched.add(new_path)
            renamed_now.add(new_path)
        fixed.append(finding)


def _recheck(tree: _Tree, current: dict[str, FileResult], ps: Any, touched: set[str],
             verbose: bool) -> tuple[Any, dict[str, FileResult]]:
    """Facts rebuilt from the fixed texts; the touched files and every file whose recorded
    answers changed are checked again."""
    from flaskarch.engine import check_source
    from flaskarch.facts.digest import facts_digest
    from flaskarch.facts.extract import extract_facts
    from flaskarch.runner import ProjectState

    for path in touched:
        r = tree.reads[path]
        facts = extract_facts(tree.texts[path], r.sf.module, r.sf.relpath, r.sf.is_package)
        tree.reads[path] = replace(r, facts=facts, digest=facts_digest(facts))
    ps = ProjectState.build(list(tree.reads.values()), ps.settings)
    out = dict(current)
    for path in tree.checked:
        fr = out.get(path)
        if path in touched or fr is None or fr.answers is None or not ps.answers.still_valid(fr.answers):
            text = tree.text(path)
            r = tree.reads[path]
            out[path] = check_source(r.sf, text, r.facts, ps.decisions, ps.answers, verbose)
    return ps, out


def _diffs(tree: _Tree) -> list[str]:
    out = []
    for path in tree.changed():
        orig = tree.origin[path]
        old = decode_source(tree.original[orig])
        new = tree.texts[path]
        if old != new:
            a, b = os.path.relpath(orig), os.path.relpath(path)
            out.append("".join(difflib.unified_diff(
                old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{a}", f"b/{b}")))
        if orig != path:
            out.append(f"rename {os.path.relpath(orig)} => {os.path.relpath(path)}\n")
    return out


def _unwritable(path: str) -> str | None:
    """Why a fix must not replace this file: a link (replacing it would turn the link into a
    copy, or split a hard link from its twins), or read-only by its mode bits (as editors
    treat it, even for root)."""
    import stat

    try:
        st = os.lstat(path)
    except OSError as exc:
        return f"cannot stat: {exc.strerror}"
    if stat.S_ISLNK(st.st_mode):
        return "is a symbolic link, not fixed (fix its target)"
    if st.st_nlink > 1:
        return "has other hard links, not fixed"
    if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        return "is read-only, not fixed"
    return None


def _write(tree: _Tree) -> str | None:
    """All or nothing: every file to change must still hold what was read; a failed write or
    rename restores what was already done."""
    from flaskarch.fixer import write_atomically

    changed = tree.changed()
    for path in changed:
        orig = tree.origin[path]
        try:
            with open(orig, "rb") as fh:
                if fh.read() != tree.original[orig]:
                    return f"{os.path.relpath(orig)}: changed on disk since it was read; nothing written"
        except OSError as exc:
            return f"{os.path.relpath(orig)}: cannot re-read: {exc.strerror}; nothing written"
        refused = _unwritable(orig)
        if refused is not None:
            return f"{os.path.relpath(orig)}: {refused}; nothing written"
        if orig != path and os.path.exists(path):
            return f"{os.path.relpath(path)} already exists; nothing written"
    done: list[tuple[str, str]] = []  # (original path, current path) written or moved
    for path in changed:
        orig = tree.origin[path]
        problem = None
        if decode_source(tree.original[orig]) != tree.texts[path]:
            problem = write_atomically(orig, tree.original[orig], tree.texts[path])
        if problem is None and orig != path:
            try:
                os.rename(orig, path)
            except OSError as exc:
                problem = f"cannot rename: {exc.strerror}"
                _restore(tree, [(orig, orig)])
        if problem:
            _restore(tree, done)
            return f"{os.path.relpath(orig)}: {problem}; nothing changed"
        done.append((orig, path))
    return None


def _restore(tree: _Tree, done: list[tuple[str, str]]) -> None:
    for orig, path in reversed(done):
        try:
            if orig != path and os.path.exists(path):
                os.rename(path, orig)
            with open(orig, "wb") as fh:
                fh.write(tree.original[orig])
        except OSError:
            continue
