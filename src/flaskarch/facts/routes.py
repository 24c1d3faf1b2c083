"""The route model: every endpoint of the project, its URL as served and its effective auth.

Built from the facts already taken per module (no second parse): views with route decorators,
view classes and their methods (inherited and delegating ones), `add_url_rule` /
`add_resource` registrations, project helpers that register views with their parameters
(followed to their call sites), route tables iterated into registrations, blueprint prefixes
through every `register_blueprint`, flask-restful/restx `Api` and `Namespace` prefixes, and
`before_request` guards. Each endpoint says where its auth comes from, or why there is none;
what cannot be known statically (a URL built at run time) is "unknown", never a guess.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Any, Iterator

from flaskarch.facts.index import ProjectIndex
from flaskarch.facts.model import ArgFact, ClassFacts, HelperCall, HelperDef, ModuleFacts, ViewFacts, ViewRegistration
from flaskarch.facts.vocab import ANONYMOUS_WORD, HTTP_METHODS, PUBLIC_ENDS, PUBLIC_EXACT, PUBLIC_FUNCTIONS, PUBLIC_PREFIXES


@dataclass(frozen=True)
class Auth:
    kind: str  # decorator | class | guard | helper | public | none | unknown
    by: str  # what authenticates (or, for none, what was looked for)
    path: str | None = None  # where that is (project-relative), when it is in the project
    line: int | None = None


@dataclass(frozen=True)
class Endpoint:
    endpoint: str | None
    rule: str | None  # the full URL rule as served; None: built at run time (unknown)
    methods: tuple[str, ...] | None  # None: not statically known
    module: str
    view: str  # the view's dotted path inside its module: `update_user`, `UserAPI.post`
    path: str  # the view's file, project-relative
    line: int  # the line of its `def`
    auth: Auth
    blueprint: str | None = None  # the blueprint's name, when registered on one
    misplaced_auth: str | None = None  # an auth decorator above the route decorator (FLK502)


class RouteModel:
    """All endpoints of one project under one configuration."""

    def __init__(self, index: ProjectIndex, settings: Any) -> None:
        self.index = index
        self.settings = settings
        self.auth_names = settings.effective_auth_decorators()
        self._guards: dict[str, list[tuple[str, Any, ModuleFacts]]] | None = None
        self.endpoints: list[Endpoint] = sorted(self._build(), key=lambda e: (e.path, e.line, e.rule or "", e.methods or ()))

    def of_module(self, module: str) -> tuple[Endpoint, ...]:
        return tuple(e for e in self.endpoints if e.module == module)

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> Iterator[Endpoint]:
        seen: set[tuple] = set()
        for mf in self.index.modules.values():
            for view in mf.views:
                for route in view.routes:
                    yield from self._function_routes(mf, view, route.receiver, route.rule, route.methods,
                                                     route.endpoint, None, seen, tail=route.partial)
            for name, cf in mf.classes.items():
                for route in cf.routes:  # `@ns.route("/x")` on a Resource / MethodView
                    yield from self._class_routes(mf, name, cf, route.receiver, route.rule, None, seen,
                                                  endpoint=route.endpoint or self._restx_endpoint(mf, route.receiver, name))
            for reg in mf.view_registrations:
                yield from self._registration(mf, reg, seen)
            for call in mf.helper_calls:
                yield from self._helper_call(mf, call, seen)
        # view classes whose registration is not found (a registry the model cannot follow):
        # still endpoints (RULES.md), at an unknown URL, with the methods they define themselves
        served = {(mod, view.split(".")[0]) for mod, view, *_ in seen}
        # a base of a served class: its methods are listed on the subclass
        bases = {self.index.resolve_in(mf.module, b) for mf in self.index.modules.values()
                 for name, cf in mf.classes.items() if (mf.module, name) in served for b in cf.bases}
        for mf in self.index.modules.values():
            for name, cf in mf.classes.items():
                if (mf.module, name) in served or not cf.method_facts or f"{mf.module}.{name}" in bases:
                    continue
                if not self.index.is_view_class(mf.module, cf):
                    continue
                own = [m for m in cf.method_facts if m in HTTP_METHODS]
                for method in own:
                    facts = cf.method_facts[method]
                    auth = self._method_auth(mf, name, cf, method, mf, facts) or self._guard_auth(
                        _Mount(None, None, None, None)) or self._public(
                        rule=None, function="", endpoint=name.lower(), extra=(name, f"{name}.{method}"))
                    yield Endpoint(name.lower(), None, (HTTP_METHODS[method],), mf.module, f"{name}.{method}",
                                   mf.relpath, facts.line, auth or self._none(_Mount(None, None, None, None), None, True))

    def _registration(self, mf: ModuleFacts, reg: ViewRegistration, seen: set) -> Iterator[Endpoint]:
        if reg.view.startswith("@table:"):  # `for rule, view in ROUTES: api.add_resource(view, rule)`
            head, view_pos, rule_pos = reg.view.rsplit(":", 2)  # `@table:<name>:<view col>:<rule col>`
            table = head[len("@table:"):]
            for row in self._table(mf.module, table) or []:
                view, rule = _cell(row[int(view_pos)], "n:"), _cell(row[int(rule_pos)], "s:")
                if view:
                    yield from self._target(mf, reg.receiver, view, [rule] if rule else [None], reg.methods,
                                            reg.endpoint, None, [], seen, origin_module=self._table_module(mf.module, table))
            return
        rules: list[str | None] = list(reg.rules) or [None]
        if reg.rules_unknown:
            rules = [*reg.rules, None]
        helper = (f"{reg.helper}(decorators=[{', '.join(reg.decorators)}])" if reg.decorators else None)
        yield from self._target(mf, reg.receiver, reg.view, rules, reg.methods, reg.endpoint,
                                (helper, mf.relpath, reg.line) if reg.decorators else None, reg.decorators, seen,
                                tail=reg.partial_rule)

    def _target(self, mf: ModuleFacts, receiver: str | None, view: str, rules: list[str | None],
                methods: list[str] | None, endpoint: str | None, helper: tuple | None, helper_decorators: list[str],
                seen: set, origin_module: str | None = None, tail: str | None = None) -> Iterator[Endpoint]:
        """A registered view: a class (its HTTP methods) or a function."""
        qual = self.index.resolve_in(origin_module or mf.module, view)
        found = self.index.lookup(qual)
        if found is None:
            return
        target_mf, name = found
        helper_auth = self._helper_auth(mf, helper, helper_decorators)
        if name in target_mf.classes:
            for rule in rules:
                yield from self._class_routes(target_mf, name, target_mf.classes[name], receiver, rule, helper_auth,
                                              seen, registering=mf, endpoint=endpoint, tail=tail)
        elif name in target_mf.function_lines:
            decorators = target_mf.function_decorators.get(name, [])
            view_facts = ViewFacts(name, target_mf.function_lines[name], decorators,
                                   checks_auth=name in target_mf.checking_functions)
            for rule in rules:
                yield from self._function_routes(target_mf, view_facts, receiver, rule, methods, endpoint,
                                                 helper_auth, seen, registering=mf, tail=tail)

    def _function_routes(self, mf: ModuleFacts, view: ViewFacts, receiver: str | None, rule: str | None,
                         methods: list[str] | None, endpoint: str | None, helper_auth: Auth | None, seen: set,
                         registering: ModuleFacts | None = None, tail: str | None = None) -> Iterator[Endpoint]:
        reg_mf = registering or mf
        mount = self._mount(reg_mf.module, receiver)
        full = _join(mount.prefix, rule)
        function = view.name.rsplit(".", 1)[-1]
        name = endpoint or function
        ep = f"{mount.blueprint_name or mount.blueprint}.{name}" if mount.blueprint else name
        key = (mf.module, view.name, full, ep)
        if key in seen:
            return
        seen.add(key)
        lowest = max(view.route_index) if view.route_index else -1
        misplaced = None
        auth = None
        for i, deco in enumerate(view.decorators):
            if i in view.route_index or not deco:
                continue
            if auth is None and _for_anonymous(deco):  # `@anonymous_user_required`: public by design
                auth = Auth("public", f"@{_written(deco)} (for anonymous users)", mf.relpath, view.line)
                continue
            if not self._is_auth(mf.module, deco):
                continue
            if i < lowest:
                misplaced = misplaced or deco
                continue
            if auth is None or auth.kind == "public":
                auth = Auth("decorator", f"@{_written(deco)}", mf.relpath, view.line)
        if auth is None and view.checks_auth:
            auth = Auth("guard", "a check for the user at the top of the view", mf.relpath, view.line)
        auth = auth or helper_auth or self._guard_auth(mount) or self._public(
            rule=full, function=function, endpoint=ep, tail=rule or tail)
        if auth is None:
            auth = self._none(mount, misplaced)
        yield Endpoint(ep, full, tuple(methods) if methods is not None else None, mf.module, view.name, mf.relpath,
                       view.line, auth, mount.blueprint_name, misplaced)

    def _class_routes(self, mf: ModuleFacts, name: str, cf: ClassFacts, receiver: str | None, rule: str | None,
                      helper_auth: Auth | None, seen: set, registering: ModuleFacts | None = None,
                      endpoint: str | None = None, tail: str | None = None) -> Iterator[Endpoint]:
        reg_mf = registering or mf
        mount = self._mount(reg_mf.module, receiver)
        full = _join(mount.prefix, rule)
        base_ep = endpoint or name.lower()
        ep = f"{mount.blueprint_name or mount.blueprint}.{base_ep}" if mount.blueprint else base_ep
        for method, (owner_mf, owner_cf, facts) in self._http_methods(mf, cf).items():
            key = (mf.module, f"{name}.{method}", full, ep)
            if key in seen:
                continue
            seen.add(key)
            verb = HTTP_METHODS[method]
            auth = self._method_auth(mf, name, cf, method, owner_mf, facts)
            auth = auth or helper_auth or self._guard_auth(mount) or self._public(
                rule=full, function="", endpoint=ep, extra=(name, f"{name}.{method}"), tail=rule or tail)
            if auth is None:
                auth = self._none(mount, None, view_class=True)
            line = facts.line if owner_mf is mf and owner_cf is cf else cf.line
            yield Endpoint(ep, full, (verb,), mf.module, f"{name}.{method}", mf.relpath, line, auth,
                           mount.blueprint_name)

    def _http_methods(self, mf: ModuleFacts, cf: ClassFacts) -> dict[str, tuple[ModuleFacts, ClassFacts, ViewFacts]]:
        """HTTP method name -> (module, class, facts) of the nearest class defining it."""
        out: dict[str, tuple[ModuleFacts, ClassFacts, ViewFacts]] = {}
        chain = [(mf, cf)] + [(self.index.modules[m], b) for _, m, b in self.index.ancestors(mf.module, cf)
                              if b is not None and m in self.index.modules]
        for owner_mf, owner_cf in chain:
            for method, facts in owner_cf.method_facts.items():
                if method in HTTP_METHODS and method not in out:
                    out[method] = (owner_mf, owner_cf, facts)
        return out

    def _method_auth(self, mf: ModuleFacts, name: str, cf: ClassFacts, method: str, owner_mf: ModuleFacts,
                     facts: ViewFacts) -> Auth | None:
        for deco in facts.decorators:
            if deco and self._is_auth(owner_mf.module, deco):
                return Auth("decorator", f"@{_written(deco)}", owner_mf.relpath, facts.line)
        if facts.delegates:  # `return super().post()`: the parent's method serves
            parent = self._parent_method(owner_mf, cf if owner_mf is mf else None, method, facts)
            if parent is not None:
                p_mf, p_facts = parent
                for deco in p_facts.decorators:
                    if deco and self._is_auth(p_mf.module, deco):
                        return Auth("decorator", f"@{_written(deco)} (on the parent's {method})", p_mf.relpath, p_facts.line)
        if facts.checks_auth:
            return Auth("guard", "a check for the user at the top of the view", owner_mf.relpath, facts.line)
        return self._class_auth(mf, cf, method)

    def _parent_method(self, mf: ModuleFacts, cf: ClassFacts | None, method: str, facts: ViewFacts):
        owner = cf
        if owner is None:
            owner = next((c for c in mf.classes.values() if c.method_facts.get(method) is facts), None)
            if owner is None:
                return None
        for _, m, base in self.index.ancestors(mf.module, owner):
            if base is not None and method in base.method_facts and m in self.index.modules:
                return self.index.modules[m], base.method_facts[method]
        return None

    def _class_auth(self, mf: ModuleFacts, cf: ClassFacts, method: str) -> Auth | None:
        index = self.index
        chain = [(mf.module, cf)] + [(m, b) for _, m, b in index.ancestors(mf.module, cf) if b is not None]
        for mod, expr in index.inherited_decorators(mf.module, cf, method):
            if self._is_auth(mod, expr):
                owner = index.modules.get(mod)
                holder = next((c for m, c in chain if m == mod and (
                    expr in c.decorators or any(expr in v for v in c.method_decorators.values()))), cf)
                return Auth("class", f"{_written(expr)} in the class decorators", owner.relpath if owner else None,
                            holder.line)
        for ref_mod, ref_cf in self._decorator_refs(mf.module, cf):
            for expr in ref_cf.decorators:
                if self._is_auth(ref_mod, expr):
                    owner = index.modules.get(ref_mod)
                    return Auth("class", f"{_written(expr)} in the class decorators", owner.relpath if owner else None,
                                ref_cf.line)
        bases = self.settings.auth_view_bases
        if bases:
            for qual, _, _ in index.ancestors(mf.module, cf):
                if qual.rsplit(".", 1)[-1] in bases or qual in bases:
                    return Auth("class", f"inherits {qual} (auth-view-bases)", mf.relpath, cf.line)
        return None

    def _decorator_refs(self, module: str, cf: ClassFacts) -> Iterator[tuple[str, ClassFacts]]:
        """`decorators = Base.decorators + [...]` in the class or a base: the referenced classes."""
        chain = [(module, cf)] + [(m, b) for _, m, b in self.index.ancestors(module, cf) if b is not None]
        for mod, klass in chain:
            for ref in klass.decorator_refs:
                found = self.index.class_facts(self.index.resolve_in(mod, ref))
                if found is not None:
                    yield found
                    yield from ((m, b) for _, m, b in self.index.ancestors(*found) if b is not None)

    # -- helpers and tables -------------------------------------------------------------------
    def _helper_call(self, mf: ModuleFacts, call: HelperCall, seen: set) -> Iterator[Endpoint]:
        helper, receiver_expr = self._find_helper(mf, call.func)
        if helper is None:
            return
        bound = _bind(helper, call, method=receiver_expr is not None)
        if receiver_expr is not None:
            bound["self"] = ArgFact(name=receiver_expr)
        receiver = _arg_name(bound.get(helper.receiver or "")) if helper.receiver in helper.params else helper.receiver
        decorators = list(helper.fixed_decorators)
        if helper.decorators:
            given = bound.get(helper.decorators)
            decorators += _arg_names(given) if given is not None else helper.defaults.get(helper.decorators, [])
        label = f"{call.func.lstrip(':')}(...)"
        helper_info = (f"{label} applies {', '.join('@' + _written(d) for d in decorators)}", mf.relpath, call.line) \
            if decorators else None
        endpoint = call.kwargs["endpoint"].string if "endpoint" in call.kwargs else None
        for view, rules, tail in _helper_views(helper, bound):
            yield from self._target(mf, receiver, view, rules, None, endpoint, helper_info,
                                    decorators, seen, tail=tail)

    def _find_helper(self, mf: ModuleFacts, func: str) -> tuple[HelperDef | None, str | None]:
        """The helper a call names: a project function, or a method of a project class whose
        instance the call is made on (`api.add_org_resource(...)` with `api = ApiExt()`)."""
        index = self.index
        found = index.lookup(index.resolve_in(mf.module, func))
        if found is not None and found[1] in found[0].helpers:
            return found[0].helpers[found[1]], None
        obj, _, method = func.rpartition(".")
        if not obj:
            return None, None
        holder = index.lookup(index.resolve_in(mf.module, obj))
        if holder is None or holder[1] not in holder[0].instances:
            return None, None
        cls = index.class_facts(index.resolve_in(holder[0].module, holder[0].instances[holder[1]]))
        if cls is None:
            return None, None
        chain = [(cls[0], cls[1])] + [(m, b) for _, m, b in index.ancestors(*cls) if b is not None]
        for mod, klass in chain:
            owner = index.modules.get(mod)
            name = next((n for n, c in owner.classes.items() if c is klass), None) if owner else None
            helper = owner.helpers.get(f"{name}.{method}") if owner and name else None
            if helper is not None:
                return helper, obj
        return None, None

    def _restx_endpoint(self, mf: ModuleFacts, receiver: str | None, name: str) -> str | None:
        """flask-restx names a namespace's resource `<namespace>_<snake_case class>`."""
        if receiver is None:
            return None
        found = self.index.lookup(self.index.resolve_in(mf.module, receiver))
        ns = found[0].namespace_names.get(found[1]) if found is not None else None
        return f"{ns}_{_snake(name)}" if ns else None

    def _helper_auth(self, mf: ModuleFacts, helper: tuple | None, decorators: list[str]) -> Auth | None:
        if helper is None:
            return None
        if any(self._is_auth(mf.module, d) for d in decorators):
            return Auth("helper", helper[0], helper[1], helper[2])
        return None

    def _table(self, module: str, table: str) -> list | None:
        found = self.index.lookup(self.index.resolve_in(module, table))
        if found is None:
            return None
        return found[0].route_tables.get(found[1])

    def _table_module(self, module: str, table: str | None) -> str:
        found = self.index.lookup(self.index.resolve_in(module, table)) if table else None
        return found[0].module if found else module

    # -- mounts, guards, public -------------------------------------------------------------------
    def _mount(self, module: str, receiver: str | None) -> "_Mount":
        if receiver is None:
            return _Mount(None, None, None, None)
        index = self.index
        qual = index.resolve_in(module, receiver)
        bp = index.blueprint(qual)
        if bp is not None:
            return _Mount(index.url_prefix(qual), qual.rsplit(".", 1)[-1], bp.name, qual)
        found = index.lookup(qual)
        if found is not None and found[1] in found[0].api_prefixes:  # an Api or a Namespace
            owner, prefix = found[0].api_prefixes[found[1]]
            outer = self._mount(found[0].module, owner) if owner is not None else _Mount("", None, None, None)
            for mf in index.modules.values():  # `api.add_namespace(ns, path=...)`
                for key, (api, path) in mf.api_prefixes.items():
                    if key.startswith("mount:") and index.resolve_in(mf.module, key[6:]) == qual:
                        prefix = path if path is not None else prefix
                        outer = self._mount(mf.module, api) if api else outer
            if prefix is None or outer.prefix is None:
                return _Mount(None, outer.blueprint, outer.blueprint_name, outer.blueprint_qual)
            return _Mount(_join(outer.prefix, prefix) if prefix else outer.prefix, outer.blueprint,
                          outer.blueprint_name, outer.blueprint_qual)
        root = receiver.lstrip(":").split(".")[0]
        if receiver.lstrip(":").rsplit(".", 1)[-1] in ("app", "application", "current_app") or (
                found is not None and found[1] in found[0].app_objects):
            return _Mount("", None, None, None)  # the Flask app
        # anything else (a blueprint made by a project class or factory, a parameter): its
        # prefix is not known
        return _Mount(None, None, None, None) if root else _Mount("", None, None, None)

    def _guards_by_target(self) -> dict[str, list[tuple[str, Any, ModuleFacts]]]:
        if self._guards is None:
            out: dict[str, list[tuple[str, Any, ModuleFacts]]] = {}
            for mf in self.index.modules.values():
                for guard in mf.guards:
                    if not self._guard_protects(mf, guard):
                        continue
                    target = self.index.resolve_in(mf.module, guard.target)
                    if guard.app_wide:  # before_app_request, or a hook on the Flask app
                        out.setdefault("*", []).append((target, guard, mf))
                    elif self.index.blueprint(target) is not None:
                        out.setdefault(target, []).append((target, guard, mf))
                    # on anything else (a blueprint made by a factory, an unknown object): the
                    # routes it covers are not known, so it protects none of them
            self._guards = out
        return self._guards

    def _guard_protects(self, mf: ModuleFacts, guard: Any) -> bool:
        if guard.protects:
            return True
        if guard.handler is None:
            return False
        found = self.index.lookup(self.index.resolve_in(mf.module, guard.handler))
        return found is not None and found[1] in found[0].guard_functions

    def _guard_auth(self, mount: "_Mount") -> Auth | None:
        guards = self._guards_by_target()
        chain = list(self._blueprint_chain(mount.blueprint_qual)) if mount.blueprint_qual else []
        for bp in chain:
            for target, guard, mf in guards.get(bp, []):
                name = self.index.blueprint(bp)
                return Auth("guard", f"before_request `{guard.handler or '?'}` on blueprint "
                                     f"`{name.name if name and name.name else bp.rsplit('.', 1)[-1]}`",
                            mf.relpath, guard.line or None)
        for target, guard, mf in guards.get("*", []):
            return Auth("guard", f"app-wide before_request `{guard.handler or '?'}`", mf.relpath, guard.line or None)
        return None

    def _blueprint_chain(self, qual: str) -> Iterator[str]:
        """The blueprint and every blueprint it is registered on (their guards run too)."""
        seen = set()
        todo = [qual]
        while todo:
            bp = todo.pop()
            if bp in seen:
                continue
            seen.add(bp)
            yield bp
            for mod, reg in self.index.registrations_of(bp):
                parent = self.index.resolve_in(mod, reg.receiver)
                if self.index.blueprint(parent) is not None:
                    todo.append(parent)

    def _public(self, rule: str | None, function: str, endpoint: str | None, extra: tuple = (),
                tail: str | None = None) -> Auth | None:
        """`public-routes` entries (endpoint, function, URL), then the defaults, which judge the
        last segments of the URL: of the rule as written when the prefix is unknown."""
        candidates = [c for c in (endpoint, function, rule, *extra) if c]
        for pattern in self.settings.public_routes:
            if any(fnmatch.fnmatchcase(c, pattern) for c in candidates):
                return Auth("public", f"public-routes: {pattern}")
        why = default_public(rule or tail, function)
        if why is not None:
            return Auth("public", f"public by default: {why}")
        return None

    def _none(self, mount: "_Mount", misplaced: str | None, view_class: bool = False) -> Auth:
        looked = ["no auth decorator" if not misplaced else f"@{_written(misplaced)} is above the route decorator"]
        if view_class:
            looked.append("no auth in the class decorators")
        looked.append(f"no guard on blueprint `{mount.blueprint_name}`" if mount.blueprint_name else "no app guard")
        looked.append("not in public-routes")
        return Auth("none", ", ".join(looked))

    def _is_auth(self, module: str, expr: str) -> bool:
        if not expr:
            return False
        last = expr.rsplit(".", 1)[-1]
        if last in self.auth_names:
            return True
        return self.index.is_auth_decorator(self.index.resolve_in(module, expr), self.auth_names)


