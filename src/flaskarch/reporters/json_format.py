"""`--format json`: the schema of INTERFACES.md."""

from __future__ import annotations

import json
from typing import Any

from flaskarch import __version__


def render(result: Any, statistics: bool = False, **_: Any) -> str:
    fixable = sum(1 for f in result.findings if f.fix is not None)
    if statistics:  # ruff's `--statistics --output-format json`: counts per rule
        counts: dict[str, dict[str, Any]] = {}
        for f in result.findings:
            row = counts.setdefault(f.code, {"code": f.code, "name": f.name, "count": 0, "fixable": 0})
            row["count"] += 1
            row["fixable"] += f.fix is not None
        return json.dumps([counts[c] for c in sorted(counts)], indent=2) + "\n"
    payload = {
        "version": __version__,
        "preset": result.settings.preset,
        "violations": [f.to_dict() for f in result.findings],
        "summary": {"files": result.files, "violations": len(result.findings), "fixable": fixable},
    }
    baseline = getattr(result, "baseline", None)
    if baseline is not None:  # only when a baseline was used: hidden findings, stale entries
        payload["summary"]["baseline"] = {"hidden": baseline.hidden, "stale": baseline.stale}
    return json.dumps(payload, indent=2) + "\n"
