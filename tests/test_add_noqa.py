"""`flaskarch check --add-noqa[=REASON]`: comments on every reported line, merged, idempotent."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from flaskarch.add_noqa import add_to_text

from conftest import FIXTURES, check, cli_in, write_project

APPS = ["backant_app", "mscr_app", "factory_app"]


def _sources(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.py"))
            if ".flaskarch_cache" not in p.parts}


def _parses(data: bytes) -> bool:
    try:
        ast.parse(data)
    except SyntaxError:
        return False
    return True


@pytest.mark.parametrize("app", APPS)
def test_add_noqa_twice_on_each_fixture_app(tmp_path: Path, app: str) -> None:
    root = tmp_path / app
    shutil.copytree(FIXTURES / app, root, ignore=shutil.ignore_patterns(".flaskarch_cache"))
    before = _sources(root)
    findings = [f for f in check(root).findings if f.code != "FLK001"]
    assert findings, "the fixture apps have findings to suppress"

    first = cli_in(root, "check", "--add-noqa")
    assert first.exit_code == 0, first.output
    assert "Added " in first.output
    after_first = _sources(root)
    assert after_first != before
    for rel, data in after_first.items():  # every file that parsed still parses
        if _parses(before[rel]):
            assert _parses(data), rel

    second = cli_in(root, "check", "--add-noqa")
    assert second.exit_code == 0, second.output
    assert "Added 0 noqa directives" in second.output
    assert _sources(root) == after_first  # idempotent

    left = check(root, use_cache=False).findings
    assert {f.code for f in left} <= {"FLK001"}, [(f.path, f.line, f.code) for f in left]
    # FLK002 (unused-noqa), explicitly selected, does not flag the added comments
    left = check(root, use_cache=False, extend_select=("FLK002",)).findings
    assert {f.code for f in left} <= {"FLK001"}


def test_merges_with_existing_comments_and_keeps_crlf(tmp_path: Path) -> None:
    write_project(tmp_path, {"pyproject.toml": "[tool.flaskarch]\npreset = 'mscr'\n"})
    ctrl = tmp_path / "app" / "controllers" / "user_controller.py"
    ctrl.parent.mkdir(parents=True)
    src = (
        "from app.extensions import db  # noqa: E501\r\n"
        "import os  # type: ignore  # noqa: F401\r\n"
        "\r\n"
        "def a():\r\n"
        "    db.session.commit()  # noqa: E501\r\n"
        "\r\n"
        "def b():\r\n"
        "    db.session.commit()  # type: ignore  # noqa: F401 kept text\r\n"
        "\r\n"
        "def c():\r\n"
        "    db.session.commit()  # type: ignore\r\n"
    )
    ctrl.write_bytes(src.encode())
    (tmp_path / "app" / "extensions.py").write_text("from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n")
    assert {f.code for f in check(tmp_path).findings} == {"FLK101"}
    result = cli_in(tmp_path, "check", "--add-noqa")
    assert result.exit_code == 0, result.output
    lines = ctrl.read_bytes().decode().split("\r\n")
    assert "\n" not in ctrl.read_bytes().decode().replace("\r\n", "")  # CRLF kept
    assert lines[0] == "from app.extensions import db  # noqa: E501"
    assert lines[4] == "    db.session.commit()  # noqa: E501, FLK101"
    assert lines[7] == "    db.session.commit()  # type: ignore  # noqa: F401, FLK101 kept text"
    assert lines[10] == "    db.session.commit()  # type: ignore  # noqa: FLK101"
    assert check(tmp_path, use_cache=False, extend_select=("FLK002",)).findings == []
    again = ctrl.read_bytes()
    cli_in(tmp_path, "check", "--add-noqa")
    assert ctrl.read_bytes() == again


def test_reason_is_written_after_the_codes(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "mscr_app", tmp_path / "app", ignore=shutil.ignore_patterns(".flaskarch_cache"))
    result = cli_in(tmp_path / "app", "check", "--add-noqa=legacy, see ticket 42")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "app" / "app" / "services" / "mailer.py").read_text()
    assert "# noqa: FLK201 legacy, see ticket 42" in text
    assert {f.code for f in check(tmp_path / "app", use_cache=False, extend_select=("FLK002",)).findings} <= {"FLK001"}


def test_reason_that_reads_as_a_code_is_refused(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "mscr_app", tmp_path / "app", ignore=shutil.ignore_patterns(".flaskarch_cache"))
    before = _sources(tmp_path / "app")
    result = cli_in(tmp_path / "app", "check", "--add-noqa=T100 legacy")
    assert result.exit_code == 2
    assert _sources(tmp_path / "app") == before


def test_bare_option_does_not_swallow_a_path(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "mscr_app", tmp_path / "app", ignore=shutil.ignore_patterns(".flaskarch_cache"))
    result = cli_in(tmp_path / "app", "check", "--add-noqa", "app/services")
    assert result.exit_code == 0, result.output
    assert "# noqa: FLK201" in (tmp_path / "app" / "app" / "services" / "mailer.py").read_text()
    assert "noqa: FLK101" not in (tmp_path / "app" / "app" / "controllers" / "user_controller.py").read_text()


def test_lines_that_cannot_hold_a_comment() -> None:
    text = (
        'x = f("""a\n'
        'b""")\n'
        "y = 1 + \\\n"
        "    2\n"
        "z = g(  # note\n"
        "    3)\n"
        "w = 1\n"
    )
    new, added, skipped = add_to_text(text, {1: {"FLK503"}, 3: {"FLK101"}, 5: {"FLK101"}, 7: {"FLK401", "FLK101"}})
    assert added == {5: ["FLK101"], 7: ["FLK101", "FLK401"]}
    assert [line for line, _ in skipped] == [1, 3]
    assert "multi-line string" in skipped[0][1] and "backslash" in skipped[1][1]
    assert new.splitlines()[4] == "z = g(  # note  # noqa: FLK101"
    assert new.splitlines()[6] == "w = 1  # noqa: FLK101, FLK401"
    ast.parse(new)
    # a bare `# noqa` already covers everything; an empty module gets its directive on line 1
    assert add_to_text("import os  # noqa\n", {1: {"FLK201"}})[1] == {}
    assert add_to_text("", {1: {"FLK201"}})[0] == "# noqa: FLK201"
