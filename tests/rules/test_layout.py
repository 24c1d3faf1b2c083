"""Each rule's tests live in tests/rules/test_<code>.py, found from its code."""

from __future__ import annotations

import importlib
from pathlib import Path

from flaskarch.rules import RULES_BY_CODE

HERE = Path(__file__).parent

# rules without a module here, and where they are tested instead
EXEMPT = {
    # no rule-specific cases: a file that does not parse is tested end to end from the command
    # line (test_cli.py::test_syntax_errors_bad_encoding_and_null_bytes_are_flk001_and_the_run_goes_on),
    # besides its page's examples (test_pages.py)
    "FLK001": "test_cli.py",
}


def test_every_rule_has_its_test_module():
    missing = sorted(code for code in RULES_BY_CODE if code not in EXEMPT
                     and not (HERE / f"test_{code.lower()}.py").is_file())
    assert missing == []


def test_exemptions_are_current():
    """An exempt code is a rule, has no module of its own, and is tested where the entry says."""
    for code, where in EXEMPT.items():
        assert code in RULES_BY_CODE
        assert not (HERE / f"test_{code.lower()}.py").exists(), f"{code} has a module now: drop its exemption"
        assert code in (HERE.parent / where).read_text(encoding="utf-8")


def test_every_rule_module_is_a_rule_and_holds_only_its_cases():
    for path in sorted(HERE.glob("test_flk*.py")):
        code = path.stem.removeprefix("test_").upper()
        assert code in RULES_BY_CODE, f"{path.name}: no rule {code}"
        cases = getattr(importlib.import_module(f"rules.{path.stem}"), "CASES", [])
        assert all(case[0] == code for case in cases), f"{path.name} holds another rule's case"
