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
