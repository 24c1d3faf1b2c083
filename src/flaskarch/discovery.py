"""Find the Python files to check: paths, built-in excludes, `exclude` globs, .gitignore.

Works on plain strings with one `os.scandir` per folder: discovery runs on every invocation,
warm ones included, where `pathlib` and `os.path.relpath` per file cost more than the rest of a
warm run.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from flaskarch.config import ConfigError, Settings, relpath_posix
from flaskarch.paths import globset

# Folders never checked (RULES.md "Layers": tests, migrations, virtual environments).
EXCLUDED_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "build", "dist",
        "node_modules", "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache",
        ".flaskarch_cache", "site-packages", ".eggs",
        "tests", "test", "testing", "migrations", "alembic",
    }
)


def is_excluded_file_name(name: str) -> bool:
    return name == "conftest.py" or (name.startswith("test_") and name.endswith(".py")) or (
        name.endswith("_test.py")
    )


def is_excluded_relpath(relpath: str, settings: Settings) -> bool:
    """Built-in and configured excludes, for a root-relative posix path."""
    parts = relpath.split("/")
    if any(p in EXCLUDED_DIRS for p in parts[:-1]) or is_excluded_file_name(parts[-1]):
        return True
    return globset(settings.exclude).match(relpath)


# A .gitignore in effect: the posix prefix of its folder ("" for the walk's top) and its spec.
_Ignore = tuple[str, object]


def _read_gitignore(path: str) -> object | None:
    import pathspec  # only projects with a .gitignore pay for it

    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return pathspec.PathSpec.from_lines("gitwildmatch", fh)
    except OSError:
        return None


def _ignored(rel: str, ignores: list[_Ignore]) -> bool:
    for prefix, spec in ignores:
        if rel.startswith(prefix) and spec.match_file(rel[len(prefix):]):  # type: ignore[attr-defined]
            return True
    return False


def _regular_file(entry: os.DirEntry) -> bool:
    """A regular file, itself or through a link that resolves (a named pipe or `/dev/zero`
    called `x.py` would hang the run; a broken link or a loop cannot be read)."""
    try:
        return entry.is_file(follow_symlinks=True)
    except OSError:
        return False


def walk(top: str, settings: Settings, inside_root: bool = True) -> Iterator[tuple[str, str]]:
    """(absolute path, posix path relative to `top`) of every checked .py file below `top`.

    With `inside_root`, `top` is the project root: `exclude` globs apply to the relative paths.
    """
    exclude = globset(settings.exclude) if inside_root else None
    use_gitignore = settings.respect_gitignore
    stack: list[tuple[str, str, list[_Ignore]]] = [(top, "", [])]
    while stack:
        folder, rel_folder, ignores = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        if use_gitignore and any(e.name == ".gitignore" for e in entries):
            spec = _read_gitignore(os.path.join(folder, ".gitignore"))
            if spec is not None:
                ignores = [*ignores, (rel_folder, spec)]
        subdirs = []
        for entry in entries:
            name = entry.name
            rel = rel_folder + name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)  # as os.walk: links are not entered
            except OSError:
                continue
            if is_dir:
                if name in EXCLUDED_DIRS or os.path.exists(os.path.join(entry.path, "pyvenv.cfg")):
                    continue
                if exclude and exclude.match(rel + "/"):
                    continue
                if ignores and _ignored(rel + "/", ignores):
                    continue
                subdirs.append((entry.path, rel + "/", ignores))
            elif name.endswith(".py") and not is_excluded_file_name(name):
                if not _regular_file(entry):
                    continue  # a broken link, a link loop, a pipe or a device: nothing to read
                if exclude and exclude.match(rel):
                    continue
                if ignores and _ignored(rel, ignores):
                    continue
                yield entry.path, rel
        stack.extend(reversed(subdirs))


def discover(paths: list[Path], settings: Settings) -> list[str]:
    """Absolute paths of the Python files under the given paths that are checked, sorted,
    without duplicates. Folders inside the project root are walked from the root, so the
    .gitignore files of their ancestors apply."""
    return _discover(paths, settings, None)


def discover_project(paths: list[Path], settings: Settings,
                     walked: list[tuple[str, str]] | None = None) -> tuple[list[str], list[str]]:
    """(the checked files, every file the project index reads: the checked ones first, then
    the rest of the project root), from one walk of the root (`walked`, when already taken)."""
    project: list[tuple[str, str]] = walked if walked is not None else list(walk(settings.root, settings))
    checked = _discover(paths, settings, project)
    seen = set(checked)
    return checked, checked + [path for path, _ in project if path not in seen]


def _discover(paths: list[Path], settings: Settings, project: list[tuple[str, str]] | None) -> list[str]:
    root = settings.root
    found: set[str] = set()
    for given in paths:
        absolute = os.path.abspath(given)
        if not os.path.exists(absolute):
            raise ConfigError(f"{given}: no such file or directory")
        absolute = os.path.realpath(absolute)
        rel = relpath_posix(absolute, root)
        outside = rel.startswith("../") or rel == ".."
        if os.path.isfile(absolute):
            if outside or not is_excluded_relpath(rel, settings):
                found.add(absolute)
        elif outside:
            found.update(path for path, _ in walk(absolute, settings, inside_root=False))
        else:
            if project is None:
                project = list(walk(root, settings))
            if rel == ".":
                found.update(path for path, _ in project)
            else:
                prefix = rel + "/"
                found.update(path for path, r in project if r.startswith(prefix))
    return sorted(found, key=lambda p: p.split(os.sep))
