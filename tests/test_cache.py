"""The result cache: warm runs parse nothing; edits re-check exactly what they can affect."""

from __future__ import annotations

import pickle
import textwrap
from pathlib import Path

import pytest

from conftest import check, found, write_project

FILES = {
    "app/__init__.py": "",
    "app/extensions.py": "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n",
    "app/blueprints.py": "from flask import Blueprint\n\nadmin_bp = Blueprint('admin', __name__)\n",
    "app/controllers/__init__.py": "",
    "app/controllers/admin_controller.py": """
        from app.blueprints import admin_bp


        @admin_bp.post("/purge")
        def purge():
            return {}
        """,
    "app/controllers/user_controller.py": """
        from flask import Blueprint
        from app.extensions import db

        users_bp = Blueprint("users", __name__)


        @users_bp.get("/users")
        def users():
            return {"n": db.session.execute("select 1").scalar()}
        """,
    "app/services/__init__.py": "",
    "app/services/user_service.py": "def total():\n    return 1\n",
}


@pytest.fixture
def app(tmp_path: Path) -> Path:
    write_project(tmp_path, FILES)
    return tmp_path


def test_warm_run_parses_nothing_and_reports_the_same(app):
    cold = check(app)
    assert cold.parsed > 0 and cold.cached == 0
    warm = check(app)
    assert warm.parsed == 0 and warm.cached == warm.files
    assert found(warm) == found(cold)
    assert ("app/controllers/admin_controller.py", 5, 1, "FLK501") in found(warm)


def test_editing_a_function_body_rechecks_only_that_file(app):
    check(app)
    svc = app / "app/services/user_service.py"
    svc.write_text("def total():\n    return 2\n")
    warm = check(app)
    assert warm.cached == warm.files - 1


def test_a_cross_module_fact_rechecks_its_dependents(app):
    check(app)
    # a before_request guard registered on admin_bp in another module protects its views
    write_project(app, {"app/security.py": """
        from flask import abort
        from flask_login import current_user
        from app.blueprints import admin_bp


        @admin_bp.before_request
        def require_login():
            if not current_user.is_authenticated:
                abort(401)
        """})
    result = check(app)
    assert "FLK501" not in [c for *_, c in found(result)]


def test_changing_what_an_imported_module_defines_rechecks_the_importer(app):
    check(app)
    # `db` stops being a SQLAlchemy object: the controller's finding must go
    (app / "app/extensions.py").write_text("db = object()\n")
    result = check(app)
    assert ("app/controllers/user_controller.py", 9, 18, "FLK101") in found(result)  # imported `db`
    (app / "app/controllers/user_controller.py").write_text(
        (app / "app/controllers/user_controller.py").read_text().replace("from app.extensions import db", "db = object()")
    )
    result = check(app)
    assert "FLK101" not in [c for *_, c in found(result)]


def test_config_change_invalidates(app):
    check(app)
    (app / "pyproject.toml").write_text('[tool.flaskarch]\nignore = ["FLK501"]\n')
    result = check(app)
    assert result.cached == 0
    assert "FLK501" not in [c for *_, c in found(result)]


def test_tool_version_is_part_of_the_key(app, monkeypatch):
    check(app)
    import flaskarch.cache
    import flaskarch.runner

    monkeypatch.setattr(flaskarch.cache, "__version__", "99.0")
    assert check(app).cached == 0


def test_two_builds_used_in_turn_keep_their_caches_and_old_ones_go(app, monkeypatch):
    """A pre-commit hook's environment and a developer's venv run different builds on the same
    repository: each keeps its cache; builds beyond the last few are removed."""
    import flaskarch.cache

    warm = []
    for version in ("1.0", "2.0", "1.0", "2.0"):
        monkeypatch.setattr(flaskarch.cache, "__version__", version)
        result = check(app)
        warm.append(result.cached == result.files)
    assert warm == [False, False, True, True]
    for version in ("3.0", "4.0", "5.0"):
        monkeypatch.setattr(flaskarch.cache, "__version__", version)
        check(app)
    builds = sorted(p.name.split("-")[0] for p in (app / ".flaskarch_cache").iterdir() if p.is_dir())
    assert builds == ["v3.0", "v4.0", "v5.0"]


