"""The rule API: what a rule declares and how it reports.

A rule is one small class in one module under ``flaskarch.rules``. It declares its
metadata as class attributes and visits libcst nodes through ``visit_<Node>`` /
``leave_<Node>`` methods, which the engine batches into a single walk per file
(fixit-style). Rules never read files, configuration files or other modules
themselves: everything comes through the :class:`~flaskarch.context.FileContext`,
which keeps checking one file a pure function of its inputs (cacheable, parallel).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Iterable

from flaskarch._lazy import cst
from flaskarch.results import Edit, Finding, FixInfo  # noqa: F401 - part of the rule API

if TYPE_CHECKING:
    from flaskarch.context import FileContext

ALL_PRESETS = frozenset({"backant", "mscr", "factory"})


@dataclass(frozen=True)
class NodeEdit:
    """An edit described against libcst nodes; the engine turns it into an Edit.

    kind: "replace" (node's range -> content), "before" (insert at node's start),
    "after" (insert at node's end), "span" (from node's start to `until`'s start).
    """

    kind: str
    node: cst.CSTNode
    content: str
    until: cst.CSTNode | None = None
    # each newline in content is followed by the indentation of the line the edit starts on
    reindent: bool = False


@dataclass
class Fix:
    """A fix as a rule describes it: a message and edits (node-based or positioned)."""

    message: str
    edits: list[NodeEdit | Edit]
    project: tuple[str, ...] = ()
    # "safe"/"unsafe" for this fix; None: the rule's `fix` applicability. A rule whose fix is
    # safe in some positions only (FLK401 on a nullable column under negation) says so per fix.
    applicability: str | None = None


def replace(node: cst.CSTNode, new: "cst.CSTNode | str") -> NodeEdit:
    """Replace a node by a new node (or text); the node's own parentheses are kept."""
    if isinstance(new, cst.CSTNode):
        if hasattr(new, "lpar"):
            new = new.with_changes(lpar=(), rpar=())  # the original's parens stay in place
        new = cst.Module(body=()).code_for_node(new)
    return NodeEdit("replace", node, new)


@dataclass
class PendingReport:
    """A finding before positions are computed (positions cost a metadata pass)."""

    node: cst.CSTNode | None  # None: file-level, reported at 1:1
    message: str
    fix: "Fix | None" = None
    stmt: cst.CSTNode | None = None  # innermost block statement holding the node
    scope: str = ""  # enclosing function/class names, for the fingerprint
    severity: str | None = None  # None: the rule's (FLK504's env fallbacks are warnings)


def import_edit(module: cst.Module, line: str) -> NodeEdit:
    """An edit adding `line` (an import statement) after the module's leading imports, or
    above its first statement (below the docstring) when it has none."""
    last = None
    first_code = None
    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine) and all(
            isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body
        ):
            last = stmt
            continue
        if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(
            stmt.body[0], cst.Expr
        ) and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString)) and last is None:
            continue  # the module docstring
        first_code = stmt
        break
    if last is not None:
        return NodeEdit("line_after", last, line + "\n")
    anchor = first_code if first_code is not None else module.body[-1]
    return NodeEdit("before", anchor, line + "\n\n")



