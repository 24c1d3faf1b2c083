"""FLK201 module-naming: a module in a layer folder needs its layer's file suffix."""

from __future__ import annotations

from flaskarch.layers import folder_layer, suffix_layer
from flaskarch.presets import PRESETS
from flaskarch.rule import Fix, Rule

ALWAYS_EXEMPT = frozenset({"__init__.py", "base.py", "__main__.py"})


class ModuleNaming(Rule):
    code = "FLK201"
    name = "module-naming"
    summary = "A module in a layer folder whose file name has no layer suffix."
    tags = ('architecture', 'naming')
    presets = frozenset({"backant", "mscr"})
    fix = "unsafe"
    needs_tree = False

    def finish(self) -> None:
        ctx = self.ctx
        filename = ctx.filename
        if filename in ALWAYS_EXEMPT or filename in ctx.settings.effective_naming_exempt():
            return
        if suffix_layer(filename) is not None:
            return  # has a layer suffix: the right one, or misplaced-module's business (not this rule)
        preset = PRESETS.get(ctx.settings.preset)
        if preset is None:
            return
        found = folder_layer(ctx.relpath, ctx.settings.root)
        if found is None:
            return
        suffixes = preset.naming_suffixes.get(found[1])
        if not suffixes:
            return
        wanted = filename[:-3] + suffixes[0]
        self.report(
            None,
            f"module in `{found[1]}/` has no layer suffix: name it `{wanted}`",
            Fix(f"rename to `{wanted}` and rewrite its imports", [], ("rename-module", wanted)),
        )
