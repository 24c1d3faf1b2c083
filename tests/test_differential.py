"""A cached run equals a fresh one, whatever is edited.

Random series of edits on copies of the fixture apps (modules added and deleted, auth
decorators defined and removed, guards added, imports added, lines dropped or duplicated,
files touched). After each edit, a cached run and a `--no-cache` run must agree for the whole
project, for one file, and for `--diff --unsafe-fixes`. Seeds are fixed, so a failure names
the series that reproduces it.
"""

from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, check

GUARD = """

@{bp}.before_request
def _require_login():
    if not current_user.is_authenticated:
        abort(401)
"""
AUTH = "\n\ndef login_required(fn):\n    return fn\n"
NEW_MODULES = [
    "from functools import wraps\n\n\ndef require_user(fn):\n    @wraps(fn)\n    def inner(*a, **k):\n"
    "        if not current_user:\n            abort(401)\n        return fn(*a, **k)\n    return inner\n",
    "from flask import Blueprint\n\nextra_bp = Blueprint('extra', __name__, url_prefix='/extra')\n\n\n"
    "@extra_bp.route('/items', methods=['POST'])\ndef create_item():\n    return {}\n",
    "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n",
    "from sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n    pass\n",
    "import enum\n\n\nclass Kind(enum.Enum):\n    A = 'a'\n",
]


class Tree:
    """The app copy being edited; every write moves the file's mtime strictly forward (an
    editor's save), since an unchanged (mtime, size) is trusted to mean unchanged content."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root, self.rng = root, rng
        self.clock = 2_000_000_000 * 10**9

    def files(self) -> list[Path]:
        return sorted(p for p in self.root.rglob("*.py") if ".flaskarch_cache" not in p.parts)

    def write(self, path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.clock += 10**9
        os.utime(path, ns=(self.clock, self.clock))

    def pick(self, pattern: str = "") -> Path:
        files = [p for p in self.files() if re.search(pattern, p.read_text(encoding="utf-8", errors="replace"))]
        return self.rng.choice(files or self.files())


def add_module(t: Tree) -> str:
    folder = t.pick().parent
    path = folder / f"extra_{t.rng.randrange(1000)}.py"
    t.write(path, t.rng.choice(NEW_MODULES))
    return f"add {path.relative_to(t.root)}"


def delete_module(t: Tree) -> str:
    """Mostly a module others depend on: blueprints, decorators, extensions, models."""
    path = t.pick(r"Blueprint\(|def \w+\(f|SQLAlchemy\(|class \w+\(") if t.rng.random() < 0.7 else t.pick()
    if path.name == "__init__.py":
        return touch(t)
    path.unlink()
    return f"delete {path.relative_to(t.root)}"


def define_auth(t: Tree) -> str:
    path = t.pick()
    t.write(path, path.read_text(encoding="utf-8") + AUTH)
    return f"define login_required in {path.relative_to(t.root)}"


def define_guard_decorator(t: Tree) -> str:
    """A project decorator that stops requests without a user: auth for FLK501 elsewhere."""
    path = t.pick()
    name = t.rng.choice(["token_required", "require_auth", "admin_required", "jwt_required"])
    t.write(path, path.read_text(encoding="utf-8") + (
        f"\n\ndef {name}(fn):\n    def inner(*a, **k):\n        if not current_user:\n"
        "            abort(401)\n        return fn(*a, **k)\n    return inner\n"))
    return f"define {name} in {path.relative_to(t.root)}"


def add_view(t: Tree) -> str:
    """An unprotected POST view on a blueprint defined in (maybe) another module."""
    holder = t.pick(r"\w+ = Blueprint\(")
    match = re.search(r"(\w+) = Blueprint\(", holder.read_text(encoding="utf-8"))
    if match is None:
        return touch(t)
    module = ".".join(holder.relative_to(t.root).with_suffix("").parts).removesuffix(".__init__")
    path = t.pick(r"route|Blueprint")
    n = t.rng.randrange(1000)
    t.write(path, f"from {module} import {match[1]}\n" + path.read_text(encoding="utf-8") + (
        f"\n\n@{match[1]}.route('/things{n}', methods=['POST'])\ndef make_thing{n}():\n    return {{}}\n"))
    return f"add a POST view on {match[1]} in {path.relative_to(t.root)}"


def change_prefix(t: Tree) -> str:
    """A blueprint's url_prefix: the URL FLK501 reports in other modules."""
    path = t.pick(r"Blueprint\(")
    text = path.read_text(encoding="utf-8")
    new = re.sub(r"Blueprint\(([^)]*?)\)", lambda m: f"Blueprint({m[1]}, url_prefix='/v{t.rng.randrange(9)}')"
                 if "url_prefix" not in m[1] else m[0], text, count=1)
    if new == text:
        new = re.sub(r"url_prefix=(['\"])/?", lambda m: f"url_prefix={m[1]}/x{t.rng.randrange(9)}", text, count=1)
    t.write(path, new)
    return f"change a url_prefix in {path.relative_to(t.root)}"


