"""`--format json`: the schema of INTERFACES.md."""

from __future__ import annotations

import json
from typing import Any

from flaskarch import __version__


def render(result: Any, **_: Any) -> str:
    fixable = sum(1 for f in result.findings if f.fix is not None)
    payload = {
        "version": __version__,
        "preset": result.settings.preset,
        "violations": [f.to_dict() for f in result.findings],
        "summary": {"files": result.files, "violations": len(result.findings), "fixable": fixable},
    }
    return json.dumps(payload, indent=2) + "\n"
