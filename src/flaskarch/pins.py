"""Which SQLAlchemy APIs the project's pinned dependencies lack (read from its requirement files)."""

from __future__ import annotations

import os
import re

PIN_FILES = ("requirements.txt", "requirements.in", "requirements/base.txt", "requirements/prod.txt",
             "requirements/production.txt", "requirements/common.txt", "pyproject.toml", "setup.py",
             "setup.cfg", "Pipfile")
_PIN_RE = re.compile(
    r"(?im)^[\s\"']*(flask[-_]sqlalchemy|sqlalchemy)\s*(?:\[[^\]]*\])?\s*(==|~=|<=|<|===)\s*['\"]?(\d+)(?:\.(\d+))?"
)


def read_pins(root: str) -> dict[str, bool]:
    """Which SQLAlchemy APIs the project's pinned versions lack: `sqlalchemy==1.4.54` means no
    `Mapped` (FLK404's fix), `flask-sqlalchemy==2.5` no `db.get_or_404` (FLK403's)."""
    pins: dict[str, bool] = {}
    for rel in PIN_FILES:
        try:
            with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as fh:
                text = fh.read()
        except OSError:
            continue
        for m in _PIN_RE.finditer(text):
            name = m.group(1).lower().replace("_", "-")
            op, major, minor = m.group(2), int(m.group(3)), int(m.group(4) or 0)
            version = (major, minor) if op != "<" else (major, minor - 1) if minor else (major - 1, 99)
            if name == "sqlalchemy":
                if version < (2, 0):
                    pins["sqlalchemy<2"] = True
                if version < (1, 4):
                    pins["sqlalchemy<1.4"] = True
            elif version < (3, 0):
                pins["flask-sqlalchemy<3"] = True
    return pins
