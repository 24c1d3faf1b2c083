"""Configuration: find, read and validate `[tool.flaskarch]`, then resolve the preset.

Errors are :class:`ConfigError` with a one-line message naming the key and the file; the
CLI turns them into exit code 2. The resolved :class:`Settings` is plain data: it is part
of every cache key, so it must be hashable into a stable digest.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from flaskarch.presets import PRESET_NAMES, PRESETS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib


class ConfigError(Exception):
    """A configuration or usage problem: one line, exit code 2."""


DEFAULT_AUTH_DECORATORS = (
    "token_required",
    "require_auth",
    "jwt_required",
    "login_required",
    "auth_required",
    "role_required",
    "roles_required",
    "require_permission",
    "permission_required",
    "admin_required",
)

DEFAULT_RESPONSE_SUFFIXES = ("Response", "Out", "Read", "Public", "Detail", "Summary", "Item")

LAYER_NAMES = ("controller", "service", "repository", "model", "schema")


@dataclass(frozen=True)
class Settings:
    """The effective configuration for one run (file values over preset defaults)."""

    preset: str = "auto"
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    layers: tuple[tuple[str, tuple[str, ...]], ...] = ()
    default_layers: bool = True
    layer_order: tuple[str, ...] = ("controller", "service", "repository", "model")
    naming_exempt: tuple[str, ...] | None = None
    auth_decorators: tuple[str, ...] = ()
    replace_auth_decorators: bool = False
    auth_view_bases: tuple[str, ...] = ()
    public_routes: tuple[str, ...] = ()
    session_names: tuple[str, ...] | None = None
    response_schema_suffixes: tuple[str, ...] | None = None
    http_allowed_in_services: tuple[str, ...] = ("current_app", "g")
    sql_identifier_allowlist: tuple[str, ...] = ()
    log_allowed_names: tuple[str, ...] = ()
    # the baseline file (relative to the configuration file's folder); applied after the
    # cache, so it is no part of the digest
    baseline: str | None = field(default=None, compare=False)
    # not from the file: where the project is and which file configured it
    root: str = field(default=".", compare=False)
    config_file: str | None = field(default=None, compare=False)

    # -- derived views used by rules -------------------------------------------------
    def effective_auth_decorators(self) -> tuple[str, ...]:
        if self.replace_auth_decorators:
            return self.auth_decorators
        extra = PRESETS[self.preset].auth_decorators if self.preset in PRESETS else ()
        return _dedupe(DEFAULT_AUTH_DECORATORS + extra + self.auth_decorators)

    def effective_session_names(self) -> tuple[str, ...]:
        if self.session_names is not None:
            return self.session_names
        return PRESETS[self.preset].session_names if self.preset in PRESETS else ("myDB",)

    def effective_naming_exempt(self) -> tuple[str, ...]:
        if self.naming_exempt is not None:
            return self.naming_exempt
        return PRESETS[self.preset].naming_exempt if self.preset in PRESETS else ()

    def effective_response_suffixes(self) -> tuple[str, ...]:
        if self.response_schema_suffixes is not None:
            return self.response_schema_suffixes
        return DEFAULT_RESPONSE_SUFFIXES

    def digest(self) -> str:
        """Stable hash of everything that can change a file's findings."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.compare}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]

    def to_display(self) -> dict[str, Any]:
        out = asdict(self)
        out["auth_decorators"] = list(self.effective_auth_decorators())
        out["session_names"] = list(self.effective_session_names())
        out["naming_exempt"] = list(self.effective_naming_exempt())
        out["response_schema_suffixes"] = list(self.effective_response_suffixes())
        return {k.replace("_", "-"): v for k, v in out.items()}


