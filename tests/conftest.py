"""Shared helpers: build a small project on disk and run flaskarch on it in-process."""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest

from flaskarch.cli import load_configuration
from flaskarch.runner import RunResult, run

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
RULE_PAGES = REPO / "rules"


def write_project(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def check(root: Path, paths: list[str] | None = None, fix_mode: str | None = None, use_cache: bool = True,
          unsafe_fixes: bool = False, config: str | None = None, **overrides) -> RunResult:
    """Run flaskarch with `root` as the current folder, as a user would."""
    old = os.getcwd()
    os.chdir(root)
    try:
        targets = [Path(p) for p in (paths or ["."])]
        configuration = load_configuration(config, **overrides)
        return run(targets, configuration, fix_mode=fix_mode, use_cache=use_cache, unsafe_fixes=unsafe_fixes)
    finally:
        os.chdir(old)


def found(result: RunResult) -> list[tuple[str, int, int, str]]:
    return [(f.path, f.line, f.column, f.code) for f in result.findings]


@pytest.fixture
def project(tmp_path: Path):
    """`project({"app/x.py": "..."}, select=("FLK101",))` -> findings as tuples."""

    def make(files: dict[str, str], **overrides) -> list[tuple[str, int, int, str]]:
        write_project(tmp_path, files)
        return found(check(tmp_path, **overrides))

    return make


def cli_in(root: Path, *args: str):
    """`flaskarch ARGS` in this process (click's runner), with `root` as the current folder."""
    from click.testing import CliRunner

    from flaskarch.cli import main

    old = os.getcwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


# the project's `db` module most cases need: a Flask-SQLAlchemy object in app/extensions.py
DB_MODULE = "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n"
EXT = {"app/extensions.py": DB_MODULE}

EXPECT_RE = re.compile(r"#\s*expect(-file)?:\s*(FLK\d{3}(?:\s*,\s*FLK\d{3})*)")
