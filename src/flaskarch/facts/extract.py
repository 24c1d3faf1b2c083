"""Taking a module's facts with the stdlib ``ast`` (a tenth of libcst's parse cost).

The facts depend only on the file's bytes, so they are cached per file by content hash.
"""

from __future__ import annotations

import ast
import functools
import re
from typing import Iterator

from flaskarch.facts.model import (
    ArgFact,
    BlueprintFacts,
    ClassFacts,
    Guard,
    HelperCall,
    HelperDef,
    ModuleFacts,
    Registration,
    RouteDecl,
    ViewFacts,
    ViewRegistration,
)
from flaskarch.facts.vocab import (
    AUTH_HINTS,
    GUARD_HANDLER_WORDS,
    HTTP_METHODS,
    NOT_FLASK_ROOTS,
    REQUEST_IDENTITY_ROOTS,
    REQUIRED_AUTH_WORDS,
    VERIFY_CALLS,
    AUTH_OBJECT_FACTORIES,
    BOOL_TYPES,
    COLUMN_FUNCTIONS,
    DB_FACTORIES,
    ENGINE_FACTORIES,
    GUARD_DECORATOR_WORDS,
    INT_TYPES,
    OTHER_ORM_ROOTS,
    RELATIONSHIP_FUNCTIONS,
    RESPONSE_CONSTRUCTORS,
    SESSION_CLASSES,
    SESSION_FACTORIES,
    SQLA_ROOTS,
)


