"""The cache is read as data only, and never written or cleaned outside a folder flaskarch made
(issue 16's first two points; the plain-format cache that replaces pickle is still to come)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

from conftest import DB_MODULE, check, found, write_project

PROJECT = {
    "app/extensions.py": DB_MODULE,
    "app/controllers/user_controller.py": "from app.extensions import db\n\n\ndef f(u):\n    db.session.add(u)\n",
}


class _Planted:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _cache_files(root: Path) -> list[Path]:
    return sorted((root / ".flaskarch_cache").rglob("*.pickle"))


def test_a_planted_pickle_runs_no_code_and_is_a_cache_miss(tmp_path):
    write_project(tmp_path, PROJECT)
    first = found(check(tmp_path))
    owned = tmp_path / "owned"
    for path in _cache_files(tmp_path):  # every cache file replaced by a hostile pickle
        path.write_bytes(pickle.dumps(_Planted(owned)))
    (tmp_path / "app/controllers/user_controller.py").touch()  # no warm shortcut
    assert found(check(tmp_path)) == first
    assert not owned.exists()


def test_a_wrong_shaped_pickle_is_a_cache_miss(tmp_path):
    write_project(tmp_path, PROJECT)
    first = found(check(tmp_path))
    for path in _cache_files(tmp_path):
        path.write_bytes(pickle.dumps({"app/x.py": "not an entry"}))
    (tmp_path / "app/controllers/user_controller.py").touch()
    assert found(check(tmp_path)) == first


def test_a_symlinked_cache_folder_is_never_written_or_cleaned(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    for name in ("a", "b", "c"):
        (elsewhere / name).mkdir(parents=True)
    (elsewhere / ".gitignore").write_text("keep\n")
    project = tmp_path / "project"
    write_project(project, PROJECT)
    (project / ".flaskarch_cache").symlink_to(elsewhere, target_is_directory=True)
    assert [c for *_, c in found(check(project))] == ["FLK101"]
    assert sorted(p.name for p in elsewhere.iterdir()) == [".gitignore", "a", "b", "c"]
    assert (elsewhere / ".gitignore").read_text() == "keep\n"
    proc = subprocess.run([sys.executable, "-m", "flaskarch", "clean"], cwd=project, capture_output=True, text=True)
    assert proc.stdout.strip() == "nothing to clean" and (elsewhere / "a").is_dir()


def test_a_folder_flaskarch_did_not_make_is_left_alone(tmp_path):
    write_project(tmp_path, {**PROJECT, ".flaskarch_cache/v0-old/notes.txt": "mine\n"})
    check(tmp_path)
    assert (tmp_path / ".flaskarch_cache/v0-old/notes.txt").read_text() == "mine\n"
    assert not (tmp_path / ".flaskarch_cache/.gitignore").exists()
