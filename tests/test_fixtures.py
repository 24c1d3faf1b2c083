"""The sample apps: findings equal the `# expect:` markers, and the text report its snapshot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXPECT_RE, FIXTURES, check

APPS = sorted(p.name for p in FIXTURES.iterdir() if (p / "pyproject.toml").is_file())
SNAPSHOTS = Path(__file__).parent / "snapshots"


def expected_markers(app: Path) -> set[tuple[str, int, str]]:
    out = set()
    for path in sorted(app.rglob("*.py")):
        rel = path.relative_to(app).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            m = EXPECT_RE.search(line)
            if not m:
                continue
            for code in m.group(2).split(","):
                # expect-file: the file must report the code (its line is CPython's)
                out.add((rel, 0 if m.group(1) else number, code.strip()))
    return out


@pytest.mark.parametrize("app", APPS)
def test_findings_match_markers(app):
    result = check(FIXTURES / app)
    assert not result.errors
    file_level = {(rel, code) for rel, line, code in expected_markers(FIXTURES / app) if line == 0}
    got = set()
    for f in result.findings:
        if (f.path, f.code) in file_level:
            got.add((f.path, 0, f.code))
        else:
            got.add((f.path, f.line, f.code))
    assert got == expected_markers(FIXTURES / app)


@pytest.mark.parametrize("app", APPS)
def test_text_report_snapshot(app):
    """The exact report a user sees (positions, messages, summary), run as a subprocess."""
    proc = subprocess.run(
        [sys.executable, "-m", "flaskarch", "check", ".", "--no-cache"],
        cwd=FIXTURES / app, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode == 1, proc.stderr
    snapshot = SNAPSHOTS / f"{app}.txt"
    if os.environ.get("FLASKARCH_UPDATE_SNAPSHOTS"):
        snapshot.parent.mkdir(exist_ok=True)
        snapshot.write_text(proc.stdout, encoding="utf-8")
    assert proc.stdout == snapshot.read_text(encoding="utf-8")


@pytest.mark.parametrize("app", APPS)
def test_prefilters_never_hide_a_finding(app, monkeypatch):
    """A prefilter only skips files on which its rule cannot fire: with every file parsed for
    every rule, the findings are the same."""
    from flaskarch import engine
    from flaskarch.cli import load_settings
    from flaskarch.runner import run

    monkeypatch.chdir(FIXTURES / app)
    settings = load_settings([Path(".")], None)
    filtered = run([Path(".")], settings, use_cache=False, jobs=1)
    monkeypatch.setattr(engine, "_prefilter_matches", lambda rule, settings, text: True)
    unfiltered = run([Path(".")], settings, use_cache=False, jobs=1)
    assert [f.to_dict() for f in filtered.findings] == [f.to_dict() for f in unfiltered.findings]
    assert unfiltered.parsed > filtered.parsed  # the prefilters did skip files