def dotted(node: ast.AST | None) -> str | None:
    """`a.b.c` for a Name/Attribute chain; a call `f(...)` gives its function's name."""
    if isinstance(node, ast.Call):
        node = node.func
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _str_const(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _kw(call: ast.Call, name: str) -> ast.AST | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def resolve_relative(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute module named by `from <dots><target> import ...` inside `module`."""
    parts = module.split(".") if module else []
    if not is_package:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: len(parts) - (level - 1)] if level - 1 <= len(parts) else []
    if target:
        parts = parts + target.split(".")
    return ".".join(parts)


def extract_facts(source: str | bytes, module: str, relpath: str, is_package: bool) -> ModuleFacts:
    """Facts of one module; a module that does not parse gives empty facts."""
    facts = ModuleFacts(module=module, relpath=relpath, is_package=is_package)
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        facts.parse_ok = False
        facts.syntax_error = (exc.lineno or 1, exc.offset or 1, exc.msg)
        return facts
    except ValueError as exc:  # null bytes on Python < 3.12
        facts.parse_ok = False
        facts.syntax_error = (1, 1, str(exc))
        return facts
    text = source if isinstance(source, str) else ""
    extractor = _Extractor(facts)
    extractor.registers = "add_url_rule" in text or "add_resource" in text  # may define helpers
    extractor.makes_blueprints = "Blueprint" in text  # may define blueprint factories
    extractor.calls = any(word in text for word in _CALL_WORDS)
    extractor.binds_self_db = "self.session" in text or "self.db" in text
    extractor.bp_regs = "register_blueprint" in text  # FLK602: follow what is registered
    extractor.run(tree, full=_needs_full_walk(text))
    facts.nested_imports = _NESTED_IMPORT.search(text) is not None
    if "Flask(" in text:
        facts.creates_app = _creates_app(tree, extractor._imported_name)
    return facts


APP_CLASSES = frozenset({"flask.Flask", "flask.app.Flask", "apiflask.APIFlask", "flask_openapi3.OpenAPI"})
BLUEPRINT_CLASSES = frozenset({"Blueprint", "APIBlueprint"})
# calls whose value is whatever a string names (`getattr(module, "bp")`, `import_module(name).bp`)
DYNAMIC_CALLS = frozenset({"getattr", "import_module", "__import__", "import_string", "load_object", "eval"})


def _creates_app(tree: ast.Module, imported) -> bool:
    """A `Flask(...)` call anywhere (module level or in a factory function)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = dotted(node.func)
            if name and (imported(name) in APP_CLASSES or name in ("Flask", "APIFlask")):
                return True
    return False


# Facts that can sit anywhere in a module (not only at its top level) need a full walk; a
# module that mentions none of these words has none of them. Plain substring tests first:
# one regex alternation tried at every offset cost more than the walk it saved.
_FULL_WALK_WORDS = ("register_blueprint", "before_request", "before_app_request", "add_url_rule",
                    "add_resource", "as_view", "model_validate", "from_orm", "response_model", "route",
                    "add_namespace")
# Facts found in calls anywhere in an expression (registrations, guards in call form, response
# models): only modules with one of these words have their expressions walked
_CALL_WORDS = ("register_blueprint", "before_request", "before_app_request", "add_url_rule", "add_resource",
               "as_view", "model_validate", "from_orm", "response_model", "add_namespace")
_VERBS = (".get(", ".post(", ".put(", ".patch(", ".delete(")
_VERB_DECORATOR = re.compile(r"^\s*@[\w.]+\.(?:get|post|put|patch|delete)\(", re.MULTILINE)
_ORM_WORDS = ("sqlalchemy", "peewee", "pony", "mongoengine", "tortoise", "pymongo")
_ORM_IMPORT = re.compile(r"\bimport\b.*(sqlalchemy|peewee|pony|mongoengine|tortoise|pymongo)")


_NESTED_IMPORT = re.compile(r"^[ \t]+(?:from|import)[ \t]", re.MULTILINE)


def _needs_full_walk(source: str) -> bool:
    if any(word in source for word in _FULL_WALK_WORDS):
        return True
    if "@" in source and any(verb in source for verb in _VERBS) and _VERB_DECORATOR.search(source):
        return True  # `@bp.post("/x")`
    return any(word in source for word in _ORM_WORDS) and _ORM_IMPORT.search(source) is not None


Scope = tuple[tuple[str, ...], dict[str, str]]  # (enclosing def/class names, local imports)
_TOP: Scope = ((), {})
ROUTE_METHODS: dict[str, str | None] = {"route": None, **HTTP_METHODS}  # decorator name -> its method
REGISTER_CALLS = ("add_url_rule", "add_resource", "register")


_BODIES = ("body", "handlers", "orelse", "finalbody", "cases")  # where nested statements are


def _own_expressions(node: ast.AST) -> Iterator[ast.AST]:
    """The expressions of a statement, not those of the statements nested in it."""
    for name, value in ast.iter_fields(node):
        if name in _BODIES:
            continue
        if isinstance(value, ast.AST):
            yield value
        elif isinstance(value, list):
            yield from (v for v in value if isinstance(v, ast.AST))


class _Extractor:
    def __init__(self, facts: ModuleFacts) -> None:
        self.f = facts
        self.registers = True  # the module may define helpers that register views
        self.makes_blueprints = True  # ... or functions that make blueprints
        self.calls = True  # walk expressions for calls
        self.bp_regs = True  # the module may register blueprints (FLK602's facts)
        self.binds_self_db = True  # may bind `self.session` / `self.db` (the session rules)
        # FLK602: per function (its scope path), how it binds each local name: "blueprint"
        # (only `Blueprint(...)` calls), "list:<a>,<b>" (one literal list of names), "dynamic"
        self._fn_locals: dict[tuple[str, ...], dict[str, str]] = {}
        self._module_dynamic: set[str] = set()  # module-level names bound at run time
        self._loop_calls: set[int] = set()  # register_blueprint calls a loop already followed

    def run(self, tree: ast.Module, full: bool = True) -> None:
        self._pending_guard_names: list[tuple[int, str]] = []
        self._walk(tree, full)
        self._finish_guards()
        # `bp.before_request(fn)`: judge fn once the whole module is read
        fns = {}
        if self._pending_guard_names:  # module-level handlers, or ones defined inside create_app()
            fns = {n.name: n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
            fns.update((n.name, n) for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))
        for idx, name in self._pending_guard_names:
            fn = fns.get(name)
            if fn is not None and is_guard(fn):
                self.f.guards[idx].protects = True

    def _walk(self, tree: ast.Module, full: bool) -> None:
        self._app_names: set[str] = {"app", "application", "current_app"}
        self._bp_factories: dict[str, tuple[list[str], str | None, str | None, str | None, str | None]] = {}
        for stmt in _module_level(tree.body):
            self._statement(stmt)
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                self._orm_import(stmt)
            elif not full and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                self._helper_call(stmt.value, _TOP)  # `configure_api(bp, ROUTES, ...)` anywhere
        self._not_flask = any(t.split(".")[0] in NOT_FLASK_ROOTS for t in self.f.imports.values())
        if not full:
            return
        if self.bp_regs:
            self._module_dynamic = _dynamic_module_names(tree)
            self.f.dynamic_registrations.extend(_register_as_value(tree))
        # one walk of the statements, knowing the enclosing defs and their local imports
        # (`create_app()` importing and registering blueprints, views defined inside it); the
        # expressions of a statement are walked for calls only where the module has call words
        stack: list[tuple[ast.AST, Scope]] = [(child, _TOP) for child in reversed(tree.body)]
        while stack:
            node, scope = stack.pop()
            inner = scope
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                self._orm_import(node)
            elif isinstance(node, ast.For):
                if self.bp_regs:
                    self._blueprint_loop(node, scope)
                self._registration_loop(node, scope)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._handler(node, scope)
                self._function(node, scope)
                inner = (scope[0] + (node.name,), {**scope[1], **self._local_imports(node)})
                if self.bp_regs:
                    self._fn_locals[inner[0]] = _function_bindings(node)
            elif isinstance(node, ast.ClassDef):
                inner = (scope[0] + (node.name,), scope[1])
            elif isinstance(node, ast.Return) and node.value is not None:
                self._response_use(node.value)
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                self._helper_call(node.value, scope)
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                self._local_object(node, scope)
            if self.calls:
                for expr in _own_expressions(node):
                    for sub in ast.walk(expr):
                        if isinstance(sub, ast.Call):
                            self._call(sub, scope)
            children = [child for field in _BODIES for child in getattr(node, field, ())]
            children.reverse()
            stack += [(child, inner) for child in children]

    def _local_imports(self, fn: ast.FunctionDef | ast.AsyncFunctionDef, deep: bool = False) -> dict[str, str]:
        out: dict[str, str] = {}
        body = [n for n in ast.walk(fn) if isinstance(n, (ast.Import, ast.ImportFrom))] if deep else _module_level(fn.body)
        for stmt in body:
            if isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    out[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
            elif isinstance(stmt, ast.ImportFrom):
                base = (resolve_relative(self.f.module, self.f.is_package, stmt.level, stmt.module)
                        if stmt.level else (stmt.module or ""))
                for alias in stmt.names:
                    if alias.name != "*":
                        out[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name
        return out

    def _local_object(self, node: ast.Assign, scope: Scope) -> None:
        """`app = Flask(__name__)` (its guards are app-wide) and, inside functions,
        `api = Api(app, prefix="/api/v1")` (its resources get the prefix)."""
        callee = (dotted(node.value.func) or "").rsplit(".", 1)[-1]  # type: ignore[attr-defined]
        names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        if callee == "Flask":
            self._app_names.update(names)
        elif callee in ("Api", "Namespace") and scope[0]:
            self._assignment([n for n in names if n not in self.f.api_prefixes], node.value)

    def _finish_guards(self) -> None:
        for guard in self.f.guards:
            if guard.target.split(".")[0] in self._app_names:
                guard.app_wide = True

    @staticmethod
    def _q(expr: str | None, scope: Scope) -> str | None:
        """An expression as written, made absolute (`::pkg.mod.name`) when a local import of
        the enclosing function binds its first name."""
        if expr is None:
            return None
        root, _, rest = expr.partition(".")
        target = scope[1].get(root)
        if target is None:
            return expr
        return "::" + target + ("." + rest if rest else "")

    def _response_use(self, value: ast.expr) -> None:
        for sub in ast.walk(value):
            if (
                isinstance(sub, ast.Call)
                and isinstance(sub.func, ast.Attribute)
                and sub.func.attr in RESPONSE_CONSTRUCTORS
            ):
                name = dotted(sub.func.value)
                if name:
                    self.f.response_uses.append(name)

    # module-level bindings
    def _statement(self, stmt: ast.stmt) -> None:
        f = self.f
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    f.imports[alias.asname] = alias.name
                else:
                    root = alias.name.split(".")[0]
                    f.imports[root] = root
        elif isinstance(stmt, ast.ImportFrom):
            base = (
                resolve_relative(f.module, f.is_package, stmt.level, stmt.module)
                if stmt.level
                else (stmt.module or "")
            )
            for alias in stmt.names:
                if alias.name == "*":
                    f.star_imports.append(base)
                else:
                    f.imports[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if names and stmt.value is not None:
                self._assignment(names, stmt.value)
        elif isinstance(stmt, ast.ClassDef):
            f.classes[stmt.name] = self._class(stmt)
            for deco in stmt.decorator_list:
                if (dotted(deco) or "").endswith("as_declarative"):
                    f.declarative_bases.append(stmt.name)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            factory = _blueprint_factory(stmt, self._imported_name) if self.makes_blueprints else None
            if factory is not None:
                self._bp_factories[stmt.name] = factory
            wrapped = _wrapped_decorators(stmt)
            if wrapped:  # names bound by imports inside the decorator (`import a.b as m; @m.x`)
                local = self._local_imports(stmt, deep=True)
                wrapped = [self._q(w, ((), local)) or w for w in wrapped] if local else wrapped
            f.functions[stmt.name] = wrapped
            f.function_lines[stmt.name] = stmt.lineno
            if _inline_auth_check(stmt):
                f.checking_functions.append(stmt.name)
            if stmt.decorator_list:
                f.function_decorators[stmt.name] = [dotted(d) or "" for d in stmt.decorator_list]
            if _mentions(stmt.name, GUARD_HANDLER_WORDS) and denies_unauthenticated(stmt):
                f.guard_functions.append(stmt.name)
            if _is_factory(stmt):
                f.decorator_factories.append(stmt.name)
            if _is_guard_decorator(stmt):
                f.guard_decorators.append(stmt.name)

    def _assignment(self, names: list[str], value: ast.expr) -> None:
        f = self.f
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in self._bp_factories:
            self._factory_blueprint(names, value, self._bp_factories[value.func.id])
            return
        if isinstance(value, (ast.List, ast.Tuple)):
            cells = _name_rows(value)  # `BLUEPRINTS = [auth_bp, users.bp]` (FLK602)
            if cells is not None:
                for n in names:
                    f.name_lists[n] = cells
            rows = _table_rows(value)  # `ROUTES = [("/login", LoginView), ...]`
            if rows is not None and any((c or "").startswith("s:/") for r in rows for c in r):
                for n in names:
                    f.route_tables[n] = rows
        if isinstance(value, ast.Call):
            func = dotted(value.func) or ""
            last = func.rsplit(".", 1)[-1]
            if self._other_orm(func):
                f.other_orm_objects.extend(names)  # `db = FlaskDB(app)`: not SQLAlchemy's `db`
                return
            if self._imported_name(func).rsplit(".", 1)[-1] == "Blueprint":
                last = "Blueprint"  # `from flask_smorest import Blueprint as APIBlueprint`
            if last in DB_FACTORIES:
                f.db_objects.extend(names)
            elif last in SESSION_FACTORIES or last in SESSION_CLASSES or func in f.session_objects:
                f.session_objects.extend(names)  # a factory, or a session made by one
            elif last in ENGINE_FACTORIES:
                f.engine_objects.extend(names)
            elif last == "declarative_base":
                f.declarative_bases.extend(names)
            elif last in AUTH_OBJECT_FACTORIES:
                f.auth_objects.extend(names)
            elif last == "Flask":
                self._app_names.update(names)
                f.app_objects.extend(names)
            elif last == "Api" and func.split(".")[0] in ("flask_restful", "flask_restx", "flask_restplus", "Api",
                                                          "flask_smorest"):
                owner = dotted(value.args[0]) if value.args else dotted(_kw(value, "app"))
                prefix = _str_const(_kw(value, "prefix"))
                for n in names:
                    f.api_prefixes[n] = (owner, prefix or "")
            elif last == "Namespace":
                name = _str_const(value.args[0]) if value.args else _str_const(_kw(value, "name"))
                path = _kw(value, "path")
                for n in names:
                    f.api_prefixes[n] = (None, _str_const(path) if path is not None else f"/{name}" if name else None)
                    if name:
                        f.namespace_names[n] = name
            elif last == "Blueprint":
                name = _str_const(value.args[0]) if value.args else _str_const(_kw(value, "name"))
                prefix_node = _kw(value, "url_prefix")
                prefix = _str_const(prefix_node)
                unknown = prefix_node is not None and prefix is None and not (
                    isinstance(prefix_node, ast.Constant) and prefix_node.value is None)
                for n in names:
                    f.blueprints[n] = BlueprintFacts(name=name, url_prefix=prefix, prefix_unknown=unknown)
            elif last[:1].isupper() and func:  # `api = ApiExt()`: its methods may register views
                for n in names:
                    f.instances[n] = func
        elif isinstance(value, ast.Attribute) and value.attr == "session":
            f.session_objects.extend(names)
        elif isinstance(value, ast.Attribute) and value.attr == "engine":
            f.engine_objects.extend(names)
        elif isinstance(value, ast.Attribute) and value.attr == "Model":
            if (dotted(value.value) or "") not in f.other_orm_objects:
                f.declarative_bases.extend(names)

    def _other_orm(self, func: str) -> bool:
        """A callable of another ORM: imported from one, or a capitalised name a star import
        of one provides (`from peewee import *` ... `SqliteDatabase(...)`)."""
        if not func:
            return False
        qual = self._imported_name(func)
        if qual != func or "." in func:
            return qual.split(".")[0] in OTHER_ORM_ROOTS
        return func[:1].isupper() and any(m.split(".")[0] in OTHER_ORM_ROOTS for m in self.f.star_imports)

    def _imported_name(self, expr: str) -> str:
        """`APIBlueprint` -> `flask_smorest.Blueprint` when imported as an alias."""
        root, _, rest = expr.partition(".")
        target = self.f.imports.get(root)
        return (target + ("." + rest if rest else "")) if target else expr

    def _factory_blueprint(self, names: list[str], call: ast.Call, factory: tuple) -> None:
        """`emails = _api_factory("emails", "emails", partial(protect_blueprint, "emails"))`: a
        blueprint made by a factory of this module, with the guard the call passes in."""
        params, name_param, prefix_param, prefix_literal, guard_param = factory
        bound = dict(zip(params, call.args))
        bound.update((kw.arg, kw.value) for kw in call.keywords if kw.arg)
        name = _str_const(bound.get(name_param)) if name_param else None
        prefix = prefix_literal if prefix_param is None else _str_const(bound.get(prefix_param))
        unknown = prefix_param is not None and prefix is None and bound.get(prefix_param) is not None
        unknown = unknown or prefix_literal == "?"
        guard = bound.get(guard_param) if guard_param else None
        if isinstance(guard, ast.Call) and (dotted(guard.func) or "").rsplit(".", 1)[-1] == "partial" and guard.args:
            guard = guard.args[0]  # `partial(protect_blueprint, "emails")`
        handler = dotted(guard) if guard is not None and not (isinstance(guard, ast.Constant)) else None
        for n in names:
            self.f.blueprints[n] = BlueprintFacts(name=name, url_prefix=None if unknown or prefix == "?" else prefix,
                                                  prefix_unknown=unknown)
            if handler:
                self.f.guards.append(Guard(n, False, False, handler, call.lineno))

    def _class(self, node: ast.ClassDef) -> ClassFacts:
        cf = ClassFacts(bases=[d for d in (dotted(b) for b in node.bases) if d], line=node.lineno)
        cf.data_class = any(
            (dotted(d.func if isinstance(d, ast.Call) else d) or "").rsplit(".", 1)[-1] in DATA_CLASS_DECORATORS
            for d in node.decorator_list)
        for deco in node.decorator_list:  # `@ns.route("/users")` on a Resource
            route = _route_decl(deco, lambda e: e)
            if route is not None:
                route.methods = [] if isinstance(deco, ast.Call) and _kw(deco, "methods") is None else route.methods
                cf.routes.append(route)
        for stmt in node.body:
            if isinstance(stmt, ast.ClassDef) and stmt.name == "Meta":
                _meta(stmt, cf)
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                for t in targets:
                    if isinstance(t, ast.Name):
                        _column(t.id, stmt, cf)
                        if isinstance(stmt, ast.AnnAssign) and not isinstance(stmt.value, ast.Call):
                            cf.annotated[t.id] = "int" if _int_annotation(stmt.annotation) else "other"
                    if not isinstance(t, ast.Name) or stmt.value is None:
                        continue
                    if t.id in ("decorators", "method_decorators"):
                        cf.explicit.append(t.id)
                    if t.id == "decorators":
                        cf.decorators.extend(_decorator_names(stmt.value))
                        cf.decorator_refs.extend(_decorator_refs(stmt.value))
                    elif t.id == "method_decorators":
                        if isinstance(stmt.value, ast.Dict):
                            for k, v in zip(stmt.value.keys, stmt.value.values):
                                key = _str_const(k)
                                if key is not None:
                                    cf.method_decorators.setdefault(key.lower(), []).extend(_decorator_names(v))
                        else:
                            cf.method_decorators.setdefault("*", []).extend(_decorator_names(stmt.value))
                    elif t.id == "__abstract__":
                        cf.abstract = True
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if self.binds_self_db:  # only modules that mention `self.session` / `self.db`
                    _self_bindings(stmt, cf)
                if _declared_relationship(stmt):
                    cf.relationships.append(stmt.name)  # `@declared_attr def tags(cls): return relationship(...)`
                cf.methods.append(stmt.name)
                if stmt.name in ROUTE_METHODS and stmt.name != "route":
                    cf.method_facts[stmt.name] = _view_facts(stmt, f"{node.name}.{stmt.name}", lambda e: e)
        return cf

    def _orm_import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.ImportFrom):
            mods = [node.module or ""] if not node.level else []
        else:
            mods = [a.name for a in node.names]
        for mod in mods:
            root = mod.split(".")[0]
            if root in SQLA_ROOTS:
                self.f.imports_sqlalchemy = True
            elif root in OTHER_ORM_ROOTS:
                self.f.imports_other_orm = True

    # -- views and routes ---------------------------------------------------------------
    def _function(self, fn: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope) -> None:
        """A function with route decorators is a view; module-level ones are remembered with
        their line (guards and helpers are found by name from other modules)."""
        if not scope[0] and self.registers:
            helper = _helper_def(fn)
            if helper is not None:
                self.f.helpers[fn.name] = helper
        in_class = bool(scope[0]) and scope[0][-1] in self.f.classes and len(scope[0]) == 1
        if in_class and self.registers and fn.args.args and fn.args.args[0].arg == "self":
            helper = _helper_def(fn)  # `class ApiExt(Api): def add_org_resource(self, resource, *urls)`
            if helper is not None and helper.receiver == "self":
                self.f.helpers[f"{scope[0][-1]}.{fn.name}"] = helper
        if in_class or self._not_flask:
            return  # methods: taken with their class; FastAPI routers are not Flask routes
        view = _view_facts(fn, ".".join(scope[0] + (fn.name,)), lambda e: self._q(e, scope))
        if view.routes:
            self.f.views.append(view)

    def _view_registration(self, call: ast.Call, scope: Scope) -> None:
        func = call.func
        attr = func.attr if isinstance(func, ast.Attribute) else None
        args = list(call.args) + [kw.value for kw in call.keywords]
        view = None
        endpoint = None
        for arg in args:
            if (
                isinstance(arg, ast.Call)
                and isinstance(arg.func, ast.Attribute)
                and arg.func.attr == "as_view"
            ):
                view = dotted(arg.func.value)
                endpoint = _str_const(arg.args[0]) if arg.args else _str_const(_kw(arg, "name"))
        if attr == "add_resource" and call.args:
            view = dotted(call.args[0])
        elif attr == "add_url_rule" and view is None:
            target = _kw(call, "view_func") or (call.args[2] if len(call.args) > 2 else None)
            view = dotted(target) if isinstance(target, (ast.Name, ast.Attribute)) else None
        if view is None:
            return
        if attr in REGISTER_CALLS:
            receiver = dotted(func.value)  # type: ignore[union-attr]
        else:  # `register_view(bp, routes=[...], view_func=...)`
            receiver = dotted(call.args[0]) if call.args else None
        rules: list[str] = []
        unknown = False
        partial = None
        parts: list[str] = []
        rule_args = list(call.args[1:] if attr == "add_resource" else call.args[:1]) if attr in REGISTER_CALLS \
            else args
        if attr in REGISTER_CALLS and _kw(call, "rule") is not None:
            rule_args.append(_kw(call, "rule"))  # type: ignore[arg-type]
        for arg in rule_args:
            if isinstance(arg, (ast.List, ast.Tuple)):
                rules.extend(e.value for e in arg.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
            elif _str_const(arg) is not None and (attr in REGISTER_CALLS or _str_const(arg).startswith("/")):  # type: ignore[union-attr]
                rules.append(_str_const(arg))  # type: ignore[arg-type]
            elif attr in REGISTER_CALLS and isinstance(arg, (ast.Call, ast.JoinedStr, ast.BinOp, ast.Name, ast.Attribute)):
                unknown = True  # `org_scoped_rule("/invite/<t>")`, f-strings, variables
                parts.extend(_rule_parts(arg))
                if isinstance(arg, ast.Call) and arg.args and (_str_const(arg.args[-1]) or "").startswith("/"):
                    partial = _str_const(arg.args[-1])
        endpoint = _str_const(_kw(call, "endpoint")) or endpoint
        decorators = _decorator_names(_kw(call, "decorators")) if _kw(call, "decorators") is not None else []
        self.f.view_registrations.append(ViewRegistration(
            self._q(receiver, scope), self._q(view, scope) or view, rules, _methods(call), decorators,
            unknown, endpoint, call.lineno, None if attr in REGISTER_CALLS else dotted(func), partial, parts))

    def _call(self, call: ast.Call, scope: Scope = _TOP) -> None:
        self._view_registration(call, scope)
        model = _kw(call, "response_model")
        if model is not None and dotted(model):
            self.f.response_uses.append(dotted(model))  # type: ignore[arg-type]
        func = call.func
        if not isinstance(func, ast.Attribute):
            return
        if func.attr == "register_blueprint" and (call.args or _kw(call, "blueprint") is not None):
            receiver = dotted(func.value)
            arg = call.args[0] if call.args else _kw(call, "blueprint")
            bp = dotted(arg)
            prefix_node = _kw(call, "url_prefix")
            if receiver and bp:
                self.f.registrations.append(Registration(
                    self._q(receiver, scope) or receiver, self._q(bp, scope) or bp, _str_const(prefix_node),
                    prefix_node is not None))
            if self.bp_regs and id(call) not in self._loop_calls:
                self._registered(arg, scope, call.lineno, plain=bool(receiver and bp))
        elif func.attr in ("before_request", "before_app_request") and call.args:
            target = dotted(func.value)
            fn_name = dotted(call.args[0])
            if target and fn_name:
                # resolved against the function's facts later: protects if it's a guard
                self.f.guards.append(Guard(self._q(target, scope) or target, func.attr == "before_app_request",
                                           False, self._q(fn_name, scope), call.lineno))
                self._pending_guard_names.append((len(self.f.guards) - 1, fn_name))
        elif func.attr == "add_namespace" and call.args:
            ns = dotted(call.args[0])
            api = dotted(func.value)
            path = _kw(call, "path")
            if ns and api:
                self.f.api_prefixes[f"mount:{ns}"] = (api, _str_const(path) if path is not None else None)

    # -- what is registered (FLK602) ---------------------------------------------------------
    def _local_kind(self, name: str, scope: Scope) -> str | None:
        """How the innermost enclosing function binding `name` binds it; None: not a local."""
        path = scope[0]
        while path:
            kinds = self._fn_locals.get(path)
            if kinds is not None and name in kinds:
                return kinds[name]
            path = path[:-1]
        return None

    def _registered(self, arg: ast.expr, scope: Scope, line: int, plain: bool = False) -> None:
        """The argument of a `register_blueprint` call: a blueprint the index can follow, or
        a dynamic registration (silences FLK602 for the project)."""
        f = self.f
        name = dotted(arg) if isinstance(arg, (ast.Name, ast.Attribute)) else None
        if name is not None:
            root = name.split(".")[0]
            if root in scope[1]:
                if not plain:
                    f.registered_names.append(self._q(name, scope) or name)
                return
            kind = self._local_kind(root, scope)
            if kind == "blueprint":
                return  # a blueprint made in the function itself: not a module-level one
            if kind is not None or root in self._module_dynamic:
                f.dynamic_registrations.append(f"{line}:`{name}` is set at run time")
                return
            if not plain:
                f.registered_names.append(name)
            return
        if isinstance(arg, ast.Call):
            callee = dotted(arg.func)
            if callee and callee.rsplit(".", 1)[-1] not in DYNAMIC_CALLS:
                root = callee.split(".")[0]
                if root in scope[1] or (self._local_kind(root, scope) is None and root not in self._module_dynamic):
                    f.registered_names.append("@call:" + (self._q(callee, scope) or callee))
                    return
        f.dynamic_registrations.append(f"{line}:the blueprint is computed")

    def _blueprint_loop(self, loop: ast.For, scope: Scope) -> None:
        """`for bp in (a_bp, b_bp): app.register_blueprint(bp)`, `for bp, prefix in [(a, "/a")]`,
        `for module in (auth, users): app.register_blueprint(module.bp)`, and loops over a named
        list (`for bp in BLUEPRINTS`, this module's, another's, or a local literal one)."""
        targets = [loop.target] if isinstance(loop.target, ast.Name) else list(getattr(loop.target, "elts", []))
        if not targets or not all(isinstance(t, ast.Name) for t in targets):
            return
        names = [t.id for t in targets]  # type: ignore[attr-defined]
        for node in ast.walk(loop):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "register_blueprint"):
                continue
            arg = node.args[0] if node.args else _kw(node, "blueprint")
            written = dotted(arg) if isinstance(arg, (ast.Name, ast.Attribute)) else None
            if written is None or written.split(".")[0] not in names:
                continue
            self._loop_calls.add(id(node))
            pos = names.index(written.split(".")[0])
            rest = written[len(written.split(".")[0]):]  # `.bp` of `module.bp`
            self._loop_registration(loop.iter, pos, len(names) > 1, rest, scope, node.lineno)

    def _loop_registration(self, source: ast.expr, pos: int, rows: bool, rest: str, scope: Scope, line: int) -> None:
        f = self.f
        if isinstance(source, (ast.List, ast.Tuple, ast.Set)):
            table = _name_rows(source)
            if table is None:
                f.dynamic_registrations.append(f"{line}:a loop over computed blueprints")
                return
            for row in table:
                cell = row[pos] if pos < len(row) and (rows or len(row) == 1) else None
                if cell is None:
                    f.dynamic_registrations.append(f"{line}:a loop over computed blueprints")
                    return
                f.registered_names.append(self._q(cell + rest, scope) or cell + rest)
            return
        name = dotted(source) if isinstance(source, (ast.Name, ast.Attribute)) else None
        if name is None:
            f.dynamic_registrations.append(f"{line}:a loop over computed blueprints")
            return
        root = name.split(".")[0]
        kind = None if root in scope[1] else self._local_kind(root, scope)
        if kind is not None and kind.startswith("list:") and name == root and not rows:
            for cell in kind[len("list:"):].split(","):
                f.registered_names.append(self._q(cell + rest, scope) or cell + rest)
            return
        if kind is not None or root in self._module_dynamic:
            f.dynamic_registrations.append(f"{line}:a loop over `{name}`, set at run time")
            return
        f.registered_names.append(f"@list:{pos if rows else -1}:{rest}:{self._q(name, scope) or name}")

    def _helper_call(self, call: ast.Call, scope: Scope) -> None:
        """`register_api(bp, UserAPI, "/users", decorators=[jwt_required()])`: a call that may
        be a project helper registering views (judged by the index against HelperDefs)."""
        func = dotted(call.func)
        if not func or func.rsplit(".", 1)[-1] in REGISTER_CALLS + ("register_blueprint",):
            return
        args = [_arg_fact(a, scope) for a in call.args]
        kwargs = {kw.arg: _arg_fact(kw.value, scope) for kw in call.keywords if kw.arg}
        if any(a.items is not None or (a.name or "").rsplit(".", 1)[-1][:1].isupper() for a in args) or any(
            "decorator" in k or k in ("view", "resource", "view_func", "routes", "url", "rule") for k in kwargs
        ):
            self.f.helper_calls.append(HelperCall(self._q(func, scope) or func, args, kwargs, call.lineno))

    def _registration_loop(self, loop: ast.For, scope: Scope = _TOP) -> None:
        """`for bp in [a_bp, b_bp]: app.register_blueprint(bp)` and route tables:
        `for rule, view in ROUTES: api.add_resource(view, rule)`."""
        if isinstance(loop.target, ast.Tuple) and len(loop.target.elts) == 2 and all(
            isinstance(e, ast.Name) for e in loop.target.elts
        ):
            self._table_loop(loop, scope)
            return
        if isinstance(loop.target, ast.Name) and isinstance(loop.iter, (ast.Name, ast.Attribute)):
            self._starred_table_loop(loop, scope)
        if not isinstance(loop.target, ast.Name) or not isinstance(loop.iter, (ast.List, ast.Tuple)):
            return
        var = loop.target.id
        for node in ast.walk(loop):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "register_blueprint"
                and node.args
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == var
            ):
                receiver = dotted(node.func.value)
                for elt in loop.iter.elts:
                    bp = dotted(elt)
                    if receiver and bp:
                        self.f.registrations.append(Registration(receiver, bp, None))

    def _starred_table_loop(self, loop: ast.For, scope: Scope) -> None:
        """`for route in API_ROUTES: api.add_resource(*route)` over `[(Resource, "/rule"), ...]`."""
        var = loop.target.id  # type: ignore[attr-defined]
        table = self._q(dotted(loop.iter), scope)
        for node in ast.walk(loop):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_resource"
                    and len(node.args) == 1 and isinstance(node.args[0], ast.Starred)
                    and isinstance(node.args[0].value, ast.Name) and node.args[0].value.id == var):
                self.f.view_registrations.append(ViewRegistration(
                    self._q(dotted(node.func.value), scope), f"@table:{table}:0:1", [], _methods(node), [],
                    False, None, node.lineno))

    def _table_loop(self, loop: ast.For, scope: Scope) -> None:
        names = [e.id for e in loop.target.elts]  # type: ignore[attr-defined]
        table = dotted(loop.iter)
        rows = _table_rows(loop.iter) if table is None else None
        for node in ast.walk(loop):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("add_resource", "add_url_rule")):
                continue
            receiver = self._q(dotted(node.func.value), scope)
            view_pos = rule_pos = None
            if node.func.attr == "add_resource" and len(node.args) >= 2:
                view_pos = names.index(node.args[0].id) if isinstance(node.args[0], ast.Name) and node.args[0].id in names else None
                rule_pos = names.index(node.args[1].id) if isinstance(node.args[1], ast.Name) and node.args[1].id in names else None
            elif node.func.attr == "add_url_rule" and node.args:
                rule_pos = names.index(node.args[0].id) if isinstance(node.args[0], ast.Name) and node.args[0].id in names else None
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "as_view" \
                            and isinstance(sub.func.value, ast.Name) and sub.func.value.id in names:
                        view_pos = names.index(sub.func.value.id)
            if view_pos is None or rule_pos is None:
                continue
            if rows is not None:
                for row in rows:
                    rule = row[rule_pos][2:] if (row[rule_pos] or "").startswith("s:") else None
                    view = row[view_pos][2:] if (row[view_pos] or "").startswith("n:") else None
                    if view is not None:
                        self.f.view_registrations.append(ViewRegistration(
                            receiver, self._q(view, scope) or view, [rule] if rule else [], _methods(node), [],
                            rule is None, None, node.lineno))
            elif table is not None:  # a table defined elsewhere (or above): the index joins them
                self.f.view_registrations.append(ViewRegistration(
                    receiver, f"@table:{self._q(table, scope)}:{view_pos}:{rule_pos}", [], _methods(node), [],
                    False, None, node.lineno))

    def _handler(self, fn: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope = _TOP) -> None:
        for deco in fn.decorator_list:
            name = dotted(deco)
            if not name or "." not in name:
                continue
            target, attr = name.rsplit(".", 1)
            if attr in ("before_request", "before_app_request"):
                self.f.guards.append(Guard(self._q(target, scope) or target, attr == "before_app_request",
                                           is_guard(fn), fn.name, fn.lineno))


def _methods(call: ast.Call) -> list[str] | None:
    """`methods=[...]` of a registration: ["GET"] by default, None when not literal."""
    node = _kw(call, "methods")
    if node is None:
        return ["GET"]
    out = []
    for e in getattr(node, "elts", None) or [None]:
        value = _str_const(e) or (dotted(e) or "").rsplit(".", 1)[-1]
        if not value:
            return None
        out.append(value.upper())
    return out


def _arg_fact(node: ast.expr, scope: Scope) -> ArgFact:
    if isinstance(node, (ast.List, ast.Tuple)):
        return ArgFact(items=[_arg_fact(e, scope) for e in node.elts[:64]])
    if _str_const(node) is not None:
        return ArgFact(string=_str_const(node))
    if isinstance(node, ast.Call):
        callee = dotted(node.func)
        return ArgFact(call=_Extractor._q(callee, scope) if callee else None)
    name = dotted(node)
    return ArgFact(name=_Extractor._q(name, scope) if name else None)


def _table_rows(node: ast.expr) -> list[list[str | None]] | None:
    """`[("/a", AView), ("/b", BView)]` -> rows of (string or dotted name); None if not a table."""
    if not isinstance(node, (ast.List, ast.Tuple)) or not node.elts:
        return None
    rows = []
    for elt in node.elts:
        if not isinstance(elt, (ast.Tuple, ast.List)) or len(elt.elts) < 2:
            return None
        rows.append([_cell(e) for e in elt.elts[:2]])
    return rows


def _name_rows(node: ast.expr) -> list[list[str | None]] | None:
    """`[a_bp, users.bp]` -> [["a_bp"], ["users.bp"]]; `[(a_bp, "/a"), ...]` -> rows of dotted
    names (None for other cells); None when no cell is a name (FLK602's blueprint lists)."""
    if not isinstance(node, (ast.List, ast.Tuple, ast.Set)) or not node.elts or len(node.elts) > 256:
        return None
    rows: list[list[str | None]] = []
    for elt in node.elts:
        if isinstance(elt, (ast.Tuple, ast.List)):
            rows.append([dotted(e) if isinstance(e, (ast.Name, ast.Attribute)) else None for e in elt.elts[:4]])
        else:
            rows.append([dotted(elt) if isinstance(elt, (ast.Name, ast.Attribute)) else None])
    if not any(cell for row in rows for cell in row):
        return None
    return rows


def _target_names(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Name):
        yield node.id
    elif isinstance(node, (ast.Tuple, ast.List)):
        for elt in node.elts:
            yield from _target_names(elt)
    elif isinstance(node, ast.Starred):
        yield from _target_names(node.value)


def _function_bindings(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, str]:
    """How a function binds its local names (nested functions' included: a wider net only
    makes FLK602 quieter): "blueprint" when only by `Blueprint(...)` calls, "list:a,b" for one
    literal list of names, else "dynamic" (parameters, loop targets, other values)."""
    out: dict[str, str] = {}
    args = fn.args
    for a in args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]:
        if a is not None:
            out[a.arg] = "dynamic"

    def bind(name: str, kind: str) -> None:
        out[name] = kind if name not in out else "dynamic"

    for node in ast.walk(fn):
        if node is fn:
            continue
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            value = node.value
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            kind = "dynamic"
            if isinstance(value, ast.Call) and (dotted(value.func) or "").rsplit(".", 1)[-1] in BLUEPRINT_CLASSES:
                kind = "blueprint"
            elif isinstance(value, (ast.List, ast.Tuple)) and value.elts and all(
                    isinstance(e, (ast.Name, ast.Attribute)) and dotted(e) for e in value.elts) \
                    and not isinstance(node, ast.AugAssign):
                kind = "list:" + ",".join(dotted(e) for e in value.elts)  # type: ignore[misc]
            for t in targets:
                for name in _target_names(t):
                    if kind == "blueprint" and out.get(name) == "blueprint":
                        continue
                    bind(name, kind)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            for name in _target_names(node.target):
                bind(name, "dynamic")
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            for name in _target_names(node.optional_vars):
                bind(name, "dynamic")
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bind(node.name, "dynamic")
    return out


