"""Across the rule modules: a rule selected alone reports only itself.

The FLK403/FLK404/FLK405 tables run under a preset without --select; here the first triggering
case of each runs with only that code selected. (The other modules' catalog cases already run
with their code selected alone and assert that nothing else is reported.)
"""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("code", ["FLK403", "FLK404", "FLK405"])
def test_selected_alone_reports_only_itself(project, code):
    cases = importlib.import_module(f"rules.test_{code.lower()}").CASES
    files = next(f for c, _, f, expected, _ in cases if c == code and expected)
    found = project(files, select=(code,))
    assert found and {c for *_, c in found} == {code}
