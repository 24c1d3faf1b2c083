"""What a rule sees of the file it checks."""

from __future__ import annotations

from dataclasses import dataclass, field

from flaskarch._lazy import cst

from flaskarch.config import Settings
from flaskarch.facts.answers import Answers
from flaskarch.names import NameTable


@dataclass
class FileContext:
    path: str  # as reported: relative to the current directory, `/` separators
    relpath: str  # relative to the project root
    module_name: str
    layer: str | None
    settings: Settings
    facts: Answers  # every cross-module fact a rule may know, as recorded answers
    source: str
    module: cst.Module | None  # None for rules that need no tree (`needs_tree = False`)
    names: NameTable | None
    uses_sqlalchemy: bool
    # enclosing FunctionDef / ClassDef nodes, innermost last (kept by the walker)
    stack: list[cst.CSTNode] = field(default_factory=list)
    # statements of Module/IndentedBlock bodies -> their enclosing such statement, and the
    # innermost one being walked: where a finding sits, so positions need no search
    stmt_parent: dict[int, cst.CSTNode | None] = field(default_factory=dict)
    current_stmt: cst.CSTNode | None = None
    # the ast and generated code positions are computed from, kept between the engine's passes
    position_state: dict = field(default_factory=dict)

    @property
    def filename(self) -> str:
        return self.relpath.rsplit("/", 1)[-1]

    def enclosing_function(self) -> cst.FunctionDef | None:
        for node in reversed(self.stack):
            if isinstance(node, cst.FunctionDef):
                return node
        return None

    def enclosing_class(self) -> cst.ClassDef | None:
        """The class whose body directly holds the innermost function (a method's class)."""
        if self.stack and isinstance(self.stack[-1], cst.ClassDef):
            return self.stack[-1]
        if len(self.stack) >= 2 and isinstance(self.stack[-1], cst.FunctionDef):
            parent = self.stack[-2]
            if isinstance(parent, cst.ClassDef):
                return parent
        return None