def _register_as_value(tree: ast.Module) -> list[str]:
    """`map(app.register_blueprint, BLUEPRINTS)`, `partial(app.register_blueprint, ...)`: the
    method handed to other code, which registers what the index cannot see."""
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return [f"{n.lineno}:`register_blueprint` passed as a value" for n in ast.walk(tree)
            if isinstance(n, ast.Attribute) and n.attr == "register_blueprint" and id(n) not in called
            and isinstance(n.ctx, ast.Load)]


def _dynamic_module_names(tree: ast.Module) -> set[str]:
    """Module-level names bound at run time: loop and comprehension targets and what loops
    assign, and values of `getattr`/`import_module` calls (`bp = getattr(module, "bp")`)."""
    out: set[str] = {name for node in ast.walk(tree) if isinstance(node, ast.comprehension)
                     for name in _target_names(node.target)}
    for stmt in _module_level(tree.body):
        if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
            for node in ast.walk(stmt):
                if isinstance(node, (ast.For, ast.AsyncFor)):
                    out.update(_target_names(node.target))
                elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
                    for t in (node.targets if isinstance(node, ast.Assign) else [node.target]):
                        out.update(_target_names(t))
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
            if any(isinstance(n, ast.Call) and (dotted(n.func) or "").rsplit(".", 1)[-1] in DYNAMIC_CALLS
                   for n in ast.walk(stmt.value)):
                for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]):
                    out.update(_target_names(t))
    return out


