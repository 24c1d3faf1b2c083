"""The flake8 plugin: `flake8 --select FLK` gives the same findings as `flaskarch check`.

flake8 hands a plugin one file at a time; the project-wide facts (blueprint registrations,
guards, layer contracts) come from the project index, built once per process from the same
`[tool.flaskarch]` configuration and the same facts cache the CLI uses. `# noqa` is left to
flake8; the configured `baseline` is honoured. The plugin never raises: a problem is one line on stderr and no findings.
"""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path
from typing import Any, Iterator

from flaskarch import __version__

_PROJECTS: dict[tuple[str, str | None], Any] = {}
_WARNED: set[str] = set()
_BASELINES: dict[str, Any] = {}


class Plugin:
    name = "flaskarch"
    version = __version__

    def __init__(self, tree: ast.AST, filename: str, lines: list[str]) -> None:
        self.filename = filename
        self.lines = lines

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        try:
            findings = list(_check(self.filename, "".join(self.lines)))
        except Exception as exc:  # noqa: BLE001 - a plugin must never take flake8 down
            _warn(f"flaskarch: internal error on {self.filename}: {type(exc).__name__}: {exc}")
            return
        for f in findings:
            yield f.line, f.column - 1, f"{f.code} {f.message}", type(self)


def _warn(message: str) -> None:
    if message not in _WARNED:
        _WARNED.add(message)
        print(message, file=sys.stderr)


def _check(filename: str, text: str) -> Iterator[Any]:
    from flaskarch.cli import load_settings
    from flaskarch.config import ConfigError
    from flaskarch.discovery import is_excluded_relpath
    from flaskarch.engine import check_source
    from flaskarch.facts.extract import extract_facts
    from flaskarch.results import make_source_file

    if filename in ("stdin", "-"):
        # the module's name decides its layer, its blueprint's name and its imports: without
        # it every answer would be about a module called `stdin` (FLK203 asked for `stdin_bp`)
        _warn("flaskarch: source on stdin: pass --stdin-display-name PATH so flaskarch knows which "
              "module of the project it is; not checked")
        return
    path = Path(filename).resolve()
    try:
        settings = load_settings([path if path.exists() else Path(".")], None)
    except ConfigError as exc:
        _warn(f"flaskarch: error: {exc}")
        return
    project = _project(settings)
    settings = project.settings
    sf = make_source_file(path, settings.root, os.getcwd())
    if not sf.relpath.startswith("../") and is_excluded_relpath(sf.relpath, settings):
        return
    facts = extract_facts(text, sf.module, sf.relpath, sf.is_package)
    result = check_source(sf, text, facts, project.decisions, project.answers, apply_noqa=False)
    for error in result.errors:
        _warn(f"flaskarch: error: {error}")
    yield from _not_baselined(result.findings, settings, sf.relpath, text)


def _not_baselined(findings: list[Any], settings: Any, relpath: str, text: str) -> list[Any]:
    """The findings the configured baseline does not hide. flake8 applies `# noqa` after the
    plugin, so a finding its noqa suppresses takes no entry (as in `flaskarch check`, where
    the baseline comes after noqa)."""
    from flaskarch.config import ConfigError
    from flaskarch.decision import Baseline, Decisions, baseline_path

    path = baseline_path(settings)
    if path is None or not findings:
        return findings
    baseline = _BASELINES.get(path)
    if baseline is None:
        try:
            baseline = _BASELINES[path] = Baseline.load(path)
        except ConfigError as exc:
            _warn(f"flaskarch: error: {exc}")
            return findings
    noqa = Decisions.suppressions(text.splitlines())
    judged = sorted((f for f in findings if not noqa.suppresses(f.code, f.line)), key=lambda f: f.sort_key())
    kept, _ = baseline.split([((relpath, f.code, f.fingerprint), f) for f in judged])
    hidden = {id(f) for f in judged} - {id(f) for f in kept}
    return [f for f in findings if id(f) not in hidden]


def _project(settings: Any) -> Any:
    """Index of the whole project root, built once per process (facts from the shared cache)."""
    key = (settings.root, settings.config_file)
    found = _PROJECTS.get(key)
    if found is None:
        from flaskarch.runner import build_project

        found, _ = build_project([Path(settings.root)], settings)
        _PROJECTS[key] = found
    return found


__all__ = ["Plugin"]
