"""Per-file cache under `<root>/.flaskarch_cache/`: facts by content hash, results by key.

A result is stored under (tool build, effective settings, module name) on top of the file's
content hash, together with the record of every project answer its check asked (see
:mod:`flaskarch.facts.answers`). A later run reuses it when the whole project's facts are
unchanged since the record was last confirmed (the *epoch*), or when every recorded answer is
still the same: editing a file re-checks it and exactly the files whose answers it changed,
whatever fact a rule reads. Results of several settings (`--select` variants) live side by
side, a few per file.

Beside it, the *run states*, one per settings: the results of the last runs together with a
signature of everything they depended on (tool build, settings, every project file's path,
module name, mtime and size, the requirement files). A run whose signature matches takes its
results straight from there, without loading facts or building the project index: that is the
warm run and the pre-commit run on an unchanged tree. Like ruff, an unchanged (mtime, size) is
trusted to mean unchanged content.

Each is one pickle written atomically (temp file + rename), so concurrent runs never see a
torn file; an unreadable or corrupt cache is simply ignored. A cache is read back with an
unpickler that can build nothing but flaskarch's own dataclasses and plain containers (a
planted pickle cannot run code: it is a cache miss), and only from a real folder that holds
flaskarch's marker: a symlinked or foreign `.flaskarch_cache` is neither read, written nor
cleaned.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flaskarch import __version__

CACHE_DIR = ".flaskarch_cache"


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """Digest of flaskarch's own source: a changed or upgraded tool never reuses results, even
    in an editable install whose version string did not move; two installs of the same code
    (a pre-commit environment and a developer's venv) share one cache."""
    package = Path(__file__).resolve().parent
    h = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*.py")):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        h.update(f"{path.relative_to(package).as_posix()}:{len(data)}:".encode())
        h.update(data)
    return h.hexdigest()[:16]


KEEP_BUILDS = 3  # tool builds whose caches are kept, this one included (most recently written)


KEEP_RESULTS = 4  # results of different settings kept per file (most recently used)
KEEP_STATES = 4  # run states kept (one per settings)


@dataclass
class Stored:
    epoch: str  # the project digest under which its answers were last confirmed
    result: Any  # FileResult, with its answer record


@dataclass
class Entry:
    content_hash: str
    facts: Any
    facts_digest: str
    stat: tuple[int, int] = (0, 0)  # (mtime_ns, size) when the facts were taken
    results: dict[str, Stored] = field(default_factory=dict)  # key -> result, oldest first


@dataclass
class RunState:
    signature: str
    preset: str  # the preset "auto" resolved to
    results: dict[str, Any]  # root-relative path -> FileResult (without answer records)


class Cache:
    def __init__(self, root: str, enabled: bool = True) -> None:
        self.enabled = enabled
        self.folder = Path(root) / CACHE_DIR
        # one cache per tool build: facts and results of another build are never read
        self.path = self.folder / f"v{__version__}-{code_digest()}" / "files.pickle"
        self._entries: dict[str, Entry] | None = None if enabled else {}
        self.dirty = False

    @property
    def entries(self) -> dict[str, Entry]:
        if self._entries is None:  # loaded only by a run that has something to check
            data = _load(self.path) if self._usable() else None
            self._entries = data if _valid_entries(data) else {}
        return self._entries

    def _usable(self) -> bool:
        """The folder is flaskarch's own (or not there yet): a real directory, not a link."""
        return usable_folder(self.folder)

    def _state_path(self, settings_digest: str) -> Path:
        return self.path.with_name(f"state-{settings_digest}.pickle")

    def state(self, settings_digest: str) -> RunState | None:
        """The last run state of these settings (the caller compares its signature)."""
        if not self.enabled:
            return None
        state = _load(self._state_path(settings_digest)) if self._usable() else None
        if not isinstance(state, RunState) or not isinstance(state.results, dict):
            return None
        return state

    def store_state(self, settings_digest: str, state: RunState) -> None:
        if not self.enabled:
            return
        path = self._state_path(settings_digest)
        self._write(path, state)
        try:
            others = sorted(path.parent.glob("state-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in others[KEEP_STATES:]:
                old.unlink()
        except OSError:
            pass

    def facts(self, relpath: str, content_hash: str) -> Entry | None:
        entry = self.entries.get(relpath)
        if entry is not None and entry.content_hash == content_hash:
            return entry
        return None

    def store_facts(self, relpath: str, content_hash: str, facts: Any, digest: str,
                    stat: tuple[int, int] = (0, 0)) -> None:
        if self.enabled:
            self.entries[relpath] = Entry(content_hash, facts, digest, stat=stat)
            self.dirty = True

    def unchanged(self, relpath: str, stat: tuple[int, int]) -> Entry | None:
        """The entry, when the file's (mtime, size) are those its facts were taken at."""
        entry = self.entries.get(relpath)
        if entry is not None and stat != (0, 0) and entry.stat == stat:
            return entry
        return None

    def result(self, relpath: str, content_hash: str, key: str) -> Stored | None:
        entry = self.facts(relpath, content_hash)
        return entry.results.get(key) if entry is not None else None

    def confirm(self, stored: Stored, epoch: str) -> None:
        """Its answers were replayed and hold under this epoch."""
        stored.epoch = epoch
        self.dirty = True

    def store_result(self, relpath: str, content_hash: str, key: str, epoch: str, result: Any) -> None:
        entry = self.facts(relpath, content_hash)
        if self.enabled and entry is not None:
            if result.answers:  # the same qualified names recur in every record: share them
                result.answers = {
                    (sys.intern(name), tuple(sys.intern(a) if isinstance(a, str) else a for a in args)): value
                    for (name, args), value in result.answers.items()
                }
            entry.results.pop(key, None)
            entry.results[key] = Stored(epoch, result)
            while len(entry.results) > KEEP_RESULTS:
                entry.results.pop(next(iter(entry.results)))
            self.dirty = True

    def save(self) -> None:
        if self.enabled and self.dirty and self._entries is not None:
            self._write(self.path, self._entries)
            self.dirty = False

    def _write(self, path: Path, data: Any) -> None:
        if not self._usable():
            return  # a symlink, or a folder flaskarch did not make: never write into it
        try:
            fresh = not self.folder.exists()
            if fresh:
                self.folder.mkdir()
                (self.folder / MARKER).write_text(MARKER_TEXT)
                (self.folder / ".gitignore").write_text("*\n")
            if path.parent.is_symlink():
                return
            path.parent.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as fh:
                    pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, path)
            except BaseException:
                os.unlink(tmp)
                raise
            _prune(self.folder, path.parent)
        except OSError:
            pass  # a read-only checkout still gets its report


def _prune(folder: Path, current: Path) -> None:
    """Drop the caches of all but the few most recently used other builds: two installs used
    in turn (a pre-commit hook's and a venv's) keep theirs, old versions do not pile up."""
    others = []
    for entry in folder.iterdir():
        # only build folders flaskarch writes (`v<version>-<digest>`), never through a link
        if entry.name.startswith("v") and not entry.is_symlink() and entry.is_dir() and entry != current:
            try:
                others.append((entry.stat().st_mtime, entry))
            except OSError:
                continue
    for _, entry in sorted(others, reverse=True)[KEEP_BUILDS - 1:]:
        shutil.rmtree(entry, ignore_errors=True)


MARKER = "CACHEDIR.TAG"
MARKER_TEXT = "Signature: 8a477f597d28d172789f06886806bc55\n# flaskarch cache: safe to delete\n"
# what a cache pickle may build besides flaskarch's dataclasses
_SAFE_BUILTINS = frozenset({("builtins", "set"), ("builtins", "frozenset"), ("builtins", "tuple"),
                            ("builtins", "list"), ("builtins", "dict"), ("copyreg", "_reconstructor"),
                            ("builtins", "object")})


def usable_folder(folder: Path) -> bool:
    """Absent (flaskarch may make it), or a real directory holding flaskarch's marker."""
    if folder.is_symlink():
        return False
    if not folder.exists():
        return True
    marker = folder / MARKER
    return folder.is_dir() and not marker.is_symlink() and marker.is_file() and (
        _read_marker(marker).startswith("Signature: 8a477f597d28d172789f06886806bc55"))


def _read_marker(marker: Path) -> str:
    try:
        with open(marker, encoding="utf-8", errors="replace") as fh:
            return fh.read(200)
    except OSError:
        return ""


class _SafeUnpickler(pickle.Unpickler):
    """Builds flaskarch's own dataclasses and plain containers, nothing else: a planted pickle
    whose `__reduce__` names `os.system` fails here and is a cache miss."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _SAFE_BUILTINS:
            return super().find_class(module, name)
        if module.split(".")[0] == "flaskarch":
            import dataclasses

            found = super().find_class(module, name)
            if isinstance(found, type) and dataclasses.is_dataclass(found):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache")


def _load(path: Path) -> Any:
    if path.is_symlink():
        return None
    try:
        with open(path, "rb") as fh:
            return _SafeUnpickler(fh).load()
    except Exception:  # noqa: BLE001 - missing, corrupt or from another version: start empty
        return None


def _valid_entries(data: Any) -> bool:
    """A dict of path -> Entry whose facts are module facts: anything else is a cache miss."""
    from flaskarch.facts.model import ModuleFacts

    if not isinstance(data, dict):
        return False
    return all(
        isinstance(k, str) and isinstance(v, Entry) and isinstance(v.facts, ModuleFacts)
        and isinstance(v.results, dict) and all(isinstance(s, Stored) for s in v.results.values())
        for k, v in data.items()
    )


def signature(settings_digest: str, root: str, files: list[tuple[str, str, bool, tuple[int, int]]],
              extra: list[tuple[str, tuple[int, int]]]) -> str:
    """What a run's results depend on: the tool build, the settings, and (path, module,
    is_package, (mtime, size)) of every project file and of the other files read."""
    h = hashlib.sha256(f"{__version__}|{code_digest()}|{settings_digest}|{root}".encode())
    h.update(repr(files).encode())
    h.update(repr(extra).encode())
    return h.hexdigest()


def clean(root: str) -> bool:
    """Remove the cache folder, only when it is a real folder flaskarch made (its marker)."""
    folder = Path(root) / CACHE_DIR
    if folder.is_dir() and not folder.is_symlink() and (folder / MARKER).is_file() and usable_folder(folder):
        shutil.rmtree(folder, ignore_errors=True)
        return True
    return False
