"""A whole run: discover, build the project index, check files (cached, in parallel)."""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flaskarch.cache import Cache, RunState, code_digest, signature
from flaskarch.config import Settings
from flaskarch.discovery import discover, discover_project
from flaskarch.pins import PIN_FILES
from flaskarch.results import (
    DecodeError,
    FileResult,
    Finding,
    SourceFile,
    decode_source,
    make_source_file,
)

if TYPE_CHECKING:
    from flaskarch.index import ModuleFacts, ProjectIndex

# The engine, the index and the rules (and libcst) are imported by the runs that check
# something: a run served from the run state loads none of them.


@dataclass
class RunResult:
    settings: Settings
    files: int = 0
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    parsed: int = 0  # files that needed a libcst parse in this run (0 when warm)
    cached: int = 0  # files whose result came from the cache
    timings: dict[str, float] = field(default_factory=dict)
    fixed: list[Finding] = field(default_factory=list)  # applied (or, with --diff, proposed)
    diffs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # fixes refused (one line each)


@dataclass
class _Read:
    sf: SourceFile
    data: bytes | None
    content_hash: str
    facts: ModuleFacts
    digest: str
    error: str | None = None


def run(
    paths: list[Path],
    settings: Settings,
    verbose: bool = False,
    jobs: int | None = None,
    use_cache: bool = True,
    fix_mode: str | None = None,
    unsafe_fixes: bool = False,
) -> RunResult:
    """Check `paths`; project-wide facts come from the whole project root."""
    clock = time.perf_counter()
    here = os.getcwd()
    root = settings.root
    checked_paths, project_paths = discover_project(paths, settings)
    memo: dict[str, tuple[str, ...]] = {}
    project = [make_source_file(p, root, here, memo) for p in project_paths]
    checked = project[: len(checked_paths)]
    stats = {sf.abspath: _stat(sf.abspath) for sf in project}
    t_discover = time.perf_counter()
    cache = Cache(root, enabled=use_cache)
    sig = signature(
        settings.digest(), root,
        sorted((sf.relpath, sf.module, sf.is_package, stats[sf.abspath]) for sf in project),
        [(name, _stat(os.path.join(root, name))) for name in PIN_FILES],
    )
    state = cache.state() if fix_mode is None else None
    if state is not None and state.signature != sig:
        state = None
    if state is not None and all(sf.relpath in state.results for sf in checked):
        result = _from_state(state, checked, settings)
        result.timings = {"discover": t_discover - clock, "run-state": time.perf_counter() - t_discover}
        return result

    from flaskarch.engine import enabled_rules

    reads = _read_all(project, cache, stats, jobs)
    t_read = time.perf_counter()

    index, settings = _index(reads, settings)
    rules = enabled_rules(settings)
    deps = index.dependency_digests({r.sf.module: r.digest for r in reads})
    base = hashlib.sha256(
        f"{code_digest()}|{settings.digest()}|{index.global_digest()}".encode()
    ).hexdigest()

    result = RunResult(settings=settings, files=len(checked))
    todo: list[tuple[_Read, str]] = []
    by_path: dict[str, FileResult] = {}
    for r in reads[: len(checked)]:
        if r.error:
            result.errors.append(r.error)
            continue
        key = f"{base}|{deps.get(r.sf.module, '')}"
        cached = cache.result(r.sf.relpath, r.content_hash, key)
        if cached is not None:
            by_path[r.sf.abspath] = _rebased(cached, r.sf.path)
            result.cached += 1
        else:
            todo.append((r, key))

    t_index = time.perf_counter()
    tasks = [(r.sf, _text(r), r.facts) for r, _ in todo]
    for (r, key), fr in zip(todo, _check_all(tasks, settings, index, rules, verbose, jobs)):
        by_path[r.sf.abspath] = fr
        result.parsed += int(fr.parsed)
        if not fr.errors:
            cache.store_result(r.sf.relpath, r.content_hash, key, fr)
    if fix_mode is None:
        results = dict(state.results) if state is not None else {}
        results.update((sf.relpath, by_path[sf.abspath]) for sf in checked
                       if sf.abspath in by_path and not by_path[sf.abspath].errors)
        cache.store_state(RunState(sig, settings.preset, results))
    else:
        allowed = {"safe", "unsafe"} if unsafe_fixes else {"safe"}
        read_of = {r.sf.abspath: r for r in reads}
        for sf in checked:
            fr = by_path.get(sf.abspath)
            if fr is not None and any(f.fix and f.fix.applicability in allowed for f in fr.findings):
                by_path[sf.abspath] = _fix_file(
                    read_of[sf.abspath], fr, fix_mode, allowed, settings, index, rules, result
                )
        _project_fixes(checked, by_path, reads, index, fix_mode, allowed, result)
    for sf in checked:
        fr = by_path.get(sf.abspath)
        if fr is not None:
            result.findings.extend(fr.findings)
            result.errors.extend(fr.errors)
    result.findings.sort(key=Finding.sort_key)
    t_check = time.perf_counter()
    cache.save()
    result.timings = {
        "discover": t_discover - clock, "read+facts": t_read - t_discover, "index": t_index - t_read,
        "check": t_check - t_index, "cache-save": time.perf_counter() - t_check,
    }
    return result


