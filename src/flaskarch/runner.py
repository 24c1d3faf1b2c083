"""A whole run: discover, build the project index, check files (cached, in parallel)."""

from __future__ import annotations

import functools
import hashlib
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flaskarch.cache import Cache, RunState, code_digest, signature
from flaskarch.config import ConfigError, Configuration, Settings
from flaskarch.discovery import discover_project
from flaskarch.pins import version_files
from flaskarch.results import (
    DecodeError,
    FileResult,
    Finding,
    SourceFile,
    decode_source,
    make_source_file,
)

if TYPE_CHECKING:
    from flaskarch.facts.model import ModuleFacts

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
    baseline: Any = None  # flaskarch.decision.BaselineOutcome when a baseline was used or written


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
    config: Configuration | Settings,
    verbose: bool = False,
    jobs: int | None = None,
    use_cache: bool = True,
    fix_mode: str | None = None,
    unsafe_fixes: bool = False,
    stdin: tuple[Path, bytes] | None = None,
    write_baseline: str | None = None,
) -> RunResult:
    """Check `paths`, each file under its own project's settings (a Configuration), or all
    under one Settings; project-wide facts come from each project's whole root. `stdin`:
    (the file's path, the source an editor holds for it), checked as that file of its project."""
    overrides = {os.path.realpath(stdin[0]): stdin[1]} if stdin is not None else None
    plans = _plan(paths, config)
    results = [
        _run_project(project_paths, settings, walked, verbose, jobs, use_cache, fix_mode, unsafe_fixes,
                     overrides)
        for settings, project_paths, walked in plans
    ]
    # the baseline (each project's `baseline` setting), on the finished results (cached or not,
    # after --fix), so every report sees the same findings; `write_baseline` records them all
    from flaskarch.decision import apply_baselines

    outcome = apply_baselines(results, [os.path.realpath(p) for p in paths], write_baseline)
    if len(results) == 1:
        results[0].baseline = outcome
        return results[0]
    merged = RunResult(settings=results[0].settings, baseline=outcome)
    for r in results:
        merged.files += r.files
        merged.parsed += r.parsed
        merged.cached += r.cached
        for name in ("findings", "errors", "fixed", "diffs", "warnings"):
            getattr(merged, name).extend(getattr(r, name))
        for phase, seconds in r.timings.items():
            merged.timings[phase] = merged.timings.get(phase, 0.0) + seconds
    merged.findings.sort(key=Finding.sort_key)
    return merged


def _plan(paths: list[Path], config: Configuration | Settings) -> list[tuple[Settings, list[Path], Any]]:
    """(settings, paths, the root's walk when already taken) per project the paths touch."""
    from flaskarch.discovery import is_excluded_relpath, walk

    if isinstance(config, Settings):
        return [(config, list(paths), None)]
    groups: dict[str, tuple[Settings, list[Path], Any]] = {}
    for given in paths:
        if not os.path.exists(given):
            raise ConfigError(f"{given}: no such file or directory")
        settings = config.settings_for(given)
        if os.path.isfile(given):
            groups.setdefault(settings.root, (settings, [], None))[1].append(given)
            continue
        walked = list(walk(settings.root, settings))
        top = os.path.realpath(given)
        inside = [p for p, _ in walked if p.startswith(top + os.sep) or top == settings.root]
        owners = {}
        for p in inside:
            folder = os.path.dirname(p)
            if folder not in owners:
                owners[folder] = config.settings_for(folder, real=True)
        if all(owner is settings for owner in owners.values()):
            entry = groups.setdefault(settings.root, (settings, [], walked))
            entry[1].append(given)
            continue
        for p in inside:
            owner = owners[os.path.dirname(p)]
            rel = p[len(owner.root) + 1:].replace(os.sep, "/") if p.startswith(owner.root + os.sep) else None
            if owner is not settings and (rel is None or is_excluded_relpath(rel, owner)):
                continue  # a nested project excludes it
            groups.setdefault(owner.root, (owner, [], None))[1].append(Path(p))
    return list(groups.values())


