"""What FLK204 and FLK601 share: the assignments a module makes at its top level."""

from __future__ import annotations

from typing import Iterator

from flaskarch._lazy import cst


def module_assignments(body) -> Iterator[tuple[cst.SimpleStatementLine, cst.BaseExpression, cst.BaseExpression]]:
    """(statement, target, value) of every `x = value` / `x: T = value` a module runs on import:
    its top-level statements and those nested in module-level if/try/with/for/while blocks, not
    in functions or classes, and not in an `if __name__ == "__main__":` block (that runs only as
    a script: an entry point, like run.py). Only plain-name targets; `a = b = v` gives both."""
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Assign):
                    for target in small.targets:
                        if isinstance(target.target, cst.Name):
                            yield stmt, target.target, small.value
                elif isinstance(small, cst.AnnAssign) and small.value is not None:
                    if isinstance(small.target, cst.Name):
                        yield stmt, small.target, small.value
        elif isinstance(stmt, cst.If):
            branch: cst.CSTNode | None = stmt
            while isinstance(branch, cst.If):
                if not _is_main_guard(branch.test):
                    yield from module_assignments(branch.body.body)
                branch = branch.orelse
            if isinstance(branch, cst.Else):
                yield from module_assignments(branch.body.body)
        elif isinstance(stmt, (cst.Try, cst.TryStar)):
            yield from module_assignments(stmt.body.body)
            for handler in stmt.handlers:
                yield from module_assignments(handler.body.body)
            for part in (stmt.orelse, stmt.finalbody):
                if part is not None:
                    yield from module_assignments(part.body.body)
        elif isinstance(stmt, (cst.With, cst.For, cst.While)):
            if isinstance(stmt.body, cst.IndentedBlock):
                yield from module_assignments(stmt.body.body)
            if getattr(stmt, "orelse", None) is not None:
                yield from module_assignments(stmt.orelse.body.body)


def _is_main_guard(test: cst.BaseExpression) -> bool:
    """`__name__ == "__main__"` (either way round)."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    comp = test.comparisons[0]
    if not isinstance(comp.operator, cst.Equal):
        return False
    sides = (test.left, comp.comparator)
    names = [s for s in sides if isinstance(s, cst.Name) and s.value == "__name__"]
    strings = [s for s in sides if isinstance(s, cst.SimpleString) and s.evaluated_value == "__main__"]
    return len(names) == 1 and len(strings) == 1
