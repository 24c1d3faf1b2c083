"""`# noqa` suppression, read from the physical lines as flake8 does."""

from __future__ import annotations

import re
from dataclasses import dataclass

# flake8's form: `# noqa`, `# noqa: FLK101`, `# noqa:FLK101,E501`, `# NOQA : X1 X2`
NOQA_RE = re.compile(
    r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE
)
CODE_RE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)
FILE_NOQA_RE = re.compile(r"^#\s*flaskarch:\s*noqa\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Noqa:
    codes: tuple[str, ...] | None  # None: bare `# noqa`, suppresses everything


def parse_noqa(lines: list[str]) -> dict[int, Noqa]:
    """1-based line number -> the noqa on it."""
    out: dict[int, Noqa] = {}
    for number, line in enumerate(lines, start=1):
        if "noqa" not in line and "NOQA" not in line and "Noqa" not in line:
            continue
        match = NOQA_RE.search(line)
        if match is None:
            continue
        codes = match.group("codes")
        out[number] = Noqa(None if codes is None else tuple(c.upper() for c in CODE_RE.findall(codes)))
    return out


def suppressed(noqa: Noqa | None, code: str) -> bool:
    if noqa is None:
        return False
    if noqa.codes is None:
        return True
    return any(code == c or code.startswith(c) for c in noqa.codes)


def file_is_skipped(lines: list[str]) -> bool:
    """`# flaskarch: noqa` on its own line before the first statement."""
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            if FILE_NOQA_RE.match(stripped):
                return True
            continue
        return False
    return False