class Rule:
    """Base class of every rule. Subclasses set the class attributes below."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    presets: ClassVar[frozenset[str]] = ALL_PRESETS
    severity: ClassVar[str] = "error"  # "error" or "warning" (SARIF level)
    # How often a finding is a true positive (SARIF `precision`: very-high, high, medium, low)
    precision: ClassVar[str] = "high"
    # SARIF/code-scanning tags; a security rule also gives a CVSS-like `security_severity`
    tags: ClassVar[tuple[str, ...]] = ()
    security_severity: ClassVar[str | None] = None
    # FLK001/FLK002: reported by the engine itself (parsing, noqa), never instantiated
    engine_rule: ClassVar[bool] = False
    fix: ClassVar[str | None] = None  # applicability of the rule's fix, if it has one
    # (package, version): by default the rule runs only when the project is not known to be on
    # an older version (FLK403/FLK404: ("sqlalchemy", "2.0")); naming the rule in `select` runs it
    requires_version: ClassVar[tuple[str, str] | None] = None
    # Layers the rule applies to; None means every module.
    layers: ClassVar[frozenset[str] | None] = None
    # Only in modules that use SQLAlchemy (RULES.md: never touch peewee code).
    sqlalchemy_only: ClassVar[bool] = False
    # False: the rule judges the file's path only (finish()); the file is not parsed for it
    needs_tree: ClassVar[bool] = True
    # A file in which this regex finds nothing cannot produce a finding: skip it unparsed.
    prefilter: ClassVar[re.Pattern[str] | None] = None

    def __init__(self, ctx: "FileContext") -> None:
        self.ctx = ctx
        self.reports: list[PendingReport] = []

    def report(
        self,
        node: cst.CSTNode | None,
        message: str,
        fix: "Fix | None" = None,
        stmt: cst.CSTNode | None = None,
        severity: str | None = None,
    ) -> None:
        """Report `node`, with its fix when the rule can make one here. `stmt`: the block
        statement holding the node, when the rule reports from a statement the walk has not
        reached yet (a class body read from visit_ClassDef)."""
        if self.fix is None:
            fix = None
        ctx = self.ctx
        if stmt is not None:
            ctx.stmt_parent.setdefault(id(stmt), ctx.current_stmt)
        elif node is not None and id(node) in ctx.stmt_parent:
            stmt = node  # a statement reported after the walk (from finish())
        else:
            stmt = ctx.current_stmt
        scope = "/".join(getattr(n.name, "value", "") for n in ctx.stack)
        self.reports.append(PendingReport(node, message, fix, stmt, scope, severity))

    def finish(self) -> None:
        """Called after the walk, for checks that need the whole module."""

    def complete_fixes(self, kept: list[PendingReport]) -> None:
        """Called by the engine with this rule's reports that survive `# noqa`, before their
        fixes are resolved: a rule whose fixes share edits (one import line for all) adds
        them here, so a suppressed finding contributes nothing."""

    @classmethod
    def prefilter_for(cls, settings: Any) -> re.Pattern[str] | None:
        """The prefilter under these settings (rules with configurable names override)."""
        return cls.prefilter

    @classmethod
    def applies_to(cls, ctx: "FileContext") -> bool:
        if cls.layers is not None and ctx.layer not in cls.layers:
            return False
        if cls.sqlalchemy_only and not ctx.uses_sqlalchemy:
            return False
        if cls.requires_version is not None and not explicitly_selected(cls.code, ctx.settings):
            package, version = cls.requires_version
            if ctx.facts.version_below(package, version):
                return False  # nobody on SQLAlchemy 1.x can act on it; `--select` still runs it
        return True


def explicitly_selected(code: str, settings: Any) -> bool:
    """Named by its full code in `select` / `extend-select` (a prefix such as `FLK4` selects a
    family as the defaults shape it, the way ruff treats a rule that must be asked for)."""
    return code in tuple(settings.select or ()) + tuple(settings.extend_select)


@dataclass
class RuleMeta:
    """Catalog entry, for `flaskarch rules`, SARIF and docs."""

    code: str
    name: str
    summary: str
    presets: frozenset[str]
    severity: str
    fix: str | None
    rule: type[Rule] | None = field(default=None, repr=False)


def iter_visit_methods(rule: Rule) -> Iterable[tuple[str, str, Any]]:
    """Yield (phase, node type name, bound method) for a rule instance's visitors."""
    for attr in dir(type(rule)):
        if attr.startswith("visit_"):
            yield "visit", attr[6:], getattr(rule, attr)
        elif attr.startswith("leave_"):
            yield "leave", attr[6:], getattr(rule, attr)
