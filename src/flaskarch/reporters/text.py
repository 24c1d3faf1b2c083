"""The default report: `path:line:col: CODE [*] message`, then a summary."""

from __future__ import annotations

from collections import Counter
from typing import Any


class Styled:
    """Text with style spans: plain when piped (most CI and pre-commit runs, and the fast
    path: rich costs more than a warm run's checking), rich Text on a terminal."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, str | None]] = []

    def append(self, text: str, style: str | None = None) -> None:
        self.parts.append((text, style))

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.parts)

    def to_rich(self) -> Any:
        from rich.text import Text

        out = Text()
        for text, style in self.parts:
            out.append(text, style=style)
        return out


def is_security(code: str) -> bool:
    """The catalog's 5xx family: security and auth."""
    return code.startswith("FLK5")


def render(
    result: Any,
    *,
    show_source: bool = False,
    statistics: bool = False,
    quiet: bool = False,
    sources: dict[str, list[str]] | None = None,
    unsafe_fixes: bool = False,
    show_fixes: bool = False,
    **_: Any,
) -> Any:
    out = Styled()
    findings = result.findings
    shown = {"safe", "unsafe"} if unsafe_fixes else {"safe"}
    if not statistics:
        for f in findings:
            out.append(f.path, style="bold")
            out.append(f":{f.line}:{f.column}: ")
            out.append(f.code, style="bold red" if f.severity == "error" else "bold yellow")
            if f.fix is not None and f.fix.applicability in shown:
                out.append(" [*]", style="cyan")
            out.append(f" {f.message}\n")
            if show_source and sources is not None:
                lines = sources.get(f.path) or []
                if 0 < f.line <= len(lines):
                    line = lines[f.line - 1]
                    out.append(f"    {line}\n", style="dim")
                    out.append("    " + " " * (f.column - 1) + "^\n", style="red")
    fixed = getattr(result, "fixed", [])
    if fixed and not quiet:
        if show_fixes:
            for f in sorted(fixed, key=lambda f: f.sort_key()):
                out.append(f"fixed {f.path}:{f.line}:{f.column}: {f.code} {f.fix.message if f.fix else ''}\n", style="green")
        out.append(f"Fixed {len(fixed)} violation{'s' if len(fixed) != 1 else ''}.\n", style="green")
    if quiet and not statistics:
        return out
    counts = Counter((f.code, f.name) for f in findings)
    safe = sum(1 for f in findings if f.fix is not None and f.fix.applicability in shown)
    unsafe = sum(1 for f in findings if f.fix is not None and f.fix.applicability not in shown)
    if counts:
        if not statistics:
            out.append("\n")
        # a security reviewer reads the 5xx family first (`--select FLK5` runs only it)
        security = sorted((k, n) for k, n in counts.items() if is_security(k[0]))
        other = sorted((k, n) for k, n in counts.items() if not is_security(k[0]))
        for title, group in (("security", security), ("other", other)):
            if security and other and group:
                out.append(f"  {title}:\n", style="bold")
            for (code, name), n in group:
                out.append(f"{n:>5}  ")
                out.append(code, style="bold")
                out.append(f"  {name}\n")
        noun = "violation" if len(findings) == 1 else "violations"
        out.append(f"Found {len(findings)} {noun} in {result.files} files.")
        parts = []
        if safe:
            parts.append(f"{safe} fixable with --fix" + (" --unsafe-fixes" if unsafe_fixes else ""))
        if unsafe:
            parts.append(f"{unsafe} more with --unsafe-fixes")
        if parts:
            out.append(" [*] " + ", ".join(parts) + ".", style="cyan")
        out.append("\n")
    else:
        out.append(f"All checks passed ({result.files} files).\n", style="green")
    stale = getattr(getattr(result, "baseline", None), "stale", 0)
    if stale:
        noun = "entry no longer matches" if stale == 1 else "entries no longer match"
        out.append(f"{stale} baseline {noun}: regenerate with --write-baseline\n", style="yellow")
    return out
