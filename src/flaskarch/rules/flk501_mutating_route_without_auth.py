"""FLK501 mutating-route-without-auth: every POST/PUT/PATCH/DELETE view needs authentication."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flaskarch._lazy import cst

from flaskarch.facts.vocab import HTTP_METHODS, MUTATING
from flaskarch.names import Defined
from flaskarch.rule import Fix, NodeEdit, Rule, import_edit
from flaskarch.rules._routes import (
    Route,
    configured_public,
    default_public,
    endpoint,
    full_rule,
    is_guarded,
    route_of_decorator,
    string_value,
)
from flaskarch.semantics import is_auth_expr

VIEW_METHODS = {name: verb for name, verb in HTTP_METHODS.items() if verb in MUTATING}


@dataclass
class _View:
    node: cst.FunctionDef
    name: str
    routes: list[Route]
    authed: bool
    guarded: bool
    module_level: bool
    # for methods of view classes: the HTTP method the method serves
    method: str | None = None
    class_name: str | None = None
    extra_rules: list[str] = field(default_factory=list)


class MutatingRouteWithoutAuth(Rule):
    code = "FLK501"
    name = "mutating-route-without-auth"
    summary = "A view that accepts POST, PUT, PATCH or DELETE has no authentication."
    tags = ('security',)
    security_severity = "8.1"
    fix = "unsafe"
    prefilter = re.compile(
        r"route|add_url_rule|\.post\(|\.put\(|\.patch\(|\.delete\(|def (post|put|patch|delete)\b"
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._views: list[_View] = []
        self._class_rules: dict[str, list[str]] = {}  # view class -> URL rules from decorators
        self._module_auth: str | None = None  # e.g. `token_auth.login_required`, as written here

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        ctx = self.ctx
        cls = ctx.enclosing_class()
        if cls is not None and ctx.stack and ctx.stack[-1] is cls:
            self._view_method(cls, node)
            return
        routes = [r for r in (route_of_decorator(d) for d in node.decorators) if r is not None]
        auth = [d for d in node.decorators if is_auth_expr(ctx, d.decorator)]
        if auth and routes and self._module_auth is None:  # the form this module already uses
            self._module_auth = ctx.module.code_for_node(auth[0].decorator).strip()
        authed = bool(auth)
        guarded = any(is_guarded(ctx, r) for r in routes)
        self._views.append(_View(node, node.name.value, routes, authed, guarded, not ctx.stack))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        for deco in node.decorators:  # flask-restx `@ns.route("/login")`
            expr = deco.decorator
            if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "route":
                rule = string_value(expr.args[0].value) if expr.args else None
                if rule:
                    self._class_rules.setdefault(node.name.value, []).append(rule)

    def _view_method(self, cls: cst.ClassDef, node: cst.FunctionDef) -> None:
        method = VIEW_METHODS.get(node.name.value)
        if method is None:
            return
        ctx = self.ctx
        qualname = f"{ctx.module_name}.{cls.name.value}"
        if ctx.stack[:-1] or not ctx.facts.is_view_class(qualname):
            return
        authed = any(is_auth_expr(ctx, d.decorator) for d in node.decorators) or ctx.facts.class_auth(
            qualname, method
        )
        self._views.append(
            _View(node, node.name.value, [], authed, False, False, method, cls.name.value)
        )

    def finish(self) -> None:
        ctx = self.ctx
        public_patterns = ctx.settings.public_routes
        for view in self._views:
            if view.authed:
                continue
            if view.method is not None:
                self._finish_method(view, public_patterns)
                continue
            routes = list(view.routes)
            guarded = view.guarded
            rules = [full_rule(ctx, r) for r in routes]
            methods: set[str] | None = set()
            for route in routes:
                if route.methods is None:
                    methods = None  # computed methods: not judged
                    break
                methods |= route.methods & MUTATING
            if view.module_level:  # `bp.add_url_rule(rule, view_func=f)` in any module
                for reg in ctx.facts.view_routes(f"{ctx.module_name}.{view.name}"):
                    guarded = guarded or reg.guarded
                    rules += list(reg.rules)
                    if reg.methods is None or methods is None:
                        methods = None
                    else:
                        methods |= set(reg.methods) & MUTATING
            if guarded or not methods:
                continue
            candidates = [view.name, *(r for r in rules if r), *(r.rule for r in routes if r.rule)]
            candidates += [e for e in (endpoint(ctx, r, view.name) for r in routes) if e]
            if any(default_public(rule, view.name) for rule in rules) or (
                not any(rules) and default_public(None, view.name)
            ):
                continue
            if configured_public(public_patterns, candidates):
                continue
            self._report(view.node, "/".join(sorted(methods)), next((r for r in rules if r), None))

    def _finish_method(self, view: _View, public_patterns: tuple[str, ...]) -> None:
        ctx = self.ctx
        registrations = ctx.facts.view_routes(f"{ctx.module_name}.{view.class_name}")
        if any(reg.guarded for reg in registrations):
            return
        rules = [r for reg in registrations for r in reg.rules]
        rules += self._class_rules.get(view.class_name or "", [])
        if any(default_public(rule, "") for rule in rules):
            return
        candidates = [view.class_name or "", f"{view.class_name}.{view.name}", *rules]
        if configured_public(public_patterns, candidates):
            return
        self._report(view.node, view.method or "", rules[0] if rules else None)

    def _report(self, node: cst.FunctionDef, methods: str, rule: str | None) -> None:
        where = f" {rule}" if rule else ""
        if self._module_auth is not None:  # the decorator the module's other views use
            text, fix = self._module_auth, self._fix_with(node, self._module_auth, [])
        else:
            text, fix = self._fix(node, preferred_auth_decorator(self.ctx))
        self.report(
            node,
            f"{methods} route{where} has no authentication: add @{text} (or list it in public-routes)",
            fix,
        )

    def _fix_with(self, node: cst.FunctionDef, text: str, extra: list) -> Fix:
        routes = [d for d in node.decorators if route_of_decorator(d) is not None]
        if routes:  # on the line after the lowest route decorator, above any comment there
            edit = NodeEdit("line_after", routes[-1], f"@{text}\n", reindent=True)
        else:
            edit = NodeEdit("before", node.decorators[0] if node.decorators else node, f"@{text}\n", reindent=True)
        return Fix(f"add @{text} under the route decorator", [edit, *extra])

    def _fix(self, node: cst.FunctionDef, name: str) -> tuple[str, Fix | None]:
        """(decorator text, fix): `@name` under the route decorators, with its import when the
        module lacks it; no fix when it cannot be imported or is defined below the view."""
        ctx = self.ctx
        source = None
        binding = ctx.names.scopes[0].bindings.get(name)
        qualname = name
        if binding is None:
            source = ctx.facts.import_source(name, ctx.module_name)
            qualname = f"{source}.{name}" if source else name
        elif isinstance(binding, Defined):
            qualname = f"{ctx.module_name}.{name}"
        else:
            qualname = ctx.names.qualify(cst.Name(name)) or name
        text = name + ("()" if ctx.facts.auth_decorator_is_called(qualname) else "")
        if binding is None and source is None:
            return text, None  # nowhere to import it from: no fix rather than a broken one
        if isinstance(binding, Defined) and not _defined_before(ctx.module, binding.node, node, ctx.stmt_parent):
            return text, None  # decorators run at definition time: a later def is a NameError
        extra = [import_edit(ctx.module, f"from {source} import {name}")] if source is not None else []
        return text, self._fix_with(node, text, extra)


def _defined_before(module: cst.Module, definition: cst.CSTNode, view: cst.CSTNode, parents: dict) -> bool:
    top = view
    while parents.get(id(top)) is not None:
        top = parents[id(top)]
    order = {id(stmt): i for i, stmt in enumerate(module.body)}
    return order.get(id(definition), 1 << 30) < order.get(id(top), -1)


def preferred_auth_decorator(ctx) -> str:
    """The auth decorator this module already imports; else, in the configured order, one the
    project defines or that other modules import; else the first configured one."""
    names = ctx.settings.effective_auth_decorators()
    for local, binding in ctx.names.scopes[0].bindings.items():
        qual = getattr(binding, "qualname", None)
        if qual and qual.rsplit(".", 1)[-1] in names:
            return local
    known = ctx.facts.project_auth_decorators()
    if known:
        return known[0]
    return names[0] if names else "login_required"
