"""A whole run: discover, build the project index, check every file, collect results."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from flaskarch.config import Settings
from flaskarch.discovery import discover
from flaskarch.engine import (
    FileResult,
    SourceFile,
    check_source,
    detect_preset,
    enabled_rules,
    make_source_file,
    read_facts,
)
from flaskarch.index import ModuleFacts, ProjectIndex
from flaskarch.rule import Finding


@dataclass
class RunResult:
    settings: Settings
    files: int = 0
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def run(paths: list[Path], settings: Settings, verbose: bool = False) -> RunResult:
    """Check `paths` with project-wide facts taken from the whole project root."""
    here = os.getcwd()
    root = settings.root
    checked = [make_source_file(p, root, here) for p in discover(paths, settings)]
    checked_set = {sf.abspath for sf in checked}
    # the project index covers the whole root, so one file (pre-commit) still sees it all
    project = list(checked)
    if [p.resolve() for p in paths] != [Path(root)]:
        for p in discover([Path(root)], settings):
            if str(p) not in checked_set:
                project.append(make_source_file(p, root, here))
    facts: dict[str, ModuleFacts] = {}
    texts: dict[str, str | None] = {}
    errors: list[str] = []
    for sf in project:
        mf, text, err = read_facts(sf)
        facts[sf.abspath] = mf
        if sf.abspath in checked_set:
            texts[sf.abspath] = text
            if err:
                errors.append(err)
    if settings.preset == "auto":
        settings = replace(settings, preset=detect_preset([sf.relpath for sf in project]))
    index = ProjectIndex(facts.values())
    rules = enabled_rules(settings)
    result = RunResult(settings=settings, files=len(checked), errors=errors)
    for sf in checked:
        fr: FileResult = check_source(sf, texts[sf.abspath], facts[sf.abspath], settings, index, rules, verbose)
        result.findings.extend(fr.findings)
        result.errors.extend(fr.errors)
    result.findings.sort(key=Finding.sort_key)
    return result


__all__ = ["run", "RunResult", "SourceFile"]
