"""Which SQLAlchemy and Flask-SQLAlchemy versions the project is on, read from its own files.

FLK403/FLK404 only help a project on SQLAlchemy 2.0 (RULES.md), and FLK403's `db.get_or_404`
fix needs Flask-SQLAlchemy 3.0: a project pinned below those gets neither by default. Lock files
(`poetry.lock`, `uv.lock`, `Pipfile.lock`) give the installed version; otherwise the declared
ranges of `pyproject.toml` (PEP 621 and Poetry), `setup.cfg`, `setup.py`, `Pipfile` and the
requirement files (with their `-r` / `-c` includes) are intersected.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any, Iterator

PACKAGES = ("sqlalchemy", "flask-sqlalchemy")
LOCK_FILES = ("poetry.lock", "uv.lock", "Pipfile.lock")
DECLARATION_FILES = ("pyproject.toml", "setup.cfg", "setup.py", "Pipfile")
_REQ_GLOB = re.compile(r"(?i)^requirements.*\.(txt|in)$|^constraints.*\.txt$")
_REQ_FOLDERS = ("requirements", "requirements.d", "reqs")

Version = tuple[int, ...]


@dataclass(frozen=True)
class Range:
    """Allowed versions: at least `lower` (inclusive), below `upper` (exclusive); None: open.
    `exact` when a lock file says what is installed. `sources` says which files decided."""

    lower: Version | None = None
    upper: Version | None = None
    exact: Version | None = None
    sources: tuple[str, ...] = ()

    def below(self, version: Version) -> bool:
        """Every allowed version is below `version` (False when unknown)."""
        if self.exact is not None:
            return _cmp(self.exact, version) < 0
        return self.upper is not None and _cmp(self.upper, version) <= 0

    def at_least(self, version: Version) -> bool:
        if self.exact is not None:
            return _cmp(self.exact, version) >= 0
        return self.lower is not None and _cmp(self.lower, version) >= 0

    def describe(self) -> str:
        where = ", ".join(self.sources)
        if self.exact is not None:
            return f"{_show(self.exact)} ({where})"
        parts = []
        if self.lower is not None and self.upper == _just_above(self.lower):
            return f"=={_show(self.lower)} ({where})"
        if self.lower is not None:
            parts.append(f">={_show(self.lower)}")
        if self.upper is not None:
            parts.append(f"<{_show(self.upper)}")
        return f"{','.join(parts) or 'any version'} ({where})" if where else "unknown"

    def as_key(self) -> tuple:
        return (self.lower, self.upper, self.exact)


def _cmp(a: Version, b: Version) -> int:
    n = max(len(a), len(b))
    a, b = a + (0,) * (n - len(a)), b + (0,) * (n - len(b))
    return (a > b) - (a < b)


def _show(v: Version) -> str:
    return ".".join(str(p) for p in v)


def _parse(text: str) -> Version | None:
    parts = []
    for piece in text.strip().split("."):
        m = re.match(r"\d+", piece)
        if m is None:
            break
        parts.append(int(m.group()))
        if m.end() != len(piece):
            break
    return tuple(parts) if parts else None


def _bump(v: Version, at: int) -> Version:
    """The first version past the series: _bump((1, 4, 2), 1) -> (1, 5)."""
    v = v + (0,) * (at + 1 - len(v))
    return v[:at] + (v[at] + 1,)


def _just_above(v: Version) -> Version:
    return v + (0,) * (3 - len(v)) + (1,) if len(v) <= 3 else v + (1,)


def constraints(spec: str) -> tuple[Version | None, Version | None]:
    """(lower, upper) of a specifier set: `>=1.4,<2`, `==1.4.54`, `~=1.3`, `^2.0`, `1.4.*`."""
    lower: Version | None = None
    upper: Version | None = None
    for clause in re.split(r"[,|]", spec):
        m = re.match(r"\s*(===|==|~=|!=|<=|>=|<|>|\^|~|=)?\s*v?([0-9][0-9A-Za-z.*+!-]*)", clause)
        if m is None:
            continue
        op, text = m.group(1) or "==", m.group(2)
        wildcard = text.endswith(".*")
        v = _parse(text.rstrip(".*"))
        if v is None or op == "!=":
            continue
        lo = hi = None
        if op in ("==", "===", "=") and wildcard:
            lo, hi = v, _bump(v, len(v) - 1)
        elif op in ("==", "===", "="):
            lo, hi = v, _just_above(v)
        elif op in (">=", ">"):
            lo = v
        elif op == "<":
            hi = v
        elif op == "<=":
            hi = _just_above(v)
        elif op == "~=":
            lo, hi = v, _bump(v, max(len(v) - 2, 0))
        elif op == "^":  # Poetry: up to the next left-most non-zero part
            first = next((i for i, p in enumerate(v) if p), len(v) - 1)
            lo, hi = v, _bump(v, first)
        elif op == "~":  # Poetry: `~1.4` -> <1.5, `~1` -> <2
            lo, hi = v, _bump(v, 0 if len(v) == 1 else 1)
        if lo is not None and (lower is None or _cmp(lo, lower) > 0):
            lower = lo
        if hi is not None and (upper is None or _cmp(hi, upper) < 0):
            upper = hi
    return lower, upper


_REQ_LINE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(\(?\s*[<>=!~^][^;#]*)?")


def _requirement(line: str) -> tuple[str, str] | None:
    """(normalised name, specifier) of one PEP 508 requirement string."""
    m = _REQ_LINE.match(line)
    if m is None:
        return None
    name = re.sub(r"[-_.]+", "-", m.group(1)).lower()
    return name, (m.group(3) or "").strip().strip("()")


def version_files(root: str) -> list[str]:
    """The files versions are read from, root-relative (their stats key the run state)."""
    out = [name for name in LOCK_FILES + DECLARATION_FILES if os.path.isfile(os.path.join(root, name))]
    try:
        out += sorted(n for n in os.listdir(root) if _REQ_GLOB.match(n) and os.path.isfile(os.path.join(root, n)))
    except OSError:
        pass
    for folder in _REQ_FOLDERS:
        path = os.path.join(root, folder)
        if os.path.isdir(path):
            out += sorted(f"{folder}/{n}" for n in os.listdir(path) if n.endswith((".txt", ".in")))
    return out


def read_versions(root: str) -> dict[str, Range]:
    """The version range of each of PACKAGES the project's files give (absent: unknown)."""
    locked: dict[str, tuple[Version, str]] = {}
    declared: dict[str, list[tuple[str, str]]] = {}
    seen: set[str] = set()
    for rel in version_files(root):
        path = os.path.join(root, rel)
        text = _read(path)
        if text is None:
            continue
        if rel in LOCK_FILES:
            for name, version in _locked(rel, text):
                if name in PACKAGES and name not in locked:
                    v = _parse(version)
                    if v is not None:
                        locked[name] = (v, rel)
            continue
        for name, spec, where in _declared(root, rel, text, seen):
            if name in PACKAGES and spec:
                declared.setdefault(name, []).append((spec, where))
    out: dict[str, Range] = {}
    for name in PACKAGES:
        if name in locked:
            v, where = locked[name]
            out[name] = Range(exact=v, sources=(where,))
            continue
        lower = upper = None
        sources: list[str] = []
        for spec, where in declared.get(name, ()):
            lo, hi = constraints(spec)
            if lo is None and hi is None:
                continue
            if lo is not None and (lower is None or _cmp(lo, lower) > 0):
                lower = lo
            if hi is not None and (upper is None or _cmp(hi, upper) < 0):
                upper = hi
            if where not in sources:
                sources.append(where)
        if lower is not None and upper is not None and _cmp(lower, upper) >= 0:
            continue  # the files disagree: unknown
        if sources:
            out[name] = Range(lower, upper, None, tuple(sources))
    sqla, fsa = out.get("sqlalchemy"), out.get("flask-sqlalchemy")
    if fsa is not None and fsa.below((3, 0)) and (sqla is None or sqla.upper is None and sqla.exact is None):
        # Flask-SQLAlchemy 2.x does not run on SQLAlchemy 2.0: the project is below it too
        lower = sqla.lower if sqla is not None else None
        if lower is None or _cmp(lower, (2, 0)) < 0:
            out["sqlalchemy"] = Range(lower, (2, 0), None, (sqla.sources if sqla else ()) + (
                "implied by flask-sqlalchemy<3",))
    return out


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError:
        return None


