"""The fix engine across rules: file preservation, --diff, write guards, a fix that would break
the file, the fixture apps fixed to a fixpoint (and still importing), module and blueprint renames.
Each rule's own fix tests are in tests/rules/test_<code>.py."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import libcst as cst
import pytest

from conftest import DB_MODULE as EXT, FIXTURES, write_project
from rules._shared import HEAD, REPO, USER_MODEL as MODEL, flaskarch


def test_encoding_bom_line_endings_and_mode_are_kept(tmp_path):
    write_project(tmp_path, {"app/extensions.py": EXT, "app/models/user.py": MODEL})
    path = tmp_path / REPO
    path.parent.mkdir(parents=True)
    text = HEAD + "# café\ndef f():\n    return db.session.query(User).filter(User.active == False).all()\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    path.chmod(0o640)
    latin = tmp_path / "app/repositories/legacy_repository.py"
    latin.write_bytes(("# -*- coding: latin-1 -*-\n" + text).encode("latin-1"))
    flaskarch(tmp_path, "--fix")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert "User.active.is_(False)" in data.decode("utf-8-sig")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert "# café" in latin.read_bytes().decode("latin-1") and b"is_(False)" in latin.read_bytes()


def test_diff_writes_nothing_and_exits_1(tmp_path):
    source = HEAD + "def f():\n    return db.session.query(User).filter(User.active == False).all()\n"
    write_project(tmp_path, {"app/extensions.py": EXT, "app/models/user.py": MODEL, REPO: source})
    proc = flaskarch(tmp_path, "--diff")
    assert proc.returncode == 1
    assert "-    return db.session.query(User).filter(User.active == False).all()" in proc.stdout
    assert "+    return db.session.query(User).filter(User.active.is_(False)).all()" in proc.stdout
    assert (tmp_path / REPO).read_text() == source
    assert "Would fix 1 violation in 1 files." in proc.stderr


def test_a_file_changed_on_disk_is_not_overwritten(tmp_path, monkeypatch):
    from flaskarch import fixer

    source = HEAD + "def f():\n    return db.session.query(User).filter(User.active == False).all()\n"
    write_project(tmp_path, {"app/extensions.py": EXT, "app/models/user.py": MODEL, REPO: source})
    original = fixer.write_atomically

    def edited_meanwhile(abspath, original_bytes, new_text):
        Path(abspath).write_text(source + "# edited by someone else\n")
        return original(abspath, original_bytes, new_text)

    monkeypatch.setattr(fixer, "write_atomically", edited_meanwhile)
    from conftest import check

    result = check(tmp_path, fix_mode="fix")
    assert any("changed on disk" in e for e in result.errors)
    assert (tmp_path / REPO).read_text().endswith("# edited by someone else\n")


def test_a_fix_that_would_break_the_file_is_not_written(tmp_path, monkeypatch):
    from flaskarch.rule import Edit
    from flaskarch import fixer

    source = HEAD + "def f():\n    return db.session.query(User).filter(User.active == False).all()\n"
    write_project(tmp_path, {"app/extensions.py": EXT, "app/models/user.py": MODEL, REPO: source})
    real_choose = fixer.choose

    def broken_choose(findings, allowed):
        edits, fixed_ = real_choose(findings, allowed)
        return [Edit(e.start, e.end, "((") for e in edits], fixed_

    monkeypatch.setattr(fixer, "choose", broken_choose)
    from conftest import check

    result = check(tmp_path, fix_mode="fix")
    assert any("unparsable" in e for e in result.errors)
    assert (tmp_path / REPO).read_text() == source


@pytest.mark.parametrize("app", ["backant_app", "mscr_app", "factory_app"])
def test_fixture_apps_fix_to_a_fixpoint_and_still_parse(tmp_path, app):
    work = tmp_path / app
    shutil.copytree(FIXTURES / app, work, ignore=shutil.ignore_patterns(".flaskarch_cache"))
    first = flaskarch(work, "--fix", "--unsafe-fixes")
    assert "Fixed" in first.stdout
    snapshot = {p: p.read_bytes() for p in work.rglob("*.py")}
    flaskarch(work, "--fix", "--unsafe-fixes")
    assert snapshot == {p: p.read_bytes() for p in work.rglob("*.py")}
    for path in work.rglob("*.py"):
        if path.name != "broken.py":
            cst.parse_module(path.read_text(encoding="utf-8"))
            compile(path.read_text(encoding="utf-8"), str(path), "exec")


@pytest.mark.parametrize("app", ["backant_app", "mscr_app", "factory_app"])
def test_fixed_fixture_apps_still_import(tmp_path, app):
    """After every fix (renames and SQLAlchemy 2.0 rewrites included), each module imports."""
    pytest.importorskip("flask_sqlalchemy")
    work = tmp_path / app
    shutil.copytree(FIXTURES / app, work, ignore=shutil.ignore_patterns(".flaskarch_cache", "tests"))
    flaskarch(work, "--fix", "--unsafe-fixes")
    if app == "backant_app":
        assert (work / "routes/helpers_route.py").is_file() and not (work / "routes/helpers.py").exists()
    modules = sorted(
        ".".join(p.relative_to(work).with_suffix("").parts).removesuffix(".__init__")
        for p in work.rglob("*.py") if p.name != "broken.py"
    )
    script = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\n"
    proc = subprocess.run([sys.executable, "-c", script, *modules], cwd=work, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(work), "SECRET_KEY": "test", "JWT_SECRET_KEY": "test", "DATABASE_URL": "sqlite://"})
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_module_rename_rewrites_every_import_and_refuses_an_existing_target(tmp_path):
    write_project(tmp_path, {
        "pyproject.toml": '[tool.flaskarch]\npreset = "backant"\nselect = ["FLK201"]\n',
        "routes/__init__.py": "",
        "routes/user_route.py": "from routes import helpers\nfrom .helpers import paginate\n\nx = helpers.paginate\n",
        "routes/helpers.py": "def paginate():\n    return 1\n",
        "services/__init__.py": "",
        "services/user_service.py": (
            "import importlib\nimport routes.helpers\nfrom routes.helpers import paginate as p\n\n"
            "mod = importlib.import_module('routes.helpers')\ny = routes.helpers.paginate\n"
        ),
    })
    proc = flaskarch(tmp_path, "--diff", "--unsafe-fixes")
    assert "rename routes/helpers.py => routes/helpers_route.py" in proc.stdout
    assert (tmp_path / "routes/helpers.py").exists()  # --diff writes nothing
    flaskarch(tmp_path, "--fix", "--unsafe-fixes")
    assert not (tmp_path / "routes/helpers.py").exists()
    assert (tmp_path / "routes/user_route.py").read_text() == (
        "from routes import helpers_route\nfrom .helpers_route import paginate\n\nx = helpers_route.paginate\n"
    )
    assert (tmp_path / "services/user_service.py").read_text() == (
        "import importlib\nimport routes.helpers_route\nfrom routes.helpers_route import paginate as p\n\n"
        "mod = importlib.import_module('routes.helpers_route')\ny = routes.helpers_route.paginate\n"
    )
    # a second module whose target name is taken: refused, nothing changed
    write_project(tmp_path, {"routes/extra.py": "z = 1\n", "routes/extra_route.py": "w = 2\n"})
    proc = flaskarch(tmp_path, "--fix", "--unsafe-fixes")
    assert "extra_route.py already exists: not renamed" in proc.stderr
    assert (tmp_path / "routes/extra.py").read_text() == "z = 1\n"


def test_blueprint_rename_reaches_importing_modules(tmp_path):
    write_project(tmp_path, {
        "pyproject.toml": '[tool.flaskarch]\npreset = "mscr"\nselect = ["FLK203"]\n',
        "app/__init__.py": "",
        "app/controllers/__init__.py": "",
        "app/controllers/user_controller.py": "from flask import Blueprint\n\nbp = Blueprint('users', __name__)\n\n\n@bp.get('/')\ndef index():\n    return {}\n",
        "app/factory.py": (
            "import app.controllers.user_controller as users\nfrom app.controllers.user_controller import bp\n\n\n"
            "def create_app(app):\n    app.register_blueprint(bp)\n    app.register_blueprint(users.bp)\n"
        ),
    })
    flaskarch(tmp_path, "--fix", "--unsafe-fixes")
    assert "user_bp = Blueprint('users', __name__)\n\n\n@user_bp.get('/')" in (
        tmp_path / "app/controllers/user_controller.py").read_text()
    assert (tmp_path / "app/factory.py").read_text() == (
        "import app.controllers.user_controller as users\nfrom app.controllers.user_controller import user_bp\n\n\n"
        "def create_app(app):\n    app.register_blueprint(user_bp)\n    app.register_blueprint(users.user_bp)\n"
    )


def test_blueprint_rename_in_a_package_init_uses_the_package_name(tmp_path):
    """`bp` in `app/auth/__init__.py` becomes `auth_bp` (never `__init___bp`), in the package
    and in the module importing it from the package."""
    write_project(tmp_path, {
        "pyproject.toml": '[tool.flaskarch]\npreset = "mscr"\nselect = ["FLK203"]\n',
        "app/__init__.py": "from app.auth import bp\n\n\ndef create_app(app):\n    app.register_blueprint(bp)\n",
        "app/auth/__init__.py": "from flask import Blueprint\n\nbp = Blueprint('auth', __name__)\n",
    })
    flaskarch(tmp_path, "--fix", "--unsafe-fixes")
    assert (tmp_path / "app/auth/__init__.py").read_text() == "from flask import Blueprint\n\nauth_bp = Blueprint('auth', __name__)\n"
    assert (tmp_path / "app/__init__.py").read_text() == (
        "from app.auth import auth_bp\n\n\ndef create_app(app):\n    app.register_blueprint(auth_bp)\n")


ORDERS_APP = {
    "pyproject.toml": "[tool.flaskarch]\npreset = \"backant\"\n",
    "routes/__init__.py": "",
    "routes/orders.py": """
        from flask import Blueprint

        orders = Blueprint("orders", __name__)


        @orders.route("/orders/<oid>", methods=["DELETE"])
        def delete_order(oid):
            return {}
        """,
    "app.py": """
        import importlib

        from flask import Flask
        from routes.orders import orders

        app = Flask(__name__)
        app.register_blueprint(orders, url_prefix="/api")
        loaded = importlib.import_module("routes.orders")
        """,
}


def test_module_and_blueprint_renames_reach_a_fixpoint_in_one_run(tmp_path):
    """FLK201 renames the module and FLK203 the blueprint inside it in the same run; the
    report after the fix names the new path; a second run changes nothing."""
    from conftest import check

    write_project(tmp_path, ORDERS_APP)
    result = check(tmp_path, fix_mode="fix", unsafe_fixes=True, use_cache=False)
    assert sorted(f.code for f in result.fixed) == ["FLK201", "FLK203"]
    assert [(f.path, f.code) for f in result.findings] == [("routes/orders_route.py", "FLK501")]
    assert not (tmp_path / "routes/orders.py").exists()
    route = (tmp_path / "routes/orders_route.py").read_text()
    assert 'orders_bp = Blueprint("orders", __name__)' in route and "@orders_bp.route" in route
    app = (tmp_path / "app.py").read_text()
    assert "from routes.orders_route import orders_bp" in app
    assert 'importlib.import_module("routes.orders_route")' in app
    assert all(not f.path.endswith("routes/orders.py") for f in result.findings)
    snapshot = {p: p.read_bytes() for p in tmp_path.rglob("*.py")}
    again = check(tmp_path, fix_mode="fix", unsafe_fixes=True, use_cache=False)
    assert again.fixed == [] and snapshot == {p: p.read_bytes() for p in tmp_path.rglob("*.py")}


def test_a_rename_is_not_made_when_a_file_changed_on_disk(tmp_path, monkeypatch):
    """The changed-on-disk guard covers project-wide renames too: nothing is written."""
    from conftest import check
    from flaskarch import fix_workflow

    write_project(tmp_path, ORDERS_APP)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*.py")}
    real_write = fix_workflow._write

    def edited_meanwhile(tree):
        (tmp_path / "app.py").write_text("# edited by someone else\n")
        return real_write(tree)

    monkeypatch.setattr(fix_workflow, "_write", edited_meanwhile)
    result = check(tmp_path, fix_mode="fix", unsafe_fixes=True, use_cache=False)
    assert any("changed on disk" in e for e in result.errors)
    assert (tmp_path / "routes/orders.py").read_bytes() == before[tmp_path / "routes/orders.py"]
    assert not (tmp_path / "routes/orders_route.py").exists()
    assert (tmp_path / "app.py").read_text() == "# edited by someone else\n"


def test_a_blueprint_name_that_matches_the_module_is_not_rewritten(tmp_path):
    """Only import-call strings name modules: `Blueprint("orders", ...)` stays."""
    from conftest import check

    write_project(tmp_path, ORDERS_APP)
    check(tmp_path, fix_mode="fix", unsafe_fixes=True, use_cache=False, select=("FLK201",))
    assert 'Blueprint("orders", __name__)' in (tmp_path / "routes/orders_route.py").read_text()
