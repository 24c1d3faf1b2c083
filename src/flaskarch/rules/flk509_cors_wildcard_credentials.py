"""FLK509 cors-wildcard-credentials: flask-cors allowing every origin with credentials.

flask-cors answers a request from an allowed origin by echoing that origin in
`Access-Control-Allow-Origin`; with origin `"*"` (also its default when no `origins` is given)
and `supports_credentials=True`, every web site can make credentialed requests and read the
responses. Checked: `CORS(app, ...)`, `CORS(...).init_app(app, ...)` and `@cross_origin(...)`
(resolved through imports), per resource of `resources={...}`, and configuration that sets
both `CORS_ORIGINS = "*"` and `CORS_SUPPORTS_CREDENTIALS = True` in one class or module.
"""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.rule import Rule
from flaskarch.names import Assigned
from flaskarch.rules._appconfig import ConfigItem, assign_targets, assignment_items, call_items, is_true, string_value

_CORS = frozenset({"flask_cors.CORS", "flask_cors.extension.CORS"})
_CROSS_ORIGIN = frozenset({"flask_cors.cross_origin", "flask_cors.decorator.cross_origin"})
_WILDCARDS = frozenset({"*", ".*", r"/.*"})
# modules where a project usually keeps the CORS_* settings a call without `origins` reads
_CONFIG_MODULES = ("settings", "config", "default_settings", "default_config", "settings.base", "config.base",
                   "config.settings", "configs")

_DEFAULT_MESSAGE = ("supports_credentials=True without origins: flask-cors then allows every origin; list the "
                    "trusted origins, origins=[\"https://app.example.com\"] (or CORS_ORIGINS in the configuration)")
_MESSAGE = ("every origin may send credentialed requests: list the trusted origins, "
            "origins=[\"https://app.example.com\"], or drop supports_credentials=True")

YES, NO, UNKNOWN = "yes", "no", "unknown"


