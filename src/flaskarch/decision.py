"""The decision engine: which rules run on which file, and which findings are reported.

Selection (preset or `select`, `extend-select`, `ignore`), `per-file-ignores`, `# noqa`,
unused-noqa (FLK002) and the baseline are decided here and nowhere else (flake8's
DecisionEngine and StyleGuide): rules only report, the engine asks this module what to keep.
The baseline is applied to a whole run's result, after the cache and after `--fix`.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from flaskarch.config import ConfigError, Settings
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


# -- the baseline -------------------------------------------------------------------------
# Findings recorded on purpose (`--write-baseline`) are not reported again (`--baseline` or the
# `baseline` key). An entry is (path relative to the project root, code, fingerprint); one
# entry hides one finding, so a new finding identical to an old one is still reported.

BASELINE_VERSION = 1

BaselineKey = tuple[str, str, str]  # (path relative to the project root, code, fingerprint)


def baseline_path(settings: Settings) -> str | None:
    """The settings' baseline file: relative to the configuration file's folder (the
    command line's `--baseline` arrives absolute)."""
    if not settings.baseline:
        return None
    folder = os.path.dirname(settings.config_file) if settings.config_file else settings.root
    return os.path.normpath(os.path.join(folder, settings.baseline))


@dataclass
class Baseline:
    path: str
    entries: Counter  # BaselineKey -> how many findings it hides

    @classmethod
    def load(cls, path: str) -> Baseline:
        """Read a baseline file; any problem is a one-line ConfigError (exit 2)."""
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except FileNotFoundError:
            raise ConfigError(f"{path}: baseline file not found (write one with --write-baseline)") from None
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read baseline: {exc.strerror}") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: invalid baseline: not JSON ({str(exc).splitlines()[0]})") from None
        if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
            raise ConfigError(f"{path}: invalid baseline: expected an object with \"version\": {BASELINE_VERSION}")
        raw = data.get("entries")
        if not isinstance(raw, list):
            raise ConfigError(f"{path}: invalid baseline: \"entries\" must be a list")
        entries: Counter = Counter()
        for n, entry in enumerate(raw, 1):
            key = tuple(entry.get(k) for k in ("path", "code", "fingerprint")) if isinstance(entry, dict) else ()
            if len(key) != 3 or not all(isinstance(v, str) and v for v in key):
                raise ConfigError(f"{path}: invalid baseline: entry {n} needs string \"path\", \"code\" and "
                                  "\"fingerprint\"")
            entries[key] += 1
        return cls(path, entries)

    def split(self, findings: list[tuple[BaselineKey, Finding]]) -> tuple[list[Finding], Counter]:
        """(the findings not in the baseline, the entries used): findings are consumed in
        their order, one entry each."""
        left = Counter(self.entries)
        kept = []
        for key, finding in findings:
            if left[key] > 0:
                left[key] -= 1
            else:
                kept.append(finding)
        return kept, self.entries - left


def baseline_key(finding: Finding, root: str, here: str) -> BaselineKey:
    """The finding's entry: its path is reported relative to the current folder."""
    path = os.path.normpath(os.path.join(here, finding.path))
    rel = os.path.relpath(path, root)
    if rel.startswith(".."):  # a symlinked folder on one side
        rel = os.path.relpath(os.path.realpath(path), os.path.realpath(root))
    return (rel.replace(os.sep, "/"), finding.code, finding.fingerprint)


def write_baseline(path: str, keys: list[BaselineKey]) -> None:
    """Sorted, one entry a line, so regenerating it gives a reviewable diff."""
    lines = [json.dumps({"path": p, "code": c, "fingerprint": f}, ensure_ascii=False) for p, c, f in sorted(keys)]
    body = ",\n".join("    " + line for line in lines)
    text = (f'{{\n  "version": {BASELINE_VERSION},\n  "tool": "flaskarch",\n  "entries": ['
            + (f"\n{body}\n  " if lines else "") + "]\n}\n")
    try:
        folder = os.path.dirname(os.path.abspath(path))
        os.makedirs(folder, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write baseline: {exc.strerror}") from None


@dataclass
class BaselineOutcome:
    """What a baseline did to a run: shown in the summary (text and JSON)."""

    files: list[str] = field(default_factory=list)
    hidden: int = 0
    stale: int = 0
    written: int | None = None  # entries written by --write-baseline


def apply_baselines(projects: list[Any], targets: list[str], write: str | None = None) -> BaselineOutcome | None:
    """Hide the baselined findings of each project's RunResult (in place), count the stale
    entries; or, with `write`, record every finding and hide them all.

    Each project uses its settings' baseline (the `baseline` key, or `--baseline` for all);
    projects sharing a file share its entries. A stale entry is one that hides nothing although
    its file was checked and its rule ran there (a narrowed run judges nothing else)."""
    here = os.getcwd()
    groups: dict[str, list[Any]] = {}
    for result in projects:
        path = os.path.abspath(write) if write else baseline_path(result.settings)
        if path is not None:
            groups.setdefault(path, []).append(result)
    if not groups:
        return None
    outcome = BaselineOutcome(files=sorted(groups))
    for path, results in groups.items():
        keyed = {id(r): [(baseline_key(f, r.settings.root, here), f) for f in r.findings] for r in results}
        memo: dict[int, Decisions] = {}
        if write:
            keys = [key for r in results for key, _ in keyed[id(r)]]
            try:  # a narrowed run (some paths, some rules) keeps the entries it did not judge
                old = Baseline.load(path).entries if os.path.exists(path) else Counter()
            except ConfigError:
                old = Counter()
            keys += [key for key, n in old.items() if not _judged(key, results, targets, memo) for _ in range(n)]
            write_baseline(write, keys)
            outcome.written = len(keys)
            baseline = Baseline(path, Counter(keys))
        else:
            baseline = Baseline.load(path)
        for r in results:
            kept, hits = baseline.split(keyed[id(r)])
            outcome.hidden += len(r.findings) - len(kept)
            r.findings = kept
            baseline = Baseline(path, baseline.entries - hits)  # a shared file: one entry, one finding
        outcome.stale += sum(n for key, n in baseline.entries.items() if _judged(key, results, targets, memo))
    return outcome


def _judged(key: BaselineKey, results: list[Any], targets: list[str], memo: dict[int, Decisions]) -> bool:
    """The entry's file is under the checked paths and its rule ran there (or is gone)."""
    from flaskarch.rules import ALL_CODES

    relpath, code, _ = key
    if code not in ALL_CODES:
        return True  # a rule that no longer exists
    for r in results:
        path = os.path.join(r.settings.root, *relpath.split("/"))
        if not any(path == t or path.startswith(t.rstrip(os.sep) + os.sep) for t in targets):
            continue
        decisions = memo.get(id(r))
        if decisions is None:  # loads the rules: only for entries that hid nothing
            decisions = memo[id(r)] = Decisions(r.settings)
        if decisions.runs(code, relpath):
            return True
    return False
