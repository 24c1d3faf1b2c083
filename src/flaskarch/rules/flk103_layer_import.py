"""FLK103 layer-import: a module imports from a layer it must not depend on."""

from __future__ import annotations

from flaskarch._lazy import cst

from flaskarch.facts.answers import resolve_relative
from flaskarch.layers import BARE_NAMES, explain
from flaskarch.names import dotted_name
from flaskarch.rule import Rule


class LayerImport(Rule):
    code = "FLK103"
    name = "layer-import"
    summary = "A module imports from a layer it must not depend on (controller -> service -> repository -> model)."
    tags = ('architecture', 'layering')
    layers = frozenset({"controller", "service", "repository", "model", "schema"})

    @classmethod
    def applies_to(cls, ctx) -> bool:
        """Not parsed when the module's top-level imports (all it has) reach no forbidden layer."""
        if not super().applies_to(ctx):
            return False
        layers = ctx.facts.imported_layers(ctx.module_name)
        if layers is None:
            return True
        order = ctx.settings.layer_order
        return any(t != ctx.layer and forbidden(ctx.layer, t, order) for t in layers)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._type_checking = 0
        self._quiet: bool | None = None

    def _templates_only(self) -> bool:
        """A module that is a controller by its bare name only (`views.py`) and serves no
        route: template-page or admin classes, not a controller the contract is about."""
        if self._quiet is None:
            ctx = self.ctx
            self._quiet = explain(ctx.relpath, ctx.settings)[1].startswith("file name") and (
                ctx.filename.lower() in BARE_NAMES) and not ctx.facts.module_endpoints(ctx.module_name)
        return self._quiet

    # `if TYPE_CHECKING:` blocks do not count
    def visit_If(self, node: cst.If) -> None:
        if _is_type_checking(node.test):
            self._type_checking += 1

    def leave_If(self, node: cst.If) -> None:
        if _is_type_checking(node.test):
            self._type_checking -= 1

    def visit_Import(self, node: cst.Import) -> None:
        if self._type_checking:
            return
        for alias in node.names:
            target = dotted_name(alias.name)
            if target and self._check(node, target):
                return

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if self._type_checking:
            return
        ctx = self.ctx
        level = len(node.relative)
        mod = dotted_name(node.module) if node.module is not None else None
        base = resolve_relative(ctx.module_name, ctx.names.is_package, level, mod) if level else (mod or "")
        if not base:
            return
        targets = []
        names: list[str] = []
        if not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                sub = f"{base}.{dotted_name(alias.name)}"
                if ctx.facts.find_module(sub) is not None:
                    targets.append(sub)  # `from app.repositories import user_repository`
                else:
                    names.append(sub)
        if not targets and names and all(_not_a_model(ctx, name) for name in names):
            # an enum, a constant, an exception or a plain dataclass of a models module, or
            # `db` (FLK101's business): no dependency on model classes
            if ctx.facts.layer_of_module(base) == "model":
                return
        for target in targets or [base]:
            if self._check(node, target):
                return

    def _check(self, node: cst.CSTNode, target: str) -> bool:
        ctx = self.ctx
        if ctx.layer == "controller" and self._templates_only():
            return False
        target_layer = ctx.facts.layer_of_module(target)
        source_layer = ctx.layer
        if target_layer is None or source_layer is None or target_layer == source_layer:
            return False
        reason = forbidden(source_layer, target_layer, ctx.settings.layer_order)
        if reason is None:
            return False
        self.report(node, f"{source_layer} imports {target_layer} module `{target}`: {reason}")
        return True


def _not_a_model(ctx, qualname: str) -> bool:
    return ctx.facts.symbol_kind(qualname) in ("class", "function", "database", "value")


def forbidden(source: str, target: str, order: tuple[str, ...]) -> str | None:
    """Why `source` may not import `target` under the layer order (high to low), or None."""
    lowest = order[-1] if order else "model"
    if target == "schema":
        if source == lowest:
            return "models must not depend on schemas"
        return None
    if source == "schema":
        if target == lowest:
            return None
        return "schemas may only import models"
    if source not in order or target not in order:
        return None
    i, j = order.index(source), order.index(target)
    if j < i:
        return f"a {source} must not depend on the {target} layer above it"
    if i == 0 and j > 1:
        return f"a {source} talks to {order[1]}s and schemas, not to the {target} layer"
    return None


def _is_type_checking(test: cst.BaseExpression) -> bool:
    name = dotted_name(test)
    return name is not None and name.rsplit(".", 1)[-1] == "TYPE_CHECKING"
