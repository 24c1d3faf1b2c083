#!/usr/bin/env python3
"""Reproducible benchmark: flaskarch against its peers on a pinned corpus of real Flask apps.

    python benchmarks/run.py [--reps 5] [--work DIR] [--flaskarch CMD]

Stdlib only, Python 3.10+. Steps (each reuses what an earlier run left in WORK):

1. download the pinned corpus (wheels from PyPI, `pip download`), check every file's sha256
   against benchmarks/corpus.toml, unpack the .py files into WORK/corpus/<name>/;
2. install the peers (ruff, flake8, fixit) into venvs of their own under WORK/venvs/;
3. time every command, round-robin (each repetition runs every command once), recording the
   wall-clock time and the peak RSS of each run;
4. print a markdown table of medians and ratios, and write it to WORK/results.md and
   benchmarks/latest.md (raw numbers in WORK/results.json).

A peer that fails to install or run becomes "n/a (reason)"; the rest still runs. See
benchmarks/README.md for what each row measures.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PIN_FILE = HERE / "corpus.toml"
LATEST = HERE / "latest.md"

INSTALL_TIMEOUT = 900  # seconds, one `pip download` or one venv install
PROBE_TIMEOUT = 120  # seconds, `--help` / `--version` probes

# Files the harness writes at the corpus root so that every tool runs with its defaults,
# whatever configuration lies in folders above WORK (config lookups walk up the tree).
NEUTRAL_CONFIGS = {
    "flaskarch.toml": "# benchmark: flaskarch defaults; makes the corpus root the project root\n",
    "ruff.toml": "# benchmark: ruff defaults\n",
    ".flake8": "# benchmark: flake8 defaults\n[flake8]\n",
    "fixit.toml": "# benchmark: fixit defaults\nroot = true\n",
}


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class BenchError(Exception):
    """A problem that makes the whole benchmark impossible (bad pin, corpus mismatch)."""


# --------------------------------------------------------------------------------------
# pin file
# --------------------------------------------------------------------------------------


def _mini_toml(text: str) -> dict:
    """Enough TOML for corpus.toml on Python 3.10 (no tomllib): [a.b] tables, scalar keys."""
    data: dict = {}
    table = data
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"\[([A-Za-z0-9_.-]+)\]\s*(#.*)?", line)
        if m:
            table = data
            for part in m.group(1).split("."):
                table = table.setdefault(part, {})
            continue
        m = re.fullmatch(r'([A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|true|false|-?\d+)\s*(#.*)?', line)
        if not m:
            raise BenchError(f"{PIN_FILE}:{lineno}: cannot parse {raw!r}")
        value = m.group(2)
        if value.startswith('"'):
            table[m.group(1)] = json.loads(value)
        elif value in ("true", "false"):
            table[m.group(1)] = value == "true"
        else:
            table[m.group(1)] = int(value)
    return data


def load_pins(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    try:
        import tomllib  # Python 3.11+
    except ImportError:
        data = _mini_toml(text)
    else:
        data = tomllib.loads(text)
    corpus = data.get("corpus") or {}
    if not corpus:
        raise BenchError(f"{path}: no [corpus.*] entries")
    for name, entry in corpus.items():
        for key in ("requirement", "file", "sha256"):
            if not isinstance(entry.get(key), str):
                raise BenchError(f"{path}: [corpus.{name}] needs a string '{key}'")
        if not re.fullmatch(r"[0-9a-f]{64}", entry["sha256"]):
            raise BenchError(f"{path}: [corpus.{name}] sha256 is not 64 lowercase hex digits")
        if not re.fullmatch(r"[A-Za-z0-9._-]+", name):
            raise BenchError(f"{path}: bad corpus name {name!r}")
    return data


# --------------------------------------------------------------------------------------
# small process helpers
# --------------------------------------------------------------------------------------


def run_quiet(argv: list[str], timeout: float = PROBE_TIMEOUT, cwd: Path | None = None) -> tuple[int, str]:
    """Run a helper command (not timed); return (exit code, combined output). -1: could not run."""
    try:
        proc = subprocess.run(
            argv,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            text=True,
            errors="replace",
        )
    except subprocess.TimeoutExpired:
        return -1, f"timed out after {timeout:.0f} s"
    except OSError as exc:
        return -1, f"cannot run {argv[0]}: {exc.strerror or exc}"
    return proc.returncode, proc.stdout


def last_line(text: str, limit: int = 160) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    if not lines:
        return ""
    line = lines[-1]
    return line if len(line) <= limit else line[: limit - 1] + "…"


def one_line(text: str, limit: int = 200) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --------------------------------------------------------------------------------------
# corpus
# --------------------------------------------------------------------------------------


def count_lines(data: bytes) -> int:
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def fetch_file(name: str, entry: dict, downloads: Path) -> Path:
    """The pinned file in WORK/downloads/, downloaded with pip if needed, hash-checked."""
    target = downloads / entry["file"]
    want = entry["sha256"]
    if target.is_file() and sha256_of(target) == want:
        return target
    binary = "--only-binary=:all:" if entry["file"].endswith(".whl") else "--no-binary=:all:"
    with tempfile.TemporaryDirectory(dir=downloads, prefix="dl-") as tmp:
        argv = [
            sys.executable, "-m", "pip", "download", "--no-deps", binary,
            "--ignore-requires-python", "--disable-pip-version-check", "-d", tmp,
            entry["requirement"],
        ]
        log(f"downloading {entry['requirement']}")
        rc, out = run_quiet(argv, timeout=INSTALL_TIMEOUT)
        if rc != 0:
            raise BenchError(f"corpus {name}: `{shlex.join(argv)}` failed: {last_line(out)}")
        got = sorted(Path(tmp).iterdir())
        if [p.name for p in got] != [entry["file"]]:
            raise BenchError(
                f"corpus {name}: pip downloaded {[p.name for p in got]}, but the pin is "
                f"{entry['file']!r} (update benchmarks/corpus.toml deliberately if this is expected)"
            )
        digest = sha256_of(got[0])
        if digest != want:
            raise BenchError(
                f"corpus {name}: sha256 MISMATCH for {entry['file']}\n"
                f"  pinned:     {want}\n  downloaded: {digest}\n"
                "The file on the index differs from the pinned one; refusing to benchmark on it."
            )
        os.replace(got[0], target)
    return target


def _safe_member(name: str) -> str | None:
    """The archive member's relative path if it is a .py file we want, else None."""
    parts = Path(name).parts
    if not name.endswith(".py") or not parts:
        return None
    if Path(name).is_absolute() or ".." in parts:
        return None
    if any(p.endswith((".dist-info", ".egg-info")) for p in parts):
        return None
    return str(Path(*parts))


