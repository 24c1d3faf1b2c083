"""`--format concise`: one line per violation and a one-line count (editors, grep)."""

from __future__ import annotations

from typing import Any


def render(result: Any, **_: Any) -> str:
    out = [f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}\n" for f in result.findings]
    n = len(result.findings)
    out.append(f"Found {n} violation{'s' if n != 1 else ''}.\n" if n else "All checks passed.\n")
    return "".join(out)