@dataclass(frozen=True)
class _Mount:
    prefix: str | None  # None: unknown
    blueprint: str | None  # the blueprint's variable (endpoint prefixes use its name)
    blueprint_name: str | None
    blueprint_qual: str | None


def _join(prefix: str | None, rule: str | None) -> str | None:
    if prefix is None or rule is None:
        return None
    if not prefix:
        return rule
    return prefix.rstrip("/") + ("/" + rule.lstrip("/") if rule.strip("/") else rule if rule else "")


def _cell(cell: str | None, kind: str) -> str | None:
    """A route table cell's name (`n:`) or string (`s:`), when it is of that kind."""
    return cell[2:] if cell and cell.startswith(kind) else None


def _for_anonymous(expr: str) -> bool:
    """`anonymous_user_required`, `anonymous_required`: a view meant for logged-out users."""
    return ANONYMOUS_WORD in expr.rsplit(".", 1)[-1].lower()


def _snake(name: str) -> str:
    """flask-restx's camel_to_dash: `AdminUsersByID` -> `admin_users_by_id`."""
    step = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", step).lower()


def _written(expr: str) -> str:
    return expr[2:] if expr.startswith("::") else expr


def default_public(rule: str | None, function: str) -> str | None:
    """Why a route is public by default (RULES.md FLK501), or None."""
    if function in PUBLIC_FUNCTIONS:
        return f"function `{function}`"
    if not rule:
        return None
    # `/reset_password` is the same endpoint as `/reset-password` to a reader
    segments = [s.replace("_", "-") for s in rule.split("/") if s]
    if not segments:
        return None
    for tail in ("/" + segments[-1], "/" + "/".join(segments[-2:])):
        if tail in PUBLIC_EXACT:
            return tail
    for i in range(len(segments)):
        tail = "/" + "/".join(segments[i:]) + ("/" if rule.endswith("/") or i < len(segments) - 1 else "")
        for prefix in PUBLIC_PREFIXES:
            if tail.startswith(prefix):
                return prefix + ("..." if not prefix.endswith("/") else "")
    for end in PUBLIC_ENDS:
        if ("/" + "/".join(segments)).endswith(end):
            return "..." + end
    return None