def unpack(archive: Path, dest: Path) -> None:
    """Only the .py files of a wheel or sdist, under dest (sdists lose their top folder)."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    if archive.name.endswith(".whl") or archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                rel = _safe_member(info.filename)
                if rel is None or info.is_dir():
                    continue
                if archive.name.endswith(".zip"):  # sdist zip: drop NAME-VERSION/
                    rel = str(Path(*Path(rel).parts[1:])) if len(Path(rel).parts) > 1 else None
                    if rel is None:
                        continue
                out = dest / rel
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(zf.read(info))
    else:
        with tarfile.open(archive) as tf:
            for member in tf.getmembers():
                if not member.isfile():
                    continue
                rel = _safe_member(member.name)
                if rel is None or len(Path(rel).parts) < 2:
                    continue
                rel = str(Path(*Path(rel).parts[1:]))  # drop NAME-VERSION/
                fh = tf.extractfile(member)
                if fh is None:
                    continue
                out = dest / rel
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(fh.read())


def prepare_corpus(pins: dict, work: Path) -> tuple[Path, list[dict]]:
    downloads = work / "downloads"
    state = work / "state"
    corpus_root = work / "corpus"
    for d in (downloads, state, corpus_root):
        d.mkdir(parents=True, exist_ok=True)
    stats = []
    for name, entry in pins["corpus"].items():
        archive = fetch_file(name, entry, downloads)
        marker = state / f"corpus-{name}.sha256"
        dest = corpus_root / name
        if not (dest.is_dir() and marker.is_file() and marker.read_text().strip() == entry["sha256"]):
            log(f"unpacking {archive.name} into {dest}")
            unpack(archive, dest)
            marker.write_text(entry["sha256"] + "\n")
        files = lines = 0
        for path in iter_py(dest):
            files += 1
            lines += count_lines(path.read_bytes())
        stats.append({"name": name, "requirement": entry["requirement"], "file": entry["file"],
                      "files": files, "lines": lines})
    # Keep only the pinned packages and the neutral configs at the corpus root: this also
    # drops caches a previous run left there (flaskarch's, ruff's), so priming is real.
    keep = set(pins["corpus"]) | set(NEUTRAL_CONFIGS)
    for entry in corpus_root.iterdir():
        if entry.name not in keep:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    for fname, text in NEUTRAL_CONFIGS.items():
        (corpus_root / fname).write_text(text)
    return corpus_root, stats


def iter_py(root: Path):
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for fname in sorted(filenames):
            if fname.endswith(".py"):
                yield Path(folder) / fname


# --------------------------------------------------------------------------------------
# peers and the flaskarch interpreter
# --------------------------------------------------------------------------------------


def venv_bin(venv: Path, exe: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / exe


def install_peer(name: str, requirement: str, work: Path) -> tuple[Path | None, str]:
    """A venv at WORK/venvs/<name> with `requirement`; (venv, "") or (None, reason)."""
    venv = work / "venvs" / name
    marker = venv / ".bench-requirement"
    exe = venv_bin(venv, name)
    if marker.is_file() and marker.read_text().strip() == requirement and exe.exists():
        return venv, ""
    if venv.exists():
        shutil.rmtree(venv)
    log(f"installing {requirement} into {venv}")
    rc, out = run_quiet([sys.executable, "-m", "venv", str(venv)], timeout=INSTALL_TIMEOUT)
    if rc != 0:
        return None, f"venv creation failed: {last_line(out)}"
    py = venv_bin(venv, "python")
    rc, out = run_quiet(
        [str(py), "-m", "pip", "install", "--disable-pip-version-check", "-q", requirement],
        timeout=INSTALL_TIMEOUT,
    )
    if rc != 0:
        return None, f"pip install {requirement} failed: {last_line(out)}"
    if not exe.exists():
        return None, f"{requirement} installed no `{name}` command"
    marker.write_text(requirement + "\n")
    return venv, ""


def freeze(python: Path | str) -> str:
    rc, out = run_quiet([str(python), "-m", "pip", "freeze", "--disable-pip-version-check"])
    if rc != 0:
        return "(pip freeze failed)"
    return ", ".join(ln.strip() for ln in out.splitlines() if ln.strip() and not ln.startswith("#"))


def flaskarch_python(argv: list[str], override: str | None) -> tuple[str | None, str]:
    """The interpreter flaskarch runs in (for the floors); (path, how it was found)."""
    if override:
        return override, "--python"
    exe = shutil.which(argv[0]) if argv else None
    if exe is None:
        return None, f"cannot find {argv[0] if argv else '(empty)'}"
    exe_path = Path(exe)
    if exe_path.name.startswith("python"):
        return str(exe_path), "the --flaskarch interpreter"
    for sibling in ("python", "python3"):
        candidate = exe_path.parent / sibling
        if candidate.exists():
            return str(candidate), f"next to {exe_path}"
    try:
        first = exe_path.read_bytes()[:256].split(b"\n", 1)[0].decode()
    except (OSError, UnicodeDecodeError):
        first = ""
    if first.startswith("#!"):
        parts = shlex.split(first[2:].strip())
        if parts and Path(parts[0]).name == "env" and len(parts) > 1:
            parts = [shutil.which(parts[1]) or parts[1]]
        if parts and Path(parts[0]).exists():
            return parts[0], f"shebang of {exe_path}"
    return sys.executable, "this interpreter (fallback)"


# --------------------------------------------------------------------------------------
# measuring one run
# --------------------------------------------------------------------------------------


def find_gnu_time() -> str | None:
    exe = "/usr/bin/time"
    if not os.access(exe, os.X_OK):
        return None
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        rc, _ = run_quiet([exe, "-f", "%M", "-o", tf.name, "true"], timeout=30)
        try:
            text = Path(tf.name).read_text()
        except OSError:
            return None
    return exe if rc == 0 and re.search(r"^\d+\s*$", text, re.M) else None


@dataclass
class Sample:
    wall: float
    rss_kib: int | None
    rc: int
    timed_out: bool
    stderr_tail: str


def measure(argv: list[str], cwd: Path, timeout: float, logdir: Path, key: str,
            gnu_time: str | None) -> Sample:
    """Run argv once; wall-clock time and peak RSS (largest single process in the tree)."""
    out_path = logdir / f"{key}.stdout"
    err_path = logdir / f"{key}.stderr"
    time_file = None
    full = list(argv)
    if gnu_time:
        fd, time_file = tempfile.mkstemp(prefix="rss-", suffix=".txt", dir=logdir)
        os.close(fd)
        full = [gnu_time, "-f", "%M", "-o", time_file, *argv]
    killed = threading.Event()

    def kill(pid: int) -> None:
        killed.set()
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass

    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(full, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=err, start_new_session=True)
        except OSError as exc:
            return Sample(0.0, None, -1, False, f"cannot run {argv[0]}: {exc.strerror or exc}")
        timer = threading.Timer(timeout, kill, (proc.pid,))
        timer.daemon = True
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # Ctrl-C / SIGTERM: take the command's whole group down too
            kill(proc.pid)
            os.waitpid(proc.pid, 0)
            proc.returncode = -9
            raise
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
    rc = os.waitstatus_to_exitcode(status)
    proc.returncode = rc  # reaped by wait4: keep Popen from waiting again
    rss: int | None = None
    if time_file:
        try:
            nums = re.findall(r"^(\d+)\s*$", Path(time_file).read_text(), re.M)
            rss = int(nums[-1]) if nums else None
        except OSError:
            rss = None
        finally:
            Path(time_file).unlink(missing_ok=True)
    if rss is None:
        # wait4's ru_maxrss covers the child and the descendants it waited for; KiB on
        # Linux, bytes on macOS.
        rss = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
    try:
        tail = last_line(err_path.read_text(errors="replace")[-4000:])
    except OSError:
        tail = ""
    return Sample(wall, rss, rc, killed.is_set(), tail)


# --------------------------------------------------------------------------------------
# the benchmark rows
# --------------------------------------------------------------------------------------


@dataclass
class Row:
    key: str
    label: str
    argv: list[str] | None
    ok_codes: set[int] | None = field(default_factory=lambda: {0})  # None: any exit code
    prime: bool = False
    note: str = ""
    na: str | None = None
    samples: list[Sample] = field(default_factory=list)
    invalidated: int = 0  # warm rows: re-primes that found the cache invalidated
    edit: str | None = None  # corpus file given a new last line before each timed run (restored after)

    @property
    def command(self) -> str:
        return shlex.join(self.argv) if self.argv else "-"


# The three floors walk the corpus the same way; each adds only what it does per file.
_FLOOR_FILES = '''\
import os, sys
def files(root):
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for n in sorted(names):
            if n.endswith(".py"):
                yield os.path.join(folder, n)
total = count = failed = 0
'''
_FLOOR_LOOP = '''\
for path in files(sys.argv[1]):
    with open(path, "rb") as fh:
        data = fh.read()
    count += 1
    total += len(data)
    try:
        {parse}
    except Exception:
        failed += 1
print(f"{label}: {{count}} files, {{total}} bytes, {{failed}} failed")
'''


def _floor(imports: str, parse: str, label: str) -> str:
    return _FLOOR_FILES + imports + _FLOOR_LOOP.format(parse=parse, label=label)


FLOOR_SCRIPTS = {
    "read": _floor("", "pass", "read"),
    "ast": _floor("import ast, warnings\nwarnings.simplefilter(\"ignore\")\n", "ast.parse(data, filename=path)",
                  "ast.parse"),
    "libcst": _floor("import libcst\n", "libcst.parse_module(data)", "libcst.parse_module"),
}


def flaskarch_supports_no_cache(fa: list[str]) -> tuple[bool | None, str]:
    rc, out = run_quiet([*fa, "check", "--help"])
    if rc != 0:
        return None, f"`{shlex.join([*fa, 'check', '--help'])}` failed: {last_line(out)}"
    return "--no-cache" in out, ""


def build_rows(args, pins: dict, work: Path, corpus: Path, env_notes: list[str]) -> list[Row]:
    rows: list[Row] = []
    fa = shlex.split(args.flaskarch)
    one_file = pins.get("settings", {}).get("one_file", "")

    # flaskarch -------------------------------------------------------------------------
    no_cache, why = flaskarch_supports_no_cache(fa)
    fa_na = None
    if no_cache is None:
        fa_na = why
        no_cache = False
    cold = [*fa, "check", ".", *(["--no-cache"] if no_cache else []), "--exit-zero", "-q"]
    warm = [*fa, "check", ".", "--exit-zero", "-q"]
    cold_note = "" if no_cache else "run WITHOUT --no-cache: `flaskarch check --help` does not list it"
    warm_note = "" if no_cache else "no cache support detected: same command as cold"
    if no_cache:
        env_notes.append("flaskarch: `check --help` lists `--no-cache`: the cold row uses it.")
    elif fa_na is None:
        env_notes.append("flaskarch: `check --help` does not list `--no-cache`; the cold row runs "
                         "without it and the warm rows measure the same work (no cache yet).")
    rows.append(Row("flaskarch-cold", "flaskarch cold", cold, note=cold_note, na=fa_na))
    rows.append(Row("flaskarch-warm", "flaskarch warm", warm, prime=True, note=warm_note, na=fa_na))
    of_na = fa_na
    if of_na is None and not (corpus / one_file).is_file():
        of_na = f"one_file {one_file!r} not found in the corpus"
    rows.append(Row("flaskarch-one", "flaskarch one file (warm index)",
                    [*fa, "check", one_file, "--exit-zero", "-q"], prime=True,
                    note=f"`{one_file}`" + ("" if no_cache else "; no cache: rebuilds the index"),
                    na=of_na))
    rows.append(Row("flaskarch-one-edited", "flaskarch one file, just edited (warm index)",
                    [*fa, "check", one_file, "--exit-zero", "-q"], prime=True, edit=one_file,
                    note=f"`{one_file}` gets a new comment line before each run: the pre-commit case",
                    na=of_na))

    # peers -----------------------------------------------------------------------------
    peers = pins.get("peers", {})
    venvs: dict[str, tuple[Path | None, str]] = {}
    for name in ("ruff", "flake8", "fixit"):
        req = (peers.get(name) or {}).get("requirement")
        if not req:
            venvs[name] = (None, "no pin in corpus.toml")
        elif name in args.skip:
            venvs[name] = (None, "skipped (--skip)")
        else:
            venvs[name] = install_peer(name, req, work)
        venv, reason = venvs[name]
        if venv is not None:
            rc, out = run_quiet([str(venv_bin(venv, name)), "--version"])
            if rc != 0:
                venvs[name] = (None, f"`{name} --version` failed: {last_line(out)}")
            else:
                env_notes.append(f"{name}: {one_line(out)} — venv: {freeze(venv_bin(venv, 'python'))}")

    def peer_argv(name: str, *rest: str) -> tuple[list[str] | None, str | None]:
        venv, reason = venvs[name]
        if venv is None:
            return None, reason
        return [str(venv_bin(venv, name)), *rest], None

    argv, na = peer_argv("ruff", "check", "--no-cache", "--exit-zero", "-q", ".")
    rows.append(Row("ruff-cold", "ruff cold", argv, na=na))
    argv, na = peer_argv("ruff", "check", "--exit-zero", "-q", ".")
    rows.append(Row("ruff-warm", "ruff warm", argv, prime=True, na=na))
    argv, na = peer_argv("flake8", "--exit-zero", "-q", ".")
    rows.append(Row("flake8", "flake8 (default plugins, default jobs)", argv, na=na))
    argv, na = peer_argv("fixit", "lint", ".")
    rows.append(Row("fixit", "fixit lint", argv, ok_codes=None, na=na,
                    note="exit code ignored"))

    # floors ----------------------------------------------------------------------------
    py, how = flaskarch_python(fa, args.python)
    if py is None:  # read/ast floors need no flaskarch; libcst may still be importable here
        py, how = sys.executable, f"this interpreter: flaskarch's not found ({how})"
    floors_dir = work / "floors"
    floors_dir.mkdir(parents=True, exist_ok=True)
    libcst_na = None
    rc, out = run_quiet([py, "-c", "import sys, importlib.metadata as m, libcst; "
                             "print('python', sys.version.split()[0], 'libcst', m.version('libcst'))"])
    if rc != 0:
        libcst_na = f"`import libcst` fails in {py}: {last_line(out)}"
        env_notes.append(f"floors run in {py} ({how})")
    else:
        env_notes.append(f"floors run in {py} ({how}): {one_line(out)}")
    for kind, label in (("read", "floor: read all .py files"), ("ast", "floor: ast.parse all files"),
                        ("libcst", "floor: libcst.parse_module all files")):
        script = floors_dir / f"floor_{kind}.py"
        script.write_text(FLOOR_SCRIPTS[kind])
        na = libcst_na if kind == "libcst" else None
        rows.append(Row(f"floor-{kind}", label, [py, str(script), "."], na=na,
                        note="single process"))
    return rows


def flaskarch_fingerprint(py: str | None) -> str | None:
    """Digest of the installed flaskarch package's files (name, size, mtime), to notice an
    editable install being edited during the run (which also invalidates its cache)."""
    if py is None:
        return None
    code = (
        "import hashlib, os, flaskarch\n"
        "root = os.path.dirname(flaskarch.__file__)\n"
        "h = hashlib.sha256()\n"
        "for folder, dirs, files in os.walk(root):\n"
        "    dirs[:] = sorted(d for d in dirs if d != '__pycache__')\n"
        "    for f in sorted(files):\n"
        "        st = os.stat(os.path.join(folder, f))\n"
        "        h.update(f'{os.path.relpath(os.path.join(folder, f), root)} {st.st_size} {st.st_mtime_ns}\\n'.encode())\n"
        "print(root, h.hexdigest()[:16])\n"
    )
    rc, out = run_quiet([py, "-c", code])
    return one_line(out) if rc == 0 else None


def flaskarch_checked_files(py: str | None, corpus: Path) -> tuple[int, int] | None:
    """How many files/lines flaskarch itself checks (it skips tests/, migrations/ ...).

    Best effort through flaskarch's own discovery; None when that API is not there."""
    if py is None:
        return None
    code = (
        "from pathlib import Path\n"
        "from flaskarch.cli import load_settings\n"
        "from flaskarch.discovery import discover\n"
        "fs = discover([Path('.')], load_settings([Path('.')], None))\n"
        "print(len(fs), sum(Path(p).read_bytes().count(b'\\n') for p in fs))\n"
    )
    rc, out = run_quiet([py, "-c", code], cwd=corpus)
    m = re.search(r"^(\d+) (\d+)\s*$", out, re.M)
    return (int(m.group(1)), int(m.group(2))) if rc == 0 and m else None


