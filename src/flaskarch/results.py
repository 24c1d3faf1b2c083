"""What a run produces and caches: files, findings, fixes, per-file results.

Kept apart from the engine and the rules (and free of libcst) so that a warm run, which only
loads cached results, imports nothing else.
"""

from __future__ import annotations

import io
import os
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flaskarch.config import relpath_posix


@dataclass(frozen=True)
class Edit:
    """Replace the text between two 1-based (line, column) positions (end exclusive)."""

    start: tuple[int, int]
    end: tuple[int, int]
    content: str


@dataclass(frozen=True)
class FixInfo:
    """What a finding's fix does, how safe it is to apply unattended, and its edits."""

    applicability: str  # "safe" | "unsafe"
    message: str
    edits: tuple[Edit, ...] = ()
    # a project-wide action, computed at fix time by flaskarch.project_fixes:
    # ("rename-module", new file name) or ("rename-symbol", old name, new name)
    project: tuple[str, ...] = ()


@dataclass
class Finding:
    """One violation, positioned at 1-based line/column (columns count characters)."""

    code: str
    name: str
    severity: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    fix: FixInfo | None = None
    # identity that survives line moves and unrelated edits (baseline, SARIF): a hash of the
    # code, the enclosing function/class names and the violating line's normalised source
    fingerprint: str = ""

    def sort_key(self) -> tuple[Any, ...]:
        return (self.path, self.line, self.column, self.code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "message": self.message,
            "fix": None
            if self.fix is None
            else {"applicability": self.fix.applicability, "message": self.fix.message},
        }


@dataclass(frozen=True)
class SourceFile:
    """A discovered file: where it is and what the project calls it."""

    abspath: str
    path: str  # reported path, relative to the current directory
    relpath: str  # relative to the project root
    module: str
    is_package: bool


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # tool errors: exit code 2
    parsed: bool = False
    # (answer name, arguments) -> value of every project answer the check asked: the part of
    # its cache key that depends on other modules (see flaskarch.facts.answers)
    answers: dict | None = None


class DecodeError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def module_name(path: str, root: str, memo: dict[str, tuple[str, ...]] | None = None) -> tuple[str, bool]:
    """(dotted module name, is_package): by the package chain of __init__.py files.

    `memo` (folder -> its package chain) spares the chain's stats across the files of a run."""
    path = os.path.abspath(path)
    folder, filename = os.path.split(path)
    stem = filename[:-3] if filename.endswith(".py") else filename
    is_package = stem == "__init__"
    chain = _package_chain(folder, {} if memo is None else memo)
    if not chain:
        # a namespace package or a loose module: name it by its path below the project root
        rel = os.path.relpath(path, root)
        if not rel.startswith(".."):
            rel_parts = rel[:-3].replace(os.sep, "/").split("/")
            if rel_parts[-1] == "__init__":
                rel_parts = rel_parts[:-1]
            if rel_parts and all(p.isidentifier() for p in rel_parts):
                return ".".join(rel_parts), is_package
        if is_package:  # a lone __init__.py outside any package chain
            return os.path.basename(folder), True
    return ".".join(chain if is_package else (*chain, stem)), is_package


def _package_chain(folder: str, memo: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """Package names from the outermost package down to `folder` (empty: not a package)."""
    found = memo.get(folder)
    if found is None:
        found = ()
        if os.path.isfile(os.path.join(folder, "__init__.py")):
            parent = os.path.dirname(folder)
            found = (*(_package_chain(parent, memo) if parent != folder else ()), os.path.basename(folder))
        memo[folder] = found
    return found


def make_source_file(path: str | Path, root: str, cwd: str,
                     memo: dict[str, tuple[str, ...]] | None = None) -> SourceFile:
    """`memo` is shared by the files of one run (see `module_name`)."""
    abspath = str(path)
    module, is_package = module_name(abspath, root, memo)
    relpath = _relative(abspath, root)
    if module == "" or relpath.startswith("../"):
        module = module or Path(abspath).stem
    return SourceFile(abspath, _relative(abspath, cwd), relpath, module, is_package)


def _relative(path: str, start: str) -> str:
    if start != os.sep and path.startswith(start + os.sep):  # the common case, without relpath
        return path[len(start) + 1:].replace(os.sep, "/")
    return relpath_posix(path, start)


def decode_source(data: bytes) -> str:
    """Decode as CPython would (PEP 263 cookie, BOM); errors carry the failing line."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise DecodeError(1, f"cannot decode file: {exc}") from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DecodeError(line, f"cannot decode file as {encoding}: {exc.reason}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


