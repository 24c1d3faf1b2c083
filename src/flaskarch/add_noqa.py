"""`flaskarch check --add-noqa[=REASON]`: a `# noqa: FLKnnn` on every reported line (ruff's habit).

A finding is suppressed by a `# noqa` on its start line (flake8's rule, :mod:`flaskarch.noqa`),
so that is where the comment goes. An existing directive is merged with (other tools' codes
kept, codes deduplicated and sorted, the text after them kept); any other comment on the line
stays in front of the new directive (`# type: ignore  # noqa: FLK101`). A line that ends inside
a multi-line string or with a backslash continuation cannot hold a comment: its findings are
left alone and reported (putting the comment on another line would not suppress them). Each
changed file must still parse, else it is not written. FLK001 (the file does not parse) cannot
be suppressed this way. Running it again adds nothing.
"""

from __future__ import annotations

import io
import os
import re
import tokenize
from dataclasses import dataclass, field

from flaskarch.noqa import CODE_RE, NOQA_RE, parse_noqa
from flaskarch.results import DecodeError, Finding, decode_source

UNSUPPRESSIBLE = ("FLK001",)
_EOL = re.compile(r"(\r\n|\r|\n)$")


@dataclass
class AddNoqaResult:
    directives: int = 0  # lines given a new or extended directive
    codes: int = 0  # codes written
    files: list[str] = field(default_factory=list)  # files changed
    skipped: list[str] = field(default_factory=list)  # findings that could not get a comment
    errors: list[str] = field(default_factory=list)  # files that could not be changed


def check_reason(reason: str | None) -> str | None:
    """The reason as written after the codes, or why it cannot be: it must be one line and
    must not be read back as more codes (`# noqa: FLK101 T100 ...` would be)."""
    if not reason:
        return None
    if "\n" in reason or "\r" in reason:
        return "--add-noqa: the reason must be one line"
    parsed = parse_noqa([f"# noqa: FLK101 {reason.strip()}"]).get(1)
    if parsed is None or parsed.codes != ("FLK101",):
        return "--add-noqa: the reason must not start with a rule-code-like word (it would be read as a code)"
    return None


def add_noqa(findings: list[Finding], reason: str | None = None) -> AddNoqaResult:
    """Add the directives the findings need, file by file (paths as the findings give them)."""
    from flaskarch.fixer import write_atomically

    result = AddNoqaResult()
    wanted: dict[str, dict[int, set[str]]] = {}
    for f in findings:
        if f.code in UNSUPPRESSIBLE or f.line < 1:
            continue
        wanted.setdefault(f.path, {}).setdefault(f.line, set()).add(f.code)
    for path in sorted(wanted):
        abspath = os.path.abspath(path)
        try:
            with open(abspath, "rb") as fh:
                data = fh.read()
            text = decode_source(data)
        except (OSError, DecodeError) as exc:
            result.errors.append(f"{path}: cannot read: {exc}")
            continue
        new_text, added, skipped = add_to_text(text, wanted[path], reason)
        result.skipped += [f"{path}:{line}: {why}" for line, why in skipped]
        if new_text == text:
            continue
        if not _parses(new_text):
            result.errors.append(f"{path}: adding noqa comments would break the file; not changed")
            continue
        error = write_atomically(abspath, data, new_text)
        if error is not None:
            result.errors.append(f"{path}: {error}")
            continue
        result.files.append(path)
        result.directives += len(added)
        result.codes += sum(len(codes) for codes in added.values())
    return result


def add_to_text(text: str, wanted: dict[int, set[str]], reason: str | None = None
                ) -> tuple[str, dict[int, list[str]], list[tuple[int, str]]]:
    """(new text, line -> codes added, [(line, why not)]) for codes wanted on 1-based lines."""
    lines = text.splitlines(keepends=True) or ([""] if 1 in wanted else [])
    comments, no_comment = _line_kinds(text)
    added: dict[int, list[str]] = {}
    skipped: list[tuple[int, str]] = []
    for number in sorted(wanted):
        if number > len(lines):
            continue
        if number in no_comment:
            for code in sorted(wanted[number]):
                skipped.append((number, f"{code}: the line ends inside {no_comment[number]}; "
                                        "a noqa comment cannot go there"))
            continue
        line = lines[number - 1]
        eol = _EOL.search(line)
        body, ending = (line[: eol.start()], eol.group()) if eol else (line, "")
        new_body, codes = _with_codes(body, comments.get(number), wanted[number], reason)
        if codes:
            lines[number - 1] = new_body + ending
            added[number] = codes
    return "".join(lines), added, skipped


def _with_codes(body: str, comment_col: int | None, codes: set[str], reason: str | None
                ) -> tuple[str, list[str]]:
    """The line with a directive covering `codes`, and the codes it had to add."""
    reason = (reason or "").strip()
    if comment_col is not None:
        comment = body[comment_col:]
        match = NOQA_RE.search(comment)
        if match is not None:
            existing = match.group("codes")
            if existing is None:  # a bare `# noqa` already suppresses everything
                return body, []
            have = [c.upper() for c in CODE_RE.findall(existing)]
            missing = sorted(c for c in codes if not any(c == h or c.startswith(h) for h in have))
            if not missing:
                return body, []
            merged = sorted(dict.fromkeys(have + missing))
            after = comment[match.end():]
            if reason and reason not in after:
                after = f" {reason}" + after
            directive = "# noqa: " + ", ".join(merged)
            start = comment_col + match.start()
            return body[:start] + directive + after, missing
    new = sorted(codes)
    directive = "# noqa: " + ", ".join(new) + (f" {reason}" if reason else "")
    stripped = body.rstrip()
    return (stripped + "  " + directive) if stripped else directive, new


def _line_kinds(text: str) -> tuple[dict[int, int], dict[int, str]]:
    """(line -> column of its comment, line -> why no comment can be appended to it): a line
    whose end is inside a string token or is a backslash continuation."""
    comments: dict[int, int] = {}
    blocked: dict[int, str] = {}
    ended: set[int] = set()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                comments[tok.start[0]] = tok.start[1]
                ended.add(tok.start[0])
            elif tok.type in (tokenize.NEWLINE, tokenize.NL):
                ended.add(tok.start[0])
            elif tok.end[0] > tok.start[0]:  # a string (or f-string part) over several lines
                for number in range(tok.start[0], tok.end[0]):
                    blocked.setdefault(number, "a multi-line string")
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    for number, line in enumerate(text.splitlines(), start=1):
        if number not in ended and number not in blocked and line.rstrip().endswith("\\"):
            blocked[number] = "a backslash continuation"
    return comments, blocked


def _parses(text: str) -> bool:
    from flaskarch._lazy import cst

    try:
        cst.parse_module(text)
    except Exception:  # noqa: BLE001 - any failure means: do not write
        return False
    return True