def test_concurrent_runs_agree_and_leave_a_usable_cache(app):
    import subprocess
    import sys

    (app / "pyproject.toml").write_text("[tool.flaskarch]\n")
    cmd = [sys.executable, "-m", "flaskarch", "check", ".", "--format", "json"]
    procs = [subprocess.Popen(cmd, cwd=app, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    outs = [p.communicate() for p in procs]
    assert [p.returncode for p in procs] == [1] * 4, [err for _, err in outs]
    assert all(err == "" for _, err in outs)
    assert len({out for out, _ in outs}) == 1  # the same report from every run
    warm = check(app)
    assert warm.cached == warm.files
    assert ("app/controllers/admin_controller.py", 5, 1, "FLK501") in found(warm)


@pytest.mark.parametrize("which", ["files.pickle", "state.pickle", "both"])
def test_corrupt_cache_is_ignored(app, which):
    check(app)
    folder = app / ".flaskarch_cache"
    for name in ("files.pickle", "state.pickle") if which == "both" else (which,):
        (cache_file,) = folder.rglob(name.replace("state.", "state-*."))
        cache_file.write_bytes(b"not a pickle")
    result = check(app)
    assert ("app/controllers/admin_controller.py", 5, 1, "FLK501") in found(result)
    # either half alone still serves the run; with both gone everything is checked again
    assert result.cached == (0 if which == "both" else result.files)
    if which != "files.pickle":
        (files_cache,) = folder.rglob("files.pickle")
        assert "app/controllers/admin_controller.py" in pickle.loads(files_cache.read_bytes())
    assert check(app).cached == result.files


def test_cached_paths_follow_the_current_directory(app, monkeypatch):
    """A result cached by a run from the project root is reported relative to wherever the
    next run starts (pre-commit runs from the root, editors from anywhere)."""
    from flaskarch.cli import load_settings
    from flaskarch.runner import run

    (app / "pyproject.toml").write_text("[tool.flaskarch]\n")
    monkeypatch.chdir(app)
    first = run([Path("app/controllers")], load_settings([Path("app/controllers")], None))
    assert ("app/controllers/admin_controller.py", 5) in [(f.path, f.line) for f in first.findings]
    monkeypatch.chdir(app / "app")
    again = run([Path("controllers")], load_settings([Path("controllers")], None))
    assert again.cached == again.files
    assert ("controllers/admin_controller.py", 5) in [(f.path, f.line) for f in again.findings]


def test_one_file_run_after_a_full_run_is_served_from_the_cache(app):
    (app / "pyproject.toml").write_text("[project]\nname = 'shop'\n")  # marks the project root
    check(app)
    one = check(app, ["app/controllers/admin_controller.py"])
    assert one.files == 1 and one.cached == 1 and one.parsed == 0
    assert found(one) == [("app/controllers/admin_controller.py", 5, 1, "FLK501")]


def test_a_deleted_module_is_noticed(app):
    guard = app / "app/security.py"
    write_project(app, {"app/security.py": """
        from flask import abort
        from flask_login import current_user
        from app.blueprints import admin_bp


        @admin_bp.before_request
        def require_login():
            if not current_user.is_authenticated:
                abort(401)
        """})
    assert "FLK501" not in [c for *_, c in found(check(app))]
    guard.unlink()  # the guard protecting admin_bp's views is gone
    assert ("app/controllers/admin_controller.py", 5, 1, "FLK501") in found(check(app))


def test_a_warm_run_loads_neither_libcst_nor_the_rules(app):
    import subprocess
    import sys

    check(app)
    probe = (
        "import sys; from pathlib import Path; from flaskarch.cli import load_settings;"
        "from flaskarch.runner import run;"
        "r = run([Path('.')], load_settings([Path('.')], None));"
        "print(r.cached == r.files, len(r.findings) > 0,"
        " any(m == 'libcst' or m.startswith(('libcst.', 'flaskarch.rules.', 'flaskarch.engine')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=app, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "False"]


def test_no_cache_neither_reads_nor_writes(tmp_path):
    write_project(tmp_path, FILES)
    from flaskarch.cli import load_settings
    from flaskarch.runner import run
    import os

    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        run([Path(".")], load_settings([Path(".")], None), use_cache=False)
    finally:
        os.chdir(old)
    assert not (tmp_path / ".flaskarch_cache").exists()


def test_jobs_1_and_2_cached_and_uncached_give_identical_findings(tmp_path):
    """Enough files to use the worker pool; every way of running agrees."""
    from flaskarch.cli import load_settings
    from flaskarch.runner import run
    import os

    files = dict(FILES)
    for i in range(24):
        files[f"app/controllers/c{i}_controller.py"] = textwrap.dedent(FILES["app/controllers/user_controller.py"]).replace(
            '"users"', f'"users{i}"'
        ) + f"\n\n@users_bp.post('/x{i}')\ndef create{i}():\n    return db.session.add(1)\n"
    write_project(tmp_path, files)
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        settings = load_settings([Path(".")], None)
        runs = [
            run([Path(".")], settings, jobs=1, use_cache=False),
            run([Path(".")], settings, jobs=2, use_cache=False),
            run([Path(".")], settings, jobs=2, use_cache=True),
            run([Path(".")], settings, jobs=2, use_cache=True),
        ]
    finally:
        os.chdir(old)
    assert runs[3].cached == runs[3].files
    results = [[f.to_dict() for f in r.findings] for r in runs]
    assert len(results[0]) > 50
    assert all(r == results[0] for r in results)


def test_results_of_several_selections_live_side_by_side(app):
    """Switching `--select` back and forth re-checks nothing once each selection has run."""
    plain = check(app)
    only = check(app, select=("FLK501",))
    assert {f[3] for f in found(only)} == {"FLK501"}
    again = check(app)
    assert again.parsed == 0 and again.cached == again.files and found(again) == found(plain)
    only_again = check(app, select=("FLK501",))
    assert only_again.parsed == 0 and found(only_again) == found(only)
    # and after an edit, the per-file results of both selections are still reused for the rest
    (app / "app/services/user_service.py").write_text("def total():\n    return 3\n")
    edited = check(app, select=("FLK501",))
    assert edited.parsed <= 1 and edited.cached >= edited.files - 1


def test_an_edit_rechecks_exactly_the_files_whose_answers_changed(app):
    """A guard added to the admin blueprint's module changes what FLK501 asks about that
    blueprint: the controller using it is re-checked (and its finding goes); the others are not."""
    check(app)
    (app / "app/blueprints.py").write_text(
        "from flask import Blueprint, abort\nfrom flask_login import current_user\n\n"
        "admin_bp = Blueprint('admin', __name__)\n\n\n@admin_bp.before_request\ndef guard():\n"
        "    if not current_user.is_authenticated:\n        abort(401)\n"
    )
    result = check(app)
    assert ("app/controllers/admin_controller.py", 5, 1, "FLK501") not in found(result)
    assert result.cached == result.files - 2  # the edited module and the controller