def _from_state(state: RunState, checked: list[SourceFile], settings: Settings) -> RunResult:
    """The run's result, all of it from the last run state (nothing read, indexed or parsed)."""
    result = RunResult(settings=replace(settings, preset=state.preset), files=len(checked))
    for sf in checked:
        result.findings.extend(_rebased(state.results[sf.relpath], sf.path).findings)
    result.cached = len(checked)
    result.findings.sort(key=Finding.sort_key)
    return result


def _stat(path: str) -> tuple[int, int]:
    try:
        st = os.stat(path)
    except OSError:
        return (0, 0)
    return (st.st_mtime_ns, st.st_size)


def _rebased(fr: FileResult, path: str) -> FileResult:
    """A cached result reported under the path this run names the file by (the current
    directory may differ from the run that cached it)."""
    if fr.path == path:
        return fr
    return FileResult(path, [replace(f, path=path) for f in fr.findings], fr.errors, fr.parsed)


def _index(reads: list[_Read], settings: Settings) -> tuple[ProjectIndex, Settings]:
    from flaskarch.engine import detect_preset
    from flaskarch.index import ProjectIndex
    from flaskarch.pins import read_pins

    if settings.preset == "auto":
        settings = replace(settings, preset=detect_preset([r.sf.relpath for r in reads]))
    index = ProjectIndex(r.facts for r in reads)
    index.pins = read_pins(settings.root)
    return index, settings


def build_project(paths: list[Path], settings: Settings, use_cache: bool = True):
    """(index, settings with the preset resolved, reads) for a project, without checking it:
    the flake8 plugin's one-file runs share the CLI's facts cache through this."""
    here = os.getcwd()
    memo: dict[str, tuple[str, ...]] = {}
    project = [make_source_file(p, settings.root, here, memo) for p in discover(paths, settings)]
    cache = Cache(settings.root, enabled=use_cache)
    reads = _read_all(project, cache, {sf.abspath: _stat(sf.abspath) for sf in project}, None)
    cache.save()
    index, settings = _index(reads, settings)
    return index, settings, reads


