"""The facts boundary: rules learn about other modules only through recorded answers.

A rule that read the project index directly would make the cache stale (its result would not
be keyed by what it read); these tests fail as soon as one does.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import flaskarch
from flaskarch.facts.answers import Answers

SRC = Path(flaskarch.__file__).parent
RULE_SIDE = sorted((SRC / "rules").glob("*.py")) + [SRC / "semantics.py"]
# what the rule side may import from the facts package
ALLOWED_FACTS_MODULES = {"flaskarch.facts.answers", "flaskarch.facts.vocab"}
FORBIDDEN_ATTRIBUTES = {"modules", "memo", "pins", "route_model", "prepare"}  # route_model: not recorded


def _is_ctx(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id == "ctx") or (isinstance(node, ast.Attribute) and node.attr == "ctx")


def _violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("flaskarch.facts") and node.module not in ALLOWED_FACTS_MODULES:
                out.append(f"{path.name}:{node.lineno}: imports {node.module}")
            if node.module in ("flaskarch.facts", "flaskarch") and any(
                a.name in ("index", "extract", "model", "digest") for a in node.names
            ):
                out.append(f"{path.name}:{node.lineno}: imports the facts internals")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("flaskarch.facts") and alias.name not in ALLOWED_FACTS_MODULES:
                    out.append(f"{path.name}:{node.lineno}: imports {alias.name}")
        elif isinstance(node, ast.Attribute):
            if node.attr in FORBIDDEN_ATTRIBUTES or (node.attr == "index" and _is_ctx(node.value)):
                out.append(f"{path.name}:{node.lineno}: reads `.{node.attr}`")
            # `ctx.facts._index`, `self.ctx.facts._memo`: private state of the answers
            if node.attr.startswith("_") and isinstance(node.value, ast.Attribute) and node.value.attr == "facts":
                out.append(f"{path.name}:{node.lineno}: reads `facts.{node.attr}`")
    return out


@pytest.mark.parametrize("path", RULE_SIDE, ids=lambda p: p.name)
def test_rules_reach_project_facts_only_through_answers(path):
    assert _violations(path) == []


def test_the_boundary_check_catches_a_rule_that_reads_the_index(tmp_path):
    bad = tmp_path / "flk999_bad.py"
    bad.write_text(
        "from flaskarch.facts.index import ProjectIndex\n"
        "def f(ctx):\n"
        "    return [m for m in ctx.index.modules] + [ctx.facts._index]\n"
    )
    found = _violations(bad)
    assert any("imports flaskarch.facts.index" in v for v in found)
    assert any("`.modules`" in v for v in found) and any("`.index`" in v for v in found)
    assert any("facts._index" in v for v in found)


def test_every_public_method_of_the_answers_is_recorded():
    public = [name for name, _ in inspect.getmembers(Answers, inspect.isfunction) if not name.startswith("_")]
    engine_side = {"begin", "end", "still_valid", "route_model", "prepare"}
    unrecorded = [n for n in public if n not in engine_side and not getattr(getattr(Answers, n), "is_answer", False)]
    assert unrecorded == []
    assert len(public) > 20


def test_answers_hold_no_state_a_rule_could_write():
    assert not hasattr(Answers, "__dict__") or "__dict__" not in Answers.__slots__
    answers = Answers.__new__(Answers)
    with pytest.raises(AttributeError):
        answers.memo = {}  # type: ignore[attr-defined]
