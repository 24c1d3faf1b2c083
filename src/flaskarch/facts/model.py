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
    not_null: list[str] = field(default_factory=list)  # columns `nullable=False` or primary keys
    # `self.session = ...` / `self.db = ...` in a method: attribute -> how it is bound, each one
    # "other", "unknown" (an unannotated parameter), "annotated:<type>" (a parameter's),
    # "call:<callee>" or "ref:<expression>" (judged by the index)
    self_bindings: dict[str, list[str]] = field(default_factory=dict)
    data_class: bool = False  # `@dataclass` / `@attr.s` / `@define`: a plain record
    # plain annotated fields (`id: str` of a dataclass): name -> "int" or "other"
    annotated: dict[str, str] = field(default_factory=dict)
    # `relationship("Post", backref="author")`: (the other class as written, the attribute it gets)
    backrefs: list[tuple[str, str]] = field(default_factory=list)
    meta_model: str | None = None  # Marshmallow `class Meta: model = X`
    meta_exclude: list[str] = field(default_factory=list)
    meta_fields: list[str] | None = None
    meta_load_only: list[str] = field(default_factory=list)
    line: int = 0
    # methods' own facts (decorators, line, delegation), for the route model
    method_facts: dict[str, "ViewFacts"] = field(default_factory=dict)
    # `decorators = Base.decorators + [...]`: the classes whose lists are concatenated in
    decorator_refs: list[str] = field(default_factory=list)
    # class decorators that register routes (`@ns.route("/x")`, smorest `@blp.route("/")`)
    routes: list["RouteDecl"] = field(default_factory=list)


@dataclass
class BlueprintFacts:
    name: str | None = None
    url_prefix: str | None = None
    prefix_unknown: bool = False  # `url_prefix=f"/v2/{name}"`: built at run time


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
    handler: str | None = None  # the handler function, as written (call form: judged by the index)
    line: int = 0


@dataclass
class RouteDecl:
    """One URL rule a decorator or a registration call declares for a view."""

    receiver: str | None  # blueprint / app / Api / Namespace expression (`::abs.name` if local)
    rule: str | None  # None: built at run time (unknown)
    methods: list[str] | None  # None: not a literal list; [] : the view's own methods (classes)
    endpoint: str | None = None  # `endpoint=` / `as_view("name")`
    line: int = 0
    partial: str | None = None  # `org_scoped_rule("/invite/<t>")`: the literal (the URL's tail)
    # the string literals of a rule built at run time (`PREFIX + "/<int:id>"`, f-strings): FLK302
    parts: list[str] = field(default_factory=list)


@dataclass
class ViewFacts:
    """A function or method that may serve requests: its decorators in order (top first, as
    qualified expressions), which of them declare routes, and whether it only delegates."""

    name: str  # dotted path inside the module: `index`, `create_app.index`, `UserAPI.post`
    line: int
    decorators: list[str] = field(default_factory=list)
    routes: list[RouteDecl] = field(default_factory=list)
    route_index: list[int] = field(default_factory=list)  # positions of route decorators
    delegates: bool = False  # `return super().post(...)`: the parent's method serves
    checks_auth: bool = False  # starts by denying a request without a user (`if not current_user...`)


@dataclass
class ViewRegistration:
    """`bp.add_url_rule(rule, view_func=V.as_view(..))`, `api.add_resource(V, "/x")`, or a
    project helper call carrying `V.as_view(...)` (`register_view(bp, routes=[...], ...)`)."""

    receiver: str | None
    view: str
    rules: list[str]
    methods: list[str] | None = None  # None: not a literal list (not judged)
    decorators: list[str] = field(default_factory=list)  # `decorators=[...]` a helper applies
    rules_unknown: bool = False  # a rule built at run time (`org_scoped_rule("/x")`)
    endpoint: str | None = None
    line: int = 0
    helper: str | None = None  # the project helper that registers it, as called
    partial_rule: str | None = None  # the literal a rule-building call is given (`/x`): its tail
    parts: list[str] = field(default_factory=list)  # literals of rules built at run time (FLK302)


@dataclass
class HelperDef:
    """A project function that registers views with its parameters: which parameter is the
    receiver, the view, the rule(s), the methods and the decorators it applies."""

    params: list[str]
    receiver: str | None  # a parameter name, or an expression of its own
    view: str | None
    rule: str | None  # a parameter name, or "" when the rule is a literal in `rules`
    rules: list[str] = field(default_factory=list)
    decorators: str | None = None  # the parameter holding `decorators=[...]`
    fixed_decorators: list[str] = field(default_factory=list)  # decorators it always applies
    defaults: dict[str, list[str]] = field(default_factory=dict)  # decorator-list defaults
    rule_built: bool = False  # the rules are rewritten at run time (`org_scoped_rule(url)`)


