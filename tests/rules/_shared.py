"""What several rules' test modules (and test_fixes.py's fix-engine tests) share: module paths
of the layered layout, model snippets, the catalog-case checks and the fix helpers."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import DB_MODULE, check, write_project

# ---- module paths -------------------------------------------------------------------------

CTRL = "app/controllers/user_controller.py"
REPO = "app/repositories/user_repository.py"
SVC = "app/services/user_service.py"
MODEL = "app/models/user.py"
SCHEMA = "app/schemas/user_schemas.py"

# ---- catalog cases ------------------------------------------------------------------------

# a User model with a public id, a boolean and a soft-delete column (FLK101, FLK301, FLK401, FLK402)
MODELS = {
    "app/models/user.py": """
        from app.extensions import db


        class User(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            public_id = db.Column(db.String(36))
            is_active = db.Column(db.Boolean)
            deleted_at = db.Column(db.DateTime)
        """,
}


def catalog_params(cases):
    """Rows (code, description, files, expected findings as (path, line)) as parameters."""
    return [pytest.param(c, f, e, id=f"{c}-{name}") for c, name, f, e in cases]


def assert_catalog_case(project, code, files, expected):
    """With only `code` selected: its findings are exactly `expected` (an empty list being a trap
    that must stay silent) and no other code is reported."""
    found = project(files, select=(code,))
    assert sorted((path, line) for path, line, _, c in found if c == code) == sorted(expected)
    assert all(c == code for *_, c in found)


def preset_params(cases):
    """Rows (code, description, files, expected findings as (path, line, column), preset)."""
    return [pytest.param(c, f, e, p, id=f"{c}-{d}") for c, d, f, e, p in cases]


def assert_preset_case(project, code, files, expected, preset):
    """The code's findings under the preset (no --select: the preset decides what runs)."""
    found = project(files, preset=preset)
    assert sorted((path, line, col) for path, line, col, c in found if c == code) == sorted(expected)


# ---- fixes --------------------------------------------------------------------------------

# app/models/user.py of the comparison, commit and auth fix tests (and the fix-engine tests)
USER_MODEL = """
from app.extensions import db


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    active = db.Column(db.Boolean)
    deleted_at = db.Column(db.DateTime)
"""
HEAD = "from sqlalchemy import select, and_ as both\nfrom app.extensions import db\nfrom app.models.user import User\n\n\n"


def flaskarch(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flaskarch", "check", ".", "--no-cache", *args],
        cwd=cwd, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"},
    )


def fixed(tmp_path: Path, rel: str, source: str, *args: str, extra: dict[str, str] | None = None) -> str:
    """`--fix` (and `args`) on the db module, USER_MODEL, `extra` and `rel`; `rel`'s new text."""
    write_project(tmp_path, {"app/extensions.py": DB_MODULE, "app/models/user.py": USER_MODEL, **(extra or {}), rel: source})
    flaskarch(tmp_path, "--fix", *args)
    return (tmp_path / rel).read_text(encoding="utf-8")


def fix(tmp_path: Path, code: str, files: dict[str, str], target: str, preset: str = "mscr") -> str:
    """`--fix --unsafe-fixes` on the project; the target's new text. A second run must change
    nothing."""
    write_project(tmp_path, files)
    args = ("--fix", "--unsafe-fixes", "--select", code, "--preset", preset)
    flaskarch(tmp_path, *args)
    out = (tmp_path / target).read_text(encoding="utf-8")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*.py")}
    flaskarch(tmp_path, *args)
    assert before == {p: p.read_bytes() for p in tmp_path.rglob("*.py")}, "second --fix changed files"
    return out


def fixable(tmp_path: Path, code: str) -> list[tuple[int, bool]]:
    """(line, has a fix) of the code's findings in the project as it is now."""
    result = check(tmp_path, select=(code,), preset="mscr")
    return [(f.line, f.fix is not None) for f in result.findings if f.code == code]


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")