# --------------------------------------------------------------------------------------
# the timing loop
# --------------------------------------------------------------------------------------


def fail_reason(row: Row, s: Sample, timeout: float) -> str | None:
    if s.timed_out:
        return f"timed out after {timeout:.0f} s"
    if s.rc == -1 and not s.wall:
        return s.stderr_tail
    if row.ok_codes is not None and s.rc not in row.ok_codes:
        return f"exit {s.rc}" + (f": {s.stderr_tail}" if s.stderr_tail else "")
    return None


def run_rows(rows: list[Row], reps: int, corpus: Path, work: Path, timeout: float,
             gnu_time: str | None) -> None:
    logdir = work / "logs"
    logdir.mkdir(parents=True, exist_ok=True)
    # warm the OS file cache once, and compile-on-first-import effects, untimed
    read_row = next((r for r in rows if r.key == "floor-read" and r.na is None), None)
    if read_row:
        measure(read_row.argv, corpus, timeout, logdir, "warmup-read", gnu_time)
    for row in rows:
        if row.na is None and row.prime:
            log(f"priming: {row.label}: {row.command}")
            s = measure(row.argv, corpus, timeout, logdir, f"{row.key}.prime", gnu_time)
            reason = fail_reason(row, s, timeout)
            if reason:
                row.na = f"priming run failed: {reason}"
            else:
                log(f"  primed in {s.wall:.2f} s")
    active = [r for r in rows if r.na is None]
    for rep in range(reps):
        shift = rep % len(active) if active else 0
        order = active[shift:] + active[:shift]  # rotate so no command always goes first
        for row in order:
            if row.na is not None:
                continue
            if row.prime:
                # untimed re-prime right before each timed warm run: cheap when the cache is
                # valid, and it makes sure "warm" is warm even if something (an edit, another
                # process on the same tree) invalidated the cache since the last run
                prime = measure(row.argv, corpus, timeout, logdir, f"{row.key}.prime", gnu_time)
            log(f"rep {rep + 1}/{reps}: {row.label}: {row.command}")
            if row.edit:
                edited = corpus / row.edit
                original = edited.read_bytes()
                try:
                    edited.write_bytes(original + f"\n# edited for benchmark rep {rep + 1}\n".encode())
                    s = measure(row.argv, corpus, timeout, logdir, row.key, gnu_time)
                finally:
                    edited.write_bytes(original)
            else:
                s = measure(row.argv, corpus, timeout, logdir, row.key, gnu_time)
            if row.prime and prime.wall > 2.0 and prime.wall > 3 * s.wall:
                row.invalidated += 1
                log(f"  note: the re-prime took {prime.wall:.1f} s: the cache had been invalidated")
            reason = fail_reason(row, s, timeout)
            if reason:
                row.na = reason
                row.samples.clear()
                log(f"  FAILED: {reason} (see {logdir / (row.key + '.stderr')})")
                continue
            row.samples.append(s)
            rss = f"{s.rss_kib / 1024:.0f} MiB" if s.rss_kib else "?"
            log(f"  {s.wall:.2f} s, {rss}")