def _cell(node: ast.expr) -> str | None:
    """A route table cell: `s:/login` for a string, `n:LoginView` for a name, None otherwise."""
    text = _str_const(node)
    if text is not None:
        return "s:" + text
    name = dotted(node)
    return "n:" + name if name else None


def _route_decl(deco: ast.expr, qualify) -> RouteDecl | None:
    """`@bp.route("/x", methods=[...])`, `@bp.post("/x")`, `@ns.route("/x")`; None otherwise."""
    if not isinstance(deco, ast.Call) or not isinstance(deco.func, ast.Attribute):
        return None
    verb = deco.func.attr
    if verb not in ROUTE_METHODS:
        return None
    rule_node = deco.args[0] if deco.args else _kw(deco, "rule")
    if rule_node is None:
        return None
    rule = _str_const(rule_node)
    if verb != "route" and rule is None:
        return None  # `requests.get(url)`-shaped decorators are not routes
    receiver = qualify(dotted(deco.func.value))
    methods = _methods(deco) if verb == "route" else [ROUTE_METHODS[verb]]  # type: ignore[list-item]
    if verb == "route" and _kw(deco, "methods") is None:
        methods = ["GET"]
    partial = None
    if rule is None and isinstance(rule_node, ast.Call) and rule_node.args and \
            (_str_const(rule_node.args[-1]) or "").startswith("/"):
        partial = _str_const(rule_node.args[-1])
    parts = _rule_parts(rule_node) if rule is None else []
    return RouteDecl(receiver, rule, methods, _str_const(_kw(deco, "endpoint")), deco.lineno, partial, parts)


