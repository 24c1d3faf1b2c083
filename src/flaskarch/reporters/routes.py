"""The route inventory (`flaskarch routes`): text (a rich table), json, markdown, csv.

Paths are relative to the current folder; a URL built at run time is shown as "unknown"
(`null` in JSON), never guessed.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from flaskarch.facts.vocab import MUTATING

FORMATS = ("text", "json", "markdown", "csv")
UNKNOWN = "unknown"


def rows(endpoints: list[Any]) -> list[dict[str, Any]]:
    """The inventory as plain data (JSON's `routes`)."""
    out = []
    for ep in endpoints:
        out.append({
            "endpoint": ep.endpoint,
            "rule": ep.rule,
            "methods": list(ep.methods) if ep.methods is not None else None,
            "path": ep.path,
            "line": ep.line,
            "view": f"{ep.module}.{ep.view}",
            "auth": {"kind": ep.auth.kind, "by": ep.auth.by, "path": ep.auth.path, "line": ep.auth.line},
        })
    return out


def unprotected(endpoints: list[Any]) -> list[Any]:
    """Mutating routes with no auth at all."""
    return [e for e in endpoints if e.auth.kind == "none" and (e.methods is None or set(e.methods) & MUTATING)]


def render(fmt: str, endpoints: list[Any]) -> Any:
    data = rows(endpoints)
    if fmt == "json":
        return json.dumps({"routes": data}, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["methods", "rule", "endpoint", "path", "line", "view", "auth", "auth_by", "auth_path", "auth_line"])
        for r in data:
            a = r["auth"]
            writer.writerow([" ".join(r["methods"] or [UNKNOWN]), r["rule"] or UNKNOWN, r["endpoint"] or "", r["path"],
                             r["line"], r["view"], a["kind"], a["by"], a["path"] or "", a["line"] or ""])
        return buf.getvalue()
    if fmt == "markdown":
        return _markdown(data)
    return _table(data)


def _where(path: str | None, line: int | None) -> str:
    return f"{path}:{line}" if path and line else path or ""


def _summary(data: list[dict[str, Any]]) -> str:
    kinds: dict[str, int] = {}
    for r in data:
        kinds[r["auth"]["kind"]] = kinds.get(r["auth"]["kind"], 0) + 1
    open_mutating = sum(1 for r in data if r["auth"]["kind"] == "none"
                        and (r["methods"] is None or set(r["methods"]) & MUTATING))
    parts = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    return (f"{len(data)} route{'s' if len(data) != 1 else ''} ({parts}); "
            f"{open_mutating} mutating route{'s' if open_mutating != 1 else ''} without auth")


def _markdown(data: list[dict[str, Any]]) -> str:
    def cell(text: Any) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = [
        "| Methods | URL | Endpoint | View | Auth | Auth from |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in data:
        a = r["auth"]
        by = a["by"] + (f" ({_where(a['path'], a['line'])})" if a["path"] and a["kind"] != "none" else "")
        lines.append(
            f"| {cell(' '.join(r['methods'] or [UNKNOWN]))} | `{cell(r['rule'] or UNKNOWN)}` | "
            f"{cell(r['endpoint'] or '')} | `{cell(_where(r['path'], r['line']))}` | "
            f"**{a['kind']}** | {cell(by)} |"
        )
    lines += ["", _summary(data), ""]
    return "\n".join(lines)


def _table(data: list[dict[str, Any]]) -> Any:
    """A rich table (its plain text when not on a terminal)."""
    from rich.table import Table

    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for column in ("Methods", "URL", "Endpoint", "View", "Auth"):
        table.add_column(column, overflow="fold")
    style = {"none": "red", "unknown": "yellow", "public": "cyan"}
    for r in data:
        a = r["auth"]
        where = _where(a["path"], a["line"])
        auth = f"{a['kind']}: {a['by']}" + (f" ({where})" if where and a["kind"] != "none" else "")
        table.add_row(" ".join(r["methods"] or [UNKNOWN]), r["rule"] or UNKNOWN, r["endpoint"] or "",
                      _where(r["path"], r["line"]), auth, style=style.get(a["kind"]))
    return _Rendered(table, _summary(data))


class _Rendered:
    """The table for a terminal (coloured) or plain text (piped, --output)."""

    def __init__(self, table: Any, summary: str) -> None:
        self.table, self.summary = table, summary

    def text(self, color: bool, width: int | None = None) -> str:
        from rich.console import Console

        buf = io.StringIO()
        console = Console(file=buf, force_terminal=color, no_color=not color, width=width or 200,
                          highlight=False, soft_wrap=False)
        console.print(self.table)
        console.print(self.summary)
        return buf.getvalue()