def _run_project(
    paths: list[Path],
    settings: Settings,
    walked: Any,
    verbose: bool,
    jobs: int | None,
    use_cache: bool,
    fix_mode: str | None,
    unsafe_fixes: bool,
    overrides: dict[str, bytes] | None = None,
) -> RunResult:
    clock = time.perf_counter()
    root = settings.root
    project, n_checked = _source_files(paths, settings, walked)
    checked = project[:n_checked]
    stats = {sf.abspath: _stat(sf.abspath) for sf in project}
    for sf in project:
        if overrides and os.path.realpath(sf.abspath) in overrides:
            stats[sf.abspath] = (-1, -1)  # the editor's text, not the file: never "unchanged"
    t_discover = time.perf_counter()
    cache = Cache(root, enabled=use_cache)
    settings_digest = settings.digest()
    sig = signature(
        settings_digest, root,
        sorted((sf.relpath, sf.module, sf.is_package, stats[sf.abspath]) for sf in project),
        [(name, _stat(os.path.join(root, name))) for name in version_files(root)],
    )
    state = cache.state(settings_digest) if fix_mode is None and not overrides else None
    if state is not None and state.signature != sig:
        state = None
    if state is not None and all(sf.relpath in state.results for sf in checked):
        result = _from_state(state, checked, settings)
        result.timings = {"discover": t_discover - clock, "run-state": time.perf_counter() - t_discover}
        return result

    reads = _read_all(project, cache, stats, jobs, overrides)
    t_read = time.perf_counter()
    project_state = ProjectState.build(reads, settings)
    settings = project_state.settings
    result = RunResult(settings=settings, files=len(checked))
    by_path = check_files(project_state, reads[: len(checked)], cache, verbose, jobs, result)
    t_check = time.perf_counter()
    if fix_mode is None and not overrides:
        results = dict(state.results) if state is not None else {}
        results.update((sf.relpath, _without_answers(by_path[sf.abspath])) for sf in checked
                       if sf.abspath in by_path and not by_path[sf.abspath].errors)
        cache.store_state(settings_digest, RunState(sig, settings.preset, results))
    else:
        from flaskarch.fix_workflow import fix_project

        allowed = {"safe", "unsafe"} if unsafe_fixes else {"safe"}
        by_path = fix_project(project_state, reads, checked, by_path, fix_mode, allowed, cache, result,
                              verbose, jobs)
    for fr in by_path.values():
        result.findings.extend(fr.findings)
        result.errors.extend(fr.errors)
    result.findings.sort(key=Finding.sort_key)
    t_done = time.perf_counter()
    cache.save()
    result.timings = {
        "discover": t_discover - clock, "read+facts": t_read - t_discover, "check": t_check - t_read,
        "fix" if fix_mode else "store": t_done - t_check, "cache-save": time.perf_counter() - t_done,
    }
    return result


@dataclass
class ProjectState:
    """One project's facts as answers, the decisions of its settings, and the epoch: all a
    check needs besides the file itself."""

    settings: Settings
    decisions: Any  # flaskarch.decision.Decisions
    answers: Any  # flaskarch.facts.answers.Answers
    epoch: str

    @classmethod
    def build(cls, reads: list[_Read], settings: Settings) -> ProjectState:
        from flaskarch.decision import Decisions
        from flaskarch.engine import detect_preset
        from flaskarch.facts.answers import Answers
        from flaskarch.facts.digest import project_digest
        from flaskarch.facts.index import ProjectIndex
        from flaskarch.pins import read_versions

        if settings.preset == "auto":
            settings = replace(settings, preset=detect_preset([r.sf.relpath for r in reads]))
        index = ProjectIndex(r.facts for r in reads)
        index.versions = read_versions(settings.root)
        epoch = project_digest({r.sf.module + "|" + r.sf.relpath: r.digest for r in reads}, index.versions)
        return cls(settings, Decisions(settings), Answers(index, settings), epoch)

    def result_key(self, sf: SourceFile) -> str:
        """What a file's result depends on besides its bytes and its recorded answers."""
        return f"{self.key_prefix}|{sf.module}|{sf.is_package}"

    @functools.cached_property
    def key_prefix(self) -> str:
        return f"{code_digest()}|{self.settings.digest()}"


