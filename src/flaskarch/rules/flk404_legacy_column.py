"""FLK404 legacy-column: model attributes are `name: Mapped[T] = mapped_column(...)` in SQLAlchemy 2.0."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flaskarch._lazy import cst

from flaskarch.names import Import, dotted_name
from flaskarch.facts.vocab import SQLA_CORE_ROOTS
from flaskarch.rule import Fix, NodeEdit, Rule, import_edit, replace
from flaskarch.semantics import is_class_like, is_db_object



@dataclass(frozen=True)
class PyType:
    """A Python type for `Mapped[...]`: a builtin, or a name imported from a stdlib module."""

    name: str
    module: str | None = None  # `datetime` for datetime.datetime; None for builtins

    @property
    def qualname(self) -> str:
        return f"{self.module}.{self.name}" if self.module else self.name


INT, STR, FLOAT = PyType("int"), PyType("str"), PyType("float")
DECIMAL = PyType("Decimal", "decimal")
UUID = PyType("UUID", "uuid")
# SQLAlchemy column type -> the Python type of its values (RULES.md FLK404's table)
COLUMN_TYPES: dict[str, PyType] = {
    "Integer": INT, "BigInteger": INT, "SmallInteger": INT,
    "String": STR, "Text": STR, "Unicode": STR, "UnicodeText": STR,
    "Boolean": PyType("bool"),
    "DateTime": PyType("datetime", "datetime"), "Date": PyType("date", "datetime"),
    "Time": PyType("time", "datetime"),
    "Float": FLOAT, "Numeric": DECIMAL,
    "JSON": PyType("dict"),
    "LargeBinary": PyType("bytes"),
    "Uuid": UUID, "UUID": UUID,
}


@dataclass
class _Plan:
    """What the fix writes: the annotation and the names it needs imported."""

    annotation: str
    mapped_column: str
    imports: list[tuple[str, str]]  # (module, name); name "" for `import module`


class LegacyColumn(Rule):
    code = "FLK404"
    name = "legacy-column"
    summary = "A model attribute assigned `Column(...)` without a `Mapped[...]` annotation."
    tags = ('sqlalchemy', 'correctness')
    presets = frozenset({"mscr", "factory"})
    layers = frozenset({"model"})
    sqlalchemy_only = True
    requires_version = ("sqlalchemy", "2.0")
    fix = "unsafe"
    prefilter = re.compile(r"Column")

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        # reports with a fix: (index in self.reports, plan); their imports are joined in finish()
        self._planned: list[tuple[int, _Plan]] = []

    def visit_Assign(self, node: cst.Assign) -> None:
        cls = self._class()
        if cls is None or not self._is_column_call(node.value):
            return
        target = node.targets[0].target
        if not isinstance(target, cst.Name):
            return
        # `a = b = Column(...)`: reported, but one column under two names has no rewrite
        self._report(cls, target, node.value, None, fixable=len(node.targets) == 1)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        cls = self._class()
        if cls is None or node.value is None or not self._is_column_call(node.value):
            return
        if not isinstance(node.target, cst.Name) or _is_mapped(node.annotation.annotation):
            return
        self._report(cls, node.target, node.value, node.annotation)

    def _class(self) -> cst.ClassDef | None:
        """The class whose body holds the statement being walked (not a method's body)."""
        stack = self.ctx.stack
        return stack[-1] if stack and isinstance(stack[-1], cst.ClassDef) else None

    def _report(
        self,
        cls: cst.ClassDef,
        target: cst.Name,
        call: cst.Call,
        annotation: cst.Annotation | None,
        fixable: bool = True,
    ) -> None:
        name = target.value
        # `Mapped`/`mapped_column` need SQLAlchemy 2.0: no fix for a project pinned below it
        plan = self._plan(cls, call) if fixable and not self.ctx.facts.version_below("sqlalchemy", "2.0") else None
        shown = plan.annotation if plan is not None else "Mapped[...]"
        fix = None
        if plan is not None:
            edits: list = []
            if annotation is not None:
                edits.append(replace(annotation.annotation, plan.annotation))
            else:
                edits.append(NodeEdit("after", target, f": {plan.annotation}"))
            edits.append(replace(call.func, plan.mapped_column))
            fix = Fix(f"rewrite to `{name}: {plan.annotation} = {plan.mapped_column}(...)`", edits)
            self._planned.append((len(self.reports), plan))
        self.report(
            target,
            f"`{name}` is a legacy `Column()` without a `Mapped[]` annotation: declare it as "
            f"`{name}: {shown} = mapped_column(...)` (SQLAlchemy 2.0 style)",
            fix,
        )

    def complete_fixes(self, kept: list) -> None:
        """Every fix adds the imports of all the module's kept fixes, as the same edits, so
        that applying them together adds each import line once, merged and in a stable order.
        A column whose finding a `# noqa` suppresses (not in `kept`) adds no import."""
        planned = dict((id(self.reports[i]), plan) for i, plan in self._planned)
        needed: list[tuple[str, str]] = []
        for rep in kept:
            plan = planned.get(id(rep))
            if plan is not None:
                needed += plan.imports
        lines = _import_lines(needed)
        for rep in kept:
            if rep.fix is not None and id(rep) in planned:
                rep.fix.edits += [import_edit(self.ctx.module, line) for line in lines]

    # -- detection ----------------------------------------------------------------------
    def _is_column_call(self, value: cst.BaseExpression) -> bool:
        """`Column(...)`, `sa.Column(...)`, `db.Column(...)`, resolved through imports."""
        if not isinstance(value, cst.Call):
            return False
        return self._sqla_name(value.func) == "Column"

    def _sqla_name(self, expr: cst.BaseExpression) -> str | None:
        """The last segment of a name that comes from SQLAlchemy or a Flask-SQLAlchemy `db`
        (`db.String`, `sa.String`, `String` imported from sqlalchemy); None otherwise."""
        if dotted_name(expr) is None:
            return None
        if isinstance(expr, cst.Attribute) and is_db_object(self.ctx, expr.value):
            return expr.attr.value
        qual = self.ctx.names.qualify(expr)
        if qual is None or qual.split(".")[0] not in SQLA_CORE_ROOTS:
            return None
        return qual.rsplit(".", 1)[-1]

    # -- fix ----------------------------------------------------------------------------
    def _plan(self, cls: cst.ClassDef, call: cst.Call) -> _Plan | None:
        """The annotation and imports of the rewrite; None when the column's Python type or
        nullability is unknown, or a name the rewrite needs means something else here."""
        optional = _optional(call)
        if optional is None:
            return None
        type_expr = _type_argument(call)
        if type_expr is None:
            return None
        taken = _class_names(cls)
        imports: list[tuple[str, str]] = []  # (module, name)
        kind = self._sqla_name(type_expr.func if isinstance(type_expr, cst.Call) else type_expr)
        if kind == "Enum":
            inner = _enum_class(type_expr)
            if inner is None or not is_class_like(self.ctx, inner):
                return None
            py = _code(inner)
            if py.split(".")[0] in taken:
                return None
        else:
            pytype = _python_type(kind, type_expr)
            if pytype is None:
                return None
            py = self._spell(pytype, taken, imports)
            if py is None:
                return None
        names: list[str] = []
        for wanted in ("Mapped", "mapped_column"):
            local = self._local_name(f"sqlalchemy.orm.{wanted}", wanted)
            if local is None or local in taken:
                return None
            if local == "":
                local = wanted
                imports.append(("sqlalchemy.orm", wanted))
            names.append(local)
        mapped, column_fn = names
        if optional:
            py += " | None"
        return _Plan(f"{mapped}[{py}]", column_fn, imports)

    def _spell(self, pytype: PyType, taken: set[str], imports: list[tuple[str, str]]) -> str | None:
        """How the module can name the Python type (adding to `imports` what it must import)."""
        bindings = self.ctx.names.scopes[0].bindings
        if pytype.module is None:  # a builtin, unless the module or class rebinds it
            return None if pytype.name in bindings or pytype.name in taken else pytype.name
        local = self._local_name(pytype.qualname, "")
        if local:
            return None if local in taken else local
        # the module imported: `import datetime` -> `datetime.date`
        for name, binding in bindings.items():
            if isinstance(binding, Import) and binding.qualname == pytype.module and name not in taken:
                return f"{name}.{pytype.name}"
        if pytype.module == "uuid":  # `uuid.UUID`, with `import uuid`
            if "uuid" in bindings or "uuid" in taken:
                return None
            imports.append(("uuid", ""))
            return "uuid.UUID"
        if pytype.name in bindings or pytype.name in taken:
            return None
        imports.append((pytype.module, pytype.name))
        return pytype.name

    def _local_name(self, qualname: str, default: str) -> str | None:
        """The module-level name bound to `qualname`; "" when `default` is free to import
        under (or no default is given and nothing binds it); None when `default` is taken."""
        bindings = self.ctx.names.scopes[0].bindings
        for name, binding in bindings.items():
            if isinstance(binding, Import) and _same(binding.qualname, qualname):
                return name
        if default and default in bindings:
            return None
        return ""


def _same(imported: str, qualname: str) -> bool:
    """`sqlalchemy.orm.Mapped` also as `sqlalchemy.orm.base.Mapped` and the like."""
    if imported == qualname:
        return True
    head, _, last = qualname.rpartition(".")
    return qualname.startswith("sqlalchemy.") and imported.startswith("sqlalchemy.") and imported.endswith("." + last)


def _import_lines(imports: list[tuple[str, str]]) -> list[str]:
    """One import line per module, stdlib first, names in a stable order."""
    by_module: dict[str, list[str]] = {}
    for module, name in imports:
        by_module.setdefault(module, [])
        if name and name not in by_module[module]:
            by_module[module].append(name)
    lines = []
    for module in sorted(by_module, key=lambda m: (m.startswith("sqlalchemy"), m)):
        names = by_module[module]
        lines.append(f"from {module} import {', '.join(sorted(names, key=str.lower))}" if names else f"import {module}")
    return lines


def _optional(call: cst.Call) -> bool | None:
    """`T | None`: nullable=True, or neither nullable=False nor primary_key=True given;
    None when either is not a literal."""
    kwargs = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
    if any(a.star == "**" for a in call.args):
        return None
    nullable = _bool(kwargs.get("nullable"))
    primary = _bool(kwargs.get("primary_key"))
    if nullable is None:
        return None
    if nullable is not _MISSING:
        return nullable is True
    if primary is None:
        return None
    return primary is not True


_MISSING = object()


def _bool(value: cst.BaseExpression | None) -> "bool | None | object":
    """True/False for a literal, the MISSING marker for no argument, None when not literal."""
    if value is None:
        return _MISSING
    if isinstance(value, cst.Name) and value.value in ("True", "False"):
        return value.value == "True"
    return None


def _type_argument(call: cst.Call) -> cst.BaseExpression | None:
    """The column's type: `type_=`, else the first positional argument after an optional name."""
    positional = []
    for arg in call.args:
        if arg.keyword is not None:
            if arg.keyword.value == "type_":
                return arg.value
            continue
        if arg.star:
            return None
        positional.append(arg.value)
    if positional and isinstance(positional[0], (cst.SimpleString, cst.ConcatenatedString)):
        positional = positional[1:]  # `Column("user_name", String(50))`
    return positional[0] if positional else None


def _python_type(kind: str | None, type_expr: cst.BaseExpression) -> PyType | None:
    pytype = COLUMN_TYPES.get(kind or "")
    if pytype is None or not isinstance(type_expr, cst.Call):
        return pytype
    kwargs = {a.keyword.value: a.value for a in type_expr.args if a.keyword is not None}
    if pytype in (FLOAT, DECIMAL) and "asdecimal" in kwargs:  # `Numeric(asdecimal=False)` is float
        flag = _bool(kwargs["asdecimal"])
        return None if flag is None else (DECIMAL if flag else FLOAT)
    if pytype is UUID and "as_uuid" in kwargs:  # `Uuid(as_uuid=False)` gives strings
        flag = _bool(kwargs["as_uuid"])
        return None if flag is None else (UUID if flag else STR)
    return pytype


def _enum_class(type_expr: cst.BaseExpression) -> cst.BaseExpression | None:
    """`E` of `Enum(E, ...)`; None for `Enum("a", "b")` or a bare `Enum`."""
    if not isinstance(type_expr, cst.Call) or not type_expr.args:
        return None
    first = type_expr.args[0]
    if first.keyword is not None or first.star or dotted_name(first.value) is None:
        return None
    return first.value


def _is_mapped(annotation: cst.BaseExpression) -> bool:
    if isinstance(annotation, cst.Subscript):
        return (dotted_name(annotation.value) or "").rsplit(".", 1)[-1] == "Mapped"
    if isinstance(annotation, cst.SimpleString):
        return "Mapped[" in annotation.value
    return False


def _class_names(cls: cst.ClassDef) -> set[str]:
    """Names the class body binds: an annotation there would see these, not the module's."""
    out: set[str] = set()
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    for stmt in body:
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            out.add(stmt.name.value)
        elif isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Assign):
                    out.update(t.target.value for t in small.targets if isinstance(t.target, cst.Name))
                elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                    out.add(small.target.value)
    return out


def _code(node: cst.CSTNode) -> str:
    if hasattr(node, "lpar"):
        node = node.with_changes(lpar=(), rpar=())
    return cst.Module(body=()).code_for_node(node)
