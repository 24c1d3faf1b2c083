"""The SQLAlchemy version a project is on, read from its own files, and what it does: FLK403 and
FLK404 run by default only on SQLAlchemy >= 2.0 or an unknown version; naming them in `select`
always runs them; FLK403's fixes are safe only where the API is known to exist."""

from __future__ import annotations

import json

import pytest

from conftest import EXT, check, found, write_project
from flaskarch.pins import constraints, read_versions
from rules._shared import flaskarch

LEGACY = {
    **EXT,
    "app/models/user.py": """
        from app.extensions import db


        class User(db.Model):
            id = db.Column(db.Integer, primary_key=True)
        """,
    "app/services/user_service.py": """
        from app.models.user import User


        def get(user_id):
            return User.query.get_or_404(user_id)
        """,
}


@pytest.mark.parametrize("files,below", [
    ({"requirements.txt": "-r requirements/base.txt\n", "requirements/base.txt": "Flask-SQLAlchemy>=2.4,<3\n"}, True),
    ({"pyproject.toml": '[project]\nname = "x"\ndependencies = ["SQLAlchemy>=1.4,<2", "flask"]\n'}, True),
    ({"pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.10"\nsqlalchemy = "^1.4.20"\n'}, True),
    ({"pyproject.toml": '[tool.poetry.dependencies]\nsqlalchemy = {version = "^2.0", extras = ["asyncio"]}\n'}, False),
    ({"setup.cfg": "[options]\ninstall_requires =\n    flask\n    SQLAlchemy~=1.3\n"}, True),
    ({"setup.py": 'from setuptools import setup\nsetup(install_requires=["flask", "sqlalchemy<2.0"])\n'}, True),
    ({"pyproject.toml": '[project]\nname = "x"\ndependencies = ["sqlalchemy>=1.4"]\n',
      "uv.lock": '[[package]]\nname = "sqlalchemy"\nversion = "1.4.54"\n'}, True),
    ({"pyproject.toml": '[tool.poetry.dependencies]\nsqlalchemy = "*"\n',
      "poetry.lock": '[[package]]\nname = "SQLAlchemy"\nversion = "2.0.36"\n'}, False),
    ({"Pipfile.lock": json.dumps({"default": {"sqlalchemy": {"version": "==1.3.24"}}})}, True),
    ({"requirements.txt": "sqlalchemy>=2.0\n"}, False),
    ({"requirements.txt": "flask\n"}, False),  # unknown
])
def test_versions_from_the_projects_files(tmp_path, files, below):
    write_project(tmp_path, files)
    versions = read_versions(str(tmp_path))
    assert ("sqlalchemy" in versions and versions["sqlalchemy"].below((2, 0))) is below


def test_ranges():
    assert constraints(">=2.4,<3") == ((2, 4), (3,))
    assert constraints("==1.4.54") == ((1, 4, 54), (1, 4, 54, 1))
    assert constraints("~=1.3") == ((1, 3), (2,))
    assert constraints("~=1.3.2") == ((1, 3, 2), (1, 4))
    assert constraints("1.4.*") == ((1, 4), (1, 5))
    assert constraints("^0.9") == ((0, 9), (0, 10))
    assert constraints("!=1.4.0") == (None, None)


def test_flk403_and_flk404_are_off_below_2_0_unless_selected(tmp_path):
    write_project(tmp_path, {**LEGACY, "requirements.txt": "-r requirements/base.txt\n",
                             "requirements/base.txt": "Flask-SQLAlchemy>=2.4,<3\nflask\n"})
    assert [c for *_, c in found(check(tmp_path, preset="mscr"))].count("FLK403") == 0
    selected = found(check(tmp_path, select=("FLK403",)))
    assert [(p, line, c) for p, line, _, c in selected] == [("app/services/user_service.py", 5, "FLK403")]
    # no `db.get_or_404` fix: Flask-SQLAlchemy 2.x has none
    result = check(tmp_path, select=("FLK403",))
    assert result.findings[0].fix is None


def test_flk403_runs_on_an_unknown_version_with_an_unsafe_fix(tmp_path):
    write_project(tmp_path, LEGACY)
    result = check(tmp_path, preset="mscr")
    legacy = [f for f in result.findings if f.code == "FLK403"]
    assert len(legacy) == 1 and legacy[0].fix is not None and legacy[0].fix.applicability == "unsafe"
    write_project(tmp_path, {"requirements.txt": "flask-sqlalchemy==3.1.1\nsqlalchemy==2.0.36\n"})
    legacy = [f for f in check(tmp_path, preset="mscr").findings if f.code == "FLK403"]
    assert legacy[0].fix.applicability == "safe"


def test_a_pin_change_reaches_cached_results(tmp_path):
    """The versions are part of the project's facts: editing a requirement file changes what a
    cached run reports, exactly as a fresh run would."""
    write_project(tmp_path, {**LEGACY, "requirements.txt": "sqlalchemy==2.0.36\n"})
    assert "FLK403" in [c for *_, c in found(check(tmp_path, preset="mscr"))]
    write_project(tmp_path, {"requirements.txt": "sqlalchemy==1.4.54\n"})
    cached = found(check(tmp_path, preset="mscr"))
    assert "FLK403" not in [c for *_, c in cached]
    assert cached == found(check(tmp_path, preset="mscr", use_cache=False))


def test_show_settings_says_what_was_found(tmp_path):
    write_project(tmp_path, {"app/x.py": "", "poetry.lock": '[[package]]\nname = "sqlalchemy"\nversion = "1.4.54"\n'})
    out = flaskarch(tmp_path, "--show-settings")
    shown = json.loads(out.stdout)
    assert shown["dependencies"] == {"sqlalchemy": "1.4.54 (poetry.lock)", "flask-sqlalchemy": "unknown"}
    assert shown["version-aware-rules"]["FLK403"].startswith("off by default")
    out = flaskarch(tmp_path, "--show-settings", "--select", "FLK403")
    assert json.loads(out.stdout)["version-aware-rules"]["FLK403"] == "runs: selected explicitly"


def test_a_prefix_is_not_an_explicit_selection(tmp_path):
    write_project(tmp_path, {**LEGACY, "requirements.txt": "sqlalchemy==1.4.54\n"})
    assert "FLK403" not in [c for *_, c in found(check(tmp_path, select=("FLK4",)))]
    assert "FLK403" in [c for *_, c in found(check(tmp_path, select=("FLK4",), extend_select=("FLK403",)))]