def _bind(helper: HelperDef, call: HelperCall, method: bool = False) -> dict[str, ArgFact]:
    bound: dict[str, ArgFact] = {}
    params = helper.params[1:] if method else helper.params
    for param, arg in zip(params, call.args):
        bound[param] = arg
    if helper.rule and helper.rule.startswith("*"):  # the arguments past the named ones
        bound[helper.rule] = ArgFact(items=list(call.args[len(params):]))
    bound.update((k, v) for k, v in call.kwargs.items() if k in helper.params)
    return bound


def _arg_name(arg: ArgFact | None) -> str | None:
    return arg.name if arg is not None else None


def _arg_names(arg: ArgFact | None) -> list[str]:
    if arg is None:
        return []
    if arg.items is not None:
        return [n for item in arg.items for n in ([item.name] if item.name else [item.call] if item.call else [])]
    return [arg.name] if arg.name else [arg.call] if arg.call else []


def _helper_views(helper: HelperDef, bound: dict[str, ArgFact]) -> Iterator[tuple[str, list[str | None], str | None]]:
    """(view, rules, the literal tail of a run-time rule) the call registers through the helper."""
    view, rule = helper.view or "", helper.rule
    if view.startswith("@table:") and rule and rule.startswith("@table:"):
        _, table, view_pos = view.split(":")
        rule_pos = rule.split(":")[2]
        rows = bound.get(table)
        for row in (rows.items or []) if rows is not None else []:
            cells = row.items or []
            if len(cells) < 2:
                continue
            v, r = cells[int(view_pos)], cells[int(rule_pos)]
            if v.name:
                yield v.name, [r.string if r.string is not None else None], None
        return
    target = bound.get(view) if view in helper.params else ArgFact(name=view) if view else None
    if target is None or not target.name:
        return
    if rule and rule.startswith("*"):  # `*urls`: the call's remaining string arguments
        strings = [i.string for i in (bound[rule].items or []) if i.string is not None] if rule in bound else []
        if helper.rule_built:  # rewritten at run time: unknown, judged by its literal tail
            for text in strings or [None]:
                yield target.name, [None], text
        else:
            yield target.name, list(strings) or [None], None
        return
    if rule in helper.params:
        given = bound.get(rule)
        if given is None:
            rules: list[str | None] = [None]
        elif given.items is not None:
            rules = [i.string for i in given.items]
        else:
            rules = [given.string]
    else:
        rules = list(helper.rules) or [None]
    yield target.name, rules, None
