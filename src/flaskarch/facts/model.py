"""The facts of one module: plain data taken from its source alone, cacheable per file."""

from __future__ import annotations

from dataclasses import dataclass, field


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