def check_files(ps: ProjectState, reads: list[_Read], cache: Cache, verbose: bool, jobs: int | None,
                result: RunResult) -> dict[str, FileResult]:
    """Results of the given files: from the cache where the file is unchanged and every answer
    its check recorded still holds, else checked (in parallel) and stored."""
    todo: list[_Read] = []
    by_path: dict[str, FileResult] = {}
    for r in reads:
        if r.error:
            result.errors.append(r.error)
            continue
        stored = cache.result(r.sf.relpath, r.content_hash, ps.result_key(r.sf))
        if stored is not None and (stored.epoch == ps.epoch or ps.answers.still_valid(stored.result.answers)):
            if stored.epoch != ps.epoch:
                cache.confirm(stored, ps.epoch)
            by_path[r.sf.abspath] = _rebased(stored.result, r.sf.path)
            result.cached += 1
        else:
            todo.append(r)
    tasks = [(r.sf, _text(r), r.facts) for r in todo]
    if len(tasks) > 1:
        ps.answers.prepare()
    for r, fr in zip(todo, _check_all(tasks, ps, verbose, jobs)):
        by_path[r.sf.abspath] = fr
        result.parsed += int(fr.parsed)
        if not fr.errors:
            cache.store_result(r.sf.relpath, r.content_hash, ps.result_key(r.sf), ps.epoch, fr)
    return by_path


def _without_answers(fr: FileResult) -> FileResult:
    return FileResult(fr.path, fr.findings, fr.errors, fr.parsed) if fr.answers else fr


def inventory(paths: list[Path], config: Configuration | Settings, use_cache: bool = True,
              jobs: int | None = None) -> list[Any]:
    """Every endpoint whose view is in a file under `paths` (`flaskarch routes`), from the
    route model of each project the paths touch; view paths relative to the current folder."""
    out = []
    here = os.getcwd()
    for settings, project_paths, walked in _plan(paths, config):
        project, n_checked = _source_files(project_paths, settings, walked)
        ps, _ = _load(project, settings, use_cache, jobs)
        shown = {sf.relpath: sf.path for sf in project[:n_checked]}
        for ep in ps.answers.route_model().endpoints:
            if ep.path in shown:
                auth = ep.auth
                if auth.path is not None:
                    auth = replace(auth, path=_from_root(settings.root, auth.path, here))
                out.append(replace(ep, path=shown[ep.path], auth=auth))
    return out


def show_files(paths: list[Path], config: Configuration | Settings) -> list[tuple[str, str | None, str]]:
    """(path, layer, why) of every file a check of `paths` would check (`--show-files`): reads
    nothing but names, so a user sees at once why a layer rule is silent on a file."""
    from flaskarch.layers import explain

    out = []
    for settings, project_paths, walked in _plan(paths, config):
        project, n_checked = _source_files(project_paths, settings, walked)
        for sf in project[:n_checked]:
            layer, why = explain(sf.relpath, settings)
            out.append((sf.path, layer, why))
    return sorted(out)


def _from_root(root: str, relpath: str, here: str) -> str:
    return os.path.relpath(os.path.join(root, relpath), here).replace(os.sep, "/")


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
    return FileResult(path, [replace(f, path=path) for f in fr.findings], fr.errors, fr.parsed, fr.answers)


def build_project(paths: list[Path], settings: Settings, use_cache: bool = True) -> tuple[ProjectState, list]:
    """(the project's state, its reads) without checking anything:
    the flake8 plugin's one-file runs share the CLI's facts cache through this."""
    return _load(_source_files(paths, settings)[0], settings, use_cache, None)


def _source_files(paths: list[Path], settings: Settings, walked: Any = None) -> tuple[list[SourceFile], int]:
    """Every file of the project, the checked ones (under `paths`) first, and how many those are."""
    checked_paths, project_paths = discover_project(paths, settings, walked)
    memo: dict[str, tuple[str, ...]] = {}
    here = os.getcwd()
    return [make_source_file(p, settings.root, here, memo) for p in project_paths], len(checked_paths)


def _load(project: list[SourceFile], settings: Settings, use_cache: bool,
          jobs: int | None) -> tuple[ProjectState, list[_Read]]:
    """The project's facts (cached per file) and its state, without checking anything."""
    cache = Cache(settings.root, enabled=use_cache)
    reads = _read_all(project, cache, {sf.abspath: _stat(sf.abspath) for sf in project}, jobs)
    cache.save()
    return ProjectState.build(reads, settings), reads


