"""FLK501 mutating-route-without-auth: every POST/PUT/PATCH/DELETE view needs authentication."""

from __future__ import annotations

from flaskarch._lazy import cst

from flaskarch.facts.vocab import MUTATING
from flaskarch.names import Defined
from flaskarch.rule import Fix, NodeEdit, Rule, import_edit
from flaskarch.rules._routes import route_of_decorator
from flaskarch.semantics import is_auth_expr



def _unprotected(ctx) -> list:
    """The module's endpoints that accept a mutating method and have no auth at all (a view
    whose only auth decorator sits above the route decorator is FLK502's)."""
    return [
        ep for ep in ctx.facts.module_endpoints(ctx.module_name)
        if ep.auth.kind == "none" and not ep.misplaced_auth and ep.methods is not None
        and set(ep.methods) & MUTATING
    ]


class MutatingRouteWithoutAuth(Rule):
    code = "FLK501"
    name = "mutating-route-without-auth"
    summary = "A view that accepts POST, PUT, PATCH or DELETE has no authentication."
    tags = ('security',)
    security_severity = "8.1"
    fix = "unsafe"

    @classmethod
    def applies_to(cls, ctx) -> bool:
        """Only modules defining a view the route model finds unprotected (no parse otherwise:
        a view registered from another module has no route words of its own)."""
        return super().applies_to(ctx) and bool(_unprotected(ctx))

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._defs: dict[str, cst.CSTNode] = {}  # view path in the module -> its def (last wins)
        self._module_auth: str | None = None  # e.g. `token_auth.login_required`, as written here

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        ctx = self.ctx
        path = ".".join([*(n.name.value for n in ctx.stack), node.name.value])
        self._defs[path] = node
        if self._module_auth is None and any(route_of_decorator(d) for d in node.decorators):
            auth = [d for d in node.decorators if is_auth_expr(ctx, d.decorator)]
            if auth:  # the form this module's other views already use
                self._module_auth = ctx.module.code_for_node(auth[0].decorator).strip()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        path = ".".join([*(n.name.value for n in self.ctx.stack), node.name.value])
        self._defs.setdefault(path, node)

    def finish(self) -> None:
        reported: set[int] = set()
        unprotected = _unprotected(self.ctx)
        for ep in unprotected:
            node = self._defs.get(ep.view) or self._defs.get(ep.view.rsplit(".", 1)[0])
            if node is None or id(node) in reported:
                continue
            if isinstance(node, cst.FunctionDef) and any(is_auth_expr(self.ctx, d.decorator) for d in node.decorators):
                continue  # the file now says otherwise (a fix just added one): its text wins
            reported.add(id(node))
            same = [e for e in unprotected if e.view == ep.view]
            methods = "/".join(sorted({m for e in same for m in (e.methods or ()) if m in MUTATING}))
            rule = next((e.rule for e in same if e.rule), None)
            self._report(node, methods, rule, ep.auth.by, ep.endpoint)

    def _report(self, node: cst.CSTNode, methods: str, rule: str | None, looked_for: str,
                endpoint: str | None = None) -> None:
        where = f" {rule}" if rule else f" `{endpoint}` (URL built at run time)" if endpoint else ""
        if not isinstance(node, cst.FunctionDef):  # an inherited method: at the class
            text, fix = preferred_auth_decorator(self.ctx), None
        elif self._module_auth is not None:  # the decorator the module's other views use
            text, fix = self._module_auth, self._fix_with(node, self._module_auth, [])
        else:
            text, fix = self._fix(node, preferred_auth_decorator(self.ctx))
        self.report(
            node,
            f"{methods} route{where} has no authentication ({looked_for}): add @{text} "
            "(or list it in public-routes)",
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
        if name.endswith("(...)"):
            return name, None  # a decorator factory: its arguments are the team's to choose
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
        if ctx.facts.is_decorator_factory(qualname):
            return text + "(...)", None  # it needs arguments only the team can choose
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
        if qual and qual.rsplit(".", 1)[-1] in names and not ctx.facts.is_decorator_factory(qual):
            return local
    known = ctx.facts.project_auth_decorators()
    if known:
        return known[0]
    factory = ctx.facts.project_auth_factory()
    if factory:  # only decorators that need arguments: name it, the team chooses them
        return f"{factory}(...)"
    return names[0] if names else "login_required"
