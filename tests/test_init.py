"""`flaskarch init`: a commented section under which the findings are the same as before."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, check, cli_in, write_project

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

APPS = ["backant_app", "mscr_app", "factory_app"]


def _findings(root: Path) -> list[tuple]:
    return [(f.path, f.line, f.column, f.code, f.message) for f in check(root, use_cache=False).findings]


def _unconfigured_copy(app: str, tmp_path: Path) -> Path:
    root = tmp_path / app
    shutil.copytree(FIXTURES / app, root, ignore=shutil.ignore_patterns(".flaskarch_cache"))
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text()
    pyproject.write_text(text[: text.index("[tool.flaskarch]")].rstrip() + "\n")
    assert "flaskarch" not in tomllib.loads(pyproject.read_text()).get("tool", {})
    return root


@pytest.mark.parametrize("app", APPS)
def test_init_keeps_the_findings(tmp_path: Path, app: str) -> None:
    root = _unconfigured_copy(app, tmp_path)
    before = _findings(root)
    assert before
    result = cli_in(root, "init")
    assert result.exit_code == 0, result.output
    pyproject = root / "pyproject.toml"
    written = pyproject.read_text()
    section = tomllib.loads(written)["tool"]["flaskarch"]
    assert section["preset"] == app.split("_")[0]  # what `auto` picks, written out
    assert written.startswith("[project]")  # the rest of the file is kept
    assert "# SQLAlchemy:" in written and "# [tool.flaskarch.layers]" in written
    assert _findings(root) == before

    # a second init refuses, exit 2, one line, nothing changed
    again = cli_in(root, "init")
    assert again.exit_code == 2
    assert "--force" in again.output and len(again.output.strip().splitlines()) == 1
    assert pyproject.read_text() == written

    # --force rewrites: one section, other tables kept
    pyproject.write_text(written.replace('preset = "', '# edited\npreset = "'))
    forced = cli_in(root, "init", "--force")
    assert forced.exit_code == 0, forced.output
    rewritten = pyproject.read_text()
    assert rewritten == written
    assert rewritten.count("[tool.flaskarch]") == 1
    assert _findings(root) == before


def test_facts_written(tmp_path: Path) -> None:
    root = _unconfigured_copy("backant_app", tmp_path)
    cli_in(root, "init")
    text = (root / "pyproject.toml").read_text()
    section = tomllib.loads(text)["tool"]["flaskarch"]
    assert section["auth-decorators"] == ["token_required"]
    assert section["session-names"] == ["myDB"]
    assert "admin_only" in text  # the project's wrapper, as a comment
    assert "# SQLAlchemy: >=2.0 (pyproject.toml)" in text
    assert '# repository = ["repositories/*.py"]' in text


def test_force_keeps_following_tables_and_crlf(tmp_path: Path) -> None:
    write_project(tmp_path, {"app/routes/user_route.py": "x = 1\n"})
    (tmp_path / "pyproject.toml").write_bytes(
        b'[project]\r\nname = "x"\r\n\r\n[tool.flaskarch]\r\npreset = "mscr"\r\n\r\n'
        b'[tool.flaskarch.layers]\r\nmodel = ["db/**"]\r\n\r\n# ruff settings\r\n[tool.ruff]\r\nline-length = 100\r\n'
    )
    assert cli_in(tmp_path, "init").exit_code == 2
    result = cli_in(tmp_path, "init", "--force", "--preset", "auto")
    assert result.exit_code == 0, result.output
    data = (tmp_path / "pyproject.toml").read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")
    parsed = tomllib.loads(data.decode())
    assert parsed["tool"]["ruff"] == {"line-length": 100}
    assert parsed["tool"]["flaskarch"]["preset"] == "auto"
    assert "layers" not in parsed["tool"]["flaskarch"]
    assert b"# ruff settings\r\n[tool.ruff]" in data
    assert data.index(b"[tool.flaskarch]") < data.index(b"[tool.ruff]")  # where it was
    assert b"`auto` picks 'backant'" in data


def test_flaskarch_toml_when_there_is_no_pyproject(tmp_path: Path) -> None:
    write_project(tmp_path, {"app/controllers/user_controller.py": "x = 1\n", "setup.py": ""})
    result = cli_in(tmp_path, "init")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "pyproject.toml").exists()
    data = tomllib.loads((tmp_path / "flaskarch.toml").read_text())
    assert data["preset"] == "mscr"
    assert cli_in(tmp_path, "init").exit_code == 2
    assert cli_in(tmp_path, "check", "--show-settings").exit_code == 0