def _rule_parts(node: ast.expr) -> list[str]:
    """The string literals of a URL rule built at run time: `PREFIX + "/<int:id>"`,
    `f"{PREFIX}/<int:id>"`, `"/%s/<int:id>" % kind` (FLK302 judges them where they are written)."""
    if isinstance(node, ast.BinOp):
        return _rule_parts(node.left) + _rule_parts(node.right)
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    text = _str_const(node)
    return [text] if text else []


def _view_facts(fn: ast.FunctionDef | ast.AsyncFunctionDef, name: str, qualify) -> ViewFacts:
    view = ViewFacts(name, fn.lineno, delegates=_delegates(fn), checks_auth=_inline_auth_check(fn))
    for i, deco in enumerate(fn.decorator_list):
        route = _route_decl(deco, qualify)
        if route is not None:
            view.routes.append(route)
            view.route_index.append(i)
        view.decorators.append(qualify(dotted(deco)) or "")
    return view



def _inline_auth_check(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """The view starts (within its first three statements) by denying a request without a
    user: `if "user_id" not in session: return redirect(...)`, `if not current_user.is_authenticated:
    abort(401)`, `verify_jwt_in_request()`. A `user is None` test on a record the view looked up
    is a not-found check, not auth."""
    body = [s for s in fn.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))][:3]
    for stmt in body:
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and \
                (dotted(stmt.value.func) or "").rsplit(".", 1)[-1] in VERIFY_CALLS:
            return True
        if isinstance(stmt, ast.If) and _missing_user(stmt.test) and _stops(stmt.body) and _about_the_caller(stmt.test):
            return True
    return False


