"""FLK602 unregistered-blueprint: a module-level Blueprint that no module of the project registers."""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.rule import Rule

BLUEPRINT_CLASSES = frozenset({"Blueprint", "APIBlueprint"})


def _module_statements(body) -> "list[cst.SimpleStatementLine]":
    """Module-level statement lines, also inside `if`/`try`/`with` blocks (as the facts read them)."""
    out = []
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            out.append(stmt)
        elif isinstance(stmt, cst.If):
            out += _module_statements(stmt.body.body)
            orelse = stmt.orelse
            while isinstance(orelse, cst.If):
                out += _module_statements(orelse.body.body)
                orelse = orelse.orelse
            if orelse is not None:
                out += _module_statements(orelse.body.body)
        elif isinstance(stmt, cst.Try):
            out += _module_statements(stmt.body.body)
            for handler in stmt.handlers:
                out += _module_statements(handler.body.body)
            for extra in (stmt.orelse, stmt.finalbody):
                if extra is not None:
                    out += _module_statements(extra.body.body)
        elif isinstance(stmt, cst.With):
            out += _module_statements(stmt.body.body)
    return out


class UnregisteredBlueprint(Rule):
    code = "FLK602"
    name = "unregistered-blueprint"
    summary = "A module-level Blueprint that no module of the project registers: its routes are never served."
    tags = ("architecture", "structure")
    prefilter = re.compile(r"Blueprint\s*\(")

    def finish(self) -> None:
        ctx = self.ctx
        for stmt in _module_statements(ctx.module.body):
            for small in stmt.body:
                if isinstance(small, cst.Assign):
                    targets = [t.target for t in small.targets]
                elif isinstance(small, cst.AnnAssign) and small.value is not None:
                    targets = [small.target]
                else:
                    continue
                value = small.value
                if not isinstance(value, cst.Call):
                    continue
                callee = ctx.names.qualify(value.func)
                if callee is None or callee.rsplit(".", 1)[-1] not in BLUEPRINT_CLASSES:
                    continue
                for target in targets:
                    if not isinstance(target, cst.Name):
                        continue
                    name = target.value
                    if ctx.facts.blueprint_registration(f"{ctx.module_name}.{name}") != "unregistered":
                        continue
                    self.report(
                        target,
                        f"blueprint `{name}` is never registered, so its routes are not served: register it "
                        f"where the app is built: `app.register_blueprint({name})` (imported from "
                        f"`{ctx.module_name}`), or delete it",
                        stmt=stmt,
                    )
