"""The project index: cross-module facts, built once per run.

Facts are extracted per module with the stdlib ``ast`` (a tenth of libcst's parse cost),
as plain data that depends only on the file's bytes, so it can be cached per file. The
:class:`ProjectIndex` merges them and answers the questions rules ask across modules:
which names are the SQLAlchemy ``db``/session objects, which classes are models or views
and what they inherit, where blueprints are registered and with which prefix, which
project decorators wrap an auth decorator, which blueprints have a ``before_request`` guard.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import pickle
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

SQLA_ROOTS = ("sqlalchemy", "flask_sqlalchemy", "flask_sqlalchemy_lite", "sqlmodel")
OTHER_ORM_ROOTS = ("peewee", "playhouse", "pony", "mongoengine", "tortoise", "flask_mongoengine",
                   "flask_peewee", "pymongo", "flask_pymongo")
VIEW_BASES = {
    "flask.views.MethodView",
    "flask.views.View",
    "flask_restful.Resource",
    "flask_restx.Resource",
    "flask_restplus.Resource",
    "flask_smorest.MethodView",
}
MODEL_BASES = {
    "sqlalchemy.orm.DeclarativeBase",
    "sqlalchemy.orm.DeclarativeBaseNoMeta",
    "flask_sqlalchemy.model.Model",
    "sqlmodel.SQLModel",
}
AUTH_HINTS = ("user", "auth", "token", "login", "jwt", "identity", "permission", "admin",
              "session", "credential", "api_key", "apikey", "signed_in", "logged_in")


@dataclass
class ClassFacts:
    bases: list[str] = field(default_factory=list)
    decorators: list[str] = field(default_factory=list)  # `decorators = [...]`
    # flask-restful `method_decorators`: "*" for the list form, else per HTTP method
    method_decorators: dict[str, list[str]] = field(default_factory=dict)
    methods: list[str] = field(default_factory=list)
    abstract: bool = False
    explicit: list[str] = field(default_factory=list)  # `decorators`/`method_decorators` assigned here
    int_columns: list[str] = field(default_factory=list)  # integer columns (FLK301)
    other_columns: list[str] = field(default_factory=list)  # columns of other types
    bool_columns: list[str] = field(default_factory=list)  # Boolean columns (FLK406's fix)
    relationships: list[str] = field(default_factory=list)  # relationship()/backref attributes
    primary_keys: list[str] = field(default_factory=list)
    meta_model: str | None = None  # Marshmallow `class Meta: model = X`
    meta_exclude: list[str] = field(default_factory=list)
    meta_fields: list[str] | None = None
    meta_load_only: list[str] = field(default_factory=list)


@dataclass
class BlueprintFacts:
    name: str | None = None
    url_prefix: str | None = None


@dataclass
class Registration:
    receiver: str
    blueprint: str
    url_prefix: str | None
    has_prefix_arg: bool = False


@dataclass
class Guard:
    target: str  # the blueprint / app expression the handler is registered on
    app_wide: bool  # before_app_request
    protects: bool  # aborts/raises/returns when there is no user


@dataclass
class ViewRegistration:
    """`bp.add_url_rule(rule, view_func=V.as_view(..))`, `api.add_resource(V, "/x")`, or a
    project helper call carrying `V.as_view(...)` (`register_view(bp, routes=[...], ...)`)."""

    receiver: str | None
    view: str
    rules: list[str]
    methods: list[str] | None = None  # None: not a literal list (not judged)


# Extension objects whose decorators authenticate (`allows.requires(...)`, `auth.login_required`)
AUTH_OBJECT_FACTORIES = {"Allows", "Permission", "HTTPBasicAuth", "HTTPTokenAuth", "HTTPDigestAuth",
                         "MultiAuth", "ResourceProtector", "OAuth2Provider", "OAuth2", "Praetorian",
                         "JWTManager", "Security"}
AUTH_OBJECT_METHODS = {"requires", "require", "login_required", "require_oauth", "auth_required",
                       "roles_required", "roles_accepted", "permission_required"}
# Decorators of well-known extensions, beyond the configured list
LIBRARY_AUTH_DECORATORS = {"fresh_login_required", "fresh_jwt_required", "roles_accepted",
                           "permissions_required", "permissions_accepted", "auth_token_required",
                           "http_auth_required", "require_oauth", "jwt_optional_required"}


@dataclass
class ModuleFacts:
    """Everything other modules may need to know about one module."""

    module: str
    relpath: str
    is_package: bool = False
    imports: dict[str, str] = field(default_factory=dict)
    star_imports: list[str] = field(default_factory=list)
    imports_sqlalchemy: bool = False
    imports_other_orm: bool = False
    db_objects: list[str] = field(default_factory=list)
    session_objects: list[str] = field(default_factory=list)
    engine_objects: list[str] = field(default_factory=list)
    declarative_bases: list[str] = field(default_factory=list)
    classes: dict[str, ClassFacts] = field(default_factory=dict)
    functions: dict[str, list[str]] = field(default_factory=dict)  # name -> wrapped decorators
    # project decorators whose wrapper itself stops unauthenticated requests (`admins_only`)
    guard_decorators: list[str] = field(default_factory=list)
    blueprints: dict[str, BlueprintFacts] = field(default_factory=dict)
    registrations: list[Registration] = field(default_factory=list)
    guards: list[Guard] = field(default_factory=list)
    response_uses: list[str] = field(default_factory=list)  # classes returned as responses
    view_registrations: list[ViewRegistration] = field(default_factory=list)
    auth_objects: list[str] = field(default_factory=list)  # `allows = Allows(...)`
    parse_ok: bool = True
    # (line, column, message) as CPython's compile() reports it, when the module does not parse
    syntax_error: tuple[int, int, str] | None = None


# -- extraction ------------------------------------------------------------------------


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
    _Extractor(facts).run(tree, full=_needs_full_walk(source if isinstance(source, str) else ""))
    return facts


# Facts that can sit anywhere in a module (not only at its top level) need a full walk; a
# module that mentions none of these words has none of them. Plain substring tests first:
# one regex alternation tried at every offset cost more than the walk it saved.
_FULL_WALK_WORDS = ("register_blueprint", "before_request", "before_app_request", "add_url_rule",
                    "add_resource", "as_view", "model_validate", "from_orm", "response_model")
_ORM_WORDS = ("sqlalchemy", "peewee", "pony", "mongoengine", "tortoise", "pymongo")
_ORM_IMPORT = re.compile(r"\bimport\b.*(sqlalchemy|peewee|pony|mongoengine|tortoise|pymongo)")


def _needs_full_walk(source: str) -> bool:
    if any(word in source for word in _FULL_WALK_WORDS):
        return True
    return any(word in source for word in _ORM_WORDS) and _ORM_IMPORT.search(source) is not None


class _Extractor:
    def __init__(self, facts: ModuleFacts) -> None:
        self.f = facts

    def run(self, tree: ast.Module, full: bool = True) -> None:
        self._pending_guard_names: list[tuple[int, str]] = []
        self._walk(tree, full)
        # `bp.before_request(fn)`: judge fn once the whole module is read
        fns = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        for idx, name in self._pending_guard_names:
            fn = fns.get(name)
            if fn is not None and is_guard(fn):
                self.f.guards[idx].protects = True

    def _walk(self, tree: ast.Module, full: bool) -> None:
        for stmt in _module_level(tree.body):
            self._statement(stmt)
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                self._orm_import(stmt)
        if not full:
            return
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                self._orm_import(node)
            elif isinstance(node, ast.Call):
                self._call(node)
            elif isinstance(node, ast.For):
                self._registration_loop(node)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._handler(node)
            elif isinstance(node, ast.Return) and node.value is not None:
                self._response_use(node.value)

    def _response_use(self, value: ast.expr) -> None:
        for sub in ast.walk(value):
            if (
                isinstance(sub, ast.Call)
                and isinstance(sub.func, ast.Attribute)
                and sub.func.attr in ("model_validate", "from_orm", "model_validate_json")
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
            f.functions[stmt.name] = _wrapped_decorators(stmt)
            if _is_guard_decorator(stmt):
                f.guard_decorators.append(stmt.name)

    def _assignment(self, names: list[str], value: ast.expr) -> None:
        f = self.f
        if isinstance(value, ast.Call):
            func = dotted(value.func) or ""
            last = func.rsplit(".", 1)[-1]
            if last in ("SQLAlchemy", "SQLAlchemyLite"):
                f.db_objects.extend(names)
            elif last in ("sessionmaker", "scoped_session", "Session", "async_sessionmaker",
                          "async_scoped_session", "AsyncSession") or func in f.session_objects:
                f.session_objects.extend(names)  # a factory, or a session made by one
            elif last in ("create_engine", "create_async_engine"):
                f.engine_objects.extend(names)
            elif last == "declarative_base":
                f.declarative_bases.extend(names)
            elif last in AUTH_OBJECT_FACTORIES:
                f.auth_objects.extend(names)
            elif last == "Blueprint":
                name = _str_const(value.args[0]) if value.args else _str_const(_kw(value, "name"))
                prefix = _str_const(_kw(value, "url_prefix"))
                for n in names:
                    f.blueprints[n] = BlueprintFacts(name=name, url_prefix=prefix)
        elif isinstance(value, ast.Attribute) and value.attr == "session":
            f.session_objects.extend(names)
        elif isinstance(value, ast.Attribute) and value.attr == "engine":
            f.engine_objects.extend(names)
        elif isinstance(value, ast.Attribute) and value.attr == "Model":
            f.declarative_bases.extend(names)

    def _class(self, node: ast.ClassDef) -> ClassFacts:
        cf = ClassFacts(bases=[d for d in (dotted(b) for b in node.bases) if d])
        for stmt in node.body:
            if isinstance(stmt, ast.ClassDef) and stmt.name == "Meta":
                _meta(stmt, cf)
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                for t in targets:
                    if isinstance(t, ast.Name):
                        _column(t.id, stmt, cf)
                    if not isinstance(t, ast.Name) or stmt.value is None:
                        continue
                    if t.id in ("decorators", "method_decorators"):
                        cf.explicit.append(t.id)
                    if t.id == "decorators":
                        cf.decorators.extend(_decorator_names(stmt.value))
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
                cf.methods.append(stmt.name)
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

    def _view_registration(self, call: ast.Call) -> None:
        func = call.func
        attr = func.attr if isinstance(func, ast.Attribute) else None
        args = list(call.args) + [kw.value for kw in call.keywords]
        view = None
        for arg in args:
            if (
                isinstance(arg, ast.Call)
                and isinstance(arg.func, ast.Attribute)
                and arg.func.attr == "as_view"
            ):
                view = dotted(arg.func.value)
        if attr == "add_resource" and call.args:
            view = dotted(call.args[0])
        elif attr == "add_url_rule" and view is None:
            target = _kw(call, "view_func") or (call.args[2] if len(call.args) > 2 else None)
            view = dotted(target) if isinstance(target, (ast.Name, ast.Attribute)) else None
        if view is None:
            return
        if attr in ("add_url_rule", "add_resource", "register"):
            receiver = dotted(func.value)  # type: ignore[union-attr]
        else:  # `register_view(bp, routes=[...], view_func=...)`
            receiver = dotted(call.args[0]) if call.args else None
        rules = []
        for arg in args:
            if isinstance(arg, (ast.List, ast.Tuple)):
                rules.extend(e.value for e in arg.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
            elif _str_const(arg) is not None and _str_const(arg).startswith("/"):  # type: ignore[union-attr]
                rules.append(_str_const(arg))  # type: ignore[arg-type]
        methods_node = _kw(call, "methods")
        methods: list[str] | None = ["GET"]
        if methods_node is not None:
            methods = []
            for e in getattr(methods_node, "elts", None) or [None]:
                value = _str_const(e) or (dotted(e) or "").rsplit(".", 1)[-1]
                if not value:
                    methods = None
                    break
                methods.append(value.upper())
        self.f.view_registrations.append(ViewRegistration(receiver, view, rules, methods))

    def _call(self, call: ast.Call) -> None:
        self._view_registration(call)
        model = _kw(call, "response_model")
        if model is not None and dotted(model):
            self.f.response_uses.append(dotted(model))  # type: ignore[arg-type]
        func = call.func
        if not isinstance(func, ast.Attribute):
            return
        if func.attr == "register_blueprint" and call.args:
            receiver = dotted(func.value)
            bp = dotted(call.args[0])
            prefix_node = _kw(call, "url_prefix")
            if receiver and bp:
                self.f.registrations.append(
                    Registration(receiver, bp, _str_const(prefix_node), prefix_node is not None)
                )
        elif func.attr in ("before_request", "before_app_request") and call.args:
            target = dotted(func.value)
            handler = call.args[0]
            fn_name = dotted(handler)
            if target and fn_name:
                # resolved against the function's facts later: protects if it's a guard
                self.f.guards.append(Guard(target, func.attr == "before_app_request", False))
                self._pending_guard_names.append((len(self.f.guards) - 1, fn_name))

    def _registration_loop(self, loop: ast.For) -> None:
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

    def _handler(self, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for deco in fn.decorator_list:
            name = dotted(deco)
            if not name or "." not in name:
                continue
            target, attr = name.rsplit(".", 1)
            if attr in ("before_request", "before_app_request"):
                self.f.guards.append(Guard(target, attr == "before_app_request", is_guard(fn)))


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


_INT_TYPES = {"Integer", "BigInteger", "SmallInteger", "int"}


def _column(name: str, stmt: ast.Assign | ast.AnnAssign, cf: ClassFacts) -> None:
    """Record a model column's integer-ness and primary key (`id = db.Column(db.Integer, ...)`,
    `id: Mapped[int] = mapped_column(primary_key=True)`)."""
    value = stmt.value
    if not isinstance(value, ast.Call):
        return
    func = (dotted(value.func) or "").rsplit(".", 1)[-1]
    if func in ("relationship", "relation", "backref", "association_proxy", "dynamic_loader"):
        cf.relationships.append(name)
        return
    if func not in ("Column", "mapped_column"):
        return
    type_name = None
    if isinstance(stmt, ast.AnnAssign):
        ann = stmt.annotation
        if isinstance(ann, ast.Subscript) and (dotted(ann.value) or "").endswith("Mapped"):
            inner = ann.slice
            type_name = dotted(inner) or (
                dotted(inner.slice) if isinstance(inner, ast.Subscript) else None
            )
    for arg in value.args:
        arg_name = (dotted(arg) or "").rsplit(".", 1)[-1]
        if arg_name and arg_name[:1].isupper() and arg_name not in ("ForeignKey", "Sequence"):
            type_name = arg_name
            break
    if type_name is not None:
        last = type_name.rsplit(".", 1)[-1]
        if last in _INT_TYPES:
            cf.int_columns.append(name)
        else:
            cf.other_columns.append(name)
            if last in ("Boolean", "bool"):
                cf.bool_columns.append(name)
    pk = _kw(value, "primary_key")
    if isinstance(pk, ast.Constant) and pk.value is True:
        cf.primary_keys.append(name)


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


def _decorator_names(value: ast.expr) -> list[str]:
    """Names in `decorators = [a, b()]` or `method_decorators = {"post": [a]}`."""
    out: list[str] = []
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


GUARD_DECORATOR_WORDS = ("auth", "login", "admin", "token", "jwt", "permission", "role", "require",
                         "user", "owner", "staff", "member", "protect", "secure", "signed", "logged",
                         "access", "verified")


def _is_guard_decorator(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`def admins_only(f): def wrapper(*a): if not is_admin(): abort(403) ...; return wrapper`:
    a decorator (its name says auth) whose inner function stops the request without a user."""
    if not any(w in fn.name.lower() for w in GUARD_DECORATOR_WORDS):
        return False
    inner = [n for n in ast.walk(fn) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n is not fn]
    return any(is_guard(n) for n in inner)


