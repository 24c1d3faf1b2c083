"""The other doors: SARIF, GitHub annotations, concise, the flake8 plugin — same findings."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, write_project

APPS = ["backant_app", "mscr_app", "factory_app"]
SCHEMA = next(
    (p for p in (REPO.parent / "shared/sarif/sarif-schema-2.1.0.json",
                 REPO / "../shared/sarif/sarif-schema-2.1.0.json") if p.is_file()),
    None,
)


def flaskarch(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flaskarch", "check", ".", "--no-cache", *args],
        cwd=cwd, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.mark.parametrize("app", APPS)
def test_sarif_validates_against_the_official_schema(app):
    jsonschema = pytest.importorskip("jsonschema")
    if SCHEMA is None:
        pytest.skip("../shared/sarif/sarif-schema-2.1.0.json is not beside the checkout")
    proc = flaskarch(FIXTURES / app, "--format", "sarif")
    doc = json.loads(proc.stdout)
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft7Validator(schema).validate(doc)
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert not uri.startswith("/") and (FIXTURES / app / uri).is_file()
        assert re.fullmatch(r"[0-9a-f]{16}:\d+", result["partialFingerprints"]["primaryLocationLineHash"])
    assert str(FIXTURES) not in proc.stdout  # no machine paths
    assert all(r["help"]["markdown"].startswith(f"# {r['id']}") for r in rules)
    # GitHub code scanning rejects a run whose rule descriptions exceed its limits
    assert all(len(r["fullDescription"]["text"]) <= 1024 for r in rules)
    assert all(r["fullDescription"]["text"].endswith((".", "…", ")", "`")) for r in rules)


def test_sarif_carries_fixes_and_tool_errors(tmp_path):
    write_project(tmp_path, {
        "app/extensions.py": "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n",
        "app/repositories/user_repository.py": (
            "from app.extensions import db\nfrom app.models import User\n\n\n"
            "def f():\n    return db.session.query(User).filter(User.active == False).all()\n"
        ),
    })
    doc = json.loads(flaskarch(tmp_path, "--format", "sarif").stdout)
    (result,) = [r for r in doc["runs"][0]["results"] if r["ruleId"] == "FLK401"]
    (change,) = result["fixes"][0]["artifactChanges"]
    assert change["replacements"] == [{
        "deletedRegion": {"startLine": 6, "startColumn": 42, "endLine": 6, "endColumn": 62},
        "insertedContent": {"text": "User.active.is_(False)"},
    }]
    assert doc["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_sarif_output_next_to_another_format(tmp_path):
    app = FIXTURES / "mscr_app"
    proc = flaskarch(app, "--format", "github", "--sarif-output", str(tmp_path / "out.sarif"))
    assert proc.stdout.startswith("::error file=app/__init__.py,line=13,col=5,")
    assert "::error file=app/controllers/project_controller.py,line=78,col=5," in proc.stdout
    assert "title=FLK101 session-in-controller::" in proc.stdout
    assert json.loads((tmp_path / "out.sarif").read_text())["version"] == "2.1.0"


def test_github_annotations_escape_their_properties():
    from flaskarch.reporters import github
    from flaskarch.rule import Finding

    class R:
        findings = [Finding("FLK101", "session-in-controller", "warning", "a,b:c.py", 1, 2, 1, 5, "50%\nmore")]

    assert github.render(R()) == (
        "::warning file=a%2Cb%3Ac.py,line=1,col=2,endLine=1,endColumn=5,"
        "title=FLK101 session-in-controller::50%25%0Amore\n"
    )


def test_concise_format():
    proc = flaskarch(FIXTURES / "mscr_app", "--format", "concise")
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("app/__init__.py:13:5: FLK509 ")
    assert any(line.startswith("app/controllers/project_controller.py:78:5: FLK101 ") for line in lines)
    assert lines[-1] == "Found 14 violations."


def _fingerprints(root: Path) -> dict[str, str]:
    doc = json.loads(flaskarch(root, "--format", "sarif").stdout)
    return {r["ruleId"]: r["partialFingerprints"]["primaryLocationLineHash"] for r in doc["runs"][0]["results"]}


def test_fingerprints_survive_line_moves_and_change_with_the_code(tmp_path):
    source = (
        "from flask import Blueprint\nfrom app.extensions import db\n\nbp = Blueprint('u', __name__)\n\n\n"
        "@bp.get('/n')\ndef count():\n    return {'n': db.session.execute('select 1').scalar()}\n"
    )
    write_project(tmp_path, {"app/controllers/user_controller.py": source,
                             "app/extensions.py": "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n"})
    before = _fingerprints(tmp_path)
    path = tmp_path / "app/controllers/user_controller.py"
    path.write_text('"""Users."""\n# a comment\n\n' + source)
    assert _fingerprints(tmp_path) == before
    path.write_text(source.replace("select 1", "select 2"))
    assert _fingerprints(tmp_path)["FLK101"] != before["FLK101"]


@pytest.mark.parametrize("app", APPS)
def test_flake8_plugin_matches_the_cli_finding_by_finding(app, tmp_path):
    pytest.importorskip("flake8")
    root = tmp_path / app  # a copy without a cache: flake8's workers build the index cold
    shutil.copytree(FIXTURES / app, root, ignore=shutil.ignore_patterns(".flaskarch_cache"))
    cli = json.loads(flaskarch(root, "--format", "json").stdout)["violations"]
    files = sorted({v["path"] for v in cli if v["code"] != "FLK001"})
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "FLK", "--format", "%(path)s:%(row)d:%(col)d: %(code)s %(text)s",
         *files],
        cwd=root, capture_output=True, text=True,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    got = sorted(proc.stdout.splitlines())
    want = sorted(f"{v['path']}:{v['line']}:{v['column']}: {v['code']} {v['message']}"
                  for v in cli if v["code"] != "FLK001")
    assert got == want


def test_flake8_honours_noqa_and_never_raises(tmp_path):
    pytest.importorskip("flake8")
    write_project(tmp_path, {
        "app/extensions.py": "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n",
        "app/controllers/a_controller.py": "from app.extensions import db\n\n\ndef f():\n    db.session.add(1)  # noqa: FLK101\n",
        "app/controllers/b_controller.py": "from app.extensions import db\n\n\ndef f():\n    db.session.add(1)  # noqa: E501\n",
        "app/controllers/c_controller.py": "",
    })
    proc = subprocess.run([sys.executable, "-m", "flake8", "--select", "FLK", "app"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.stdout.splitlines() == [
        "app/controllers/b_controller.py:5:5: FLK101 database session used in a controller (`.add`): "
        "move this into a service method"
    ]
    assert proc.stderr == ""


def test_one_file_run_knows_project_wide_facts(tmp_path):
    """pre-commit passes only the staged file: the guard and prefix from other modules still count."""
    (tmp_path / ".git").mkdir()  # a repository root
    write_project(tmp_path, {
        "app/blueprints.py": "from flask import Blueprint\n\nadmin_bp = Blueprint('admin', __name__)\nauth_bp = Blueprint('auth', __name__)\n",
        "app/__init__.py": "from app.blueprints import auth_bp\n\n\ndef create_app(app):\n    app.register_blueprint(auth_bp, url_prefix='/auth')\n",
        "app/security.py": (
            "from flask import abort\nfrom flask_login import current_user\nfrom app.blueprints import admin_bp\n\n\n"
            "@admin_bp.before_request\ndef guard():\n    if not current_user.is_authenticated:\n        abort(401)\n"
        ),
        "app/controllers/admin_controller.py": (
            "from app.blueprints import admin_bp, auth_bp\n\n\n@admin_bp.post('/purge')\ndef purge():\n    return {}\n\n\n"
            "@auth_bp.post('/login')\ndef sign_in():\n    return {}\n\n\n@auth_bp.post('/sessions/renew')\ndef renew():\n    return {}\n"
        ),
    })
    proc = subprocess.run(
        [sys.executable, "-m", "flaskarch", "check", "app/controllers/admin_controller.py"],
        cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.stdout.splitlines()[0] == (
        "app/controllers/admin_controller.py:15:1: FLK501 POST route /auth/sessions/renew has no "
        "authentication (no auth decorator, no guard on blueprint `auth`, not in public-routes): "
        "add @token_required (or list it in public-routes)"
    )
    assert "Found 1 violation in 1 files." in proc.stdout


def test_a_folder_of_projects_checks_each_file_with_its_own_configuration(tmp_path):
    """`flaskarch check fixtures/` gives every file its own project's settings (preset, ignore,
    root for layers and module names), and agrees with flake8 finding by finding."""
    pytest.importorskip("flake8")
    work = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, work, ignore=shutil.ignore_patterns(".flaskarch_cache"))
    together = json.loads(flaskarch(work, "--format", "json").stdout)["violations"]
    apart = []
    for app in APPS:
        for v in json.loads(flaskarch(work / app, "--format", "json").stdout)["violations"]:
            apart.append({**v, "path": f"{app}/{v['path']}"})
    key = lambda v: (v["path"], v["line"], v["column"], v["code"], v["message"])  # noqa: E731
    assert sorted(map(key, together)) == sorted(map(key, apart))
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "FLK,E999",
         "--format", "%(path)s:%(row)d: %(code)s %(text)s", "."],
        cwd=work, capture_output=True, text=True,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    flake8 = sorted(re.sub(r"^\./", "", line) for line in proc.stdout.splitlines())
    # flake8 runs no plugin on a file that does not parse: it says E999 where flaskarch says FLK001
    want = sorted(
        f"{v['path']}:{v['line']}: " + ("E999" if v["code"] == "FLK001" else f"{v['code']} {v['message']}")
        for v in together
    )
    assert [line.split(" SyntaxError")[0].split(" IndentationError")[0] for line in flake8] == want


def test_a_nested_project_keeps_its_own_settings_and_root(tmp_path):
    """A service folder with its own configuration inside a larger repository: its files get
    its `ignore` and its root (layers and module names relative to it), the others the outer."""
    write_project(tmp_path, {
        "pyproject.toml": "[tool.flaskarch]\npreset = \"factory\"\n",
        "app/__init__.py": "",
        "app/extensions.py": "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n",
        "app/controllers/user_controller.py":
            "from app.extensions import db\n\n\ndef f():\n    db.session.add(1)\n",
        "services/billing/pyproject.toml": "[tool.flaskarch]\npreset = \"mscr\"\nignore = [\"FLK101\"]\n",
        "services/billing/app/__init__.py": "",
        "services/billing/app/extensions.py": "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n",
        "services/billing/app/controllers/invoice_controller.py":
            "from app.extensions import db\n\n\ndef f():\n    db.session.add(1)\n",
        "services/billing/app/controllers/payments.py": "X = 1\n",
    })
    from conftest import check, found

    got = found(check(tmp_path))
    assert ("app/controllers/user_controller.py", 5, 5, "FLK101") in got
    assert not any(p.startswith("services/billing/app/controllers/invoice") for p, *_ in got)  # its ignore
    # mscr's naming rule, with paths relative to the nested root
    assert ("services/billing/app/controllers/payments.py", 1, 1, "FLK201") in got
    assert found(check(tmp_path / "services/billing")) == [("app/controllers/payments.py", 1, 1, "FLK201")]


def test_a_module_named_setup_inside_a_package_makes_no_project(tmp_path):
    """redash has `redash/handlers/setup.py` (a Flask view module): its folder is still part
    of the repository's project, so decorators defined elsewhere in the project count."""
    write_project(tmp_path, {
        "pyproject.toml": "[project]\nname = 'x'\n",
        "app/__init__.py": "",
        "app/permissions.py": """
            from functools import wraps
            from flask_login import login_required


            def require_admin(fn):
                @wraps(fn)
                @login_required
                def inner(*a, **k):
                    return fn(*a, **k)
                return inner
            """,
        "app/handlers/__init__.py": "",
        "app/handlers/setup.py": "from flask import Blueprint\n\nsetup_bp = Blueprint('setup', __name__)\n",
        "app/handlers/users.py": """
            from flask import Blueprint
            from app.permissions import require_admin

            users_bp = Blueprint("users", __name__)


            @users_bp.post("/users")
            @require_admin
            def create_user():
                return {}
            """,
    })
    from conftest import check, found

    assert found(check(tmp_path)) == []
    assert found(check(tmp_path, ["app/handlers/users.py"])) == []


def test_flake8_on_stdin_uses_the_display_name(tmp_path):
    """Editors pipe the buffer to `flake8 -` with `--stdin-display-name`: the module is that
    file of its project (its blueprint is `users_bp`, not `stdin_bp`); without the name the
    plugin says why it does not check, once, and reports nothing."""
    pytest.importorskip("flake8")
    write_project(tmp_path, {
        "pyproject.toml": '[tool.flaskarch]\npreset = "mscr"\n',
        "app/controllers/users_controller.py": "",
    })
    source = "from flask import Blueprint\n\nbp = Blueprint('users', __name__)\n"
    named = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "FLK", "--stdin-display-name",
         "app/controllers/users_controller.py", "-"],
        cwd=tmp_path, input=source, capture_output=True, text=True,
    )
    assert "FLK203 blueprint variable `bp` should be `users_bp`" in named.stdout, named.stdout + named.stderr
    anonymous = subprocess.run([sys.executable, "-m", "flake8", "--select", "FLK", "-"], cwd=tmp_path,
                               input=source, capture_output=True, text=True)
    assert anonymous.stdout == "" and "--stdin-display-name" in anonymous.stderr