def _read_all(project: list[SourceFile], cache: Cache, stats: dict[str, tuple[int, int]],
              jobs: int | None, overrides: dict[str, bytes] | None = None) -> list[_Read]:
    """Facts for every project file: from the cache when the file is unchanged, else taken
    (in parallel) from its source (an editor's unsaved text for the files in `overrides`)."""
    from flaskarch.facts.digest import facts_digest

    reads = [_read(sf, cache, stats[sf.abspath], (overrides or {}).get(os.path.realpath(sf.abspath)))
             for sf in project]
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
        if isinstance(facts, str):  # the facts could not be taken: left out, with a diagnostic
            r.facts, r.error = _no_facts(r.sf), facts
            r.facts.parse_ok = True
            continue
        r.facts = facts
    for r in reads:
        if not r.digest and not r.error:
            r.digest = facts_digest(r.facts)
            cache.store_facts(r.sf.relpath, r.content_hash, r.facts, r.digest, stats[r.sf.abspath])
    return reads


def _no_facts(sf: SourceFile) -> ModuleFacts:
    """The facts of a file that cannot be read or decoded: nothing but its name."""
    from flaskarch.facts.model import ModuleFacts

    return ModuleFacts(module=sf.module, relpath=sf.relpath, is_package=sf.is_package, parse_ok=False)


def _read(sf: SourceFile, cache: Cache, stat: tuple[int, int], data: bytes | None = None) -> _Read:
    """A file whose (mtime, size) are those its cached facts were taken at is not even read
    (as ruff trusts its cache); otherwise the facts are found by content hash, or left to
    take (facts None). `data`: the source to use instead of the file's (stdin)."""
    if data is None:
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


def _facts_task(task: tuple[SourceFile, str]) -> "ModuleFacts | str":
    from flaskarch.facts.extract import extract_facts

    sf, text = task
    try:
        return extract_facts(text, sf.module, sf.relpath, sf.is_package)
    except (RecursionError, MemoryError) as exc:  # a 5,000-term generated expression
        return f"{sf.path}: too deeply nested to analyse ({type(exc).__name__}); its project facts are left out"
    except Exception as exc:  # noqa: BLE001 - one file must not end the run
        return f"{sf.path}: internal error while reading its facts: {type(exc).__name__}: {exc}"


# -- parallel checking ------------------------------------------------------------------
# Workers are forked after the index is built, so they inherit it instead of unpickling it.
_STATE: dict[str, Any] = {}


def _check_task(task: tuple[SourceFile, str | None, ModuleFacts]) -> FileResult:
    from flaskarch.engine import check_source

    sf, text, facts = task
    ps = _STATE["project"]
    return check_source(sf, text, facts, ps.decisions, ps.answers, _STATE["verbose"])


def _check_all(tasks: list, ps: ProjectState, verbose: bool, jobs: int | None) -> list[FileResult]:
    _STATE.update(project=ps, verbose=verbose)
    try:
        return _map(_check_task, tasks, jobs, "checking")
    finally:
        _STATE.clear()


def _map(function: Any, tasks: list[Any], jobs: int | None, label: str = "reading") -> list[Any]:
    """`function` over `tasks` in forked worker processes (in order), or in this process when
    there is too little work to pay for the workers; a progress bar on a terminal when slow."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from flaskarch.progress import Progress

    progress = Progress(label, len(tasks))
    jobs = jobs or os.cpu_count() or 1
    if multiprocessing.current_process().daemon:  # e.g. inside flake8's workers: no children
        jobs = 1
    out: list[Any] = []
    try:
        if jobs <= 1 or len(tasks) < 4 * jobs or "fork" not in multiprocessing.get_all_start_methods():
            for t in tasks:
                out.append(function(t))
                progress.advance()
            return out
        chunk = max(1, len(tasks) // (jobs * 8))
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            for value in pool.map(function, tasks, chunksize=chunk):
                out.append(value)
                progress.advance()
        return out
    finally:
        progress.close()


__all__ = ["run", "RunResult", "SourceFile"]
