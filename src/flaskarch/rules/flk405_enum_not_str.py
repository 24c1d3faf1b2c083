"""FLK405 enum-not-str: enums in models and schemas derive from `str` so they serialize to JSON."""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.rule import Fix, NodeEdit, Rule

ENUM = "enum.Enum"
# Bases that make an enum fine: a str (or int, as IntEnum is) data type, or the enum module's
# own mixed or flag classes.
FINE_BASES = {
    "str", "builtins.str", "int", "builtins.int",
    "enum.StrEnum", "enum.IntEnum", "enum.Flag", "enum.IntFlag", "enum.ReprEnum",
}


class EnumNotStr(Rule):
    code = "FLK405"
    name = "enum-not-str"
    summary = "An enum.Enum subclass in a model or schema module does not also derive from str."
    tags = ('sqlalchemy', 'correctness')
    presets = frozenset({"mscr"})
    layers = frozenset({"model", "schema"})
    fix = "unsafe"
    prefilter = re.compile(r"Enum")

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if not node.bases or not self._is_plain_enum(node):
            return
        name = node.name.value
        self.report(
            node.name,
            f"enum `{name}` does not derive from `str`: declare it `class {name}(str, Enum)` so its "
            "values serialize to JSON as strings",
            self._fix(node),
        )

    # -- detection ----------------------------------------------------------------------
    def _is_plain_enum(self, node: cst.ClassDef) -> bool:
        """An enum.Enum subclass, directly or through project classes, with no str/int data
        type and not a StrEnum/IntEnum/Flag."""
        ctx = self.ctx
        is_enum = False
        for arg in node.bases:
            if arg.keyword is not None or arg.star:
                continue
            qual = ctx.names.qualify(arg.value)
            if qual is None:
                continue
            if qual in FINE_BASES:
                return False
            if qual == ENUM:
                is_enum = True
                continue
            for anc in (a.qualname for a in self.ctx.facts.ancestors(qual)):
                if anc in FINE_BASES:
                    return False
                if anc == ENUM:
                    is_enum = True
        return is_enum

    # -- fix ----------------------------------------------------------------------------
    def _fix(self, node: cst.ClassDef) -> Fix | None:
        if "str" in self.ctx.names.scopes[0].bindings:
            return None  # `str` means something else in this module
        members = _member_values(node)
        if not members or not all(_is_str_literal(v) for v in members):
            return None
        first = next((a for a in node.bases if a.keyword is None), None)
        if first is None or first.star:
            return None
        return Fix("add `str` as the first base", [NodeEdit("before", first, "str, ")])


def _member_values(node: cst.ClassDef) -> list[cst.BaseExpression] | None:
    """The values of the enum's members (plain assignments in the class body); None when a
    member is declared in a way whose value is not readable (tuple targets)."""
    body = node.body
    stmts = body.body if isinstance(body, cst.IndentedBlock) else [body]
    values: list[cst.BaseExpression] = []
    for stmt in stmts:
        smalls = stmt.body if isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)) else ()
        for small in smalls:
            if isinstance(small, cst.Assign):
                for target in small.targets:
                    if not isinstance(target.target, cst.Name):
                        return None
                    if _is_member_name(target.target.value):
                        values.append(small.value)
            elif isinstance(small, cst.AnnAssign) and small.value is not None:
                if isinstance(small.target, cst.Name) and _is_member_name(small.target.value):
                    values.append(small.value)
    return values


def _is_member_name(name: str) -> bool:
    """Not a dunder (`__str__`), sunder (`_ignore_`) or private (`__x`) name."""
    if name.startswith("__") or (len(name) > 2 and name.startswith("_") and name.endswith("_")):
        return False
    return True


def _is_str_literal(value: cst.BaseExpression) -> bool:
    if isinstance(value, cst.SimpleString):
        return isinstance(value.evaluated_value, str)
    if isinstance(value, cst.ConcatenatedString):
        return _is_str_literal(value.left) and _is_str_literal(value.right)
    return False
