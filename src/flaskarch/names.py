"""Light name resolution over libcst trees: imports, aliases and simple assignments.

libcst's QualifiedNameProvider costs ten times a parse; rules only need to know what a
name was imported as or last assigned from. The walker keeps a stack of scopes: the module
scope is filled before the walk (so functions see globals defined further down), function
scopes as the walk meets bindings (so `s = db.session; s.add(x)` resolves in order).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Union

from flaskarch._lazy import cst

from flaskarch.facts.extract import resolve_relative


@dataclass(frozen=True)
class Import:
    qualname: str


@dataclass(frozen=True)
class Assigned:
    value: cst.BaseExpression


@dataclass(frozen=True)
class Defined:
    kind: str  # "class" | "function"
    node: cst.CSTNode


@dataclass(frozen=True)
class Local:
    """A parameter, loop target or otherwise unknown local: shadows outer names."""


Binding = Union[Import, Assigned, Defined, Local]
_LOCAL = Local()


def dotted_name(node: cst.CSTNode | None) -> str | None:
    """`a.b.c` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def root_name(node: cst.CSTNode) -> cst.Name | None:
    """The leftmost Name of an attribute/call/subscript chain (`db` of `db.session.add()`)."""
    while True:
        if isinstance(node, cst.Attribute):
            node = node.value
        elif isinstance(node, cst.Call):
            node = node.func
        elif isinstance(node, cst.Subscript):
            node = node.value
        else:
            return node if isinstance(node, cst.Name) else None


def _import_module_name(node: cst.BaseExpression) -> str:
    return dotted_name(node) or ""


class Scope:
    def __init__(self, kind: str) -> None:
        self.kind = kind  # "module" | "class" | "function"
        self.bindings: dict[str, Binding] = {}


class NameTable:
    """Scoped bindings of one module, maintained by the walker."""

    def __init__(self, module: str, is_package: bool) -> None:
        self.module = module
        self.is_package = is_package
        self.star_imports: list[str] = []
        self.scopes: list[Scope] = [Scope("module")]

    # building --------------------------------------------------------------------
    def fill_module(self, module: cst.Module) -> None:
        for stmt in _flatten(module.body):
            self.bind_statement(stmt, self.scopes[0])

    def bind_statement(self, stmt: cst.CSTNode, scope: Scope | None = None) -> None:
        """Record the bindings a simple statement or def/class makes."""
        scope = scope or self.scopes[-1]
        b = scope.bindings
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                self.bind_small(small, scope)
        elif isinstance(stmt, cst.FunctionDef):
            b[stmt.name.value] = Defined("function", stmt)
        elif isinstance(stmt, cst.ClassDef):
            b[stmt.name.value] = Defined("class", stmt)

    def bind_small(self, small: cst.CSTNode, scope: Scope | None = None) -> None:
        b = (scope or self.scopes[-1]).bindings
        if isinstance(small, cst.Import):
            for alias in small.names:
                full = _import_module_name(alias.name)
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    b[alias.asname.name.value] = Import(full)
                else:
                    root = full.split(".")[0]
                    b[root] = Import(root)
        elif isinstance(small, cst.ImportFrom):
            level = len(small.relative)
            mod = _import_module_name(small.module) if small.module is not None else None
            base = resolve_relative(self.module, self.is_package, level, mod) if level else (mod or "")
            if isinstance(small.names, cst.ImportStar):
                self.star_imports.append(base)
                return
            for alias in small.names:
                name = _import_module_name(alias.name)
                local = name
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    local = alias.asname.name.value
                b[local] = Import(f"{base}.{name}" if base else name)
        elif isinstance(small, cst.Assign):
            for target in small.targets:
                if isinstance(target.target, cst.Name):
                    b[target.target.value] = Assigned(small.value)
                else:
                    for name in _target_names(target.target):
                        b[name] = _LOCAL
        elif isinstance(small, cst.AnnAssign):
            if isinstance(small.target, cst.Name):
                b[small.target.value] = Assigned(small.value) if small.value is not None else _LOCAL
        elif isinstance(small, cst.AugAssign):
            if isinstance(small.target, cst.Name):
                b[small.target.value] = _LOCAL

    def bind_local(self, name: str, value: cst.BaseExpression | None = None) -> None:
        self.scopes[-1].bindings[name] = Assigned(value) if value is not None else _LOCAL

    def push_function(self, fn: cst.FunctionDef) -> None:
        scope = Scope("function")
        params = fn.params
        for p in (*params.posonly_params, *params.params, *params.kwonly_params):
            scope.bindings[p.name.value] = _LOCAL
        for p in (params.star_arg, params.star_kwarg):
            if isinstance(p, cst.Param):
                scope.bindings[p.name.value] = _LOCAL
        # names assigned anywhere in the body are local from the start (Python's rule);
        # their values are filled in as the walk reaches the assignments.
        for name in _assigned_names(fn.body):
            scope.bindings.setdefault(name, _LOCAL)
        self.scopes.append(scope)

    def push_class(self) -> None:
        self.scopes.append(Scope("class"))

    def pop(self) -> None:
        self.scopes.pop()

    # lookup ----------------------------------------------------------------------
    def lookup(self, name: str) -> Binding | None:
        innermost = len(self.scopes) - 1
        for i in range(innermost, -1, -1):
            scope = self.scopes[i]
            if scope.kind == "class" and i != innermost:
                continue  # class bodies are not enclosing scopes for functions
            found = scope.bindings.get(name)
            if found is not None:
                return found
        return None

    def qualify(self, node: cst.CSTNode, _depth: int = 0) -> str | None:
        """The fully qualified dotted name of a Name/Attribute chain, following imports and
        aliases (`database.session` -> `app.db.db.session`); None when it is not knowable."""
        name = dotted_name(node)
        if name is None or _depth > 10:
            return None
        root, _, rest = name.partition(".")
        binding = self.lookup(root)
        if isinstance(binding, Import):
            base = binding.qualname
        elif isinstance(binding, Defined):
            base = f"{self.module}.{root}" if self._is_module_level(root) else None
        elif isinstance(binding, Assigned):
            inner = dotted_name(binding.value)
            if inner is not None and inner != name and inner.split(".")[0] != root:
                base = self.qualify(binding.value, _depth + 1)
            elif self.scopes[0].bindings.get(root) is binding:
                base = f"{self.module}.{root}"  # a module global: `bp = Blueprint(...)`
            else:
                return None
        elif binding is None:
            if root in _BUILTINS:
                base = root
            elif self.star_imports:
                base = f"{self.star_imports[0]}.{root}"
            else:
                return None
        else:
            return None
        if base is None:
            return None
        return f"{base}.{rest}" if rest else base

    def _is_module_level(self, name: str) -> bool:
        return name in self.scopes[0].bindings

    def assigned_value(self, node: cst.CSTNode) -> cst.BaseExpression | None:
        """For a Name bound by a simple assignment, the assigned expression."""
        if isinstance(node, cst.Name):
            binding = self.lookup(node.value)
            if isinstance(binding, Assigned):
                return binding.value
        return None


