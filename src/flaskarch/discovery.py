"""Find the Python files to check: paths, built-in excludes, `exclude` globs, .gitignore."""

from __future__ import annotations

import os
from pathlib import Path

import pathspec

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


class _GitIgnores:
    """The .gitignore files met while walking, each applied to paths below its folder."""

    def __init__(self) -> None:
        self._specs: dict[str, pathspec.PathSpec | None] = {}

    def _spec_for(self, folder: str) -> pathspec.PathSpec | None:
        if folder not in self._specs:
            spec = None
            gi = os.path.join(folder, ".gitignore")
            if os.path.isfile(gi):
                try:
                    with open(gi, encoding="utf-8", errors="replace") as fh:
                        spec = pathspec.PathSpec.from_lines("gitwildmatch", fh)
                except OSError:
                    spec = None
            self._specs[folder] = spec
        return self._specs[folder]

    def ignored(self, path: str, is_dir: bool, folders: list[str]) -> bool:
        for folder in folders:
            spec = self._spec_for(folder)
            if spec is None:
                continue
            rel = os.path.relpath(path, folder).replace(os.sep, "/")
            if is_dir:
                rel += "/"
            if spec.match_file(rel):
                return True
        return False


def discover(paths: list[Path], settings: Settings) -> list[Path]:
    """All Python files under the given paths that are checked, sorted, without duplicates."""
    root = settings.root
    gitignores = _GitIgnores() if settings.respect_gitignore else None
    found: dict[str, Path] = {}
    for given in paths:
        if not given.exists():
            raise ConfigError(f"{given}: no such file or directory")
        absolute = given.resolve()
        if absolute.is_file():
            rel = relpath_posix(absolute, root)
            if rel.startswith("../") or not is_excluded_relpath(rel, settings):
                found.setdefault(str(absolute), absolute)
            continue
        for folder, dirnames, filenames in os.walk(absolute):
            ancestors = _gitignore_folders(folder, root)
            keep = []
            for d in dirnames:
                full = os.path.join(folder, d)
                if d in EXCLUDED_DIRS or os.path.isfile(os.path.join(full, "pyvenv.cfg")):
                    continue
                rel = relpath_posix(full, root)
                if not rel.startswith("../") and globset(settings.exclude).match(rel + "/"):
                    continue
                if gitignores and gitignores.ignored(full, True, ancestors):
                    continue
                keep.append(d)
            dirnames[:] = sorted(keep)
            for name in filenames:
                if not name.endswith(".py") or is_excluded_file_name(name):
                    continue
                full = os.path.join(folder, name)
                rel = relpath_posix(full, root)
                if not rel.startswith("../") and is_excluded_relpath(rel, settings):
                    continue
                if gitignores and gitignores.ignored(full, False, ancestors):
                    continue
                found.setdefault(full, Path(full))
    return sorted(found.values())


def _gitignore_folders(folder: str, root: str) -> list[str]:
    """The folder and its ancestors down from the project root (where .gitignore applies)."""
    out = []
    current = os.path.abspath(folder)
    root = os.path.abspath(root)
    while True:
        out.append(current)
        if current == root or os.path.dirname(current) == current:
            break
        if not current.startswith(root + os.sep):
            break
        current = os.path.dirname(current)
    return out
