"""FLK505 debug-enabled: the Werkzeug debugger switched on in code that can reach production.

`<app>.run(debug=True)`, `<app>.debug = True`, `<x>.config["DEBUG"] = True` (and
`.config.update/from_mapping(DEBUG=True)`), `DEBUG = True` in a configuration class that is
not a development/local/test one, and at module level of a configuration module whose stem
has no dev/local/test part.
"""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.rule import Rule
from flaskarch.names import dotted_name
from flaskarch.rules._appconfig import (
    assign_targets,
    assignment_items,
    call_items,
    class_words,
    is_true,
    receiver_origin,
    stem_parts,
    string_value,
)
from flaskarch.walker import walk_subtree

# words of a class name / parts of a module stem that mark a development configuration
_DEV_WORDS = frozenset({"dev", "devel", "develop", "development", "local", "test", "tests", "testing", "debug"})
_DEV_STEM_PARTS = frozenset({"dev", "devel", "develop", "development", "local", "test", "tests", "testing"})
_CONFIG_STEMS = frozenset({"config", "settings"})
_CONFIG_FOLDERS = frozenset({"config", "settings", "configs"})
_CONFIG_CLASS_RE = re.compile(r"(?:Config|Settings|Environment)\Z")

_MESSAGE = "turn the debugger off outside development: {what}; enable it with `flask run --debug` or FLASK_DEBUG=1 locally"


class DebugEnabled(Rule):
    code = "FLK505"
    name = "debug-enabled"
    summary = "Flask debug mode switched on in code (app.run(debug=True), DEBUG = True in a production config)."
    tags = ("security", "external/cwe/cwe-489")
    security_severity = "7.5"
    precision = "high"
    # `debug` (any case) and `True`, anywhere; \A: tried once, not at every offset
    prefilter = re.compile(r"(?s)\A(?=.*(?i:\bdebug\b))(?=.*\bTrue\b)")

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._debug_guards = 0  # enclosing `if`s whose test reads a debug setting

    def visit_If(self, node: cst.If) -> None:
        if _mentions_debug(node.test):
            self._debug_guards += 1

    def leave_If(self, node: cst.If) -> None:
        if _mentions_debug(node.test):
            self._debug_guards -= 1

    def report(self, node, message, fix=None, stmt=None) -> None:
        if self._debug_guards:
            return  # `if app.config["DEBUG"]: app.run(debug=True)`: the configuration decides
        super().report(node, message, fix, stmt)

    # ---- app.run(debug=True), config writes --------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        for item in call_items(node):
            if item.key == "DEBUG" and is_true(item.value):
                self.report(item.key_node, _MESSAGE.format(what="remove DEBUG=True"))
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "run":
            return
        debug = next((a for a in node.args if a.keyword is not None and a.keyword.value == "debug"), None)
        if debug is None or not is_true(debug.value):
            return
        if receiver_origin(self.ctx, func.value) == "other":
            return  # asyncio.run(main(), debug=True), uvicorn.run(...), a Sanic app
        self.report(node, _MESSAGE.format(what="drop debug=True from run()"))

    def visit_Assign(self, node: cst.Assign) -> None:
        self._assignment(node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._assignment(node)

    def _assignment(self, node: cst.CSTNode) -> None:
        targets, value = assign_targets(node)
        if value is None or not is_true(value):
            return
        for item in assignment_items(targets, value):
            if item.key == "DEBUG":
                self.report(item.key_node, _MESSAGE.format(what='remove config["DEBUG"] = True'))
        for target in targets:
            if isinstance(target, cst.Attribute) and target.attr.value == "debug":
                if self._is_app(target.value):
                    self.report(target, _MESSAGE.format(what="remove `.debug = True`"))
            elif isinstance(target, cst.Name) and target.value == "DEBUG" and self._config_scope():
                self.report(target, _MESSAGE.format(what="set DEBUG = False here and True only in the development configuration"))

    def _is_app(self, node: cst.BaseExpression) -> bool:
        """`app.debug = True`: the receiver is a Flask app, or an unresolved name that says so
        (`self.app`, a parameter `app`); `self.debug = True` in some class is not."""
        origin = receiver_origin(self.ctx, node)
        if origin == "flask":
            return True
        if origin == "other":
            return False
        last = (dotted_name(node) or "").rsplit(".", 1)[-1].lower()
        return "app" in last

    # ---- DEBUG = True in configuration classes and modules -------------------------------
    def _config_scope(self) -> bool:
        stack = self.ctx.stack
        if not stack:
            return self._config_module()
        if not isinstance(stack[-1], cst.ClassDef) or any(isinstance(n, cst.FunctionDef) for n in stack):
            return False
        cls = stack[-1]
        name = cls.name.value
        if not (_CONFIG_CLASS_RE.search(name) or self.ctx.filename in ("config.py", "settings.py")):
            return False
        return not any(_DEV_WORDS & class_words(n.name.value) for n in stack if isinstance(n, cst.ClassDef))

    def _config_module(self) -> bool:
        ctx = self.ctx
        parts = stem_parts(ctx)
        stem = ctx.filename.rsplit(".", 1)[0].lower()
        folders = [p.lower() for p in ctx.relpath.split("/")[:-1]]
        is_config = (
            stem in _CONFIG_STEMS
            or stem.startswith(("config_", "settings_"))
            or bool(_CONFIG_FOLDERS & set(folders))
        )
        return is_config and not (_DEV_STEM_PARTS & set(parts))


def _mentions_debug(test: cst.BaseExpression) -> bool:
    """A condition that reads a debug setting: `app.config["DEBUG"]`, `args.debug`, `DEBUG`,
    `os.getenv("FLASK_DEBUG")`."""
    for node in walk_subtree(test):
        if isinstance(node, cst.Name) and "debug" in node.value.lower():
            return True
        text = string_value(node) if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)) else None
        if text is not None and "debug" in text.lower():
            return True
    return False