# --------------------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------------------


def median_wall(row: Row | None) -> float | None:
    if row is None or row.na is not None or not row.samples:
        return None
    return statistics.median(s.wall for s in row.samples)


def render(rows: list[Row], stats: list[dict], args, env_notes: list[str],
           gnu_time: str | None, fa_checked: tuple[int, int] | None, started: str,
           elapsed: float) -> str:
    by_key = {r.key: r for r in rows}
    total_files = sum(s["files"] for s in stats)
    total_lines = sum(s["lines"] for s in stats)
    out: list[str] = []
    out.append("# flaskarch benchmark\n")
    out.append(f"Run {started} UTC, {args.reps} repetition(s) each, interleaved round-robin; "
               f"took {elapsed / 60:.1f} min. Corpus: **{total_files:,} files, {total_lines:,} lines** "
               "of Python" + (f" (flaskarch checks {fa_checked[0]:,} files, {fa_checked[1]:,} lines; "
                              "it skips tests/ and migrations/)" if fa_checked else "") + ".\n")
    out.append("| command | median wall (s) | min–max (s) | peak RSS (MiB) | runs | notes |")
    out.append("| --- | ---: | ---: | ---: | ---: | --- |")
    for r in rows:
        if r.na is not None or not r.samples:
            reason = r.na or "no samples"
            out.append(f"| {r.label} | n/a ({reason.replace('|', '/')}) | | | 0 | {r.note} |")
            continue
        walls = [s.wall for s in r.samples]
        rsses = [s.rss_kib for s in r.samples if s.rss_kib]
        rss = f"{max(rsses) / 1024:.0f}" if rsses else "?"
        note = r.note
        if r.ok_codes is None:  # exit code ignored: still show what it was
            codes = sorted({s.rc for s in r.samples})
            note += f" (was {', '.join(map(str, codes))})"
        if r.invalidated:
            note += ("; " if note else "") + (
                f"the cache had been invalidated before {r.invalidated} of {len(r.samples)} "
                "run(s) (re-primed untimed)")
        out.append(f"| {r.label} | {statistics.median(walls):.2f} | {min(walls):.2f}–{max(walls):.2f} "
                   f"| {rss} | {len(walls)} | {note} |")
    out.append("")
    out.append("| ratio (of medians) | value |")
    out.append("| --- | ---: |")
    for label, num, den in (
        ("flaskarch cold / libcst floor", "flaskarch-cold", "floor-libcst"),
        ("flaskarch cold / flake8", "flaskarch-cold", "flake8"),
        ("fixit / flaskarch cold", "fixit", "flaskarch-cold"),
        ("flaskarch warm / ruff warm", "flaskarch-warm", "ruff-warm"),
    ):
        a, b = median_wall(by_key.get(num)), median_wall(by_key.get(den))
        out.append(f"| {label} | {a / b:.2f}× |" if a is not None and b else f"| {label} | n/a |")
    out.append("")
    out.append("## Corpus (pinned in benchmarks/corpus.toml)\n")
    out.append("| package | file | .py files | lines |")
    out.append("| --- | --- | ---: | ---: |")
    for s in stats:
        out.append(f"| {s['requirement']} | {s['file']} | {s['files']:,} | {s['lines']:,} |")
    out.append(f"| **total** | | **{total_files:,}** | **{total_lines:,}** |")
    out.append("")
    out.append("## Commands (run from WORK/corpus)\n")
    for r in rows:
        out.append(f"- {r.label}: `{r.command}`")
    out.append("")
    out.append("## Environment\n")
    out.append(f"- machine: {platform.platform()}, {os.cpu_count()} CPUs; python {platform.python_version()} runs the harness")
    out.append(f"- peak RSS from: {'`/usr/bin/time -f %M`' if gnu_time else 'os.wait4 ru_maxrss'} "
               "(largest single process of the command's tree, not the sum over workers)")
    fa_version = run_quiet([*shlex.split(args.flaskarch), "--version"])[1]
    out.append(f"- flaskarch: `{args.flaskarch}` ({one_line(fa_version)})")
    for note in env_notes:
        out.append(f"- {note}")
    out.append("")
    return "\n".join(out)


