"""The project index: every module's facts merged, and the cross-module computations.

Only the facts package, the runner and the project-wide fixes use it; rules ask
:class:`flaskarch.facts.answers.Answers`, whose answers are recorded into cache keys.
"""

from __future__ import annotations

import functools
from typing import Iterable, Iterator

from flaskarch.facts.model import BlueprintFacts, ClassFacts, ModuleFacts, Registration
from flaskarch.facts.vocab import (
    AUTH_OBJECT_METHODS,
    LIBRARY_AUTH_DECORATORS,
    MODEL_BASES,
    OTHER_ORM_ROOTS,
    SESSION_CLASSES,
    SESSION_FACTORIES,
    SQLA_CORE_ROOTS,
    VIEW_BASE_NAMES,
    VIEW_BASE_ROOTS,
    VIEW_BASES,
)


SESSION_ANNOTATIONS = frozenset({"Session", "scoped_session", "AsyncSession", "async_scoped_session",
                                 "SQLAlchemy"})


class ProjectIndex:
    """Cross-module answers, computed from every module's facts."""

    def __init__(self, facts: Iterable[ModuleFacts]) -> None:
        self.modules: dict[str, ModuleFacts] = {}
        for mf in facts:
            self.modules.setdefault(mf.module, mf)
        self._by_suffix: dict[str, list[str]] = {}
        # `app.models` for the package `models` in a folder `app/` without `__init__.py` (a
        # namespace package: importable under both names)
        self._by_path: dict[str, str] = {}
        for name, mf in self.modules.items():
            parts = name.split(".")
            for i in range(1, len(parts)):
                self._by_suffix.setdefault(".".join(parts[i:]), []).append(name)
            path_name = mf.relpath[:-3].replace("/", ".").removesuffix(".__init__")
            if path_name != name and path_name.endswith("." + name):
                self._by_path.setdefault(path_name, name)
        self._canonical: dict[str, str] = {}
        self._sqla: dict[str, bool] = {}
        self._auth_cache: dict[tuple[str, tuple[str, ...]], bool] = {}
        # SQLAlchemy / Flask-SQLAlchemy version ranges read from the project's files (pins.py)
        self.versions: dict = {}

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
        return self._by_path.get(dotted_name)

    def resolve_in(self, module: str, expr: str) -> str:
        """Qualify a dotted expression as written in `module` (imports, local definitions)."""
        if expr.startswith("::"):  # made absolute by a function's local import
            return self.canonical(expr[2:])
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
            or name in mf.api_prefixes
            or name in mf.route_tables
            or name in mf.function_lines
            or name in mf.auth_objects
            or name in mf.instances
            or name in mf.other_orm_objects
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
            if name and not self._defines(mf, name) and mf.star_imports:
                # `from .user import *` in `models/__init__.py`: the name comes from there
                source = self._star_source(mf, name)
                if source is not None:
                    result = f"{source}.{name}" + ("." + rest if rest else "")
                    continue
            # normalise to the module's canonical project name
            result = f"{mod}.{name}" + ("." + rest if rest else "") if name else mod
            break
        self._canonical[qualname] = result
        return result

    def _star_source(self, mf: ModuleFacts, name: str) -> str | None:
        """The project module one of `mf`'s star imports takes `name` from."""
        for star in mf.star_imports:
            mod = self.find_module(star)
            if mod is None or mod == mf.module:
                continue
            other = self.modules[mod]
            if self._defines(other, name) or name in other.imports:
                return mod
        return None

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
            if mf.db_objects:
                result = True
            elif mf.imports_other_orm or mf.other_orm_objects:
                # `from peewee import *` beside `from sqlalchemy.engine.url import make_url`:
                # SQLAlchemy only if a model class here is one of its
                result = any(self.class_orm(module, cf) == "sqlalchemy" for cf in mf.classes.values())
            elif mf.imports_sqlalchemy:
                result = True
            else:
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

    def inherited(self, module: str, cf: ClassFacts, attribute: str, name: str | None = None) -> set[str]:
        """A ClassFacts list (`int_columns`, `relationships`, ...) over the class and its bases;
        relationships include the backrefs other classes declare on it (`name`: its own name)."""
        out = set(getattr(cf, attribute))
        if attribute == "relationships" and name is not None:
            out.update(self._backrefs.get(name, ()))
        for qual, _, base in self.ancestors(module, cf):
            if base is not None:
                out.update(getattr(base, attribute))
                if attribute == "relationships":
                    out.update(self._backrefs.get(qual.rsplit(".", 1)[-1], ()))
        return out

    def is_view_class(self, module: str, cf: ClassFacts) -> bool:
        return any(q in VIEW_BASES or _looks_like_view_base(q) for q, _, _ in self.ancestors(module, cf))

    def is_model_class(self, module: str, cf: ClassFacts) -> bool:
        return self.class_orm(module, cf) == "sqlalchemy"

    def class_orm(self, module: str, cf: ClassFacts) -> str | None:
        """"sqlalchemy", "other" (peewee, pony, mongoengine...) or None (not a model class),
        from what the class derives from: the ORM is a property of the model class, not of
        the modules that happen to import some SQLAlchemy helper."""
        for qual, mod, base_cf in self.ancestors(module, cf):
            if qual in MODEL_BASES:
                return "sqlalchemy"
            if qual.split(".")[0] in OTHER_ORM_ROOTS:
                return "other"
            head, _, last = qual.rpartition(".")
            if last == "Model" and head:
                if self.is_db_object(head):
                    return "sqlalchemy"
                found = self.lookup(head)
                if found is not None and found[1] in found[0].other_orm_objects:
                    return "other"
                if found is None and head.endswith("db"):
                    return "sqlalchemy"  # a `db` the index cannot see: Flask-SQLAlchemy's idiom
            found = self.lookup(qual)
            if found is not None and found[1] in found[0].declarative_bases:
                return "sqlalchemy"
        return None

    def self_binding(self, module: str, cf: ClassFacts, attr: str) -> str:
        """"session", "other" or "unknown": what the class (or its nearest project base that
        binds it) assigns to `self.<attr>`."""
        chain = [(module, cf)] + [(mod, base) for _, mod, base in self.ancestors(module, cf) if base is not None]
        for mod, klass in chain:
            kinds = klass.self_bindings.get(attr)
            if not kinds:
                continue
            judged = [self._binding(mod, k) for k in kinds]
            if "session" in judged:
                return "session"
            return "unknown" if "unknown" in judged else "other"
        return "unknown"

    def _binding(self, module: str, kind: str) -> str:
        if kind in ("session", "other", "unknown"):
            return kind
        how, _, written = kind.partition(":")
        qual = self.resolve_in(module, written)
        head, _, last = qual.rpartition(".")
        if how == "annotated":  # `session: Session`, `db: SQLAlchemy`, through import aliases
            if self.class_facts(qual) is not None:
                return "other"
            return "session" if last in SESSION_ANNOTATIONS else "other"
        if how == "call":
            if self.is_session_object(qual):
                return "session"  # `SessionLocal()`
            if last in SESSION_FACTORIES or last in SESSION_CLASSES:
                if self.class_facts(qual) is not None:
                    return "other"  # the project's own `Session` class (a conference's)
                return "session" if qual.split(".")[0] in SQLA_CORE_ROOTS or qual == written else "unknown"
            if last == "session" and head and self.is_db_object(head):
                return "session"  # `db.session()`
            return "other" if self.class_facts(qual) is not None else "unknown"
        if self.is_session_object(qual) or self.is_db_object(qual):
            return "session"
        if last == "session" and head and (self.is_db_object(head) or head.endswith("db")):
            return "session"  # `db.session`
        if qual.split(".")[0] == "flask":
            return "other"  # Flask's cookie session
        return "unknown"

    @functools.cached_property
    def _backrefs(self) -> dict[str, set[str]]:
        """Class name -> relationship attributes other classes give it with `backref=`."""
        out: dict[str, set[str]] = {}
        for mf in self.modules.values():
            for cf in mf.classes.values():
                for target, name in cf.backrefs:
                    out.setdefault(target.rsplit(".", 1)[-1], set()).add(name)
        return out

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
        if bp.prefix_unknown and not any(reg.has_prefix_arg and reg.url_prefix is not None
                                         for _, reg in self.registrations_of(qualname)):
            return None  # built at run time, and no registration gives a literal one
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


    # registrations, project-wide (FLK602)
    @functools.cached_property
    def blueprint_registry(self) -> tuple[frozenset[str], tuple[str, ...], bool]:
        """(every blueprint the project registers, canonical; the registrations that cannot be
        followed, as "path:line: why"; whether the project has an application to judge: it
        registers some blueprint or creates a `Flask` app)."""
        registered: set[str] = set()
        dynamic: list[str] = []
        judged = False
        for mf in self.modules.values():
            judged = judged or mf.creates_app or bool(mf.registrations or mf.registered_names)
            for why in mf.dynamic_registrations:
                judged = True
                dynamic.append(f"{mf.relpath}:{why}")
            for reg in mf.registrations:
                registered.add(self.resolve_in(mf.module, reg.blueprint))
            for written in mf.registered_names:
                self._registered_name(mf, written, registered, dynamic)
        return frozenset(registered), tuple(sorted(dynamic)), judged

    def _registered_name(self, mf: ModuleFacts, written: str, registered: set[str], dynamic: list[str]) -> None:
        if written.startswith("@call:"):  # `register_blueprint(make_bp())`
            callee = self.resolve_in(mf.module, written[len("@call:"):])
            if self._project_callable(callee):
                dynamic.append(f"{mf.relpath}:0:`{written[6:]}()` may return any blueprint")
            return
        if not written.startswith("@list:"):
            registered.add(self.resolve_in(mf.module, written))
            return
        _, pos_text, rest, name = written.split(":", 3)  # `@list:<pos>:<.attr>:<list>`
        pos = int(pos_text)
        found = self._name_list(mf.module, name)
        if found is None:
            dynamic.append(f"{mf.relpath}:0:a loop over `{name}`, which the index cannot read")
            return
        owner, rows = found
        for row in rows:
            cell = row[max(pos, 0)] if (pos >= 0 or len(row) == 1) and max(pos, 0) < len(row) else None
            if cell is None:
                dynamic.append(f"{mf.relpath}:0:a loop over `{name}`, holding computed values")
                continue
            registered.add(self.resolve_in(owner, cell + rest))

    def _name_list(self, module: str, written: str) -> tuple[str, list[list[str | None]]] | None:
        """(its module, its rows) of a module-level list of names, as written in `module`."""
        mf = self.modules.get(module)
        if mf is not None and "." not in written and written in mf.name_lists and written not in mf.imports:
            return module, mf.name_lists[written]
        found = self.lookup(self.resolve_in(module, written))
        if found is None or found[1] not in found[0].name_lists:
            return None
        return found[0].module, found[0].name_lists[found[1]]

    def _project_callable(self, qualname: str) -> bool:
        """A project function or class, or a method of a project object: its value may be one
        of the project's blueprints. A library object's method (flask-admin's) is not."""
        mod, name, rest = self._split(qualname)
        if mod is None:
            return False
        mf = self.modules[mod]
        if name in mf.instances and rest:
            cls = self.resolve_in(mod, mf.instances[name])
            return self.class_facts(cls) is not None
        return True


def _explicit(cf: ClassFacts) -> set[str]:
    return set(cf.explicit)


def _looks_like_view_base(qual: str) -> bool:
    return qual.rsplit(".", 1)[-1] in VIEW_BASE_NAMES and qual.split(".")[0] in VIEW_BASE_ROOTS