class CorsWildcardCredentials(Rule):
    code = "FLK509"
    name = "cors-wildcard-credentials"
    summary = "flask-cors allows every origin (\"*\", its default) together with supports_credentials=True."
    tags = ("security", "external/cwe/cwe-942")
    security_severity = "6.5"
    precision = "high"
    prefilter = re.compile(r"(?i)supports_credentials")

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._config_origins: bool | None = None
        self._scopes: dict[int, dict] = {}  # body -> CORS_* key -> (item, its statement)

    # ---- CORS(app, ...), cors.init_app(app, ...), @cross_origin(...) ------------------------
    def visit_Call(self, node: cst.Call) -> None:
        self._config_call(node)
        qual = self.ctx.names.qualify(node.func) if isinstance(node.func, (cst.Name, cst.Attribute)) else None
        if qual in _CORS or qual in _CROSS_ORIGIN:
            base: dict[str, cst.BaseExpression] = {}
        elif isinstance(node.func, cst.Attribute) and node.func.attr.value == "init_app":
            base = self._cors_instance(node.func.value)
            if base is None:
                return
        else:
            return
        options = {**base}
        star = False
        for arg in node.args:
            if arg.keyword is not None:
                options[arg.keyword.value] = arg.value
            elif arg.star == "**":
                star = True
        found = self._wildcard_with_credentials(options, star)
        if found:
            self.report(node, _MESSAGE if found == YES else _DEFAULT_MESSAGE)

    def _cors_instance(self, receiver: cst.BaseExpression) -> dict[str, cst.BaseExpression] | None:
        """The options of `cors = CORS(...)` when `receiver` is that object (its keyword
        arguments; init_app's own arguments override them); {} for the project's own CORS
        object imported from another module; None when it is not a CORS object."""
        value = self.ctx.names.assigned_value(receiver) if isinstance(receiver, cst.Name) else None
        if isinstance(value, cst.Call) and self.ctx.names.qualify(value.func) in _CORS:
            return {a.keyword.value: a.value for a in value.args if a.keyword is not None}
        qual = self.ctx.names.qualify(receiver)
        if qual and "cors" in qual.rsplit(".", 1)[-1].lower() and self.ctx.facts.is_project_name(qual):
            return {}
        return None

    def _wildcard_with_credentials(self, options: dict[str, cst.BaseExpression], star: bool) -> str | None:
        """YES: "*" given with credentials; "default": credentials and no origins; None: fine."""
        if "send_wildcard" in options and is_true(self._resolve(options["send_wildcard"])):
            return None  # flask-cors refuses "*" with credentials when asked to send "*": a ValueError
        credentials = self._flag(options.get("supports_credentials"))
        origins = self._origins(options.get("origins"))
        resources = self._resolve(options["resources"]) if "resources" in options else None
        if isinstance(resources, cst.Dict):
            for element in resources.elements:
                if not isinstance(element, cst.DictElement):
                    return None
                per = self._resolve(element.value)
                if not isinstance(per, cst.Dict):
                    continue
                opts = {string_value(e.key): e.value for e in per.elements if isinstance(e, cst.DictElement)}
                creds = self._flag(opts["supports_credentials"]) if "supports_credentials" in opts else credentials
                orig = self._origins(opts["origins"]) if "origins" in opts else origins
                if creds == YES and self._wildcard(orig, star):
                    return orig
            return None
        return origins if credentials == YES and self._wildcard(origins, star) else None

    def _wildcard(self, origins: str, star: bool) -> bool:
        """`origins` given as "*", or not given at all (flask-cors's default is "*") when nothing
        else can supply it: no `**options`, no CORS_ORIGINS in the app's configuration."""
        if origins == YES:
            return True
        if origins == "default":
            return not star and not self._origins_configured()
        return False

    def _origins_configured(self) -> bool:
        """CORS_ORIGINS set in this module, or at the top of one of the package's usual
        configuration modules (alerta's settings.py): a call without `origins` reads it."""
        if self._config_origins is None:
            ctx = self.ctx
            found = "CORS_ORIGINS" in ctx.source or "CORS_RESOURCES" in ctx.source
            root = ctx.module_name.split(".")[0]
            for prefix in (f"{root}.", ""):
                for module in _CONFIG_MODULES:
                    if found:
                        break
                    found = ctx.facts.is_project_name(f"{prefix}{module}.CORS_ORIGINS")
            self._config_origins = found
        return self._config_origins

    def _resolve(self, node: cst.BaseExpression | None) -> cst.BaseExpression | None:
        """A name bound once to a literal (`ORIGINS = "*"`) stands for that literal."""
        for _ in range(3):
            if isinstance(node, cst.Name):
                binding = self.ctx.names.lookup(node.value)
                if isinstance(binding, Assigned):
                    node = binding.value
                    continue
            break
        return node

    def _flag(self, node: cst.BaseExpression | None) -> str:
        node = self._resolve(node)
        if node is None:
            return NO
        return YES if is_true(node) else NO

    def _origins(self, node: cst.BaseExpression | None) -> str:
        """YES: every origin ("*", ".*", or a list holding one); NO: a list of origins;
        UNKNOWN: computed at run time; "default": not given."""
        if node is None:
            return "default"
        node = self._resolve(node)
        text = string_value(node)
        if text is not None:
            return YES if text.strip() in _WILDCARDS else NO
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            values = [string_value(self._resolve(e.value)) for e in node.elements]
            return YES if any(v is not None and v.strip() in _WILDCARDS for v in values) else NO
        if isinstance(node, cst.Name) and node.value == "None":
            return "default"
        return UNKNOWN

    # ---- CORS_ORIGINS = "*" with CORS_SUPPORTS_CREDENTIALS = True -----------------------------
    def _config_call(self, node: cst.Call) -> None:
        items = {item.key: (item, self.ctx.current_stmt) for item in call_items(node)}
        self._config_pair(items)

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        """Plain `CORS_*` assignments of a module or class body, and `<x>.config["CORS_*"]`
        writes, collected per body and judged in finish()."""
        stack = self.ctx.stack
        if stack and not isinstance(stack[-1], cst.ClassDef):
            scope = id(stack[-1])  # a function body: only its config writes
        else:
            scope = id(stack[-1]) if stack else 0
        for small in node.body:
            targets, value = assign_targets(small)
            if value is None:
                continue
            for target in targets:
                if isinstance(target, cst.Name) and target.value.startswith("CORS_") and (
                        not stack or isinstance(stack[-1], cst.ClassDef)):
                    self._scopes.setdefault(scope, {})[target.value] = (ConfigItem(target.value, target, value), node)
            for item in assignment_items(targets, value):
                self._scopes.setdefault(scope, {})[item.key] = (item, node)

    def finish(self) -> None:
        for items in self._scopes.values():
            self._config_pair(items)

    def _config_pair(self, items: dict) -> None:
        creds, origins = items.get("CORS_SUPPORTS_CREDENTIALS"), items.get("CORS_ORIGINS")
        if creds is None or origins is None:
            return
        if self._flag(creds[0].value) == YES and self._origins(origins[0].value) == YES:
            self.report(creds[0].key_node,
                        "CORS_ORIGINS allows every origin together with CORS_SUPPORTS_CREDENTIALS = True: "
                        "list the trusted origins in CORS_ORIGINS, or drop the credentials", stmt=creds[1])