def _about_the_caller(test: ast.expr) -> bool:
    for node in ast.walk(test):
        if isinstance(node, ast.Name) and node.id in REQUEST_IDENTITY_ROOTS:
            return True
        if isinstance(node, ast.Call) and _mentions(dotted(node.func) or "", ("jwt", "identity", "auth", "user")):
            return True  # `get_jwt_identity()`, `get_current_user()`
    return False


def _delegates(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`def post(self, *a): return super().post(*a)` (a docstring may stand before it)."""
    body = [s for s in fn.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if len(body) != 1 or not isinstance(body[0], ast.Return) or not isinstance(body[0].value, ast.Call):
        return False
    func = body[0].value.func
    return (isinstance(func, ast.Attribute) and func.attr == fn.name and isinstance(func.value, ast.Call)
            and isinstance(func.value.func, ast.Name) and func.value.func.id == "super")


def _helper_def(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> HelperDef | None:
    """A function registering views from its parameters (`def register_api(bp, view, url,
    decorators=None): bp.add_url_rule(url, view_func=view.as_view(...))`)."""
    args = fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs
    params = [a.arg for a in args]
    calls = [n for n in ast.walk(fn) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
             and n.func.attr in ("add_url_rule", "add_resource")]
    if not calls or not params:
        return None
    local_views: dict[str, str] = {}  # `view_func = view.as_view(name)` -> "view"
    tables: dict[str, tuple[str, list[str]]] = {}  # loop vars over a parameter table
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = node.value
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "as_view":
                local_views[node.targets[0].id] = dotted(value.func.value) or ""
        elif isinstance(node, ast.For) and isinstance(node.iter, ast.Name) and node.iter.id in params:
            if isinstance(node.target, ast.Tuple):
                tables[node.iter.id] = (node.iter.id, [e.id if isinstance(e, ast.Name) else "" for e in node.target.elts])
    call = calls[0]
    attr = call.func.attr  # type: ignore[attr-defined]
    receiver = dotted(call.func.value)  # type: ignore[attr-defined]
    if attr == "add_resource":
        view_node = call.args[0] if call.args else None
        rule_node = call.args[1] if len(call.args) > 1 else None
    else:
        rule_node = call.args[0] if call.args else _kw(call, "rule")
        view_node = _kw(call, "view_func") or (call.args[2] if len(call.args) > 2 else None)
    view = None
    if isinstance(view_node, ast.Call) and isinstance(view_node.func, ast.Attribute) and view_node.func.attr == "as_view":
        view = dotted(view_node.func.value)
    elif view_node is not None:
        view = dotted(view_node)
        view = local_views.get(view or "", view)
    rule = dotted(rule_node) if isinstance(rule_node, ast.Name) else None
    literal = _str_const(rule_node)
    built = False
    vararg = fn.args.vararg.arg if fn.args.vararg else None
    if vararg and isinstance(rule_node, ast.Starred) and isinstance(rule_node.value, ast.Name) \
            and rule_node.value.id == vararg:
        rule = "*" + vararg  # `def add_org_resource(self, resource, *urls)`: the call's other arguments
        built = any(isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == vararg for t in n.targets)
                    for n in ast.walk(fn))  # `urls = [org_scoped_rule(u) for u in urls]`: run-time URLs
    for table, (_, names) in tables.items():  # `for rule, view in routes:` over a parameter
        if view in names and rule in names:
            view = f"@table:{table}:{names.index(view)}"
            rule = f"@table:{table}:{names.index(rule)}"
    deco_param = next((p for p in params if "decorator" in p), None)
    defaults: dict[str, list[str]] = {}
    positional = fn.args.posonlyargs + fn.args.args
    for arg, default in zip(positional[len(positional) - len(fn.args.defaults):], fn.args.defaults):
        if arg.arg == deco_param:
            defaults[arg.arg] = _decorator_names(default)
    for arg, default in zip(fn.args.kwonlyargs, fn.args.kw_defaults):
        if arg.arg == deco_param and default is not None:
            defaults[arg.arg] = _decorator_names(default)
    fixed = []
    view_vars = {v for v in (view, *local_views) if v} | {"view_func", "view", "f"}
    loop_vars = {t.id for n in ast.walk(fn) if isinstance(n, ast.For) for t in ast.walk(n.target)
                 if isinstance(t, ast.Name)}
    for node in ast.walk(fn):  # `view_func = jwt_required()(view_func)`, `login_required(view)`
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in view_vars:
            callee = dotted(node.func)
            if callee and callee not in loop_vars and callee not in params and callee.rsplit(".", 1)[-1] not in (
                    "as_view", "add_url_rule", "add_resource", "setattr"):
                fixed.append(callee)
    return HelperDef(params, receiver, view, rule if rule else ("" if literal else None),
                     [literal] if literal else [], deco_param, fixed, defaults, built)


def _blueprint_factory(fn: ast.FunctionDef | ast.AsyncFunctionDef, imported=lambda name: name):
    """`def make_bp(name, prefix, auth=None): bp = Blueprint(name, ..., url_prefix=...);
    bp.before_request(auth); return bp`: (params, the name parameter, the prefix parameter, a
    literal prefix ("?" when built), the guard parameter); None for other functions."""
    if not fn.body or not isinstance(fn.body[-1], ast.Return) or not isinstance(fn.body[-1].value, ast.Name):
        return None
    var = fn.body[-1].value.id
    params = [a.arg for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs]
    made = None
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == var for t in node.targets) \
                and isinstance(node.value, ast.Call) and imported(dotted(node.value.func) or "").rsplit(".", 1)[-1] == "Blueprint":
            made = node.value
    if made is None:
        return None
    first = made.args[0] if made.args else _kw(made, "name")
    name_param = first.id if isinstance(first, ast.Name) and first.id in params else None
    prefix_node = _kw(made, "url_prefix")
    prefix_param = prefix_node.id if isinstance(prefix_node, ast.Name) and prefix_node.id in params else None
    literal = _str_const(prefix_node) if prefix_node is not None else ""
    if prefix_node is not None and prefix_param is None and literal is None:
        literal = "?"  # built at run time (`f"/v2/{url_prefix}"`)
    guard_param = None
    for node in ast.walk(fn):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "before_request" \
                and dotted(node.func.value) == var and node.args and isinstance(node.args[0], ast.Name) \
                and node.args[0].id in params:
            guard_param = node.args[0].id
    return params, name_param, prefix_param, literal, guard_param


def _is_factory(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`def require_permission(perm): def decorator(f): def wrapper(...): ...; return decorator`."""
    if not fn.body or not isinstance(fn.body[-1], ast.Return) or not isinstance(fn.body[-1].value, ast.Name):
        return False
    returned = fn.body[-1].value.id
    for stmt in fn.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == returned:
            return any(isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) for s in stmt.body)
    return False


