"""The answers: the only way a rule learns anything about other modules.

Every public method is an *answer*: a pure function of the project's facts and the settings,
with hashable arguments and an immutable, comparable value. While a file is checked, the
answers its rules ask are recorded (``begin``/``end``); the cache stores that record beside
the file's result, and a later run reuses the result only when every recorded answer is still
the same (``still_valid``). So a rule that needs a new cross-module fact cannot make the cache
stale: whatever it asks is in the key, as Fixit's rules declare their metadata dependencies.

Rules never see :class:`~flaskarch.facts.index.ProjectIndex` or :class:`ModuleFacts`: a test
fails when a rule or ``semantics`` reaches past this class.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from flaskarch.facts.extract import resolve_relative  # noqa: F401 - for rules that resolve imports
from flaskarch.facts.index import ProjectIndex
from flaskarch.facts.model import ClassFacts
from flaskarch.facts.routes import Endpoint, RouteModel
from flaskarch.facts.vocab import AUTH_DECORATOR_SOURCES, CALLED_AUTH_DECORATORS, DECORATOR_FACTORY_NAMES

F = TypeVar("F", bound=Callable[..., Any])

# A record: (answer name, arguments) -> value, for every answer a check asked
Record = dict[tuple[str, tuple[Any, ...]], Any]


def _compact(value: Any) -> Any:
    """A value as recorded: itself when small and plain, else a stable digest of it."""
    if value is None or isinstance(value, (bool, int)) or (isinstance(value, str) and len(value) <= 64):
        return value
    return ("#", hashlib.blake2b(repr(_canonical(value)).encode(), digest_size=12).digest())


def _canonical(value: Any) -> Any:
    """Sets sorted (their order depends on the process's hash seed), recursively."""
    if isinstance(value, (frozenset, set)):
        return tuple(sorted(_canonical(v) for v in value))
    if isinstance(value, tuple):
        return tuple(_canonical(v) for v in value)
    return value


def answer(fn: F) -> F:
    """Memoise an answer for the run and record it while a check is recording (only the
    outermost answer: the ones it asks itself follow from the same facts)."""
    name = fn.__name__

    @functools.wraps(fn)
    def wrapper(self: "Answers", *args: Any) -> Any:
        key = (name, args)
        try:
            value = self._memo[key]
        except KeyError:
            self._depth += 1
            try:
                value = fn(self, *args)
            finally:
                self._depth -= 1
            self._memo[key] = value
        if self._record is not None and self._depth == 0:
            self._record[key] = value
        return value

    wrapper.is_answer = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


@dataclass(frozen=True)
class ClassInfo:
    """What a rule may know of a class defined in the project."""

    qualname: str
    module: str
    bases: tuple[str, ...]
    methods: tuple[str, ...]
    meta_model: str | None  # Marshmallow `class Meta: model = X`, resolved
    meta_exclude: tuple[str, ...]
    meta_fields: tuple[str, ...] | None
    meta_load_only: tuple[str, ...]


@dataclass(frozen=True)
class Ancestor:
    qualname: str
    known: bool  # defined in the project (its facts are known)


class Answers:
    """Cross-module answers for one project under one configuration."""

    __slots__ = ("_index", "_settings", "_memo", "_record", "_depth", "_responses", "_routes")

    def __init__(self, index: ProjectIndex, settings: Any) -> None:
        self._index = index
        self._settings = settings
        self._memo: dict[tuple[str, tuple[Any, ...]], Any] = {}
        self._record: Record | None = None
        self._depth = 0
        self._responses: frozenset[str] | None = None
        self._routes: Any = None

    def prepare(self) -> None:
        """Build the project-wide tables (route model, response classes) now, so the worker
        processes forked next share them instead of each building its own."""
        self.route_model()
        self._index.blueprint_registry  # noqa: B018 - FLK602's table, shared with the workers
        if self._responses is None:
            self._responses = self._response_names()

    # -- recording (the engine's, not the rules') ------------------------------------------
    def begin(self) -> None:
        self._record = {}

    def end(self) -> Record:
        """The record of the check: small values as they are, large ones (class facts, the
        module's endpoints) as a digest, which is all a later comparison needs."""
        record, self._record = self._record or {}, None
        return {key: _compact(value) for key, value in record.items()}

    def still_valid(self, record: Record) -> bool:
        """Every answer of the record is what this project answers now."""
        for (name, args), value in record.items():
            method = getattr(self, name, None)
            if method is None or not getattr(method, "is_answer", False):
                return False
            if _compact(method(*args)) != value:
                return False
        return True

    # -- names ---------------------------------------------------------------------------
    @answer
    def find_module(self, dotted: str) -> str | None:
        return self._index.find_module(dotted)

    @answer
    def layer_of_module(self, dotted: str) -> str | None:
        """The layer of a project module (by its file), or of a module name inside one of the
        project's own top-level packages; None for anything else (a library)."""
        from flaskarch.layers import classify, classify_module_name

        found = self._index.find_module(dotted)
        if found is not None:
            return classify(self._index.modules[found].relpath, self._settings)
        if dotted.split(".")[0] not in self._index.top_packages:
            return None
        return classify_module_name(dotted, self._settings)

    @answer
    def imported_layers(self, module: str) -> tuple[str, ...] | None:
        """The layers of the project modules `module` imports at its top level (`from pkg import
        submodule` included); None when it also imports elsewhere (in a function, under `if`),
        which only reading the module tells."""
        mf = self._index.modules.get(module)
        if mf is None or mf.nested_imports:
            return None
        layers = set()
        for target in list(mf.imports.values()) + mf.star_imports:
            for candidate in (target, target.rpartition(".")[0]):
                if candidate:
                    layer = self.layer_of_module(candidate)
                    if layer is not None:
                        layers.add(layer)
        return tuple(sorted(layers))

    @answer
    def is_project_name(self, qualname: str) -> bool:
        """Defined or imported at the top level of a project module."""
        return self._index.lookup(self._index.canonical(qualname)) is not None

    @answer
    def version_below(self, package: str, version: str) -> bool:
        """The project's files put `package` below `version` (`"sqlalchemy", "2.0"`): every
        version they allow is older. False when the version is unknown."""
        found = self._index.versions.get(package)
        return found is not None and found.below(tuple(int(p) for p in version.split(".")))

    @answer
    def version_at_least(self, package: str, version: str) -> bool:
        """The project's files put `package` at `version` or later. False when unknown."""
        found = self._index.versions.get(package)
        return found is not None and found.at_least(tuple(int(p) for p in version.split(".")))

    # -- SQLAlchemy -------------------------------------------------------------------------
    @answer
    def is_db_object(self, qualname: str) -> bool:
        return self._index.is_db_object(self._index.canonical(qualname))

    @answer
    def is_session_object(self, qualname: str) -> bool:
        return self._index.is_session_object(self._index.canonical(qualname))

    @answer
    def is_engine_object(self, qualname: str) -> bool:
        return self._index.is_engine_object(self._index.canonical(qualname))

    @answer
    def module_uses_sqlalchemy(self, module: str) -> bool:
        return self._index.module_uses_sqlalchemy(module)

    @answer
    def the_db_object(self, outside: str) -> tuple[str, str] | None:
        """(module, name) of the project's one `db` object outside `outside`; None when there
        is none or more than one."""
        found = [(mf.module, name) for mf in self._index.modules.values()
                 for name in mf.db_objects if mf.module != outside]
        return found[0] if len(found) == 1 else None

    # -- classes ------------------------------------------------------------------------------
    def _class(self, qualname: str) -> tuple[str, ClassFacts] | None:
        return self._index.class_facts(qualname)

    @answer
    def module_classes(self, module: str) -> tuple[str, ...]:
        """The names of the classes defined at the top level of a project module."""
        mf = self._index.modules.get(module)
        return tuple(mf.classes) if mf is not None else ()

    @answer
    def class_info(self, qualname: str) -> ClassInfo | None:
        found = self._class(qualname)
        if found is None:
            return None
        module, cf = found
        meta = self._index.resolve_in(module, cf.meta_model) if cf.meta_model else None
        return ClassInfo(
            self._index.canonical(qualname), module, tuple(cf.bases), tuple(cf.methods), meta,
            tuple(cf.meta_exclude), None if cf.meta_fields is None else tuple(cf.meta_fields),
            tuple(cf.meta_load_only),
        )

    @answer
    def ancestors(self, qualname: str) -> tuple[Ancestor, ...]:
        """Every ancestor of a project class, depth first; () for a class the index lacks."""
        found = self._class(qualname)
        if found is None:
            return ()
        return tuple(Ancestor(q, cf is not None) for q, _, cf in self._index.ancestors(*found))

    @answer
    def inherited(self, qualname: str, attribute: str) -> frozenset[str]:
        """A column list (`int_columns`, `bool_columns`, `relationships`, ...) over the class
        and its bases; empty for a class the index lacks."""
        found = self._class(qualname)
        if found is None or attribute not in _CLASS_LISTS:
            return frozenset()
        name = self._index.canonical(qualname).rsplit(".", 1)[-1]
        return frozenset(self._index.inherited(found[0], found[1], attribute, name))

    @answer
    def symbol_kind(self, qualname: str) -> str | None:
        """What a project name is: "module", "model" (an ORM model class), "class", "function",
        "database" (`db`, a session or engine object), "value" (a constant: what else a module
        binds), or None when the index cannot tell (a module outside the project)."""
        qual = self._index.canonical(qualname)
        if self._index.find_module(qual) is not None:
            return "module"
        found = self._index.lookup(qual)
        if found is None:
            return None
        mf, name = found
        if name in mf.classes:
            return self._class_kind(mf.module, mf.classes[name])
        if (name in mf.db_objects or name in mf.session_objects or name in mf.engine_objects
                or name in mf.other_orm_objects):
            return "database"
        if name in mf.declarative_bases:
            return "model"
        if name in mf.functions:
            return "function"
        if name in mf.imports:
            return None  # re-exported from outside the project
        for star in mf.star_imports:
            if self._index.find_module(star) is not None:
                inner = self.symbol_kind(f"{star}.{name}")
                if inner != "value":
                    return inner
        return None if mf.star_imports else "value"

    @answer
    def self_binding(self, qualname: str, attr: str) -> str:
        """"session", "other" or "unknown": what the class binds `self.<attr>` to (its own
        methods, else its nearest project base that binds it); "unknown" for a class the index
        lacks."""
        found = self._class(qualname)
        return self._index.self_binding(found[0], found[1], attr) if found is not None else "unknown"

    def _class_kind(self, module: str, cf: ClassFacts) -> str:
        """"model" for an ORM model and for a plain class (a domain model with its own storage,
        alerta's `Alert`); "class" for records and values: enums, exceptions, dataclasses,
        named tuples, typed dicts, Pydantic and Marshmallow shapes."""
        if self._index.class_orm(module, cf):
            return "model"
        if cf.data_class:
            return "class"
        for qual, _, base in self._index.ancestors(module, cf):
            last = qual.rsplit(".", 1)[-1]
            if base is not None and base.data_class:
                return "class"
            if qual.split(".")[0] in VALUE_CLASS_ROOTS or last in VALUE_CLASS_NAMES or last.endswith(("Error", "Exception")):
                return "class"
        return "model"

    @answer
    def annotated_field(self, qualname: str, name: str) -> str | None:
        """"int" / "other" for a plain annotated field (`id: str` of a dataclass) of the class
        or its nearest base declaring it; None when none declares it."""
        found = self._class(qualname)
        if found is None:
            return None
        if name in found[1].annotated:
            return found[1].annotated[name]
        for _, _, base in self._index.ancestors(*found):
            if base is not None and name in base.annotated:
                return base.annotated[name]
        return None

    @answer
    def is_model_class(self, qualname: str) -> bool:
        """A SQLAlchemy model class (see `class_orm`)."""
        found = self._class(qualname)
        return found is not None and self._index.is_model_class(*found)

    @answer
    def class_orm(self, qualname: str) -> str | None:
        """"sqlalchemy", "other" (peewee, pony, mongoengine, ...), or None for a class that is
        no model or that the index lacks: decided by what the class derives from."""
        found = self._class(qualname)
        return self._index.class_orm(*found) if found is not None else None

    # -- auth -----------------------------------------------------------------------------
    @answer
    def is_auth_decorator(self, qualname: str) -> bool:
        """In the configured list, a library's, an auth extension object's method, or a
        project decorator that wraps one or stops unauthenticated requests itself."""
        names = self._settings.effective_auth_decorators()
        return self._index.is_auth_decorator(self._index.canonical(qualname), names)

    @answer
    def project_auth_decorators(self) -> tuple[str, ...]:
        """The configured auth decorator names the project defines, then those it imports."""
        names = [n for n in self._settings.effective_auth_decorators() if n not in DECORATOR_FACTORY_NAMES]
        factories = {n for mf in self._index.modules.values() for n in mf.decorator_factories}
        names = [n for n in names if n not in factories]
        defined = {n for mf in self._index.modules.values() for n in mf.functions}
        imported = {q.rsplit(".", 1)[-1] for mf in self._index.modules.values() for q in mf.imports.values()}
        return tuple([n for n in names if n in defined] + [n for n in names if n in imported and n not in defined])

    @answer
    def project_auth_factory(self) -> str | None:
        """A configured auth decorator name the project defines as a decorator factory."""
        factories = {n for mf in self._index.modules.values() for n in mf.decorator_factories}
        return next((n for n in self._settings.effective_auth_decorators() if n in factories), None)

    @answer
    def is_decorator_factory(self, qualname: str) -> bool:
        """A decorator that needs arguments (`@require_permission("x")`): no fix can write it."""
        if qualname.rsplit(".", 1)[-1] in DECORATOR_FACTORY_NAMES:
            return True
        found = self._index.lookup(self._index.canonical(qualname))
        return found is not None and found[1] in found[0].decorator_factories

    @answer
    def import_source(self, name: str, importer: str) -> str | None:
        """Where `importer` can import `name` from: the project module defining it, else the
        library other modules import it from, else a well-known library."""
        modules = self._index.modules.values()
        for mf in modules:
            if name in mf.functions and mf.module != importer:
                return mf.module
        for mf in modules:
            qual = mf.imports.get(name)
            if qual and qual.rsplit(".", 1)[-1] == name and self._index.find_module(qual.rsplit(".", 1)[0]) is None:
                return qual.rsplit(".", 1)[0]
        return AUTH_DECORATOR_SOURCES.get(name)

    @answer
    def auth_decorator_is_called(self, qualname: str) -> bool:
        """`@jwt_required()` in flask-jwt-extended 4; bare in 3.x (which still has jwt_optional)."""
        if qualname.rsplit(".", 1)[-1] not in CALLED_AUTH_DECORATORS:
            return False
        return not any(q.endswith("jwt_optional") for mf in self._index.modules.values() for q in mf.imports.values())

    # -- blueprints and routes ------------------------------------------------------------------
    @answer
    def module_endpoints(self, module: str) -> tuple[Endpoint, ...]:
        """The endpoints whose views are defined in `module`, with their full URL, methods and
        effective auth (see :mod:`flaskarch.facts.routes`)."""
        return self.route_model().of_module(module)

    @answer
    def declared_rules(self, module: str) -> frozenset[str]:
        """The literal URL rules `module` itself declares, as the route model reads them: route
        decorators of its functions and classes (`@bp.route`, `@bp.get`, `@ns.route`),
        `add_url_rule` / `add_resource` / helper registrations, and route tables; of a rule
        built at run time (`PREFIX + "/<int:id>"`), its literal parts (FLK302)."""
        mf = self._index.modules.get(module)
        if mf is None:
            return frozenset()
        rules: set[str] = set()
        decls = [r for view in mf.views for r in view.routes]
        for cf in mf.classes.values():
            decls += cf.routes
            decls += [r for method in cf.method_facts.values() for r in method.routes]
        for decl in decls:
            rules.update([decl.rule] if decl.rule else decl.parts)
        for reg in mf.view_registrations:
            rules.update(reg.rules)
            rules.update(reg.parts)
        for call in mf.helper_calls:
            for arg in list(call.args) + list(call.kwargs.values()):
                for item in arg.items or [arg]:
                    if item.string and item.string.startswith("/"):
                        rules.add(item.string)
        for rows in mf.route_tables.values():
            rules.update(cell[2:] for row in rows for cell in row if cell and cell.startswith("s:"))
        return frozenset(rules)

    def route_model(self) -> RouteModel:
        """The whole route model (the inventory; built once per run). Not an answer: rules ask
        `module_endpoints`, whose value is recorded."""
        if self._routes is None:
            self._routes = RouteModel(self._index, self._settings)
        return self._routes

    @answer
    def blueprint_registration(self, qualname: str) -> str:
        """Whether the project registers a blueprint (`pkg.views.bp`) with an app or another
        blueprint: "registered"; "unregistered"; "unknown" when it is not found registered
        but the project registers blueprints in a way the index cannot follow (a parameter, a
        list built at run time, `getattr`/`import_module`), or has no application at all (a
        library of blueprints). Changes when any module's registrations change."""
        registered, dynamic, judged = self._index.blueprint_registry
        qual = self._index.canonical(qualname)
        if qual in registered:
            return "registered"
        # `from web_app.blueprints.x import bp` where the project root is `web_app/` itself:
        # a name outside the project's modules that ends with this blueprint's name
        if any(r.endswith("." + qual) and self._index.lookup(r) is None for r in registered):
            return "registered"
        return "unknown" if dynamic or not judged else "unregistered"

    # -- responses --------------------------------------------------------------------------------
    @answer
    def is_response_class(self, name: str) -> bool:
        """A class (by its own name) a controller returns as a response (`response_model=X`,
        `X.model_validate(...)`)."""
        if self._responses is None:
            self._responses = self._response_names()
        return name in self._responses

    def _response_names(self) -> frozenset[str]:
        from flaskarch.layers import classify

        return frozenset(
            name.rsplit(".", 1)[-1]
            for mf in self._index.modules.values()
            if classify(mf.relpath, self._settings) == "controller"
            for name in mf.response_uses
        )


# bases of classes that are records or values, not models (FLK103's exemptions)
VALUE_CLASS_ROOTS = frozenset({"enum", "pydantic", "marshmallow", "attr", "attrs", "msgspec"})
VALUE_CLASS_NAMES = frozenset({"Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "NamedTuple", "TypedDict",
                               "Exception", "BaseException", "BaseModel", "Schema", "Protocol",
                               "str", "int", "float", "bytes", "tuple", "frozenset", "dict"})

_CLASS_LISTS = frozenset({"int_columns", "other_columns", "bool_columns", "relationships", "primary_keys",
                          "not_null"})
