"""What a user sees from the command line: exit codes, one-line errors, JSON, suppression."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DB_MODULE, write_project

CONTROLLER = """
from flask import Blueprint
from app.extensions import db

user_bp = Blueprint("users", __name__)


@user_bp.get("/users")
def list_users():
    return {"n": db.session.execute("select 1").scalar()}
"""



def flaskarch(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flaskarch", *args], cwd=cwd, capture_output=True, text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.fixture
def app(tmp_path: Path) -> Path:
    write_project(tmp_path, {"app/controllers/user_controller.py": CONTROLLER, "app/extensions.py": DB_MODULE})
    return tmp_path


def test_violations_exit_1_with_text_report(app):
    proc = flaskarch(app, "check", "app")
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0] == (
        "app/controllers/user_controller.py:9:18: FLK101 database session used in a controller "
        "(`.execute`): move this into a service method"
    )
    assert "Found 1 violation in 2 files." in proc.stdout


def test_clean_exit_0_and_exit_zero(app):
    assert flaskarch(app, "check", "app", "--ignore", "FLK101").returncode == 0
    assert flaskarch(app, "check", "app", "--exit-zero").returncode == 0


def test_json_report_matches_the_schema(app):
    proc = flaskarch(app, "check", "app", "--format", "json")
    data = json.loads(proc.stdout)
    assert set(data) == {"version", "preset", "violations", "summary"}
    assert data["preset"] == "mscr"
    assert data["summary"] == {"files": 2, "violations": 1, "fixable": 0}
    assert data["violations"] == [
        {
            "code": "FLK101", "name": "session-in-controller", "severity": "error",
            "path": "app/controllers/user_controller.py", "line": 9, "column": 18,
            "end_line": 9, "end_column": 36,
            "message": "database session used in a controller (`.execute`): move this into a service method",
            "fix": None,
        }
    ]


def test_output_file(app):
    proc = flaskarch(app, "check", "app", "--format", "json", "--output", "report.json")
    assert proc.returncode == 1 and proc.stdout == ""
    assert json.loads((app / "report.json").read_text())["summary"]["violations"] == 1


@pytest.mark.parametrize(
    "pyproject,message",
    [
        ('[tool.flaskarch]\nunknown-key = 1\n', "unknown key 'unknown-key'"),
        ('[tool.flaskarch]\nignore = ["FLK999"]\n', "unknown rule code 'FLK999'"),
        ('[tool.flaskarch]\nselect = "FLK101"\n', "'select' must be a list of strings"),
        ('[tool.flaskarch]\npreset = "django"\n', "preset must be one of"),
        ('[tool.flaskarch\n', "invalid TOML"),
        ('[tool.flaskarch.per-file-ignores]\n"a/**" = ["XYZ1"]\n', "unknown rule code 'XYZ1'"),
    ],
)
def test_bad_config_is_one_line_exit_2(app, pyproject, message):
    (app / "pyproject.toml").write_text(pyproject)
    proc = flaskarch(app, "check", "app")
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "pyproject.toml" in lines[0], proc.stderr


def test_unknown_code_on_command_line(app):
    proc = flaskarch(app, "check", "app", "--select", "FLK9")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "flaskarch: error: --select: unknown rule code 'FLK9'"


def test_missing_path(app):
    proc = flaskarch(app, "check", "nope")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "flaskarch: error: nope: no such file or directory"


def test_noqa_and_file_level_skip(app):
    path = app / "app/controllers/user_controller.py"
    text = path.read_text()
    path.write_text(text.replace('scalar()}', 'scalar()}  # noqa: FLK101'))
    assert flaskarch(app, "check", "app").returncode == 0
    path.write_text(text.replace('scalar()}', 'scalar()}  # noqa: FLK102'))
    assert flaskarch(app, "check", "app").returncode == 1
    path.write_text(text.replace('scalar()}', 'scalar()}  # noqa'))
    assert flaskarch(app, "check", "app").returncode == 0
    path.write_text("# flaskarch: noqa\n" + text)
    assert flaskarch(app, "check", "app").returncode == 0


def test_per_file_ignores_and_exclude(app):
    (app / "pyproject.toml").write_text('[tool.flaskarch.per-file-ignores]\n"app/controllers/**" = ["FLK1"]\n')
    assert flaskarch(app, "check", "app").returncode == 0
    (app / "pyproject.toml").write_text('[tool.flaskarch]\nexclude = ["app/controllers"]\n')
    proc = flaskarch(app, "check", "app")
    assert proc.returncode == 0 and "1 files" in proc.stdout


def test_gitignore_tests_and_venvs_are_not_checked(app):
    bad = CONTROLLER
    write_project(app, {
        "app/controllers/generated/x_controller.py": bad,
        "app/controllers/tests/test_user.py": bad,
        "app/controllers/test_more.py": bad,
        "app/migrations/controllers/y_controller.py": bad,
        "env/lib/controllers/z_controller.py": bad,
    })
    (app / "env/pyvenv.cfg").write_text("home = /usr\n")
    (app / ".gitignore").write_text("generated/\n")
    proc = flaskarch(app, "check", ".")
    assert [line.split(":")[0] for line in proc.stdout.splitlines() if "FLK" in line and ":" in line][:1] == [
        "app/controllers/user_controller.py"
    ]
    assert "Found 1 violation" in proc.stdout


def _reported(proc: subprocess.CompletedProcess[str]) -> list[str]:
    return sorted({line.split(":")[0] for line in proc.stdout.splitlines() if ": FLK" in line})


def test_nested_gitignore_applies_below_its_folder_and_when_checking_a_subfolder(app):
    write_project(app, {
        "app/controllers/generated/x_controller.py": CONTROLLER,
        "app/controllers/legacy/old_controller.py": CONTROLLER,
        "app/legacy/keep_controller.py": CONTROLLER,
    })
    (app / ".git").mkdir()  # the repository root, where the top .gitignore lives
    (app / ".gitignore").write_text("generated/\n")
    (app / "app/controllers/.gitignore").write_text("legacy/\n")  # only app/controllers/legacy
    assert _reported(flaskarch(app, "check", ".")) == [
        "app/controllers/user_controller.py", "app/legacy/keep_controller.py"]
    # checking a subfolder still honours the .gitignore files above it
    assert _reported(flaskarch(app / "app", "check", "controllers")) == ["controllers/user_controller.py"]


def test_symlinked_folders_are_not_followed(app):
    (app / "app/controllers/loop").symlink_to(app / "app", target_is_directory=True)
    proc = flaskarch(app, "check", ".")
    assert proc.returncode == 1 and _reported(proc) == ["app/controllers/user_controller.py"]


def test_a_file_outside_the_project_is_checked_on_its_own(app, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    write_project(elsewhere, {"orders_controller.py": CONTROLLER})
    proc = flaskarch(app, "check", str(elsewhere / "orders_controller.py"))
    assert proc.returncode == 1, proc.stderr
    assert [line for line in proc.stdout.splitlines() if ": FLK" in line]


def test_syntax_errors_bad_encoding_and_null_bytes_are_flk001_and_the_run_goes_on(app):
    ctrl = app / "app/controllers"
    (ctrl / "broken_controller.py").write_text("def f(:\n    pass\n")
    (ctrl / "latin_controller.py").write_bytes(b"x = 1\ny = '\xe9'\n")
    (ctrl / "null_controller.py").write_bytes(b"x = 1\x00\n")
    proc = flaskarch(app, "check", "app", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    found = {(v["path"].rsplit("/", 1)[-1], v["line"], v["code"]) for v in json.loads(proc.stdout)["violations"]}
    assert found == {
        ("broken_controller.py", 1, "FLK001"),
        ("latin_controller.py", 2, "FLK001"),
        ("null_controller.py", 1, "FLK001"),
        ("user_controller.py", 9, "FLK101"),
    }
    broken = [v for v in json.loads(proc.stdout)["violations"] if v["path"].endswith("broken_controller.py")][0]
    assert broken["column"] == 7  # CPython's position, not libcst's
    assert "Traceback" not in proc.stderr


def test_internal_error_in_one_file_is_reported_and_exit_2(app, monkeypatch):
    from conftest import check
    from flaskarch.rules.flk101_session_in_controller import SessionInController

    def boom(self, node):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(SessionInController, "visit_Attribute", boom)
    result = check(app, ["app"])
    assert result.errors == [
        "app/controllers/user_controller.py: internal error: RuntimeError: kaboom"
    ]


def test_rules_and_explain(app):
    proc = flaskarch(app, "rules", "--format", "json")
    codes = [r["code"] for r in json.loads(proc.stdout)]
    assert codes[:4] == ["FLK001", "FLK002", "FLK101", "FLK102"]
    proc = flaskarch(app, "explain", "flk401")
    assert proc.returncode == 0 and proc.stdout.startswith("# FLK401 boolean-comparison")
    assert flaskarch(app, "explain", "FLK999").returncode == 2


def test_show_settings_reports_effective_values(app):
    (app / "pyproject.toml").write_text('[tool.flaskarch]\nauth-decorators = ["needs_login"]\n')
    proc = flaskarch(app, "check", "app", "--show-settings")
    data = json.loads(proc.stdout)
    assert "needs_login" in data["auth-decorators"] and "token_required" in data["auth-decorators"]


def test_text_report_is_coloured_only_on_a_terminal(app):
    import io

    from rich.console import Console

    from conftest import check
    from flaskarch.reporters import reporter

    rendered = reporter("text")(check(app))
    assert "\x1b[" not in rendered.plain and ": FLK101 " in rendered.plain
    terminal = io.StringIO()
    Console(file=terminal, force_terminal=True, color_system="standard", highlight=False,
            soft_wrap=True).print(rendered.to_rich(), end="")
    assert "\x1b[1;31mFLK101\x1b[0m" in terminal.getvalue()
    assert flaskarch(app, "check", ".").stdout.count("\x1b[") == 0  # piped: plain text


def test_show_files_lists_each_file_with_its_layer_and_why(tmp_path):
    """`--show-files`: the files a check would read, with the layer and what decided it, so a
    user sees at once why a layer rule is silent on a file."""
    write_project(tmp_path, {
        "pyproject.toml": '[tool.flaskarch.layers]\nservice = ["app/logic/**"]\n',
        "app/main/routes.py": "",
        "app/endpoints/users/service.py": "",
        "app/endpoints/users/helpers.py": "",
        "app/logic/billing.py": "",
        "app/util.py": "",
        "tests/test_x.py": "",
    })
    out = flaskarch(tmp_path, "check", "--show-files")
    assert out.returncode == 0, out.stderr
    rows = [line.split(None, 2) for line in out.stdout.splitlines()]
    assert rows == [
        ["app/endpoints/users/helpers.py", "controller", "folder `endpoints/`"],
        ["app/endpoints/users/service.py", "service", "file name `service.py`"],
        ["app/logic/billing.py", "service", "config glob `app/logic/**`"],
        ["app/main/routes.py", "controller", "file name `routes.py`"],
        ["app/util.py", "-", "no layer glob, file name or folder"],
    ]


def test_the_summary_groups_security_findings_first(tmp_path):
    write_project(tmp_path, {
        "app/extensions.py": DB_MODULE,
        "app/controllers/user_controller.py": (
            "from flask import Blueprint\nfrom app.extensions import db\n\nbp = Blueprint('users', __name__)\n\n\n"
            "@bp.post('/users')\ndef create():\n    db.session.commit()\n    return {}\n"
        ),
    })
    out = flaskarch(tmp_path, "check", ".", "--no-cache")
    summary = out.stdout.split("\n\n", 1)[1].splitlines()
    assert summary[:4] == ["  security:", "    1  FLK501  mutating-route-without-auth", "  other:",
                           "    1  FLK101  session-in-controller"]


# ---- habits users bring from ruff and flake8 ------------------------------------------------

def test_repeated_selects_add_up_and_all_selects_everything(app):
    both = flaskarch(app, "check", ".", "--no-cache", "--select", "FLK101", "--select", "FLK1", "--format", "concise")
    assert {line.split()[1] for line in both.stdout.splitlines()[:-1]} == {"FLK101"}
    everything = flaskarch(app, "check", ".", "--no-cache", "--select", "ALL", "--output-format", "json")
    assert json.loads(everything.stdout)["summary"]["violations"] >= 1


def test_json_statistics_and_concise_fix_marker(tmp_path):
    write_project(tmp_path, {
        "app/extensions.py": DB_MODULE,
        "app/repositories/user_repository.py": (
            "from app.extensions import db\nfrom app.models import User\n\n\n"
            "def inactive():\n    return db.session.query(User).filter(User.active == False).all()\n"
        ),
        "app/models.py": "from app.extensions import db\n\n\nclass User(db.Model):\n"
                         "    id = db.Column(db.Integer, primary_key=True)\n    active = db.Column(db.Boolean)\n",
    })
    stats = flaskarch(tmp_path, "check", ".", "--no-cache", "--select", "FLK401", "--format", "json", "--statistics")
    assert json.loads(stats.stdout) == [{"code": "FLK401", "name": "boolean-comparison", "count": 1, "fixable": 1}]
    concise = flaskarch(tmp_path, "check", ".", "--no-cache", "--select", "FLK401", "--format", "concise")
    assert concise.stdout.splitlines()[0].startswith("app/repositories/user_repository.py:6:42: FLK401 [*] ")


def test_explain_accepts_a_rule_name():
    out = flaskarch(Path("."), "explain", "session-in-controller")
    assert out.returncode == 0 and out.stdout.startswith("# FLK101 session-in-controller")
    assert flaskarch(Path("."), "explain", "no-such-rule").returncode == 2


def test_a_missing_path_among_several_is_reported_and_the_others_checked(app):
    out = flaskarch(app, "check", "app", "nowhere.py", "--no-cache", "--format", "concise")
    assert out.returncode == 2
    assert "nowhere.py: no such file or directory" in out.stderr
    assert "FLK101" in out.stdout


def test_fix_only_and_exit_non_zero_on_fix(tmp_path):
    source = ("from app.extensions import db\nfrom app.models import User\n\n\n"
              "def inactive():\n    return db.session.query(User).filter(User.active == False).all()\n")
    files = {"app/extensions.py": DB_MODULE, "app/repositories/user_repository.py": source,
             "app/models.py": "from app.extensions import db\n\n\nclass User(db.Model):\n"
                              "    id = db.Column(db.Integer, primary_key=True)\n    active = db.Column(db.Boolean)\n"}
    write_project(tmp_path, files)
    out = flaskarch(tmp_path, "check", ".", "--no-cache", "--fix-only", "--select", "FLK401,FLK403")
    assert out.returncode == 0 and "FLK403" not in out.stdout and "Fixed 1 violation" in out.stdout
    write_project(tmp_path, files)
    out = flaskarch(tmp_path, "check", ".", "--no-cache", "--fix", "--select", "FLK401", "--exit-non-zero-on-fix")
    assert out.returncode == 1 and ".is_(False)" in (tmp_path / "app/repositories/user_repository.py").read_text()


def test_stdin_is_checked_as_the_named_file_of_its_project(tmp_path):
    """An editor's unsaved text: checked with the project's facts (the `db` of another module),
    reported under the file's name; the cache then still answers for the file on disk."""
    write_project(tmp_path, {
        "app/extensions.py": DB_MODULE,
        "app/controllers/user_controller.py": "def ok():\n    return 1\n",
    })
    unsaved = "from app.extensions import db as database\n\n\ndef save(u):\n    database.session.add(u)\n"
    proc = subprocess.run(
        [sys.executable, "-m", "flaskarch", "check", "-", "--stdin-filename", "app/controllers/user_controller.py",
         "--format", "concise"],
        cwd=tmp_path, input=unsaved, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines()[0].startswith("app/controllers/user_controller.py:5:5: FLK101 ")
    on_disk = flaskarch(tmp_path, "check", ".", "--format", "concise")
    assert on_disk.returncode == 0 and on_disk.stdout == "All checks passed.\n"
    alone = flaskarch(tmp_path, "check", "-", ".")
    assert alone.returncode == 2 and "--stdin-filename" in alone.stderr


@pytest.mark.skipif(not Path("/usr/bin/script").exists(), reason="needs util-linux script(1) for a pseudo-terminal")
def test_a_progress_bar_on_a_terminal_and_none_when_piped(app):
    """On a terminal a long run shows `reading`/`checking` bars on stderr (the threshold,
    about two seconds, is lowered to zero here); piped, stderr stays empty."""
    env = {**os.environ, "FLASKARCH_PROGRESS_AFTER": "0"}
    env.pop("FLASKARCH_NO_PROGRESS", None)
    command = f"{sys.executable} -m flaskarch check . --no-cache -q"
    tty = subprocess.run(["script", "-qec", command, "/dev/null"], cwd=app, capture_output=True, text=True, env=env)
    assert "checking" in tty.stdout and "/" in tty.stdout
    piped = subprocess.run(command.split(), cwd=app, capture_output=True, text=True, env=env)
    assert piped.stderr == "" and "checking" not in piped.stdout


def test_explain_works_from_the_built_wheel(tmp_path):
    """The pages ship inside the wheel (`flaskarch/pages/`): unpacked away from the checkout,
    `flaskarch explain` still prints them."""
    import zipfile

    repo = Path(__file__).resolve().parent.parent
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", str(repo), "--no-deps", "-q", "-w", str(tmp_path)],
                           capture_output=True, text=True)
    if build.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {build.stderr.strip()[-200:]}")
    (wheel,) = tmp_path.glob("flaskarch-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        assert "flaskarch/pages/FLK101.md" in zf.namelist()
        zf.extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run([sys.executable, "-c", "import flaskarch.pages as p, sys; print(p.pages_dir())"],
                         cwd=tmp_path, capture_output=True, text=True, env=env)
    assert out.stdout.strip() == str(site / "flaskarch" / "pages")
    explained = subprocess.run([sys.executable, "-m", "flaskarch", "explain", "session-in-controller"],
                               cwd=tmp_path, capture_output=True, text=True, env=env)
    assert explained.returncode == 0 and explained.stdout.startswith("# FLK101 session-in-controller")


def test_force_color_colours_a_piped_report(app):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    plain = subprocess.run([sys.executable, "-m", "flaskarch", "check", ".", "--no-cache"], cwd=app,
                           capture_output=True, text=True, env=env)
    forced = subprocess.run([sys.executable, "-m", "flaskarch", "check", ".", "--no-cache"], cwd=app,
                            capture_output=True, text=True, env={**env, "FORCE_COLOR": "1"})
    assert "\x1b[" not in plain.stdout and "\x1b[" in forced.stdout