# word boundaries: runs of other characters, and lower-to-upper case changes (`getUserId`)
_WORD_BOUNDARY = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")


def _mentions(name: str, words: tuple[str, ...]) -> bool:
    """A word of the name starts with one of `words` (`admin_required`, `users`, `authenticated`),
    so that `pgadmin` or `loginless` substrings do not count; multi-word entries (`api_key`)
    match consecutive words."""
    snake = _WORD_BOUNDARY.sub("_", name).lower()
    return _words_pattern(words).search(snake) is not None


@functools.lru_cache(maxsize=64)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?:^|_)(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")")


def _module_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements at module level, including those inside if/try/with blocks."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.If):
            yield from _module_level(stmt.body)
            yield from _module_level(stmt.orelse)
        elif isinstance(stmt, ast.Try):
            yield from _module_level(stmt.body)
            for h in stmt.handlers:
                yield from _module_level(h.body)
            yield from _module_level(stmt.orelse)
            yield from _module_level(stmt.finalbody)
        elif isinstance(stmt, ast.With):
            yield from _module_level(stmt.body)




def _column(name: str, stmt: ast.Assign | ast.AnnAssign, cf: ClassFacts) -> None:
    """Record a model column's integer-ness and primary key (`id = db.Column(db.Integer, ...)`,
    `id: Mapped[int] = mapped_column(primary_key=True)`)."""
    value = stmt.value
    if not isinstance(value, ast.Call):
        return
    func = (dotted(value.func) or "").rsplit(".", 1)[-1]
    if func in RELATIONSHIP_FUNCTIONS:
        cf.relationships.append(name)
        _backref(value, cf)
        return
    if func not in COLUMN_FUNCTIONS:
        return
    nullable = _kw(value, "nullable")
    if isinstance(nullable, ast.Constant) and nullable.value is False:
        cf.not_null.append(name)
    type_name = None
    if isinstance(stmt, ast.AnnAssign):
        ann = stmt.annotation
        if isinstance(ann, ast.Subscript) and (dotted(ann.value) or "").endswith("Mapped"):
            inner = ann.slice
            type_name = dotted(inner) or (
                dotted(inner.slice) if isinstance(inner, ast.Subscript) else None
            )
            # `Mapped[bool]` is NOT NULL unless `nullable=` says otherwise; Optional / `| None` not
            if _kw(value, "nullable") is None and dotted(inner) is not None and name not in cf.not_null:
                cf.not_null.append(name)
    for arg in value.args:
        arg_name = (dotted(arg) or "").rsplit(".", 1)[-1]
        if arg_name and arg_name[:1].isupper() and arg_name not in ("ForeignKey", "Sequence"):
            type_name = arg_name
            break
    if type_name is not None:
        last = type_name.rsplit(".", 1)[-1]
        if last in INT_TYPES:
            cf.int_columns.append(name)
        else:
            cf.other_columns.append(name)
            if last in BOOL_TYPES:
                cf.bool_columns.append(name)
    pk = _kw(value, "primary_key")
    if isinstance(pk, ast.Constant) and pk.value is True:
        cf.primary_keys.append(name)
        if name not in cf.not_null:
            cf.not_null.append(name)


DATA_CLASS_DECORATORS = frozenset({"dataclass", "s", "attrs", "define", "frozen", "mutable"})


def _int_annotation(ann: ast.expr) -> bool:
    """`int`, `Optional[int]`, `int | None`."""
    if isinstance(ann, ast.Subscript) and (dotted(ann.value) or "").rsplit(".", 1)[-1] == "Optional":
        return _int_annotation(ann.slice)
    if isinstance(ann, ast.BinOp) and isinstance(ann.op, ast.BitOr):
        sides = [ann.left, ann.right]
        return any(_int_annotation(s) for s in sides) and any(
            isinstance(s, ast.Constant) and s.value is None for s in sides)
    return dotted(ann) == "int"


def _backref(call: ast.Call, cf: ClassFacts) -> None:
    """`relationship("Post", backref="author")` / `backref=backref("author", lazy=...)`: the
    other class gets a relationship attribute it never declares itself."""
    ref = _kw(call, "backref")
    if isinstance(ref, ast.Call) and ref.args:
        ref = ref.args[0]
    name = _str_const(ref)
    target = call.args[0] if call.args else _kw(call, "argument")
    if not name or target is None:
        return
    written = _str_const(target) or dotted(target)
    if written:
        cf.backrefs.append((written, name))


def _self_bindings(fn: ast.FunctionDef | ast.AsyncFunctionDef, cf: ClassFacts) -> None:
    """How a method binds `self.session` / `self.db`: a domain object called `session` (a
    conference's) is no database session, so the binding is what decides."""
    params = {a.arg: a.annotation for a in fn.args.args + fn.args.kwonlyargs}
    for node in ast.walk(fn):
        if not isinstance(node, (ast.Assign, ast.AnnAssign)) or node.value is None:
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for t in targets:
            if not (isinstance(t, ast.Attribute) and t.attr in ("session", "db")
                    and isinstance(t.value, ast.Name) and t.value.id == "self"):
                continue
            cf.self_bindings.setdefault(t.attr, []).append(_binding_kind(node.value, params))


def _binding_kind(value: ast.expr, params: dict[str, ast.expr | None]) -> str:
    if isinstance(value, ast.BoolOp):  # `session or db.session`: the first that decides
        kinds = [_binding_kind(v, params) for v in value.values]
        return next((k for k in kinds if k != "unknown"), "unknown")
    if isinstance(value, ast.Name) and value.id in params:
        ann = params[value.id]
        if ann is None:
            return "unknown"
        if isinstance(ann, ast.Subscript):  # Optional[Session]
            ann = ann.slice
        name = dotted(ann) or (ann.value if isinstance(ann, ast.Constant) and isinstance(ann.value, str) else "")
        return f"annotated:{name}" if name else "other"
    if isinstance(value, ast.Call):
        func = dotted(value.func)
        return f"call:{func}" if func else "unknown"
    written = dotted(value)
    if written:
        return f"ref:{written}"
    return "other"


