"""FLK204 singleton-naming: a module-level Repository/Service instance is `my<ClassName>`."""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.rule import Rule
from flaskarch.rules._module_level import module_assignments

_SUFFIXES = ("Repository", "Service")


class SingletonNaming(Rule):
    code = "FLK204"
    name = "singleton-naming"
    summary = "A module-level Repository or Service instance not named `my<ClassName>`."
    tags = ("architecture", "naming")
    presets = frozenset({"backant"})
    layers = frozenset({"repository", "service"})
    # the class's name is in the module: imported, defined, or spelled in the call
    prefilter = re.compile(r"Repository|Service")

    def finish(self) -> None:
        ctx = self.ctx
        for stmt, target, value in module_assignments(ctx.module.body):
            if not isinstance(value, cst.Call):
                continue
            class_name = self._class_name(value.func)
            if class_name is None:
                continue
            wanted = f"my{class_name}"
            if target.value == wanted:
                continue
            self.report(
                target,
                f"name the module-level `{class_name}` instance `{wanted}` (the backant singleton "
                f"name: `{wanted} = {class_name}(...)`) and import it by that name",
                stmt=stmt,
            )

    def _class_name(self, func: cst.BaseExpression) -> str | None:
        """The name of the Repository/Service class a call instantiates, through imports,
        aliases and the module's own definitions; None for anything else."""
        ctx = self.ctx
        qual = ctx.names.qualify(func)
        if qual is None:
            return None  # a local, a call result, a subscript: not a known class
        name = qual.rsplit(".", 1)[-1]
        if not name.endswith(_SUFFIXES) or not name[:1].isupper():
            return None
        if ctx.facts.symbol_kind(qual) in ("function", "value", "module"):
            return None  # `get_UserService()` spelled as a class, or a constant
        return name