def is_guard(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A before_request handler that stops the request when there is no authenticated user."""
    stops = False
    mentions_auth = False
    for node in ast.walk(fn):
        if isinstance(node, ast.Raise):
            stops = True
        elif isinstance(node, ast.Return) and node.value is not None:
            if not (isinstance(node.value, ast.Constant) and node.value.value is None):
                stops = True
        elif isinstance(node, ast.Call) and (dotted(node.func) or "").rsplit(".", 1)[-1] == "abort":
            stops = True
        if isinstance(node, ast.Name):
            text = node.id.lower()
        elif isinstance(node, ast.Attribute):
            text = node.attr.lower()
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.lower()
        else:
            continue
        if any(h in text for h in AUTH_HINTS):
            mentions_auth = True
    return stops and mentions_auth




# -- module names ----------------------------------------------------------------------


# -- the index ---------------------------------------------------------------------------


class ProjectIndex:
    """Cross-module answers, computed from every module's facts."""

    def __init__(self, facts: Iterable[ModuleFacts]) -> None:
        self.modules: dict[str, ModuleFacts] = {}
        for mf in facts:
            self.modules.setdefault(mf.module, mf)
        self._by_suffix: dict[str, list[str]] = {}
        for name in self.modules:
            parts = name.split(".")
            for i in range(1, len(parts)):
                self._by_suffix.setdefault(".".join(parts[i:]), []).append(name)
        self._canonical: dict[str, str] = {}
        self._sqla: dict[str, bool] = {}
        self._auth_cache: dict[tuple[str, tuple[str, ...]], bool] = {}
        # per-run memo for rules' cross-module computations (keyed by the rule)
        self.memo: dict[str, object] = {}
        # dependency pins read from the project's requirement files ("sqlalchemy<2": True, ...)
        self.pins: dict[str, bool] = {}

    # modules and symbols
    @functools.cached_property
    def top_packages(self) -> frozenset[str]:
        """First components of the project's module names (`app` for `app.models.user`)."""
        return frozenset(m.split(".")[0] for m in self.modules)

    def find_module(self, dotted_name: str) -> str | None:
        if dotted_name in self.modules:
            return dotted_name
        hits = self._by_suffix.get(dotted_name)
        if hits and len(hits) == 1:
            return hits[0]
        return None

    def resolve_in(self, module: str, expr: str) -> str:
        """Qualify a dotted expression as written in `module` (imports, local definitions)."""
        mf = self.modules.get(module)
        root, _, rest = expr.partition(".")
        if mf is not None:
            if root in mf.imports:
                base = mf.imports[root]
            elif self._defines(mf, root):
                base = f"{module}.{root}"
            elif mf.star_imports:
                base = f"{mf.star_imports[0]}.{root}"
            else:
                base = root
        else:
            base = root
        return self.canonical(f"{base}.{rest}" if rest else base)

    @staticmethod
    def _defines(mf: ModuleFacts, name: str) -> bool:
        return (
            name in mf.classes
            or name in mf.functions
            or name in mf.blueprints
            or name in mf.db_objects
            or name in mf.session_objects
            or name in mf.engine_objects
            or name in mf.declarative_bases
        )

    def canonical(self, qualname: str) -> str:
        """Follow re-exports (`from app.extensions import db` in app/__init__) to the definition."""
        cached = self._canonical.get(qualname)
        if cached is not None:
            return cached
        result = qualname
        seen = set()
        while result not in seen:
            seen.add(result)
            mod, name, rest = self._split(result)
            if mod is None:
                break
            mf = self.modules[mod]
            if name in mf.imports and not self._defines(mf, name):
                target = mf.imports[name]
                result = target + ("." + rest if rest else "")
                continue
            # normalise to the module's canonical project name
            result = f"{mod}.{name}" + ("." + rest if rest else "") if name else mod
            break
        self._canonical[qualname] = result
        return result

    def _split(self, qualname: str) -> tuple[str | None, str, str]:
        """(project module, first name inside it, rest) for the longest module prefix."""
        parts = qualname.split(".")
        for i in range(len(parts) - 1, 0, -1):
            mod = self.find_module(".".join(parts[:i]))
            if mod is not None:
                return mod, parts[i], ".".join(parts[i + 1 :])
        return None, "", ""

    def lookup(self, qualname: str) -> tuple[ModuleFacts, str] | None:
        mod, name, rest = self._split(qualname)
        if mod is None or rest:
            return None
        return self.modules[mod], name

    # SQLAlchemy facts
    def is_db_object(self, qualname: str) -> bool:
        found = self.lookup(qualname)
        return found is not None and found[1] in found[0].db_objects

    def is_session_object(self, qualname: str) -> bool:
        found = self.lookup(qualname)
        return found is not None and found[1] in found[0].session_objects

    def is_engine_object(self, qualname: str) -> bool:
        found = self.lookup(qualname)
        return found is not None and found[1] in found[0].engine_objects

    def module_uses_sqlalchemy(self, module: str) -> bool:
        """Imports SQLAlchemy, or a project module that does (and no other ORM directly)."""
        if module in self._sqla:
            return self._sqla[module]
        self._sqla[module] = False  # cycle guard
        mf = self.modules.get(module)
        result = False
        if mf is not None:
            if mf.imports_sqlalchemy or mf.db_objects:
                result = True
            elif not mf.imports_other_orm:
                for target in list(mf.imports.values()) + mf.star_imports:
                    mod = self._module_of(target)
                    if mod is not None and mod != module and self.module_uses_sqlalchemy(mod):
                        result = True
                        break
        self._sqla[module] = result
        return result

    def _module_of(self, qualname: str) -> str | None:
        mod = self.find_module(qualname)
        if mod is not None:
            return mod
        found = self._split(qualname)
        return found[0]

    # classes
    def class_facts(self, qualname: str) -> tuple[str, ClassFacts] | None:
        found = self.lookup(self.canonical(qualname))
        if found is None:
            return None
        mf, name = found
        cf = mf.classes.get(name)
        return (mf.module, cf) if cf is not None else None

    def ancestors(self, module: str, cf: ClassFacts) -> Iterator[tuple[str, str, ClassFacts | None]]:
        """(qualified base name, defining module, facts) for every ancestor, depth first."""
        seen: set[str] = set()
        stack = [(module, b) for b in reversed(cf.bases)]
        while stack:
            mod, base = stack.pop()
            qual = self.resolve_in(mod, base)
            if qual in seen:
                continue
            seen.add(qual)
            found = self.class_facts(qual)
            if found is None:
                yield qual, mod, None
                continue
            base_mod, base_cf = found
            yield qual, base_mod, base_cf
            stack.extend((base_mod, b) for b in reversed(base_cf.bases))

    def inherited(self, module: str, cf: ClassFacts, attribute: str) -> set[str]:
        """A ClassFacts list (`int_columns`, `relationships`, ...) over the class and its bases."""
        out = set(getattr(cf, attribute))
        for _, _, base in self.ancestors(module, cf):
            if base is not None:
                out.update(getattr(base, attribute))
        return out

    def is_view_class(self, module: str, cf: ClassFacts) -> bool:
        return any(q in VIEW_BASES or _looks_like_view_base(q) for q, _, _ in self.ancestors(module, cf))

    def is_model_class(self, module: str, cf: ClassFacts) -> bool:
        for qual, mod, base_cf in self.ancestors(module, cf):
            if qual in MODEL_BASES:
                return True
            head, _, last = qual.rpartition(".")
            if last == "Model" and head and (self.is_db_object(head) or head.endswith("db")):
                return True
            found = self.lookup(qual)
            if found is not None and found[1] in found[0].declarative_bases:
                return True
        return False

    def inherited_decorators(self, module: str, cf: ClassFacts, method: str) -> list[tuple[str, str]]:
        """(module, decorator expr) that `decorators`/`method_decorators` of the class or its
        nearest base defining them apply to `method` (a subclass's attribute overrides)."""
        out: list[tuple[str, str]] = []
        chain = [(module, cf)] + [(m, b) for _, m, b in self.ancestors(module, cf) if b is not None]
        for attr in ("decorators", "method_decorators"):
            for mod, klass in chain:
                value = getattr(klass, attr)
                if not value and attr not in _explicit(klass):
                    continue
                if attr == "decorators":
                    out.extend((mod, d) for d in value)
                else:
                    out.extend((mod, d) for d in value.get("*", []) + value.get(method.lower(), []))
                break
        return out

    # auth
    def is_auth_decorator(self, qualname: str, auth_names: tuple[str, ...]) -> bool:
        """In the configured list by name, or a project function that wraps one."""
        key = (qualname, auth_names)
        if key in self._auth_cache:
            return self._auth_cache[key]
        self._auth_cache[key] = False  # recursion guard
        head, _, last = qualname.rpartition(".")
        result = last in auth_names or last in LIBRARY_AUTH_DECORATORS
        if not result and head and last in AUTH_OBJECT_METHODS:
            found = self.lookup(self.canonical(head))
            result = found is not None and found[1] in found[0].auth_objects
        if not result:
            found = self.lookup(self.canonical(qualname))
            if found is not None and found[1] in found[0].guard_decorators:
                result = True
            elif found is not None and found[1] in found[0].functions:
                mf, name = found
                result = any(
                    self.is_auth_decorator(self.resolve_in(mf.module, w), auth_names)
                    for w in mf.functions[name]
                )
        self._auth_cache[key] = result
        return result

    # blueprints
    def blueprint(self, qualname: str) -> BlueprintFacts | None:
        found = self.lookup(self.canonical(qualname))
        if found is None:
            return None
        return found[0].blueprints.get(found[1])

    def registrations_of(self, qualname: str) -> list[tuple[str, Registration]]:
        """(registering module, registration) for every registration of that blueprint."""
        target = self.canonical(qualname)
        out = []
        for mf in self.modules.values():
            for reg in mf.registrations:
                if self.resolve_in(mf.module, reg.blueprint) == target:
                    out.append((mf.module, reg))
        return out

    def url_prefix(self, qualname: str, _depth: int = 0) -> str | None:
        """The blueprint's full prefix as served, through nested registrations, if literal."""
        bp = self.blueprint(qualname)
        if bp is None or _depth > 8:
            return None
        own = bp.url_prefix
        for mod, reg in self.registrations_of(qualname):
            prefix = reg.url_prefix if reg.has_prefix_arg else own
            if reg.has_prefix_arg and reg.url_prefix is None:
                return None  # a computed prefix: unknown
            parent = self.resolve_in(mod, reg.receiver)
            if self.blueprint(parent) is not None:
                outer = self.url_prefix(parent, _depth + 1)
                if outer is None and self.blueprint(parent).url_prefix is None:
                    outer = ""
                if outer is None:
                    return None
                return outer.rstrip("/") + (prefix or "")
            return prefix or ""
        return own or ""

    def view_registrations(self, qualname: str) -> list[tuple[str, ViewRegistration]]:
        """(registering module, registration) of a view class or function, in any module."""
        memo = self.memo.get("view-registrations")
        if memo is None:
            memo = {}
            for mf in self.modules.values():
                for reg in mf.view_registrations:
                    memo.setdefault(self.resolve_in(mf.module, reg.view), []).append((mf.module, reg))
            self.memo["view-registrations"] = memo
        return memo.get(self.canonical(qualname), [])  # type: ignore[union-attr]

    def served_rule(self, module: str, receiver: str | None, rule: str) -> str:
        """A rule joined under the url_prefix of the blueprint it is registered on, if known."""
        if receiver is None:
            return rule
        prefix = self.url_prefix(self.resolve_in(module, receiver))
        if not prefix:
            return rule
        return prefix.rstrip("/") + ("/" + rule.lstrip("/") if rule.strip("/") else rule)

    def registration_guarded(self, module: str, receiver: str | None) -> bool:
        return receiver is not None and self.is_guarded(self.resolve_in(module, receiver))

    def is_guarded(self, qualname: str) -> bool:
        """A blueprint with a `before_request` auth guard registered on it in any module."""
        target = self.canonical(qualname)
        for mf in self.modules.values():
            for guard in mf.guards:
                if guard.protects and self.resolve_in(mf.module, guard.target) == target:
                    return True
        return False

    # cache keys ------------------------------------------------------------------------
    def global_digest(self) -> str:
        """Digest of the project-wide tables rules scan across all modules (registrations,
        guards, view registrations, response uses) and of the set of module names."""
        h = hashlib.sha256(repr(sorted(self.pins.items())).encode())
        for name in sorted(self.modules):
            mf = self.modules[name]
            h.update(name.encode())
            h.update(repr((mf.relpath, mf.registrations, mf.guards, mf.view_registrations,
                           mf.response_uses)).encode())
        return h.hexdigest()[:16]

    def dependency_digests(self, fact_digests: dict[str, str]) -> dict[str, str]:
        """Per module, a Merkle digest over the facts of every project module reachable through
        its imports (strongly connected components condensed), so a file's cached result is
        invalidated exactly when a module it can see changes its facts."""
        graph: dict[str, list[str]] = {}
        resolved: dict[str, tuple[str | None, ...]] = {}  # the same imports recur in every module
        for name, mf in self.modules.items():
            targets = set()
            for target in list(mf.imports.values()) + mf.star_imports:
                hits = resolved.get(target)
                if hits is None:
                    # `from pkg import module` names a module, not an attribute: both count
                    hits = resolved[target] = (self._module_of(target), self.find_module(target))
                targets.update(mod for mod in hits if mod is not None and mod != name)
            graph[name] = sorted(targets)
        comp = _tarjan(graph)
        members: dict[int, list[str]] = {}
        for name, c in comp.items():
            members.setdefault(c, []).append(name)
        digests: dict[int, str] = {}
        # Tarjan numbers components in reverse topological order: children first
        for c in sorted(members):
            h = hashlib.sha256()
            children = set()
            for name in sorted(members[c]):
                h.update(fact_digests.get(name, "").encode())
                children.update(comp[t] for t in graph[name] if comp[t] != c)
            for child in sorted(children):
                h.update(digests[child].encode())
            digests[c] = h.hexdigest()[:16]
        return {name: digests[c] for name, c in comp.items()}


def _tarjan(graph: dict[str, list[str]]) -> dict[str, int]:
    """Strongly connected components, numbered in reverse topological order (iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    comp: dict[str, int] = {}
    counter = 0
    ncomp = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = graph[node]
            if i < len(children):
                work.append((node, i + 1))
                child = children[i]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            for child in children:
                if child in on_stack and comp.get(child) is None:
                    low[node] = min(low[node], low[child])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    comp[member] = ncomp
                    if member == node:
                        break
                ncomp += 1
    return comp


def facts_digest(facts: ModuleFacts) -> str:
    return hashlib.sha256(pickle.dumps(facts, protocol=5)).hexdigest()[:16]


def _explicit(cf: ClassFacts) -> set[str]:
    return set(cf.explicit)


def _looks_like_view_base(qual: str) -> bool:
    return qual.rsplit(".", 1)[-1] in ("MethodView", "Resource") and qual.split(".")[0] in (
        "flask",
        "flask_restful",
        "flask_restx",
        "flask_restplus",
        "flask_smorest",
        "flask_classful",
    )
