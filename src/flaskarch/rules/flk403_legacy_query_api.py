"""FLK403 legacy-query-api: `Model.query` and `session.query()` are SQLAlchemy 1.x style."""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.names import Assigned, Import, dotted_name
from flaskarch.rule import Fix, NodeEdit, Rule, import_edit, replace
from flaskarch.semantics import is_class_like, is_db_object, is_session_object

# Methods of the legacy Query object: `X.query.<one of these>` marks X as a model class even
# when the project index cannot see its definition (a model imported from a package).
QUERY_METHODS = {
    "all", "count", "delete", "distinct", "exists", "filter", "filter_by", "first", "first_or_404",
    "get", "get_or_404", "group_by", "having", "join", "limit", "offset", "one", "one_or_404",
    "one_or_none", "options", "order_by", "outerjoin", "paginate", "scalar", "update",
    "with_entities", "yield_per",
}
# The exact shapes that have a safe rewrite: `X.query.<method>(ident)` -> `<db><rewrite>(X, ident)`
REWRITES = {"get": ".session.get", "get_or_404": ".get_or_404"}


def _is_query_property(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Attribute) and node.attr.value == "query"


def _code(node: cst.CSTNode) -> str:
    if hasattr(node, "lpar"):
        node = node.with_changes(lpar=(), rpar=())
    return cst.Module(body=()).code_for_node(node)


class LegacyQueryApi(Rule):
    code = "FLK403"
    name = "legacy-query-api"
    summary = "SQLAlchemy 1.x legacy query API: `Model.query`, `session.query(...)`."
    tags = ('sqlalchemy', 'correctness')
    presets = frozenset({"mscr", "factory"})
    sqlalchemy_only = True
    requires_version = ("sqlalchemy", "2.0")
    fix = "safe"
    prefilter = re.compile(r"\.query\b")

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        # `X.query` nodes followed by a Query method, and the `X.query.get(x)` calls around them
        # (parents are visited before their children, so both are known at `X.query`)
        self._receivers: set[int] = set()
        self._calls: dict[int, cst.Call] = {}

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        if func.attr.value == "query" and is_session_object(self.ctx, func.value):
            self.report(
                node,
                "`session.query()` is the legacy Query API: use `session.execute(select(...))` or "
                "`session.scalars(select(...))` instead (SQLAlchemy 2.0 style)",
            )
        elif func.attr.value in REWRITES and _is_query_property(func.value):
            self._calls[id(func.value)] = node

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value in QUERY_METHODS and _is_query_property(node.value):
            self._receivers.add(id(node.value))
            return
        if node.attr.value != "query" or not self._is_model(node):
            return
        owner = node.value
        model = _code(owner)
        call = self._calls.get(id(node))
        self.report(
            node,
            f"`{model}.query` is the legacy Query API: use `db.session.get({model}, id)` or "
            f"`db.session.scalars(select({model}).where(...))` instead (SQLAlchemy 2.0 style)",
            self._fix(owner, call) if call is not None else None,
        )

    # -- detection ----------------------------------------------------------------------
    def _is_model(self, query: cst.Attribute) -> bool:
        """`X` of `X.query` is a model class: resolved through the project index, or a class
        the index cannot see, used as `X.query.<Query method>`."""
        ctx = self.ctx
        owner = query.value
        if dotted_name(owner) is None:
            return False
        qual = ctx.names.qualify(owner)
        if qual is not None and ctx.facts.class_info(qual) is not None:
            return ctx.facts.is_model_class(qual)
        return id(query) in self._receivers and is_class_like(ctx, owner)

    # -- fix ----------------------------------------------------------------------------
    def _fix(self, owner: cst.BaseExpression, call: cst.Call) -> Fix | None:
        method = call.func.attr.value  # type: ignore[union-attr]
        if len(call.args) != 1:
            return None
        facts = self.ctx.facts
        if facts.version_below("sqlalchemy", "1.4") or (
                method == "get_or_404" and facts.version_below("flask-sqlalchemy", "3.0")):
            return None  # the project pins a version without `Session.get` / `db.get_or_404`
        arg = call.args[0]
        if arg.keyword is not None or arg.star:
            return None
        found = self._db()
        if found is None:
            return None
        db, source = found
        rewrite = f"{db}{REWRITES[method]}"
        edits: list = [replace(call.func, rewrite), NodeEdit("before", arg, f"{_code(owner)}, ")]
        if source is not None:
            edits.append(import_edit(self.ctx.module, f"from {source} import {db}"))
        model = _code(owner)
        # safe only where the project's files say the API exists (`Session.get`: SQLAlchemy
        # 1.4; `db.get_or_404`: Flask-SQLAlchemy 3.0); on an unknown version it may not
        needs = ("flask-sqlalchemy", "3.0") if method == "get_or_404" else ("sqlalchemy", "1.4")
        known = self.ctx.facts.version_at_least(*needs)
        return Fix(f"rewrite to `{rewrite}({model}, ...)`", edits, applicability=None if known else "unsafe")

    def _db(self) -> tuple[str, str | None] | None:
        """(name of the Flask-SQLAlchemy `db` here, module to import it from when the module
        does not bind it yet); None when no single `db` object is importable."""
        ctx = self.ctx
        names = ctx.names
        # a `db` visible here: function scopes (a local import) first, then the module's
        for scope in reversed(names.scopes):
            if scope.kind == "class":
                continue
            for local, binding in scope.bindings.items():
                if not isinstance(binding, (Import, Assigned)):
                    continue
                if names.lookup(local) is binding and _is_db(ctx, local, binding):
                    return local, None
        # none bound: the project's one `db` object, imported under its own name
        found = ctx.facts.the_db_object(ctx.module_name)
        if found is None:
            return None
        module, name = found
        if names.lookup(name) is not None:
            return None  # the name means something else here
        return name, module


def _is_db(ctx, local: str, binding: "Import | Assigned") -> bool:
    """A name bound to the Flask-SQLAlchemy object. An import from a project module is judged
    by the index alone (`db = object()` there is not a db, whatever its name)."""
    if isinstance(binding, Import):
        if ctx.facts.is_project_name(binding.qualname):
            return ctx.facts.is_db_object(binding.qualname)
    return is_db_object(ctx, cst.Name(local))
