"""Bad input never stops a run (issue 16, started): one file that cannot be analysed is a
one-line diagnostic for that file, the others are checked, and the exit code is 2."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import DB_MODULE, write_project


def test_a_generated_5000_term_expression_is_a_diagnostic_not_a_crash(tmp_path):
    write_project(tmp_path, {
        "app/extensions.py": DB_MODULE,
        "app/controllers/user_controller.py": "from app.extensions import db\n\n\ndef f(u):\n    db.session.add(u)\n",
    })
    (tmp_path / "app/generated.py").write_text("TOTAL = " + " + ".join(["1"] * 5000) + "\n")
    run = subprocess.run([sys.executable, "-m", "flaskarch", "check", ".", "--no-cache"], cwd=tmp_path,
                         capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "app/generated.py: too deeply nested to analyse (RecursionError)" in run.stderr
    assert "app/controllers/user_controller.py:5:5: FLK101" in run.stdout
    one = subprocess.run([sys.executable, "-m", "flaskarch", "check", "app/controllers", "--no-cache"], cwd=tmp_path,
                         capture_output=True, text=True)
    assert one.returncode == 1 and "Traceback" not in one.stderr


REPO_FILE = "app/repositories/user_repository.py"
FIXABLE = {
    "app/extensions.py": DB_MODULE,
    "app/models.py": "from app.extensions import db\n\n\nclass User(db.Model):\n"
                     "    id = db.Column(db.Integer, primary_key=True)\n    active = db.Column(db.Boolean)\n",
    REPO_FILE: "from app.extensions import db\nfrom app.models import User\n\n\n"
               "def inactive():\n    return db.session.query(User).filter(User.active == False).all()\n",
}


def _fix(root):
    return subprocess.run([sys.executable, "-m", "flaskarch", "check", ".", "--no-cache", "--fix", "--select", "FLK401"],
                          cwd=root, capture_output=True, text=True)


def test_a_fix_leaves_read_only_files_symlinks_and_hard_links_alone(tmp_path):
    import stat

    # read-only by its mode bits (even for root, as editors treat it)
    ro = tmp_path / "ro"
    write_project(ro, FIXABLE)
    target = ro / REPO_FILE
    before = target.read_bytes()
    target.chmod(0o444)
    out = _fix(ro)
    assert out.returncode == 2 and "is read-only, not fixed" in out.stderr
    assert target.read_bytes() == before and stat.S_IMODE(target.stat().st_mode) == 0o444
    # a symlinked module stays a link, its target unchanged
    ln = tmp_path / "ln"
    write_project(ln, FIXABLE)
    real = ln / "real_repository.py"
    (ln / REPO_FILE).rename(real)
    (ln / REPO_FILE).symlink_to(real)
    out = _fix(ln)
    assert "is a symbolic link" in out.stderr and (ln / REPO_FILE).is_symlink() and real.read_bytes() == before
    # a hard link is not split
    hl = tmp_path / "hl"
    write_project(hl, FIXABLE)
    twin = tmp_path / "twin.py"
    os.link(hl / REPO_FILE, twin)
    out = _fix(hl)
    assert "has other hard links" in out.stderr and os.stat(twin).st_nlink == 2 and twin.read_bytes() == before


def test_broken_links_loops_pipes_and_devices_are_skipped_not_errors(tmp_path):
    write_project(tmp_path, {"app/ok.py": "x = 1\n"})
    app = tmp_path / "app"
    (app / "broken.py").symlink_to(tmp_path / "nowhere.py")
    (app / "loop1.py").symlink_to(app / "loop2.py")
    (app / "loop2.py").symlink_to(app / "loop1.py")
    (app / "zero.py").symlink_to("/dev/zero")
    os.mkfifo(app / "pipe.py")
    (app / "linked.py").symlink_to(app / "ok.py")
    run = subprocess.run([sys.executable, "-m", "flaskarch", "check", ".", "--no-cache"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "All checks passed (2 files).\n"
