"""Applying fixes: edits to text, to a fixpoint, re-parsed, then written atomically.

A fix never corrupts or loses a file: every pass's result must parse (libcst) or the file is
left as it was; the file is only replaced if its bytes are still the ones that were read;
the new text is written to a temporary file beside it (same mode, encoding, BOM and line
endings) and renamed over it.
"""

from __future__ import annotations

import codecs
import difflib
import hashlib
import io
import os
import re
import tempfile
import tokenize
from dataclasses import dataclass, field
from typing import Callable

from flaskarch._lazy import cst

from flaskarch.rule import Edit, Finding

MAX_PASSES = 6
_NEWLINE = re.compile(r"\r\n|\r|\n")


def line_starts(text: str) -> list[int]:
    """Offsets where each line starts, counting newlines as libcst does (\\r\\n, \\r, \\n)."""
    return [0] + [m.end() for m in _NEWLINE.finditer(text)]


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits (callers choose them); insertions keep their order."""
    starts = line_starts(text)

    def offset(pos: tuple[int, int]) -> int:
        line, col = pos
        if line - 1 >= len(starts):
            return len(text)
        return min(starts[line - 1] + col - 1, len(text))

    spans = sorted(((offset(e.start), offset(e.end), i, e.content) for i, e in enumerate(edits)))
    out = []
    cursor = 0
    for start, end, _, content in spans:
        out.append(text[cursor:start])
        out.append(content)
        cursor = max(cursor, end)
    out.append(text[cursor:])
    return "".join(out)


def choose(findings: list[Finding], allowed: set[str]) -> tuple[list[Edit], list[Finding]]:
    """Edits of the fixes that can go together in one pass: a fix is all or nothing, and one
    whose edits overlap an already chosen one waits for the next pass."""
    chosen: list[Edit] = []
    taken: list[tuple[tuple[int, int], tuple[int, int]]] = []
    seen: set[Edit] = set()
    fixed = []
    for f in findings:
        if f.fix is None or f.fix.applicability not in allowed or not f.fix.edits:
            continue
        new = [e for e in f.fix.edits if e not in seen]
        if any(_overlaps(e, t) for e in new for t in taken):
            continue
        for e in new:
            seen.add(e)
            chosen.append(e)
            taken.append((e.start, e.end))
        fixed.append(f)
    return chosen, fixed


def _overlaps(edit: Edit, span: tuple[tuple[int, int], tuple[int, int]]) -> bool:
    start, end = span
    if edit.start == edit.end or start == end:  # insertions only clash strictly inside a range
        point = edit.start if edit.start == edit.end else start
        lo, hi = (start, end) if edit.start == edit.end else (edit.start, edit.end)
        return lo < point < hi
    return edit.start < end and start < edit.end


@dataclass
class FileFix:
    path: str
    original: str
    text: str
    fixed: list[Finding] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)
    error: str | None = None

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.original.splitlines(keepends=True),
                self.text.splitlines(keepends=True),
                fromfile=f"a/{self.path}",
                tofile=f"b/{self.path}",
            )
        )


def fix_text(
    path: str,
    text: str,
    findings: list[Finding],
    recheck: Callable[[str], list[Finding]],
    allowed: set[str],
) -> FileFix:
    """Apply fixes to a fixpoint: each pass re-checks the new text for what is left."""
    result = FileFix(path, text, text, remaining=findings)
    current, current_findings = text, findings
    for _ in range(MAX_PASSES):
        edits, fixed = choose(current_findings, allowed)
        if not edits:
            break
        candidate = apply_edits(current, edits)
        try:
            cst.parse_module(candidate)
        except Exception as exc:  # noqa: BLE001 - a fix that breaks the file is not applied
            result.error = f"{path}: a fix would leave the file unparsable ({type(exc).__name__}); nothing written"
            break
        result.fixed.extend(fixed)
        current = candidate
        current_findings = recheck(current)
    result.text = current
    result.remaining = current_findings
    return result


def write_atomically(abspath: str, original_bytes: bytes, new_text: str) -> str | None:
    """Write new_text in the file's own encoding, BOM and mode; None, or why not."""
    try:
        with open(abspath, "rb") as fh:
            now = fh.read()
    except OSError as exc:
        return f"cannot re-read: {exc.strerror}"
    if hashlib.sha256(now).digest() != hashlib.sha256(original_bytes).digest():
        return "changed on disk since it was read; not overwritten"
    encoding, _ = tokenize.detect_encoding(io.BytesIO(original_bytes).readline)
    bom = original_bytes.startswith(codecs.BOM_UTF8)
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    data = (codecs.BOM_UTF8 if bom else b"") + new_text.encode(codec)
    folder = os.path.dirname(abspath) or "."
    try:
        mode = os.stat(abspath).st_mode
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".flaskarch-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, mode & 0o7777)
            os.replace(tmp, abspath)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    except OSError as exc:
        return f"cannot write: {exc.strerror}"
    return None