def _fix_file(r: _Read, fr: FileResult, mode: str, allowed: set[str], settings, index, rules,
              result: RunResult) -> FileResult:
    """Fix one file to a fixpoint; write it (--fix) or keep the diff (--diff)."""
    from flaskarch.engine import check_source
    from flaskarch.fixer import fix_text, write_atomically
    from flaskarch.index import extract_facts

    text = _text(r)
    sf = r.sf
    if text is None or r.data is None:
        return fr

    def recheck(new_text: str) -> list[Finding]:
        facts = extract_facts(new_text, sf.module, sf.relpath, sf.is_package)
        return check_source(sf, new_text, facts, settings, index, rules).findings

    ff = fix_text(sf.path, text, fr.findings, recheck, allowed)
    if ff.error:
        result.errors.append(ff.error)
    if not ff.changed:
        return fr
    if mode == "diff":
        result.diffs.append(ff.diff())
        result.fixed.extend(ff.fixed)
        return fr
    problem = write_atomically(sf.abspath, r.data, ff.text)
    if problem:
        result.errors.append(f"{sf.path}: {problem}")
        return fr
    result.fixed.extend(ff.fixed)
    return FileResult(fr.path, ff.remaining, fr.errors, fr.parsed)


def _project_fixes(checked, by_path, reads, index, mode, allowed, result: RunResult) -> None:
    """Renames across the project (FLK201, FLK203), one after another, each all-or-nothing."""
    import difflib

    from flaskarch import project_fixes

    wanted = [
        (sf, f)
        for sf in checked
        for f in (by_path[sf.abspath].findings if sf.abspath in by_path else [])
        if f.fix is not None and f.fix.project and f.fix.applicability in allowed
    ]
    if not wanted:
        return
    files: dict[str, tuple[str, str, bool]] = {}
    for r in reads:
        try:
            with open(r.sf.abspath, "rb") as fh:
                files[r.sf.abspath] = (r.sf.module, decode_source(fh.read()), r.sf.is_package)
        except (OSError, DecodeError):
            continue
    for sf, finding in wanted:
        action = finding.fix.project
        if sf.abspath not in files:
            continue
        if action[0] == "rename-module":
            new_path = os.path.join(os.path.dirname(sf.abspath), action[1])
            change = project_fixes.rename_module(files, index, sf.abspath, new_path)
        else:
            change = project_fixes.rename_symbol(files, index, files[sf.abspath][0], action[1], action[2])
        if change.error:
            result.warnings.append(f"{sf.path}: {finding.code} fix refused: {change.error}")
            continue
        if mode == "diff":
            for path, (old, new) in change.texts.items():
                rel = os.path.relpath(path)
                result.diffs.append("".join(difflib.unified_diff(
                    old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{rel}", f"b/{rel}")))
            for old_path, new_path in change.renames:
                result.diffs.append(f"rename {os.path.relpath(old_path)} => {os.path.relpath(new_path)}\n")
            result.fixed.append(finding)
            continue
        problem = project_fixes.apply(change, _write_text)
        if problem:
            result.warnings.append(f"{sf.path}: {finding.code} fix not applied: {problem}")
            continue
        result.fixed.append(finding)
        by_path[sf.abspath].findings.remove(finding)
        for path, (_, new) in change.texts.items():
            module, _, is_package = files[path]
            files[path] = (module, new, is_package)
        for old_path, new_path in change.renames:
            files[new_path] = files.pop(old_path)


def _write_text(path: str, text: str) -> str | None:
    from flaskarch.fixer import write_atomically

    try:
        with open(path, "rb") as fh:
            current = fh.read()
    except OSError as exc:
        return f"cannot read: {exc.strerror}"
    return write_atomically(path, current, text)


def _read_all(project: list[SourceFile], cache: Cache, stats: dict[str, tuple[int, int]],
              jobs: int | None) -> list[_Read]:
    """Facts for every project file: from the cache when the file is unchanged, else taken
    (in parallel) from its source."""
    from flaskarch.index import facts_digest

    reads = [_read(sf, cache, stats[sf.abspath]) for sf in project]
    pending: list[tuple[_Read, str]] = []
    for r in reads:
        if r.facts is not None:
            continue
        try:
            pending.append((r, decode_source(r.data or b"")))
        except DecodeError as exc:  # reported as FLK001 by the check
            r.facts = _no_facts(r.sf)
            r.facts.syntax_error = (exc.line, 1, exc.message)
    tasks = [(r.sf, text) for r, text in pending]
    for (r, _), facts in zip(pending, _map(_facts_task, tasks, jobs)):
        r.facts = facts
    for r in reads:
        if not r.digest and not r.error:
            r.digest = facts_digest(r.facts)
            cache.store_facts(r.sf.relpath, r.content_hash, r.facts, r.digest, stats[r.sf.abspath])
    return reads


def _no_facts(sf: SourceFile) -> ModuleFacts:
    """The facts of a file that cannot be read or decoded: nothing but its name."""
    from flaskarch.index import ModuleFacts

    return ModuleFacts(module=sf.module, relpath=sf.relpath, is_package=sf.is_package, parse_ok=False)


def _read(sf: SourceFile, cache: Cache, stat: tuple[int, int]) -> _Read:
    """A file whose (mtime, size) are those its cached facts were taken at is not even read
    (as ruff trusts its cache); otherwise the facts are found by content hash, or left to
    take (facts None)."""
    entry = cache.unchanged(sf.relpath, stat)
    if entry is not None and entry.facts.module == sf.module:
        return _Read(sf, None, entry.content_hash, entry.facts, entry.facts_digest)
    try:
        with open(sf.abspath, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return _Read(sf, None, "", _no_facts(sf), "", f"{sf.path}: cannot read file: {exc.strerror or exc}")
    content_hash = hashlib.sha256(data).hexdigest()
    entry = cache.facts(sf.relpath, content_hash)
    if entry is not None and entry.facts.module == sf.module:
        if entry.stat != stat:
            entry.stat, cache.dirty = stat, True
        return _Read(sf, data, content_hash, entry.facts, entry.facts_digest)
    return _Read(sf, data, content_hash, None, "")  # type: ignore[arg-type]


def _data(r: _Read) -> bytes | None:
    """The file's bytes, read now if the facts came from the cache by stat."""
    if r.data is None and not r.error:
        try:
            with open(r.sf.abspath, "rb") as fh:
                r.data = fh.read()
        except OSError:
            return None
        content_hash = hashlib.sha256(r.data).hexdigest()
        if content_hash != r.content_hash:  # changed since it was stat'ed: do not cache
            r.content_hash = content_hash
    return r.data


def _text(r: _Read) -> str | None:
    data = _data(r)
    if data is None:
        return None
    try:
        return decode_source(data)
    except DecodeError:
        return None


def _facts_task(task: tuple[SourceFile, str]) -> ModuleFacts:
    from flaskarch.index import extract_facts

    sf, text = task
    return extract_facts(text, sf.module, sf.relpath, sf.is_package)


# -- parallel checking ------------------------------------------------------------------
# Workers are forked after the index is built, so they inherit it instead of unpickling it.
_STATE: dict[str, Any] = {}


def _check_task(task: tuple[SourceFile, str | None, ModuleFacts]) -> FileResult:
    from flaskarch.engine import check_source

    sf, text, facts = task
    return check_source(sf, text, facts, _STATE["settings"], _STATE["index"], _STATE["rules"], _STATE["verbose"])


def _check_all(tasks, settings, index, rules, verbose, jobs) -> list[FileResult]:
    _STATE.update(settings=settings, index=index, rules=rules, verbose=verbose)
    try:
        return _map(_check_task, tasks, jobs)
    finally:
        _STATE.clear()


def _map(function: Any, tasks: list[Any], jobs: int | None) -> list[Any]:
    """`function` over `tasks` in forked worker processes (in order), or in this process when
    there is too little work to pay for the workers."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    jobs = jobs or os.cpu_count() or 1
    if multiprocessing.current_process().daemon:  # e.g. inside flake8's workers: no children
        jobs = 1
    if jobs <= 1 or len(tasks) < 4 * jobs or "fork" not in multiprocessing.get_all_start_methods():
        return [function(t) for t in tasks]
    chunk = max(1, len(tasks) // (jobs * 8))
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        return list(pool.map(function, tasks, chunksize=chunk))


__all__ = ["run", "RunResult", "SourceFile"]
