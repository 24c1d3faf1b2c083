"""FLK601 module-level-app: `Flask(...)` assigned at module level instead of in a factory."""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.rule import Rule
from flaskarch.rules._module_level import module_assignments

FLASK = frozenset({"flask.Flask", "flask.app.Flask"})
# entry points that build the app for a server (RULES.md FLK601)
ENTRY_POINTS = frozenset({"wsgi.py", "asgi.py", "run.py", "manage.py"})


class ModuleLevelApp(Rule):
    code = "FLK601"
    name = "module-level-app"
    summary = "A Flask app created at module level instead of inside an application factory."
    tags = ("architecture", "structure")
    presets = frozenset({"mscr", "factory"})
    # `Flask` itself; a project subclass of it made in a module that never says `Flask` is
    # called with `__name__` first or has `App` in its name (`app = PortalApp()`)
    prefilter = re.compile(r"Flask|(?<![\w.])[A-Z]\w*\(\s*__name__\b|=\s*(?:\w+\.)*[A-Z]\w*App\w*\s*\(")

    def finish(self) -> None:
        ctx = self.ctx
        if ctx.filename in ENTRY_POINTS or "scripts" in ctx.relpath.split("/")[:-1]:
            return
        for stmt, target, value in module_assignments(ctx.module.body):
            if not isinstance(value, cst.Call) or not self._is_flask(value.func):
                continue
            self.report(
                target,
                f"`{target.value}` is a Flask app created at import time: build it in an application "
                f"factory (`def create_app(config=None): app = Flask(__name__); ...; return app`) and "
                f"call `create_app()` from the entry point (wsgi.py)",
                stmt=stmt,
            )

    def _is_flask(self, func: cst.BaseExpression) -> bool:
        """`flask.Flask` however imported, or a project class deriving from it."""
        qual = self.ctx.names.qualify(func)
        if qual is None:
            return False
        if qual in FLASK:
            return True
        return any(a.qualname in FLASK for a in self.ctx.facts.ancestors(qual))
