"""Every rule page's Bad/Good examples run as tests: bad reports exactly that code, good nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import RULE_PAGES, check, found, write_project
from flaskarch.rules import RULES_BY_CODE

BLOCK_RE = re.compile(r"```python\n(.*?)```", re.DOTALL)


def parse_page(path: Path) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = None
    for chunk in re.split(r"^## ", path.read_text(encoding="utf-8"), flags=re.MULTILINE)[1:]:
        title, _, body = chunk.partition("\n")
        current = title.strip().lower()
        sections[current] = BLOCK_RE.findall(body)
    return sections


def split_files(block: str) -> tuple[dict[str, str], str | None]:
    files: dict[str, list[str]] = {}
    preset = None
    current = None
    for line in block.splitlines():
        if current is None and re.match(r"#\s*bad:\s*\d+", line):
            continue
        m = re.match(r"#\s*file:\s*(\S+)", line)
        if m:
            current = m.group(1)
            files[current] = []
            continue
        p = re.match(r"#\s*preset:\s*(\w+)", line)
        if p and current is not None and not files[current]:
            preset = p.group(1)
            continue
        if re.match(r"#\s*also-select:", line) and current is not None and not files[current]:
            continue  # read by also_selected()
        if current is None:
            raise AssertionError("a code block must start with '# file: <path>'")
        files[current].append(line)
    return {k: "\n".join(v) + "\n" for k, v in files.items()}, preset


def also_selected(block: str) -> tuple[str, ...]:
    """`# also-select: FLK101` in a block: rules that must run beside the page's own
    (FLK002 judges the noqa codes of rules that ran)."""
    m = re.search(r"^#\s*also-select:\s*(.+)$", block, re.MULTILINE)
    return tuple(c.strip() for c in m.group(1).split(",")) if m else ()


def examples():
    for page in sorted(RULE_PAGES.glob("FLK*.md")):
        code = page.stem
        sections = parse_page(page)
        for kind in ("bad", "good"):
            for i, block in enumerate(sections.get(kind, [])):
                yield pytest.param(code, kind, block, id=f"{code}-{kind}-{i}")


def test_every_rule_has_a_page_with_examples():
    for code in RULES_BY_CODE:
        page = RULE_PAGES / f"{code}.md"
        assert page.is_file(), f"{code} has no page"
        sections = parse_page(page)
        for title in ("why", "bad", "good", "fix", "options"):
            assert title in sections, f"{code} page lacks '## {title.title()}'"
        assert sections["bad"] and sections["good"], f"{code} page needs Bad and Good examples"


@pytest.mark.parametrize("code,kind,block", list(examples()))
def test_page_example(tmp_path, code, kind, block):
    files, preset = split_files(block)
    write_project(tmp_path, files)
    result = check(tmp_path, select=(code, *also_selected(block)), preset=preset)
    codes = [f[3] for f in found(result)]
    if kind == "bad":
        assert codes and set(codes) == {code}, found(result)
    else:
        assert codes == [], found(result)


def fixed_examples():
    for page in sorted(RULE_PAGES.glob("FLK*.md")):
        sections = parse_page(page)
        for block in sections.get("fixed", []):
            m = re.match(r"#\s*bad:\s*(\d+)", block)
            assert m, f"{page.name}: a Fixed block must start with '# bad: N'"
            n = int(m.group(1))
            yield pytest.param(page.stem, sections["bad"][n - 1], block, id=f"{page.stem}-fixed-{n}")


@pytest.mark.parametrize("code,bad,fixed", list(fixed_examples()))
def test_page_fixed_example(tmp_path, code, bad, fixed):
    """`--fix --unsafe-fixes` turns the Bad example into exactly the Fixed one, and a second
    run changes nothing."""
    import os
    import subprocess
    import sys

    files, preset = split_files(bad)
    write_project(tmp_path, files)
    args = [sys.executable, "-m", "flaskarch", "check", ".", "--fix", "--unsafe-fixes", "--no-cache",
            "--select", ",".join((code, *also_selected(bad)))]
    if preset:
        args += ["--preset", preset]
    env = {**os.environ, "NO_COLOR": "1"}
    subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, env=env)
    want, _ = split_files(fixed)
    for rel, text in want.items():
        assert (tmp_path / rel).read_text(encoding="utf-8") == text, rel
    before = {p: p.read_bytes() for p in tmp_path.rglob("*.py")}
    subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, env=env)
    assert before == {p: p.read_bytes() for p in tmp_path.rglob("*.py")}


@pytest.mark.parametrize("code,bad,fixed", list(fixed_examples()))
def test_page_fixed_example_keeps_crlf(tmp_path, code, bad, fixed):
    """The same fixes on CRLF files: the result is the Fixed example with CRLF line endings,
    every line of it (no `\\r\\r\\n`, no bare `\\n` in moved or added lines)."""
    files, preset = split_files(bad)
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    result = check(tmp_path, fix_mode="fix", unsafe_fixes=True, use_cache=False,
                   select=(code, *also_selected(bad)), preset=preset)
    assert result.fixed and not result.errors
    want, _ = split_files(fixed)
    for rel, text in want.items():
        assert (tmp_path / rel).read_bytes() == text.replace("\n", "\r\n").encode("utf-8"), rel


def test_the_readme_rule_table_matches_the_rules():
    """The README's table is written by hand: it must list every rule with its name, presets
    and fix applicability, and nothing else."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| \[(FLK\d{3})\]\(rules/\1\.md\) \| ([\w-]+) \| ([^|]+) \| ([^|]+) \|$", readme, re.M)
    table = {code: (name, presets.strip(), fix.strip()) for code, name, presets, fix in rows}
    expected = {}
    for code, rule in RULES_BY_CODE.items():
        presets = "all" if rule.presets == {"backant", "mscr", "factory"} else ", ".join(
            p for p in ("backant", "mscr", "factory") if p in rule.presets)
        expected[code] = (rule.name, presets, rule.fix or "–")
    assert {c: (n, p, f.split(" (")[0]) for c, (n, p, f) in table.items()} == expected
