"""`flaskarch init [--preset P] [--force] [PATH]`: write a commented `[tool.flaskarch]` section.

The section makes explicit what flaskarch already does on the project without one: the preset
`auto` picks, the auth decorators and session singletons the project uses (only names the
defaults already hold), and, as comments, the layer folders it found and the SQLAlchemy version
its files give. Every active setting equals what the defaults give, so the findings after
`init` are the findings before it. It goes into `pyproject.toml` (or a new `flaskarch.toml`
when the project has none); an existing section is only replaced with `--force`.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from flaskarch.config import ConfigError, Settings, _read_toml, parse_settings
from flaskarch.presets import PRESET_NAMES

HEADER = "[tool.flaskarch]"
_MARK = "\x00flaskarch-section\x00"
_TABLE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


@dataclass
class InitResult:
    path: Path  # the file written
    section: str  # the text written
    replaced: bool  # an existing section was replaced (--force)


def init_project(folder: Path, preset: str | None = None, force: bool = False) -> InitResult:
    """Write the section for the project at `folder`; ConfigError (one line) when it cannot."""
    if not folder.is_dir():
        raise ConfigError(f"{folder}: not a folder")
    root = folder.resolve()
    if preset is not None and preset not in PRESET_NAMES:
        raise ConfigError(f"--preset must be one of {', '.join(PRESET_NAMES)}, not '{preset}'")
    target, existing, has_section = _target(root)
    shown = _shown(target)
    if has_section and not force:
        where = "" if target.name == "flaskarch.toml" else f" {HEADER}"
        raise ConfigError(f"{shown} already has a{where} configuration; use --force to replace it")
    body = describe(root, preset)
    if target.name == "pyproject.toml":
        newline = "\r\n" if "\r\n" in existing else "\n"
        section = HEADER + "\n" + body
        kept = _without_section(existing) if has_section else existing
        head, _, tail = kept.partition(_MARK)
        head, tail = head.rstrip("\r\n"), tail.lstrip("\r\n")
        text = (head + "\n\n" if head.strip() else "") + section + ("\n" + tail if tail.strip() else "")
    else:  # flaskarch.toml: the keys at top level
        newline = "\r\n" if "\r\n" in existing else "\n"
        section = body
        text = section
    text = text.replace("\r\n", "\n").replace("\n", newline)
    _validate(text, target)
    tmp = target.with_name(f".{target.name}.flaskarch-init.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        if target.exists():
            os.chmod(tmp, os.stat(target).st_mode & 0o7777)
        os.replace(tmp, target)
    except OSError as exc:
        if tmp.exists():
            tmp.unlink()
        raise ConfigError(f"{shown}: cannot write: {exc.strerror}") from None
    return InitResult(target, section, has_section)


def _shown(path: Path) -> str:
    rel = os.path.relpath(path)
    return path.as_posix() if rel.startswith("..") else rel.replace(os.sep, "/")


def _target(root: Path) -> tuple[Path, str, bool]:
    """(the file to write, its text, whether it already configures flaskarch), looked up as
    the configuration search does: `flaskarch.toml` first, then `pyproject.toml`."""
    own = root / "flaskarch.toml"
    if own.is_file():
        text = _read_text(own)
        return own, text, bool(_read_toml(own))
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        data = _read_toml(pyproject)
        return pyproject, _read_text(pyproject), data.get("tool", {}).get("flaskarch") is not None
    return own, "", False


def _read_text(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:  # line endings as they are
        return fh.read()


def _without_section(text: str) -> str:
    """The text without the `[tool.flaskarch]` table and its sub-tables (comments inside
    them go too; comment lines glued to the next table's header stay with it)."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    skipping = False
    held: list[str] = []
    for line in lines:
        m = _TABLE.match(line)
        if m is not None:
            name = m.group(1).replace(" ", "").replace('"', "")
            inside = name == "tool.flaskarch" or name.startswith("tool.flaskarch.")
            if skipping and not inside:
                out += held  # comments right above the next header belong to it
            held = []
            if inside and not skipping and _MARK not in out:
                out.append(_MARK)  # the new section goes where the old one was
            skipping = inside
            if inside:
                continue
        if skipping:
            if line.lstrip().startswith("#"):
                held.append(line)
            else:
                held = []
            continue
        out.append(line)
    return "".join(out)


def _validate(text: str, target: Path) -> None:
    """The new file is valid TOML and its section valid configuration, or nothing is written."""
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    from flaskarch.rules import ALL_CODES

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{_shown(target)}: the file would not be valid TOML ({exc}); not written") from None
    raw = data.get("tool", {}).get("flaskarch", {}) if target.name == "pyproject.toml" else data
    parse_settings(raw, _shown(target), ALL_CODES)


# -- what the section says --------------------------------------------------------------------

def describe(root: Path, preset: str | None = None) -> str:
    """The section's body (keys and comments, no header) for the project at `root`."""
    from flaskarch.layers import explain
    from flaskarch.pins import PACKAGES, read_versions
    from flaskarch.runner import build_project

    base = Settings(root=str(root))
    ps, reads = build_project([root], base, use_cache=True)
    detected = ps.settings.preset
    chosen = preset or detected
    settings = ps.settings if chosen == detected or chosen == "auto" else Settings(preset=chosen, root=str(root))
    relpaths = [r.sf.relpath for r in reads]
    out = [
        "# Written by `flaskarch init`: every setting below is what flaskarch already did on this",
        "# project without configuration, so the findings are the same; edit to taste.",
        "# Keys and defaults: `flaskarch check --show-settings`; rules: `flaskarch rules`.",
    ]
    why = _preset_reason(relpaths, detected)
    if chosen == "auto":
        out += [f"# `auto` picks {detected!r} here ({why}).", 'preset = "auto"']
    elif chosen == detected:
        out += [f"# The layout: {why}.", f"preset = {json.dumps(chosen)}"]
    else:
        out += [f"# `auto` would pick {detected!r} ({why}); chosen: {chosen!r}.", f"preset = {json.dumps(chosen)}"]

    # auth decorators the routes use
    names = settings.effective_auth_decorators()
    used: Counter[str] = Counter()
    other: Counter[str] = Counter()
    for ep in ps.answers.route_model().endpoints:
        if ep.auth.kind == "decorator":
            name = ep.auth.by.lstrip("@").split("(")[0].rsplit(".", 1)[-1]
            (used if name in names else other)[name] += 1
    known = [n for n in ps.answers.project_auth_decorators() if n not in used]
    listed = [n for n, _ in used.most_common()] + known
    out.append("")
    if listed:
        out.append("# Auth decorators of FLK501/FLK502 this project uses (already in the defaults):")
        out.append(f"auth-decorators = {_list(listed)}")
    else:
        out.append("# No known auth decorator on a route; name yours so FLK501/FLK502 see them:")
        out.append('# auth-decorators = ["login_required_json"]')
    if other:
        out.append("# Also recognised without configuration (they wrap one or check the user): "
                   + ", ".join(n for n, _ in other.most_common()))

    # session singletons
    sessions = settings.effective_session_names()
    found = _imported_or_defined(ps.answers, sessions)
    auto = sorted({f"{mf.module}.{n}" for mf in ps.answers._index.modules.values()
                   for n in mf.session_objects + mf.db_objects})
    out.append("")
    if found:
        out.append("# Session singletons (FLK101/FLK102 treat them as the database session):")
        out.append(f"session-names = {_list(list(sessions))}")
    else:
        out.append(f"# Session singletons: the preset's {_list(list(sessions))} is not used here; name yours:")
        out.append(f"# session-names = {_list(list(sessions))}")
    if auto:
        out.append("# Sessions and db objects found without configuration: " + _few(auto))

    # layers, as found (comments: globs would be tried before file names and change that order)
    out.append("")
    out.append("# Layers found by folder and file name (default-layers = true). To pin them, uncomment:")
    by_folder: dict[str, dict[str, str | None]] = {}
    for r in reads:
        folder = r.sf.relpath.rsplit("/", 1)[0] if "/" in r.sf.relpath else ""
        by_folder.setdefault(folder, {})[r.sf.relpath] = explain(r.sf.relpath, settings)[0]
    globs: dict[str, list[str]] = {}
    counts: dict[str, Counter[str]] = {}
    for folder, files in sorted(by_folder.items()):
        layers = set(files.values())
        for rel, layer in sorted(files.items()):
            if layer is not None:
                counts.setdefault(layer, Counter())[folder or "."] += 1
        if len(layers) == 1 and None not in layers:  # the whole folder is one layer
            globs.setdefault(layers.pop(), []).append(f"{folder}/*.py" if folder else "*.py")
        else:
            for rel, layer in sorted(files.items()):
                if layer is not None:
                    globs.setdefault(layer, []).append(rel)
    if globs:
        out.append("# [tool.flaskarch.layers]")
        for layer in ("controller", "service", "repository", "model", "schema"):
            if layer in globs:
                found = ", ".join(f"{f}/ {c}" for f, c in sorted(counts[layer].items()))
                out.append(f"# {layer} = {_list(globs[layer][:12])}" + ("  # …" if len(globs[layer]) > 12 else ""))
                out.append(f"#   files per folder: {found if len(found) < 100 else _few(sorted(counts[layer]))}")
    else:
        out.append("# (no module sits in a layer folder or has a layer suffix: set `layers` globs)")

    # SQLAlchemy
    versions = read_versions(str(root))
    out.append("")
    for name in PACKAGES:
        label = "SQLAlchemy" if name == "sqlalchemy" else "Flask-SQLAlchemy"
        out.append(f"# {label}: {versions[name].describe() if name in versions else 'version unknown'}")
    sqla = versions.get("sqlalchemy")
    if sqla is not None and sqla.below((2, 0)):
        out.append("# (below 2.0: FLK403/FLK404 are off unless selected)")
    out += [
        "",
        "# Common next steps:",
        '# ignore = ["FLK303"]',
        '# exclude = ["legacy/**"]',
        '# public-routes = ["auth.login", "*/health"]',
        '# baseline = ".flaskarch-baseline.json"   # see `flaskarch check --write-baseline`',
    ]
    return "\n".join(out) + "\n"


def _preset_reason(relpaths: list[str], detected: str) -> str:
    pattern = {"backant": ("routes", "_route.py"), "mscr": ("controllers", "_controller.py")}.get(detected)
    if pattern is None:
        return "no routes/*_route.py nor controllers/*_controller.py: the factory layout"
    for rel in sorted(relpaths):
        parts = rel.split("/")
        if len(parts) >= 2 and parts[-2] == pattern[0] and parts[-1].endswith(pattern[1]):
            return f"{rel} is a {pattern[0]}/*{pattern[1]} module"
    return f"{pattern[0]}/*{pattern[1]} modules"


def _imported_or_defined(answers, names: tuple[str, ...]) -> list[str]:
    """The names some module of the project imports (`from helper.DBSession import myDB`)."""
    wanted = set(names)
    found = set()
    for mf in answers._index.modules.values():
        for local, qual in mf.imports.items():
            if local in wanted or qual.rsplit(".", 1)[-1] in wanted:
                found.add(local if local in wanted else qual.rsplit(".", 1)[-1])
    return sorted(found)


def _list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(i) for i in items) + "]"


def _few(items: list[str], n: int = 6) -> str:
    return ", ".join(items[:n]) + (f", … ({len(items) - n} more)" if len(items) > n else "")
