"""`--format github`: workflow commands that GitHub Actions shows as annotations."""

from __future__ import annotations

from typing import Any


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: Any, **_: Any) -> str:
    lines = []
    for f in result.findings:
        kind = "error" if f.severity == "error" else "warning"
        lines.append(
            f"::{kind} file={_prop(f.path)},line={f.line},col={f.column},endLine={f.end_line},"
            f"endColumn={f.end_column},title={_prop(f'{f.code} {f.name}')}::{_data(f.message)}"
        )
    return "".join(line + "\n" for line in lines)