def remove_auth(t: Tree) -> str:
    for path in t.files():
        text = path.read_text(encoding="utf-8", errors="replace")
        if AUTH in text:
            t.write(path, text.replace(AUTH, "\n"))
            return f"remove login_required from {path.relative_to(t.root)}"
    return define_auth(t)


def add_guard(t: Tree) -> str:
    path = t.pick(r"\w+ = Blueprint\(")
    text = path.read_text(encoding="utf-8")
    match = re.search(r"(\w+) = Blueprint\(", text)
    if match is None:
        return touch(t)
    t.write(path, "from flask import abort\nfrom flask_login import current_user\n" + text + GUARD.format(bp=match[1]))
    return f"guard {match[1]} in {path.relative_to(t.root)}"


def add_import(t: Tree) -> str:
    target = t.pick()
    source = t.rng.choice(t.files())
    module = ".".join(source.relative_to(t.root).with_suffix("").parts).removesuffix(".__init__")
    t.write(target, f"import {module}\n" + target.read_text(encoding="utf-8"))
    return f"import {module} in {target.relative_to(t.root)}"


def drop_line(t: Tree) -> str:
    path = t.pick()
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if lines:
        i = t.rng.randrange(len(lines))
        del lines[i]
        t.write(path, "".join(lines))
        return f"drop line {i + 1} of {path.relative_to(t.root)}"
    return touch(t)


def duplicate_line(t: Tree) -> str:
    path = t.pick()
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if lines:
        i = t.rng.randrange(len(lines))
        lines.insert(i, lines[i])
        t.write(path, "".join(lines))
        return f"duplicate line {i + 1} of {path.relative_to(t.root)}"
    return touch(t)


def touch(t: Tree) -> str:
    path = t.pick()
    t.clock += 10**9
    os.utime(path, ns=(t.clock, t.clock))
    return f"touch {path.relative_to(t.root)}"


EDITS = [add_module, delete_module, define_auth, remove_auth, define_guard_decorator, add_guard, add_view,
         change_prefix, add_import, drop_line, duplicate_line, touch]


def view(result) -> list[tuple]:
    """What a user sees of a run: every finding with its fix, and the errors."""
    return sorted(
        (f.path, f.line, f.column, f.code, f.message,
         None if f.fix is None else (f.fix.applicability, f.fix.edits, f.fix.project))
        for f in result.findings
    ) + sorted(result.errors)


@pytest.mark.parametrize("app,seed", [(app, seed) for seed in (1, 2) for app in ("backant_app", "mscr_app", "factory_app")])
def test_cached_runs_equal_fresh_runs_through_random_edits(tmp_path, app, seed):
    root = tmp_path / app
    shutil.copytree(FIXTURES / app, root, ignore=shutil.ignore_patterns(".flaskarch_cache"))
    rng = random.Random(seed)
    tree = Tree(root, rng)
    check(root)  # fill the cache
    history: list[str] = []
    for step in range(8):
        history.append(rng.choice(EDITS)(tree))
        where = f"{app}, seed {seed}, after: " + "; ".join(history)
        assert view(check(root)) == view(check(root, use_cache=False)), where
        one = str(rng.choice(tree.files()).relative_to(root))
        assert view(check(root, [one])) == view(check(root, [one], use_cache=False)), f"{where} (file {one})"
        if True:
            cached = check(root, fix_mode="diff", unsafe_fixes=True)
            fresh = check(root, fix_mode="diff", unsafe_fixes=True, use_cache=False)
            assert sorted(cached.diffs) == sorted(fresh.diffs), f"{where} (--diff --unsafe-fixes)"


def test_the_issue_reproduction_an_auth_decorator_defined_elsewhere(tmp_path):
    """A run fills the cache; a decorator defined in an unrelated module changes the FLK501
    fix: the cached --diff must propose the same decorator as a fresh one."""
    (tmp_path / "app/routes").mkdir(parents=True)
    (tmp_path / "app/util").mkdir()
    for init in ("app", "app/routes", "app/util"):
        (tmp_path / init / "__init__.py").write_text("")
    (tmp_path / "app/routes/user_route.py").write_text(
        "from flask import Blueprint\n\nuser_bp = Blueprint('users', __name__)\n\n\n"
        "@user_bp.route('/users/<uid>', methods=['POST'])\ndef update_user(uid):\n    return {}\n"
    )
    helpers = tmp_path / "app/util/helpers.py"
    helpers.write_text("x = 1\n")
    check(tmp_path)
    check(tmp_path, fix_mode="diff", unsafe_fixes=True)
    helpers.write_text("x = 1\n\n\ndef login_required(fn):\n    return fn\n")
    cached = check(tmp_path, fix_mode="diff", unsafe_fixes=True)
    fresh = check(tmp_path, fix_mode="diff", unsafe_fixes=True, use_cache=False)
    assert cached.diffs == fresh.diffs
    assert "+@login_required" in "".join(cached.diffs)
    assert "+from app.util.helpers import login_required" in "".join(cached.diffs)
