"""`--format concise`: one line per violation and a one-line count (editors, grep)."""

from __future__ import annotations

from typing import Any


def render(result: Any, unsafe_fixes: bool = False, **_: Any) -> str:
    shown = {"safe", "unsafe"} if unsafe_fixes else {"safe"}
    out = [f"{f.path}:{f.line}:{f.column}: {f.code}{' [*]' if f.fix is not None and f.fix.applicability in shown else ''}"
           f" {f.message}\n" for f in result.findings]
    n = len(result.findings)
    out.append(f"Found {n} violation{'s' if n != 1 else ''}.\n" if n else "All checks passed.\n")
    return "".join(out)