def _dedupe(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


# key -> (kind, python field); kinds: str, bool, list, table-of-lists
_KEYS: dict[str, str] = {
    "preset": "str",
    "select": "list",
    "extend-select": "list",
    "ignore": "list",
    "exclude": "list",
    "respect-gitignore": "bool",
    "per-file-ignores": "table",
    "layers": "table",
    "default-layers": "bool",
    "layer-order": "list",
    "naming-exempt": "list",
    "auth-decorators": "list",
    "replace-auth-decorators": "bool",
    "auth-view-bases": "list",
    "public-routes": "list",
    "session-names": "list",
    "response-schema-suffixes": "list",
    "http-allowed-in-services": "list",
    "sql-identifier-allowlist": "list",
    "log-allowed-names": "list",
    "baseline": "str",
}


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def load_config_file(path: Path) -> dict[str, Any]:
    """Read an explicitly given --config file (pyproject section or flaskarch.toml table)."""
    if not path.is_file():
        raise ConfigError(f"{path}: configuration file not found")
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        section = data.get("tool", {}).get("flaskarch", {})
        if not isinstance(section, dict):
            raise ConfigError(f"{path}: [tool.flaskarch] must be a table")
        return section
    return data


def parse_settings(raw: dict[str, Any], source: str, known_codes: set[str]) -> Settings:
    """Validate a raw table into Settings. Every problem is a one-line ConfigError."""
    values: dict[str, Any] = {}
    for key, value in raw.items():
        kind = _KEYS.get(key)
        if kind is None:
            raise ConfigError(f"{source}: unknown key '{key}' in [tool.flaskarch]")
        values[key.replace("-", "_")] = _coerce(key, kind, value, source)
    if "preset" in values and values["preset"] not in PRESET_NAMES:
        raise ConfigError(
            f"{source}: preset must be one of {', '.join(PRESET_NAMES)}, not '{values['preset']}'"
        )
    for key in ("select", "extend_select", "ignore"):
        if key in values:
            values[key] = tuple(normalise_code(c) for c in values[key])
        for code in values.get(key, ()):
            check_code(code, known_codes, f"{source}: {key.replace('_', '-')}")
    for glob, codes in values.get("per_file_ignores", ()):
        for code in codes:
            check_code(code, known_codes, f"{source}: per-file-ignores '{glob}'")
    for layer, _ in values.get("layers", ()):
        if layer not in LAYER_NAMES:
            raise ConfigError(f"{source}: layers: unknown layer '{layer}' (one of {', '.join(LAYER_NAMES)})")
    for layer in values.get("layer_order", ()):
        if layer not in LAYER_NAMES:
            raise ConfigError(f"{source}: layer-order: unknown layer '{layer}'")
    return Settings(**values)


def _coerce(key: str, kind: str, value: Any, source: str) -> Any:
    if kind == "str":
        if not isinstance(value, str):
            raise ConfigError(f"{source}: '{key}' must be a string")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"{source}: '{key}' must be true or false")
        return value
    if kind == "list":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{source}: '{key}' must be a list of strings")
        return tuple(value)
    # table of string lists
    if not isinstance(value, dict):
        raise ConfigError(f"{source}: '{key}' must be a table")
    out = []
    for sub, items in value.items():
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise ConfigError(f"{source}: '{key}.{sub}' must be a list of strings")
        out.append((sub, tuple(items)))
    return tuple(out)


def check_code(code: str, known_codes: set[str], where: str) -> None:
    """A code or a prefix of at least one known code (FLK, FLK5, FLK50, FLK501)."""
    if not any(known.startswith(code) for known in known_codes) or not code.startswith("FLK"):
        raise ConfigError(f"{where}: unknown rule code '{code}'")