def _declared_relationship(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A `@declared_attr` method whose value is a relationship."""
    if not any((dotted(d) or "").split(".")[-1] in ("declared_attr", "directive") or
               (dotted(d) or "").endswith("declared_attr.directive") for d in fn.decorator_list):
        return False
    for node in ast.walk(fn):
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Call):
            if (dotted(node.value.func) or "").rsplit(".", 1)[-1] in RELATIONSHIP_FUNCTIONS:
                return True
    return False


def _meta(meta: ast.ClassDef, cf: ClassFacts) -> None:
    for stmt in meta.body:
        if not isinstance(stmt, ast.Assign):
            continue
        for t in stmt.targets:
            if not isinstance(t, ast.Name):
                continue
            if t.id == "model":
                cf.meta_model = dotted(stmt.value)
            elif t.id in ("exclude", "fields", "load_only") and isinstance(
                stmt.value, (ast.List, ast.Tuple, ast.Set)
            ):
                items = [e.value for e in stmt.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
                if t.id == "exclude":
                    cf.meta_exclude = items
                elif t.id == "load_only":
                    cf.meta_load_only = items
                else:
                    cf.meta_fields = items


def _decorator_refs(value: ast.expr) -> list[str]:
    """`Base.decorators + [...]`: the classes whose `decorators` are concatenated in."""
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        return _decorator_refs(value.left) + _decorator_refs(value.right)
    if isinstance(value, ast.Attribute) and value.attr == "decorators":
        name = dotted(value.value)
        return [name] if name else []
    return []


def _decorator_names(value: ast.expr | None) -> list[str]:
    """Names in `decorators = [a, b()]`, `method_decorators = {"post": [a]}`, or a sum of
    such lists (`Base.decorators + [c]`: the literal parts)."""
    out: list[str] = []
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        return _decorator_names(value.left) + _decorator_names(value.right)
    if isinstance(value, (ast.List, ast.Tuple, ast.Set)):
        for elt in value.elts:
            name = dotted(elt)
            if name:
                out.append(name)
    elif isinstance(value, ast.Dict):
        for v in value.values:
            out.extend(_decorator_names(v))
    return out


def _wrapped_decorators(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """Decorators applied inside a function's body: what a project decorator wraps."""
    out: list[str] = []
    params = {a.arg for a in fn.args.args + fn.args.posonlyargs + fn.args.kwonlyargs}
    # a decorator defines an inner function or returns a call wrapping its argument
    # (`return token_required(f)`); anything else is not, and is not walked
    last = fn.body[-1] if fn.body else None
    wraps_argument = (
        isinstance(last, ast.Return) and isinstance(last.value, ast.Call) and bool(last.value.args)
        and isinstance(last.value.args[0], ast.Name) and last.value.args[0].id in params
    )
    if not wraps_argument and not any(isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) for s in fn.body):
        return out
    calls: list[ast.Call] = []
    for node in ast.walk(fn):
        if node is fn:
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            params.add(node.name)
            for deco in node.decorator_list:
                name = dotted(deco)
                if name:
                    out.append(name)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name):
            calls.append(node)
    for call in calls:  # `return token_required(f)` / `jwt_required()(f)` / `wraps(view)(inner)`
        if call.args[0].id in params:  # type: ignore[attr-defined]
            name = dotted(call.func)
            if name:
                out.append(name)
    return out



def _is_guard_decorator(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`def admins_only(f): def wrapper(*a): if not is_admin(): abort(403) ...; return wrapper`:
    a decorator (its name says auth) whose inner function stops the request without a user;
    or a project decorator whose name declares the requirement (`authentication_required`,
    `api_key_required`), whatever helper its wrapper delegates the check to."""
    if not any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) for n in fn.body):
        return False  # not decorator-shaped
    if not _mentions(fn.name, GUARD_DECORATOR_WORDS):
        return False
    inner = [n for n in ast.walk(fn) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n is not fn]
    if _mentions(fn.name, ("requir",)) and _mentions(fn.name, REQUIRED_AUTH_WORDS):
        return True
    return any(is_guard(n) for n in inner)



def is_guard(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A before_request handler (or a decorator's wrapper) that denies a request without an
    authenticated user or token."""
    return denies_unauthenticated(fn)



def denies_unauthenticated(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Stops (abort, raise, returns a response) when there is no user or no valid token:
    under a test for a missing user (`not current_user.is_authenticated`, `user is None`,
    `current_user.is_anonymous`), in the `except` of a token check, unconditionally after
    one, or through `verify_jwt_in_request()`. A hook that only acts on logged-in users
    (`if current_user.is_authenticated and not current_user.confirmed: redirect`) does not."""
    mentions = False
    for node in ast.walk(fn):
        if isinstance(node, ast.Call) and (dotted(node.func) or "").rsplit(".", 1)[-1] in VERIFY_CALLS:
            return True
        if not mentions and _auth_text(node):
            mentions = True
    if not mentions:
        return False
    return _denies(fn.body, top=True)


def _denies(body: list[ast.stmt], top: bool) -> bool:
    for stmt in body:
        if isinstance(stmt, ast.If):
            if _missing_user(stmt.test):
                # the branch an anonymous request takes must stop on every path: a branch that
                # logs in a default user and aborts only when that lookup fails is no guard
                if _stops(stmt.body):
                    return True
                if _denies(stmt.orelse, False):
                    return True
                continue
            if _positive_user(stmt.test):
                if _stops(stmt.orelse):
                    return True  # `if user: ... else: abort(401)`
                continue
            if _denies(stmt.body, False) or _denies(stmt.orelse, False):
                return True
        elif isinstance(stmt, ast.Try):
            if any(_auth_text(n) for s in stmt.body for n in ast.walk(s)) and any(_stops(h.body) for h in stmt.handlers):
                return True
            if _denies(stmt.body, top) or _denies(stmt.finalbody, top):
                return True
        elif isinstance(stmt, (ast.With, ast.AsyncWith, ast.For, ast.While)):
            if _denies(stmt.body, False):
                return True
        elif top and _stop_statement(stmt) and not isinstance(stmt, ast.Return):
            return True  # `if user: return None` ... `abort(401)`: denies whoever is left
    return False


def _stops(body: list[ast.stmt]) -> bool:
    return any(_stop_statement(s) for s in body) or any(
        isinstance(s, ast.If) and _stops(s.body) and _stops(s.orelse) for s in body
    )


def _stop_statement(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.Raise):
        return True
    if isinstance(stmt, ast.Return):
        return stmt.value is not None and not (isinstance(stmt.value, ast.Constant) and stmt.value.value is None)
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        return (dotted(stmt.value.func) or "").rsplit(".", 1)[-1] in ("abort", "unauthorized", "forbidden")
    return False


def _missing_user(test: ast.expr) -> bool:
    """True when the test holds for a request without a user."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        if _anonymous(test.operand):
            return False  # `not current_user.is_anonymous`: a user is there
        return _auth_expr(test.operand)
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        right = test.comparators[0]
        if isinstance(test.ops[0], (ast.Is, ast.Eq)) and isinstance(right, ast.Constant) and right.value in (None, False):
            return _auth_expr(test.left)
        if isinstance(test.ops[0], ast.NotIn) and _auth_expr(right):
            return True  # `"user_id" not in session`
        return False
    if isinstance(test, ast.Attribute):
        return test.attr in ("is_anonymous", "anonymous")
    if isinstance(test, ast.BoolOp):
        if isinstance(test.op, ast.Or):
            return any(_missing_user(v) for v in test.values)
        return (any(_missing_user(v) for v in test.values) and not any(_positive_user(v) for v in test.values)
                and not any(_narrowing(v) for v in test.values))
    return False


def _narrowing(test: ast.expr) -> bool:
    """`request.endpoint in ("security.login", ...)`, `request.path == "/x"`: a test that holds
    only for some named endpoints, so what it guards is not every request."""
    if not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return False
    right = test.comparators[0]
    literal = isinstance(right, ast.Constant) or (
        isinstance(right, (ast.Tuple, ast.List, ast.Set)) and all(isinstance(e, ast.Constant) for e in right.elts))
    return literal and isinstance(test.ops[0], (ast.In, ast.Eq)) and not _auth_expr(test.left)


def _anonymous(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in ("is_anonymous", "anonymous")


def _positive_user(test: ast.expr) -> bool:
    """True only for a request with a user (`current_user.is_authenticated`, `g.user`)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _anonymous(test.operand)
    if isinstance(test, ast.BoolOp):
        return isinstance(test.op, ast.And) and any(_positive_user(v) for v in test.values)
    if isinstance(test, (ast.Name, ast.Attribute, ast.Call)):
        if isinstance(test, ast.Attribute) and test.attr in ("is_anonymous", "anonymous"):
            return False
        return _auth_expr(test)
    return False


def _auth_expr(node: ast.expr) -> bool:
    """Names and attributes that say who is calling (`current_user`, `g.user`, `session`); a
    string is not enough (`get_setting("auth_password_login_enabled")` is a setting)."""
    for n in ast.walk(node):
        if isinstance(n, ast.Constant):
            continue
        if _auth_text(n):
            return True
        key = None  # `session["user_id"]`, `g.get("user")`: a key that names the caller
        if isinstance(n, ast.Subscript):
            key = n.slice
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "get" and n.args:
            key = n.args[0]
        if key is not None and _auth_text(key):
            return True
    return False


def _auth_text(node: ast.AST) -> bool:
    if isinstance(node, ast.Name):
        text = node.id
    elif isinstance(node, ast.Attribute):
        text = node.attr
    elif isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 40:
        text = node.value  # a key (`session["user_id"]`), not a log message
    else:
        return False
    return _mentions(text, AUTH_HINTS)
