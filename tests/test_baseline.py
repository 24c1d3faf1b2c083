"""The baseline (issue 15): record today's findings, report only new ones, through every door."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES

CONTROLLER = "app/controllers/project_controller.py"
COMMIT_LINE = "    db.session.commit()  # expect: FLK101\n"
BASELINE = ".flaskarch-baseline.json"


def flaskarch(cwd: Path, *args: str, cache: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flaskarch", "check", *args, *(() if cache else ("--no-cache",))],
        cwd=cwd, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"},
    )


def report(cwd: Path, *args: str, cache: bool = False) -> dict:
    proc = flaskarch(cwd, ".", "--format", "json", *args, cache=cache)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def codes(payload: dict) -> list[tuple[str, int, str]]:
    return [(v["path"], v["line"], v["code"]) for v in payload["violations"]]


@pytest.fixture
def app(tmp_path: Path) -> Path:
    root = tmp_path / "mscr_app"
    shutil.copytree(FIXTURES / "mscr_app", root, ignore=shutil.ignore_patterns(".flaskarch_cache"))
    return root


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def write(app: Path) -> int:
    proc = flaskarch(app, ".", "--write-baseline", BASELINE)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "All checks passed" in proc.stdout
    n = len(json.loads((app / BASELINE).read_text())["entries"])
    assert proc.stderr == f"flaskarch: wrote {n} baseline entries to {BASELINE}\n"
    return n


def test_a_written_baseline_hides_everything_it_recorded(app):
    before = report(app)
    assert before["violations"]
    assert write(app) == len(before["violations"])
    proc = flaskarch(app, ".", "--baseline", BASELINE)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("All checks passed")
    assert "baseline" not in proc.stdout  # nothing stale
    assert report(app, "--baseline", BASELINE)["summary"] == {
        "files": before["summary"]["files"], "violations": 0, "fixable": 0,
        "baseline": {"hidden": len(before["violations"]), "stale": 0},
    }


def test_the_file_is_sorted_stable_and_one_entry_a_line(app):
    write(app)
    first = (app / BASELINE).read_text()
    lines = first.splitlines()
    assert lines[:4] == ["{", '  "version": 1,', '  "tool": "flaskarch",', '  "entries": [']
    entries = [json.loads(line.strip().rstrip(",")) for line in lines[4:-2]]
    assert lines[-2:] == ["  ]", "}"]
    keys = [(e["path"], e["code"], e["fingerprint"]) for e in entries]
    assert keys == sorted(keys) and all(set(e) == {"path", "code", "fingerprint"} for e in entries)
    assert {"path": CONTROLLER, "code": "FLK101"}.items() <= next(e for e in entries if e["code"] == "FLK101").items()
    write(app)
    assert (app / BASELINE).read_text() == first  # regenerating changes nothing


def test_lines_inserted_above_a_baselined_finding_keep_it_hidden(app):
    write(app)
    edit(app / CONTROLLER, COMMIT_LINE, "    # a note\n" * 30 + COMMIT_LINE)
    assert (CONTROLLER, 108, "FLK101") in codes(report(app))  # it moved
    payload = report(app, "--baseline", BASELINE)
    assert payload["violations"] == [] and payload["summary"]["baseline"]["stale"] == 0


def test_multiplicity_one_entry_hides_one_finding(app):
    write(app)
    edit(app / CONTROLLER, COMMIT_LINE, COMMIT_LINE * 2)
    assert codes(report(app, "--baseline", BASELINE)) == [(CONTROLLER, 79, "FLK101")]
    edit(app / CONTROLLER, COMMIT_LINE * 2, COMMIT_LINE * 3)  # three identical, one entry: two reported
    assert codes(report(app, "--baseline", BASELINE)) == [(CONTROLLER, 79, "FLK101"), (CONTROLLER, 80, "FLK101")]


def test_a_fixed_violation_drops_out_and_counts_as_stale(app):
    write(app)
    edit(app / "app/repositories/project_repository.py", "Project.archived == False", "Project.archived.is_(False)")
    proc = flaskarch(app, ".", "--baseline", BASELINE)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == "1 baseline entry no longer matches: regenerate with --write-baseline"
    assert report(app, "--baseline", BASELINE)["summary"]["baseline"]["stale"] == 1
    # the old violation back is hidden again; a new one elsewhere is reported
    edit(app / "app/repositories/project_repository.py", "Project.archived.is_(False)", "Project.archived == False")
    edit(app / CONTROLLER, COMMIT_LINE, COMMIT_LINE.replace("commit", "flush"))
    payload = report(app, "--baseline", BASELINE)
    assert codes(payload) == [(CONTROLLER, 78, "FLK101")]
    assert payload["summary"]["baseline"]["stale"] == 1  # the commit's entry


def test_stale_entries_are_judged_only_where_the_run_looked(app):
    write(app)
    edit(app / "app/repositories/project_repository.py", "Project.archived == False", "Project.archived.is_(False)")
    for args in (("app/controllers",), (".", "--select", "FLK1")):
        proc = flaskarch(app, *args, "--baseline", BASELINE, "--format", "json")
        payload = json.loads(proc.stdout)
        assert payload["violations"] == [] and payload["summary"]["baseline"]["stale"] == 0, args
    (app / "app/services/mailer.py").unlink()  # a deleted file's entries are stale
    assert report(app, "--baseline", BASELINE)["summary"]["baseline"]["stale"] == 2


def test_every_format_and_cached_runs_honour_it(app):
    write(app)
    edit(app / CONTROLLER, COMMIT_LINE, COMMIT_LINE * 2)
    concise = flaskarch(app, ".", "--baseline", BASELINE, "--format", "concise").stdout
    assert concise.splitlines()[:-1] == [f"{CONTROLLER}:79:5: FLK101 database session used in a controller "
                                         "(`.commit`): move this into a service method"]
    assert flaskarch(app, ".", "--baseline", BASELINE, "--format", "github").stdout.count("::error") == 1
    sarif = json.loads(flaskarch(app, ".", "--baseline", BASELINE, "--format", "sarif").stdout)
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["FLK101"]
    fresh = flaskarch(app, ".", "--baseline", BASELINE)
    cold = flaskarch(app, ".", "--baseline", BASELINE, cache=True)
    warm = flaskarch(app, ".", "--baseline", BASELINE, cache=True)
    assert fresh.stdout == cold.stdout == warm.stdout
    assert fresh.returncode == cold.returncode == warm.returncode == 1


def test_fix_still_fixes_baselined_findings(app):
    write(app)
    proc = flaskarch(app, ".", "--baseline", BASELINE, "--fix")
    assert "Fixed 2 violations." in proc.stdout, proc.stdout
    assert "2 baseline entries no longer match" in proc.stdout
    assert "Project.archived.is_(False)" in (app / "app/repositories/project_repository.py").read_text()
    assert proc.returncode == 0


def test_the_config_key_relative_to_the_configuration_file(app):
    write(app)
    (app / "lint").mkdir()
    (app / BASELINE).rename(app / "lint" / "baseline.json")
    edit(app / "pyproject.toml", '[tool.flaskarch]\n', '[tool.flaskarch]\nbaseline = "lint/baseline.json"\n')
    edit(app / CONTROLLER, COMMIT_LINE, COMMIT_LINE * 2)
    proc = flaskarch(app / "app", ".", "--format", "concise")  # from a subfolder
    assert proc.stdout.splitlines()[:-1] == [
        "controllers/project_controller.py:79:5: FLK101 database session used in a controller (`.commit`): "
        "move this into a service method"]
    shown = json.loads(flaskarch(app, "--show-settings").stdout)
    assert shown["baseline"] == "lint/baseline.json"
    # --baseline overrides the key; --write-baseline regenerates without reading the old file
    (app / "lint" / "baseline.json").write_text("{}")
    assert flaskarch(app, ".", "--write-baseline", "lint/baseline.json").returncode == 0
    assert flaskarch(app, ".").returncode == 0


@pytest.mark.parametrize("content, message", [
    (None, "baseline file not found"),
    ("{not json", "invalid baseline: not JSON"),
    ('{"version": 99, "entries": []}', 'invalid baseline: expected an object with "version": 1'),
    ('{"version": 1, "entries": [{"path": "a.py"}]}', "invalid baseline: entry 1 needs"),
])
def test_a_missing_or_bad_baseline_is_one_line_and_exit_2(app, content, message):
    if content is not None:
        (app / BASELINE).write_text(content)
    for args in (("--baseline", BASELINE), ()):
        if not args:
            edit(app / "pyproject.toml", '[tool.flaskarch]\n', f'[tool.flaskarch]\nbaseline = "{BASELINE}"\n')
        proc = flaskarch(app, ".", *args)
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert proc.stdout == ""
        assert len(proc.stderr.splitlines()) == 1 and message in proc.stderr, proc.stderr
        assert proc.stderr.startswith("flaskarch: error: ")


def test_the_flake8_plugin_honours_the_configured_baseline(app):
    pytest.importorskip("flake8")
    write(app)
    edit(app / "pyproject.toml", '[tool.flaskarch]\n', f'[tool.flaskarch]\nbaseline = "{BASELINE}"\n')

    def flake8() -> list[str]:
        proc = subprocess.run([sys.executable, "-m", "flake8", "--select", "FLK", "app"], cwd=app,
                              capture_output=True, text=True)
        assert proc.stderr == "", proc.stderr
        return proc.stdout.splitlines()

    assert flake8() == []
    edit(app / CONTROLLER, COMMIT_LINE, "    # a note\n" * 30 + COMMIT_LINE)
    assert flake8() == []
    edit(app / CONTROLLER, COMMIT_LINE, COMMIT_LINE * 2)
    assert flake8() == [f"{CONTROLLER}:109:5: FLK101 database session used in a controller (`.commit`): "
                        "move this into a service method"]
    # a `# noqa` on one copy takes no entry: the other copy stays hidden, as in `flaskarch check`
    edit(app / CONTROLLER, COMMIT_LINE * 2, COMMIT_LINE.replace("\n", "  # noqa: FLK101\n") + COMMIT_LINE)
    assert flake8() == []
    assert flaskarch(app, ".").stdout.startswith("All checks passed")
    edit(app / CONTROLLER, COMMIT_LINE.replace("\n", "  # noqa: FLK101\n") + COMMIT_LINE, "    pass\n")
    assert flake8() == []  # fixed: flake8 has no summary, so no stale count


def test_the_pre_commit_hook_command_honours_the_configured_baseline(app):
    """The hooks run `flaskarch check FILE...` without flags."""
    write(app)
    edit(app / "pyproject.toml", '[tool.flaskarch]\n', f'[tool.flaskarch]\nbaseline = "{BASELINE}"\n')
    edit(app / CONTROLLER, COMMIT_LINE, COMMIT_LINE * 2)
    proc = flaskarch(app, CONTROLLER, "app/repositories/project_repository.py", "--format", "concise")
    assert proc.returncode == 1
    assert [line.split(": ")[0] for line in proc.stdout.splitlines()[:-1]] == [f"{CONTROLLER}:79:5"]


def test_writing_from_a_narrowed_run_keeps_the_entries_it_did_not_judge(app):
    write(app)
    full = (app / BASELINE).read_text()
    for args in (("app/controllers",), (".", "--select", "FLK1")):
        assert flaskarch(app, *args, "--write-baseline", BASELINE).returncode == 0
        assert (app / BASELINE).read_text() == full, args
    edit(app / CONTROLLER, COMMIT_LINE, "    pass\n")
    assert flaskarch(app, "app/controllers", "--write-baseline", BASELINE).returncode == 0
    entries = json.loads((app / BASELINE).read_text())["entries"]
    assert len(entries) == len(json.loads(full)["entries"]) - 1
    assert not any(e["code"] == "FLK101" and e["path"] == CONTROLLER for e in entries)
