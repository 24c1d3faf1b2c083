"""Taking a module's facts with the stdlib ``ast`` (a tenth of libcst's parse cost).

The facts depend only on the file's bytes, so they are cached per file by content hash.
"""

from __future__ import annotations

import ast
import re
from typing import Iterator

from flaskarch.facts.model import (
    BlueprintFacts,
    ClassFacts,
    Guard,
    ModuleFacts,
    Registration,
    ViewRegistration,
)
from flaskarch.facts.vocab import (
    AUTH_HINTS,
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
            f.functions[stmt.name] = _wrapped_decorators(stmt)
            if _is_guard_decorator(stmt):
                f.guard_decorators.append(stmt.name)

    def _assignment(self, names: list[str], value: ast.expr) -> None:
        f = self.f
        if isinstance(value, ast.Call):
            func = dotted(value.func) or ""
            last = func.rsplit(".", 1)[-1]
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




def _column(name: str, stmt: ast.Assign | ast.AnnAssign, cf: ClassFacts) -> None:
    """Record a model column's integer-ness and primary key (`id = db.Column(db.Integer, ...)`,
    `id: Mapped[int] = mapped_column(primary_key=True)`)."""
    value = stmt.value
    if not isinstance(value, ast.Call):
        return
    func = (dotted(value.func) or "").rsplit(".", 1)[-1]
    if func in RELATIONSHIP_FUNCTIONS:
        cf.relationships.append(name)
        return
    if func not in COLUMN_FUNCTIONS:
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
        if last in INT_TYPES:
            cf.int_columns.append(name)
        else:
            cf.other_columns.append(name)
            if last in BOOL_TYPES:
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