@dataclass
class HelperCall:
    """A statement-level call that may be a project helper registering views."""

    func: str
    args: list["ArgFact"]
    kwargs: dict[str, "ArgFact"]
    line: int = 0


@dataclass
class ArgFact:
    """An argument as the route model can use it: a name, a string, or a list of either."""

    name: str | None = None
    string: str | None = None
    items: list["ArgFact"] | None = None
    call: str | None = None  # the callee of a call argument (`jwt_required()`, `rule("/x")`)



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
    # an `import` not at the top of the module (in a function, under `if`/`try`): FLK103 cannot
    # judge the module from its top-level imports alone
    nested_imports: bool = False
    # `db = FlaskDB(app)`, `database = SqliteDatabase(...)`: objects of another ORM (peewee, ...)
    other_orm_objects: list[str] = field(default_factory=list)
    db_objects: list[str] = field(default_factory=list)
    session_objects: list[str] = field(default_factory=list)
    engine_objects: list[str] = field(default_factory=list)
    declarative_bases: list[str] = field(default_factory=list)
    classes: dict[str, ClassFacts] = field(default_factory=dict)
    functions: dict[str, list[str]] = field(default_factory=dict)  # name -> wrapped decorators
    # functions returning a decorator (`def require_permission(perm): def decorator(f): ...`)
    decorator_factories: list[str] = field(default_factory=list)
    # project decorators whose wrapper itself stops unauthenticated requests (`admins_only`)
    guard_decorators: list[str] = field(default_factory=list)
    blueprints: dict[str, BlueprintFacts] = field(default_factory=dict)
    registrations: list[Registration] = field(default_factory=list)
    # FLK602: blueprints registered in forms `registrations` does not hold (loops over tables of
    # rows, `register_blueprint(blueprint=x)` on any receiver), as written or `::abs` for a local
    # import; `@list:<expr>`: every element of a named list (`for bp in BLUEPRINTS: ...`);
    # `@call:<callee>`: the value of a call (`register_blueprint(make_bp())`, judged by the index)
    registered_names: list[str] = field(default_factory=list)
    # module-level lists/tuples of names (`BLUEPRINTS = [auth_bp, users.bp]`): name -> elements
    name_lists: dict[str, list[str]] = field(default_factory=dict)
    # `register_blueprint(x)` whose argument cannot be followed (a parameter, a variable set at
    # run time, getattr/import_module results): "line:why" each
    dynamic_registrations: list[str] = field(default_factory=list)
    creates_app: bool = False  # calls `Flask(...)` somewhere (the project has an application)
    guards: list[Guard] = field(default_factory=list)
    response_uses: list[str] = field(default_factory=list)  # classes returned as responses
    view_registrations: list[ViewRegistration] = field(default_factory=list)
    auth_objects: list[str] = field(default_factory=list)  # `allows = Allows(...)`
    views: list[ViewFacts] = field(default_factory=list)  # functions with route decorators
    function_lines: dict[str, int] = field(default_factory=dict)  # module-level defs
    function_decorators: dict[str, list[str]] = field(default_factory=dict)  # their decorators
    checking_functions: list[str] = field(default_factory=list)  # ones starting with a user check
    # module-level functions that deny a request without a user (guards in call form)
    guard_functions: list[str] = field(default_factory=list)
    helpers: dict[str, HelperDef] = field(default_factory=dict)  # `name` or `Class.method`
    instances: dict[str, str] = field(default_factory=dict)  # `api = ApiExt()`: name -> class
    namespace_names: dict[str, str] = field(default_factory=dict)  # restx `Namespace("users")`
    app_objects: list[str] = field(default_factory=list)  # `app = Flask(__name__)`
    helper_calls: list[HelperCall] = field(default_factory=list)
    # `routes = [("/login", LoginView), ...]`: module-level tables of (rule, view)
    route_tables: dict[str, list[list[str | None]]] = field(default_factory=dict)
    # `api.add_namespace(ns, path="/x")`, `Api(bp, prefix="/x")`, `Namespace("n", path="/x")`
    api_prefixes: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    parse_ok: bool = True
    # (line, column, message) as CPython's compile() reports it, when the module does not parse
    syntax_error: tuple[int, int, str] | None = None

