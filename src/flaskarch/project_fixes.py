"""Fixes that span the project: renaming a module (FLK201) or a module-level name (FLK203).

A finding carries the action (`FixInfo.project`); the edits are computed here, at fix time,
over the texts of every project module that could import the target, because a per-file check
never reads other files. The fix workflow applies a change to all its files or to none.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Protocol

from flaskarch._lazy import cst
from flaskarch.facts.extract import resolve_relative
from flaskarch.names import dotted_name


# calls whose first argument is a module path in a string
IMPORT_CALLS = frozenset({"import_module", "import_string", "__import__"})


class Modules(Protocol):
    """What a rename asks of the project (the answers provide it)."""

    def find_module(self, dotted: str) -> str | None: ...


@dataclass
class ProjectChange:
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)  # abspath -> (old, new)
    renames: list[tuple[str, str]] = field(default_factory=list)  # (old abspath, new abspath)
    error: str | None = None


def rename_module(
    files: dict[str, tuple[str, str, bool]],  # abspath -> (module name, text, is_package)
    index: Modules,
    old_path: str,
    new_path: str,
) -> ProjectChange:
    change = ProjectChange()
    if os.path.exists(new_path):
        change.error = f"{os.path.basename(new_path)} already exists: not renamed"
        return change
    old_module = files[old_path][0]
    new_module = old_module.rsplit(".", 1)[0] + "." + os.path.basename(new_path)[:-3] if "." in old_module \
        else os.path.basename(new_path)[:-3]
    old_last, new_last = old_module.rsplit(".", 1)[-1], new_module.rsplit(".", 1)[-1]
    for path, (module, text, is_package) in files.items():
        if old_last not in text:
            continue  # cannot mention the module
        new_text = _rewrite_imports(text, module, is_package, index, old_module, old_last, new_last)
        if new_text is None:
            change.error = f"{path}: cannot be parsed to rewrite its imports: not renamed"
            return change
        if new_text != text:
            change.texts[path] = (text, new_text)
    change.renames.append((old_path, new_path))
    return change


def _target_is(index: Modules, dotted: str, old_module: str) -> bool:
    return dotted == old_module or index.find_module(dotted) == old_module


def _rewrite_imports(text, module, is_package, index, old_module, old_last, new_last) -> str | None:
    try:
        tree = cst.parse_module(text)
    except Exception:  # noqa: BLE001 - reported by the caller
        return None
    transformer = _make_module_renamer()(module, is_package, index, old_module, old_last, new_last)
    return tree.visit(transformer).code


def _make_module_renamer():
    """The transformer class, made on first use (libcst loads lazily)."""
    class ModuleRenamer(cst.CSTTransformer):
        def __init__(self, module, is_package, index, old_module, old_last, new_last):
            super().__init__()
            self.module, self.is_package, self.index = module, is_package, index
            self.old_module, self.old_last, self.new_last = old_module, old_last, new_last
            self.local_aliases: set[str] = set()  # `from pkg import old` binds `old` here

        def _swap_last(self, node):
            """`a.b.old` -> `a.b.new` for Name/Attribute module paths."""
            if isinstance(node, cst.Attribute):
                return node.with_changes(attr=cst.Name(self.new_last))
            return cst.Name(self.new_last)

        def leave_Import(self, original, updated):
            names = []
            for alias in updated.names:
                dotted = dotted_name(alias.name) or ""
                if _target_is(self.index, dotted, self.old_module):
                    alias = alias.with_changes(name=self._swap_last(alias.name))
                    if alias.asname is None:
                        self.local_aliases.add(dotted)  # `import a.old` uses `a.old.x`
                names.append(alias)
            return updated.with_changes(names=names)

        def leave_ImportFrom(self, original, updated):
            level = len(updated.relative)
            mod = dotted_name(updated.module) if updated.module is not None else None
            base = resolve_relative(self.module, self.is_package, level, mod) if level else (mod or "")
            if _target_is(self.index, base, self.old_module) and updated.module is not None:
                return updated.with_changes(module=self._swap_last(updated.module))
            if isinstance(updated.names, cst.ImportStar):
                return updated
            names = []
            for alias in updated.names:
                name = dotted_name(alias.name) or ""
                if name == self.old_last and _target_is(self.index, f"{base}.{name}", self.old_module):
                    if alias.asname is None:
                        self.local_aliases.add(name)
                    alias = alias.with_changes(name=cst.Name(self.new_last))
                names.append(alias)
            return updated.with_changes(names=names)

        def leave_Attribute(self, original, updated):
            dotted = dotted_name(updated)
            if dotted is not None and dotted in self.local_aliases and "." in dotted:
                return updated.with_changes(attr=cst.Name(self.new_last))
            return updated

        def leave_Name(self, original, updated):
            if updated.value in self.local_aliases and updated.value == self.old_last:
                return updated.with_changes(value=self.new_last)
            return updated

        def leave_Call(self, original, updated):
            """`importlib.import_module("app.routes.helpers")`, `import_string("app.x:bp")`:
            only a string naming the module in full, as the argument of an import call (a
            Blueprint's name or any other string that happens to match is not a module path)."""
            func = (dotted_name(updated.func) or "").rsplit(".", 1)[-1]
            if func not in IMPORT_CALLS or not updated.args:
                return updated
            arg = updated.args[0].value
            if not isinstance(arg, cst.SimpleString):
                return updated
            value = arg.evaluated_value
            if not isinstance(value, str):
                return updated
            for sep in ("", ".", ":"):
                if (value == self.old_module and not sep) or (sep and value.startswith(self.old_module + sep)):
                    head = self.old_module.rsplit(".", 1)[0] + "." if "." in self.old_module else ""
                    new = head + self.new_last + value[len(self.old_module):]
                    quote = arg.prefix + arg.quote
                    new_arg = arg.with_changes(value=f"{quote}{new}{arg.quote}")
                    return updated.with_changes(args=[updated.args[0].with_changes(value=new_arg), *updated.args[1:]])
            return updated

    return ModuleRenamer


def rename_symbol(
    files: dict[str, tuple[str, str, bool]],
    index: Modules,
    module: str,
    old: str,
    new: str,
) -> ProjectChange:
    """Rename a module-level name where it is defined and wherever it is imported."""
    change = ProjectChange()
    for path, (mod, text, is_package) in files.items():
        if old not in text:
            continue
        try:
            tree = cst.parse_module(text)
        except Exception:  # noqa: BLE001
            change.error = f"{path}: cannot be parsed to rename `{old}`: not renamed"
            return change
        renamer = _make_symbol_renamer()(mod, is_package, index, module, old, new)
        new_text = tree.visit(renamer).code
        if new_text != text:
            change.texts[path] = (text, new_text)
    return change


def _make_symbol_renamer():
    """The transformer class, made on first use (libcst loads lazily)."""

    class SymbolRenamer(cst.CSTTransformer):
        def __init__(self, mod, is_package, index, target, old, new):
            super().__init__()
            self.mod, self.is_package, self.index = mod, is_package, index
            self.target, self.old, self.new = target, old, new
            self.rename_names = mod == target  # the defining module: every `old` is it
            self.module_aliases: set[str] = set()  # `import app.routes.x as m` -> m.old

        def leave_ImportFrom(self, original, updated):
            level = len(updated.relative)
            m = dotted_name(updated.module) if updated.module is not None else None
            base = resolve_relative(self.mod, self.is_package, level, m) if level else (m or "")
            if not _target_is(self.index, base, self.target) or isinstance(updated.names, cst.ImportStar):
                return updated
            names = []
            for alias in updated.names:
                if dotted_name(alias.name) == self.old:
                    if alias.asname is None:
                        self.rename_names = True
                    alias = alias.with_changes(name=cst.Name(self.new))
                names.append(alias)
            return updated.with_changes(names=names)

        def leave_Import(self, original, updated):
            for alias in updated.names:
                dotted = dotted_name(alias.name) or ""
                if _target_is(self.index, dotted, self.target):
                    local = alias.asname.name.value if alias.asname is not None else dotted
                    self.module_aliases.add(local)
            return updated

        def leave_Attribute(self, original, updated):
            if updated.attr.value == self.old and dotted_name(updated.value) in self.module_aliases:
                return updated.with_changes(attr=cst.Name(self.new))
            return updated

        def leave_Name(self, original, updated):
            if self.rename_names and updated.value == self.old:
                return updated.with_changes(value=self.new)
            return updated

    return SymbolRenamer


def check(change: ProjectChange) -> str | None:
    """Why the change cannot be applied (a rewritten file would not parse), or None."""
    for path, (_, new) in change.texts.items():
        try:
            cst.parse_module(new)
        except Exception:  # noqa: BLE001
            return f"{path}: the rename would leave it unparsable: nothing changed"
    return None
