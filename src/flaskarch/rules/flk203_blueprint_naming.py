"""FLK203 blueprint-naming: a module's blueprint is `<feature>_bp`."""

from __future__ import annotations

import re

from flaskarch._lazy import cst
from flaskarch.layers import BARE_NAMES, LAYER_SUFFIXES
from flaskarch.rule import Fix, Rule


class BlueprintNaming(Rule):
    code = "FLK203"
    name = "blueprint-naming"
    summary = "A module-level Blueprint whose variable is not `<feature>_bp`."
    tags = ('architecture', 'naming')
    presets = frozenset({"backant", "mscr"})
    fix = "unsafe"
    prefilter = re.compile(r"Blueprint\(")

    def finish(self) -> None:
        ctx = self.ctx
        found = []
        for stmt in ctx.module.body:
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for small in stmt.body:
                if (
                    isinstance(small, cst.Assign)
                    and len(small.targets) == 1
                    and isinstance(small.targets[0].target, cst.Name)
                    and isinstance(small.value, cst.Call)
                    and (ctx.names.qualify(small.value.func) or "").rsplit(".", 1)[-1] == "Blueprint"
                ):
                    found.append((stmt, small.targets[0].target))
        if len(found) != 1:
            return  # none, or several blueprints: exempt
        stmt, target = found[0]
        feature = feature_of(ctx.relpath)
        wanted = f"{feature}_bp"
        if not feature or target.value == wanted or not wanted.isidentifier():
            return
        self.report(
            target,
            f"blueprint variable `{target.value}` should be `{wanted}` (named after the module's feature)",
            Fix(f"rename `{target.value}` to `{wanted}` here and where it is imported", [],
                ("rename-symbol", target.value, wanted)),
            stmt=stmt,
        )


def feature_of(relpath: str) -> str:
    """`routes/auth_route.py` -> `auth`; `users.py` -> `users`; the package's name for its
    `__init__.py` and for a bare layer module (`api/__init__.py`, `auth/views.py` -> `api`,
    `auth`); "" when there is no package to name it after."""
    folder, _, filename = relpath.rpartition("/")
    if filename == "__init__.py" or filename.lower() in BARE_NAMES:
        return folder.rsplit("/", 1)[-1]
    stem = filename[:-3] if filename.endswith(".py") else filename
    lower = filename.lower()
    for suffix in sorted(LAYER_SUFFIXES, key=len, reverse=True):
        if lower.endswith(suffix) and len(lower) > len(suffix):
            return stem[: len(stem) - (len(suffix) - 3)]
    return stem
