"""The decision engine: which rules run on which file, and which findings are reported.

Selection (preset or `select`, `extend-select`, `ignore`), `per-file-ignores`, `# noqa` and
unused-noqa (FLK002) are decided here and nowhere else (flake8's DecisionEngine and
StyleGuide): rules only report, the engine asks this module what to keep.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from flaskarch.config import Settings
from flaskarch.noqa import NOQA_RE, Noqa, parse_noqa
from flaskarch.paths import globset
from flaskarch.results import Edit, Finding, FixInfo


def matches(code: str, prefixes: tuple[str, ...] | list[str]) -> bool:
    """`FLK501` is matched by `FLK`, `FLK5`, `FLK50` and `FLK501`."""
    return any(code.startswith(p) for p in prefixes)


@dataclass
class Suppressions:
    """The `# noqa` directives of one file and which codes each one suppressed."""

    directives: dict[int, Noqa]
    used: dict[int, set[str]] = field(default_factory=dict)

    def suppresses(self, code: str, line: int) -> bool:
        directive = self.directives.get(line)
        if directive is None:
            return False
        if directive.codes is not None and not matches(code, directive.codes):
            return False
        self.used.setdefault(line, set()).add(code)
        return True


class Decisions:
    """Every decision for one project's settings; cheap to ask, memoised per file path."""

    def __init__(self, settings: Settings) -> None:
        from flaskarch.rules import RULES_BY_CODE

        self.settings = settings
        self.all_rules = RULES_BY_CODE
        self.enabled = [rule for code, rule in RULES_BY_CODE.items() if self._selected(rule)]
        self._ignored: dict[str, tuple[str, ...]] = {}

    def _selected(self, rule) -> bool:
        s, code = self.settings, rule.code
        on = s.preset in rule.presets if s.select is None else matches(code, s.select)
        if matches(code, s.extend_select):
            on = True
        return on and not matches(code, s.ignore)

    def ignored_in(self, relpath: str) -> tuple[str, ...]:
        """The per-file-ignores prefixes that apply to this file."""
        found = self._ignored.get(relpath)
        if found is None:
            found = tuple(
                code for glob, codes in self.settings.per_file_ignores
                if globset((glob,)).match(relpath) for code in codes
            )
            self._ignored[relpath] = found
        return found

    def runs(self, code: str, relpath: str) -> bool:
        """The rule is selected and not ignored for this file."""
        rule = self.all_rules.get(code)
        return rule in self.enabled and not matches(code, self.ignored_in(relpath))

    def rules_for(self, relpath: str) -> list:
        ignored = self.ignored_in(relpath)
        return [rule for rule in self.enabled if not matches(rule.code, ignored)]

    @staticmethod
    def suppressions(lines: list[str], apply_noqa: bool = True) -> Suppressions:
        """The file's `# noqa` directives (none when a caller, flake8, applies its own)."""
        return Suppressions(parse_noqa(lines) if apply_noqa else {})

    def unused_noqa(self, path: str, relpath: str, lines: list[str], noqa: Suppressions) -> list[Finding]:
        """FLK002: FLK codes of `# noqa: ...` that suppressed nothing on their line; other
        tools' codes are left alone. The fix drops the unused codes, or the directive."""
        if not self.runs("FLK002", relpath):
            return []
        # judged: codes of rules that ran here (a disabled rule's noqa cannot be judged), and
        # codes that name no rule at all
        ran = [r.code for r in self.rules_for(relpath)]
        out = []
        for number, directive in noqa.directives.items():
            if directive.codes is None:
                continue
            hits = noqa.used.get(number, set())
            unused = [
                c for c in directive.codes
                if c.startswith("FLK")
                and (matches_any_code(c, ran) or not matches_any_code(c, self.all_rules))
                and not any(h == c or h.startswith(c) for h in hits)
            ]
            if not unused or "FLK002" in directive.codes:  # `# noqa: FLK002` keeps it quiet
                continue
            finding = _unused_finding(path, number, lines[number - 1], directive, unused)
            if finding is not None:
                out.append(finding)
        return out


def matches_any_code(prefix: str, codes) -> bool:
    return any(code.startswith(prefix) for code in codes)


def _unused_finding(path: str, number: int, line: str, directive: Noqa, unused: list[str]) -> Finding | None:
    from flaskarch.rules import RULES_BY_CODE

    match = NOQA_RE.search(line)
    if match is None:
        return None
    kept = [c for c in directive.codes or () if c not in unused]
    start, end = match.start(), match.end()
    after = line[end:]
    if kept:
        span, content = (start, end), "# noqa: " + ", ".join(kept)
    elif not after.strip():
        span, content = (len(line[:start].rstrip()), len(line)), ""
    elif after.lstrip().startswith("#"):
        span, content = (start, end + len(after) - len(after.lstrip())), ""
    else:
        span, content = (start, end), "#"
    rule = RULES_BY_CODE["FLK002"]
    plural = len(unused) > 1
    finding = make_finding(
        rule, path, number, start + 1, number, end + 1,
        f"unused `noqa` code{'s' if plural else ''} {', '.join(unused)}: nothing on this line needs "
        f"suppressing, remove {'them' if plural else 'it'}",
    )
    finding.fix = FixInfo("safe", "remove the unused noqa codes",
                          (Edit((number, span[0] + 1), (number, span[1] + 1), content),))
    finding.fingerprint = fingerprint(rule.code, "", line)
    return finding


def make_finding(rule, path: str, line: int, col: int, end_line: int, end_col: int, message: str,
                 severity: str | None = None) -> Finding:
    return Finding(
        code=rule.code, name=rule.name, severity=severity or rule.severity, path=path, line=line, column=col,
        end_line=end_line, end_column=end_col, message=message,
        fingerprint=fingerprint(rule.code, "", message),  # rules' findings refine this
    )


def fingerprint(code: str, scope: str, source_line: str) -> str:
    """Stable identity of a finding: not its line number, so moving code keeps it."""
    normalised = " ".join(source_line.split())
    return hashlib.sha256(f"{code}|{scope}|{normalised}".encode()).hexdigest()[:16]