def _toml(text: str) -> dict[str, Any]:
    try:
        try:
            import tomllib
        except ModuleNotFoundError:  # Python < 3.11
            import tomli as tomllib
        return tomllib.loads(text)
    except Exception:  # a broken file says nothing about versions
        return {}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked(rel: str, text: str) -> Iterator[tuple[str, str]]:
    if rel == "Pipfile.lock":
        try:
            data = json.loads(text)
        except ValueError:
            return
        for section in ("default", "develop"):
            for name, entry in (data.get(section) or {}).items():
                if isinstance(entry, dict) and isinstance(entry.get("version"), str):
                    yield _norm(name), entry["version"].lstrip("=")
        return
    for entry in _toml(text).get("package", []) or []:
        if isinstance(entry, dict) and isinstance(entry.get("name"), str) and isinstance(entry.get("version"), str):
            yield _norm(entry["name"]), entry["version"]


def _declared(root: str, rel: str, text: str, seen: set[str]) -> Iterator[tuple[str, str, str]]:
    """(name, specifier, file) of every requirement a declaration or requirement file makes."""
    if rel == "pyproject.toml":
        data = _toml(text)
        for line in (data.get("project") or {}).get("dependencies") or []:
            if isinstance(line, str) and (req := _requirement(line)):
                yield req[0], req[1], rel
        poetry = ((data.get("tool") or {}).get("poetry") or {})
        groups = [poetry.get("dependencies") or {}] + [
            (g or {}).get("dependencies") or {} for g in (poetry.get("group") or {}).values() if isinstance(g, dict)]
        for deps in groups:
            for name, value in deps.items():
                spec = value.get("version") if isinstance(value, dict) else value
                if isinstance(spec, str):
                    yield _norm(name), spec, rel
        return
    if rel == "Pipfile":
        data = _toml(text)
        for section in ("packages", "dev-packages"):
            for name, value in (data.get(section) or {}).items():
                spec = value.get("version") if isinstance(value, dict) else value
                if isinstance(spec, str) and spec != "*":
                    yield _norm(name), spec, rel
        return
    if rel in ("setup.py", "setup.cfg"):
        # requirement strings wherever they are written (install_requires lists, cfg values)
        for m in re.finditer(r"""(?im)(?:^|["'\s])((?:flask[-_.]sqlalchemy|sqlalchemy)\b[^"'\n#;]*)""", text):
            req = _requirement(m.group(1))
            if req is not None:
                yield req[0], req[1], rel
        return
    yield from _requirement_file(root, rel, text, seen)


def _requirement_file(root: str, rel: str, text: str, seen: set[str]) -> Iterator[tuple[str, str, str]]:
    """Lines of a pip requirement file, following `-r` / `-c` includes once each."""
    real = os.path.realpath(os.path.join(root, rel))
    if real in seen:
        return
    seen.add(real)
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        m = re.match(r"^(?:-r|-c|--requirement|--constraint)[\s=]+(\S+)", line)
        if m is not None:
            target = os.path.normpath(os.path.join(os.path.dirname(rel), m.group(1)))
            included = _read(os.path.join(root, target))
            if included is not None:
                yield from _requirement_file(root, target.replace(os.sep, "/"), included, seen)
            continue
        if not line or line.startswith(("-", "#")):
            continue
        req = _requirement(line)
        if req is not None:
            yield req[0], req[1], rel