def split_codes(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    return tuple(normalise_code(c.strip()) for c in text.split(",") if c.strip())


def normalise_code(code: str) -> str:
    """`ALL` (ruff's spelling) selects every rule: the `FLK` prefix."""
    return "FLK" if code.upper() == "ALL" else code


def with_overrides(settings: Settings, **overrides: Any) -> Settings:
    clean = {k: v for k, v in overrides.items() if v is not None}
    return replace(settings, **clean) if clean else settings


def relpath_posix(path: str | os.PathLike[str], start: str | os.PathLike[str]) -> str:
    rel = os.path.relpath(path, start)
    return rel.replace(os.sep, "/")


class Configuration:
    """Settings per project: each file gets its nearest `flaskarch.toml` / `pyproject.toml`
    with `[tool.flaskarch]` (its folder is the project root; without one, the nearest folder
    with a project marker), as ruff and the flake8 plugin do. `--config` overrides all:
    then every file shares the one configuration. Command-line overrides apply to each."""

    def __init__(self, explicit: Path | None = None, known_codes: set[str] | None = None,
                 **overrides: Any) -> None:
        self.explicit = explicit
        self.known_codes = known_codes or set()
        self.overrides = {k: v for k, v in overrides.items() if v is not None}
        self._by_folder: dict[str, Settings] = {}
        self._near: dict[str, tuple[str | None, str | None]] = {}
        self._fallback: str | None = None
        self._by_config: dict[str | None, Settings] = {}
        self._explicit_settings: Settings | None = None
        if explicit is not None:
            raw = load_config_file(explicit)
            self._explicit_settings = self._make(raw, explicit, explicit.parent.resolve())

    def _make(self, raw: dict[str, Any], config_path: Path | None, root: Path) -> Settings:
        settings = parse_settings(raw, str(config_path) if config_path else "<defaults>", self.known_codes)
        settings = with_overrides(settings, **self.overrides)
        return with_overrides(settings, root=str(root), config_file=str(config_path) if config_path else None)

    def settings_for(self, path: str | os.PathLike[str], real: bool = False) -> Settings:
        """The settings of the project a file or folder belongs to (`real`: the path is
        already absolute and resolved, as discovery's are)."""
        if self._explicit_settings is not None:
            return self._explicit_settings
        path = str(path) if real else os.path.realpath(path)
        found = self._by_folder.get(path)
        if found is not None:
            return found
        folder = path if os.path.isdir(path) else os.path.dirname(path)
        found = self._by_folder.get(folder)
        if found is None:
            config_path, root = self._root(folder)
            key = config_path or f"root:{root}"
            found = self._by_config.get(key)
            if found is None:
                raw: dict[str, Any] = {}
                if config_path is not None:
                    raw = load_config_file(Path(config_path))
                found = self._by_config[key] = self._make(raw, Path(config_path) if config_path else None, root)
            self._by_folder[folder] = found
        return found

    def root_for(self, path: str | os.PathLike[str]) -> Path:
        """The project root of a file or folder, without reading its configuration's values
        (`flaskarch clean` must work whatever the configuration says)."""
        path = os.path.realpath(path)
        return self._root(path if os.path.isdir(path) else os.path.dirname(path))[1]

    def _root(self, folder: str) -> tuple[str | None, Path]:
        """(nearest configuration file, project root): the configuration's folder, else the
        nearest project folder; with neither, the first folder asked about is the root of all."""
        config_path, marker = self._nearest(folder)
        if config_path is None and marker is None:
            self._fallback = self._fallback or folder
        return config_path, Path(config_path).parent if config_path else Path(marker or self._fallback or folder)

    def _nearest(self, folder: str) -> tuple[str | None, str | None]:
        """(nearest configuration file, nearest folder with a project marker), memoised per
        folder so a tree of files costs one look per folder."""
        memo = self._near
        if folder in memo:
            return memo[folder]
        config = None
        for name in ("flaskarch.toml", "pyproject.toml"):
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                if name == "flaskarch.toml" or _has_section(Path(candidate)):
                    config = candidate
                    break
        marker = folder if _is_project_folder(folder) else None
        parent = os.path.dirname(folder)
        if config is None and parent != folder:
            up_config, up_marker = self._nearest(parent)
            config = up_config
            marker = marker or up_marker
        memo[folder] = (config, marker)
        return memo[folder]


def _is_project_folder(folder: str) -> bool:
    """A VCS checkout, or a Python project's folder: `setup.py` inside a package (a module
    named `setup`, as redash's `handlers/setup.py`) makes no project."""
    if any(os.path.exists(os.path.join(folder, m)) for m in (".git", ".hg")):
        return True
    if os.path.exists(os.path.join(folder, "__init__.py")):
        return False
    return any(os.path.exists(os.path.join(folder, m)) for m in ("pyproject.toml", "setup.cfg", "setup.py"))


def _has_section(path: Path) -> bool:
    data = _read_toml(path)
    return data.get("tool", {}).get("flaskarch") is not None
