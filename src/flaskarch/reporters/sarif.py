"""`--format sarif`: SARIF 2.1.0 as GitHub code scanning wants it.

Relative URIs under `%SRCROOT%` (never a machine path), the full rule catalog with help from
the rule pages, `ruleIndex`, `partialFingerprints.primaryLocationLineHash` from the same
fingerprint the baseline uses, `fixes` with replacements, tool errors as notifications, and
GitHub's limits (25,000 results per run, 10 tags per rule).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any
from urllib.parse import quote

from flaskarch import __version__
from flaskarch.pages import page_text
from flaskarch.rules import RULES_BY_CODE

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFO_URI = "https://github.com/flaskarch/flaskarch"
MAX_RESULTS = 25_000
FULL_DESCRIPTION_LIMIT = 1024  # GitHub code scanning's limit on rule fullDescription.text


def _level(severity: str) -> str:
    return "error" if severity == "error" else "warning"


def _rule_entry(code: str) -> dict[str, Any]:
    rule = RULES_BY_CODE[code]
    page = page_text(code) or f"# {code} {rule.name}\n\n{rule.summary}\n"
    why = _section(page, "Why") or rule.summary
    tags = list(rule.tags)[:10]  # GitHub reads at most 10
    props: dict[str, Any] = {"tags": tags, "precision": rule.precision}
    if rule.security_severity is not None:
        props["security-severity"] = rule.security_severity
    return {
        "id": code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _fit(why, FULL_DESCRIPTION_LIMIT)},
        "help": {"text": _plain(page), "markdown": page},
        "helpUri": f"{INFO_URI}/blob/main/rules/{code}.md",
        "defaultConfiguration": {"level": _level(rule.severity)},
        "properties": props,
    }


def _fit(text: str, limit: int) -> str:
    """Whole sentences up to `limit` characters (GitHub rejects longer rule descriptions); the
    full text stays in `help`."""
    if len(text) <= limit:
        return text
    out = ""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        candidate = f"{out} {sentence}" if out else sentence
        if len(candidate) > limit:
            break
        out = candidate
    return out or text[: limit - 1].rstrip() + "…"


def _section(page: str, title: str) -> str:
    m = re.search(rf"^## {title}\s*\n(.*?)(?=^## |\Z)", page, re.MULTILINE | re.DOTALL)
    return " ".join(m.group(1).split()) if m else ""


def _plain(markdown: str) -> str:
    return re.sub(r"[`*#]", "", markdown).strip()


def _uri(path: str) -> str:
    return quote(path.replace("\\", "/"), safe="/")


def _region(start: tuple[int, int], end: tuple[int, int]) -> dict[str, int]:
    return {"startLine": start[0], "startColumn": start[1], "endLine": end[0], "endColumn": end[1]}


def build(result: Any) -> dict[str, Any]:
    codes = list(RULES_BY_CODE)
    index = {code: i for i, code in enumerate(codes)}
    results = []
    occurrences: Counter[tuple[str, str]] = Counter()
    findings = result.findings
    for f in findings[:MAX_RESULTS]:
        occurrences[(f.path, f.fingerprint)] += 1
        location = {"artifactLocation": {"uri": _uri(f.path), "uriBaseId": "%SRCROOT%"}}
        entry: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _level(f.severity),
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {
                **location,
                "region": _region((f.line, f.column), (f.end_line, f.end_column)),
            }}],
            "partialFingerprints": {
                "primaryLocationLineHash": f"{f.fingerprint}:{occurrences[(f.path, f.fingerprint)]}",
            },
        }
        if f.fix is not None and f.fix.edits:
            entry["fixes"] = [{
                "description": {"text": f"{f.fix.message} ({f.fix.applicability})"},
                "artifactChanges": [{
                    **location,
                    "replacements": [
                        {"deletedRegion": _region(e.start, e.end), "insertedContent": {"text": e.content}}
                        for e in f.fix.edits
                    ],
                }],
            }]
        results.append(entry)
    notifications = [
        {"level": "error", "message": {"text": error.splitlines()[0]}} for error in result.errors
    ]
    if len(findings) > MAX_RESULTS:
        notifications.append({"level": "warning", "message": {
            "text": f"report cut: {len(findings)} results, GitHub keeps {MAX_RESULTS} per run"}})
    invocation: dict[str, Any] = {"executionSuccessful": not result.errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "flaskarch",
                "semanticVersion": __version__,
                "version": __version__,
                "informationUri": INFO_URI,
                "rules": [_rule_entry(code) for code in codes],
            }},
            "originalUriBaseIds": {
                "%SRCROOT%": {"description": {"text": "The folder flaskarch was run from (the repository root)."}}
            },
            "columnKind": "unicodeCodePoints",
            "invocations": [invocation],
            "results": results,
        }],
    }


def render(result: Any, **_: Any) -> str:
    return json.dumps(build(result), indent=2, ensure_ascii=False) + "\n"