def default_work() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "flaskarch-bench"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=5, help="timed repetitions per command (default 5)")
    parser.add_argument("--work", type=Path, default=default_work(),
                        help="scratch folder: downloads, corpus, venvs, logs, results "
                             "(default: %(default)s)")
    parser.add_argument("--flaskarch", default=None,
                        help="flaskarch command line (default: `flaskarch` on PATH, else "
                             "`python -m flaskarch` with this interpreter)")
    parser.add_argument("--python", default=None,
                        help="interpreter for the floors (default: the one flaskarch runs in)")
    parser.add_argument("--timeout", type=float, default=1800.0,
                        help="seconds before one run is killed (default 1800)")
    parser.add_argument("--skip", default="",
                        help="comma list of peers not to install/run: ruff,flake8,fixit")
    parser.add_argument("--prepare-only", action="store_true",
                        help="download/unpack the corpus and install the peers, time nothing")
    args = parser.parse_args(argv)

    def on_term(signum, frame):  # so `kill` of the harness also ends the command it runs
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    if args.reps < 1:
        parser.error("--reps must be at least 1")
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if args.flaskarch is None:
        found = shutil.which("flaskarch")
        args.flaskarch = shlex.join([found]) if found else shlex.join([sys.executable, "-m", "flaskarch"])
    work = args.work.expanduser().resolve()
    work.mkdir(parents=True, exist_ok=True)
    started = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M")
    t0 = time.monotonic()

    try:
        pins = load_pins(PIN_FILE)
        corpus, stats = prepare_corpus(pins, work)
    except BenchError as exc:
        print(f"benchmark: error: {exc}", file=sys.stderr)
        return 2
    total_files = sum(s["files"] for s in stats)
    total_lines = sum(s["lines"] for s in stats)
    log(f"corpus ready: {corpus} ({total_files} files, {total_lines} lines)")

    env_notes: list[str] = []
    rows = build_rows(args, pins, work, corpus, env_notes)
    for r in rows:
        if r.na:
            log(f"{r.label}: n/a ({r.na})")
    if args.prepare_only:
        log("--prepare-only: done")
        return 0

    gnu_time = find_gnu_time()
    if not gnu_time:
        env_notes.append("/usr/bin/time (GNU) not usable: peak RSS from os.wait4")
    fa_checked = flaskarch_checked_files(flaskarch_python(shlex.split(args.flaskarch), args.python)[0], corpus)
    fa_py = flaskarch_python(shlex.split(args.flaskarch), args.python)[0]
    before = flaskarch_fingerprint(fa_py)
    run_rows(rows, args.reps, corpus, work, args.timeout, gnu_time)
    after = flaskarch_fingerprint(fa_py)
    if before and after and before != after:
        env_notes.insert(0, "**WARNING: flaskarch's installed files changed during the run** "
                            f"({before} -> {after}): the flaskarch rows mix code versions, and "
                            "its cache was invalidated by the change. Benchmark a snapshot install "
                            "(not an editable one that is being edited).")
        log("WARNING: flaskarch's files changed during the run")
    elif before:
        env_notes.append(f"flaskarch package: {before} (unchanged during the run)")

    report = render(rows, stats, args, env_notes, gnu_time, fa_checked, started, time.monotonic() - t0)
    print(report)
    (work / "results.md").write_text(report)
    try:
        LATEST.write_text(report)
    except OSError as exc:
        log(f"cannot write {LATEST}: {exc}")
    raw = {
        "started_utc": started,
        "reps": args.reps,
        "corpus": stats,
        "flaskarch_checked": fa_checked,
        "rows": [
            {"key": r.key, "label": r.label, "command": r.argv, "na": r.na, "note": r.note,
             "samples": [{"wall": s.wall, "rss_kib": s.rss_kib, "rc": s.rc} for s in r.samples]}
            for r in rows
        ],
    }
    (work / "results.json").write_text(json.dumps(raw, indent=2))
    log(f"wrote {work / 'results.md'}, {work / 'results.json'} and {LATEST}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