_BUILTINS = frozenset({"print", "len", "str", "int", "dict", "list", "super", "isinstance"})


def _target_names(node: cst.CSTNode) -> Iterator[str]:
    if isinstance(node, cst.Name):
        yield node.value
    elif isinstance(node, (cst.Tuple, cst.List)):
        for el in node.elements:
            yield from _target_names(el.value)
    elif isinstance(node, cst.StarredElement):
        yield from _target_names(node.value)


def _flatten(body: "tuple[cst.CSTNode, ...] | list[cst.CSTNode]") -> Iterator[cst.CSTNode]:
    """Statements of a block including those nested in if/try/with (not in defs/classes)."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, cst.If):
            yield from _flatten(stmt.body.body)
            orelse = stmt.orelse
            while orelse is not None:
                yield from _flatten(orelse.body.body)
                orelse = orelse.orelse if isinstance(orelse, cst.If) else None
        elif isinstance(stmt, cst.Try):
            yield from _flatten(stmt.body.body)
            for h in stmt.handlers:
                yield from _flatten(h.body.body)
            if stmt.orelse is not None:
                yield from _flatten(stmt.orelse.body.body)
            if stmt.finalbody is not None:
                yield from _flatten(stmt.finalbody.body.body)
        elif isinstance(stmt, (cst.With, cst.For, cst.While)):
            yield from _flatten(stmt.body.body)


def _assigned_names(body: cst.BaseSuite) -> Iterator[str]:
    if not isinstance(body, cst.IndentedBlock):
        smalls = body.body if isinstance(body, cst.SimpleStatementSuite) else ()
        for small in smalls:
            yield from _small_names(small)
        return
    for stmt in _flatten(body.body):
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                yield from _small_names(small)
        elif isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            yield stmt.name.value
        elif isinstance(stmt, cst.For):
            yield from _target_names(stmt.target)
        elif isinstance(stmt, cst.With):
            for item in stmt.items:
                if item.asname is not None:
                    yield from _target_names(item.asname.name)


def _small_names(small: cst.CSTNode) -> Iterator[str]:
    if isinstance(small, cst.Assign):
        for t in small.targets:
            yield from _target_names(t.target)
    elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
        yield from _target_names(small.target)
    elif isinstance(small, cst.Import):
        for alias in small.names:
            if alias.asname is not None:
                yield from _target_names(alias.asname.name)
            else:
                yield (dotted_name(alias.name) or "").split(".")[0]
    elif isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
        for alias in small.names:
            if alias.asname is not None:
                yield from _target_names(alias.asname.name)
            else:
                yield dotted_name(alias.name) or ""
