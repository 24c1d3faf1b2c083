"""FLK603 swallowed-exception: a broad `except` whose body neither logs, re-raises, aborts nor
returns a value: the error disappears without a trace."""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.names import dotted_name
from flaskarch.rule import Rule
from flaskarch.rules._logging import is_logging_call
from flaskarch.walker import iter_children

BROAD = frozenset({"Exception", "BaseException"})
# calls that end the process: the error is not swallowed, the program stops (SystemExit)
EXITS = frozenset({"sys.exit", "exit", "quit", "os._exit", "os.abort"})
# calls that report the error elsewhere, as a logging call does: an error tracker
# (`sentry_sdk.capture_exception()`), the traceback on stderr, a CLI's print (`click.echo`)
REPORTERS = frozenset({"capture_exception", "capture_message", "captureException", "captureMessage"})
OUTPUTS = frozenset({"traceback.print_exc", "traceback.print_exception", "click.echo", "click.secho"})


class SwallowedException(Rule):
    code = "FLK603"
    name = "swallowed-exception"
    summary = "A broad `except` that neither logs, re-raises, aborts nor returns a value: the error vanishes."
    # a robustness defect, not a vulnerability: no `security` tag, no security_severity (code
    # scanning files it as a quality alert); the CWE is kept for traceability
    tags = ("correctness", "external/cwe/cwe-390")
    precision = "high"
    # `except:`, an `except` clause naming Exception / BaseException (tuples, multi-line ones),
    # or a name assigned them (`BROAD = (Exception,)`)
    prefilter = re.compile(
        r"\bexcept\b(?:\s*:|[^:]*\b(?:Base)?Exception\b)|=\s*\(?[\w \t,.]*\b(?:Base)?Exception\b"
    )

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        self._judge(node)

    def visit_ExceptStarHandler(self, node: cst.ExceptStarHandler) -> None:
        self._judge(node)

    def _judge(self, node: "cst.ExceptHandler | cst.ExceptStarHandler") -> None:
        caught = self._broad(node.type)
        if caught is None or self._handles(node.body):
            return
        shown = "except:" if node.type is None else f"except {self.ctx.module.code_for_node(node.type)}:"
        self.report(
            node,
            f"`{shown}` swallows the error: log it (`logger.exception(...)`), re-raise it, or catch "
            "only the exceptions you expect",
        )

    # -- the handler's type ------------------------------------------------------------------
    def _broad(self, node: cst.BaseExpression | None) -> str | None:
        """`Exception` / `BaseException` (or "" for a bare `except:`) when the handler is
        broad, else None."""
        if node is None:
            return ""
        if isinstance(node, cst.Tuple):
            for element in node.elements:
                found = self._broad(element.value)
                if found:
                    return found
            return None
        if isinstance(node, cst.Name):
            if node.value in BROAD and self.ctx.names.lookup(node.value) is None:
                return node.value  # the builtin, not a project class of that name
            value = self.ctx.names.assigned_value(node)  # `BROAD_ERRORS = (Exception,)`
            if value is not None and not (isinstance(value, cst.Name) and value.value == node.value):
                return self._broad(value)
            return None
        if isinstance(node, cst.Attribute):
            qual = self.ctx.names.qualify(node)
            if qual in ("builtins.Exception", "builtins.BaseException"):
                return dotted_name(node)
        return None

    # -- the handler's body ----------------------------------------------------------------------
    def _handles(self, body: cst.BaseSuite) -> bool:
        """The body raises, logs, aborts, exits or returns a value somewhere (nested blocks
        included; nested functions and classes are not run by the handler)."""
        stack: list[cst.CSTNode] = [body]
        while stack:
            node = stack.pop()
            if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
                continue
            if isinstance(node, cst.Raise):
                return True
            if isinstance(node, (cst.Return, cst.Yield)) and node.value is not None and not (
                isinstance(node.value, cst.Name) and node.value.value == "None"
            ):
                return True  # `yield {"type": "error", ...}`: a generator hands the error on
            if isinstance(node, cst.Call) and self._handling_call(node):
                return True
            stack.extend(iter_children(node))
        return False

    def _handling_call(self, node: cst.Call) -> bool:
        if is_logging_call(self.ctx, node):
            return True
        func = node.func
        last = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else None
        if last == "abort" or last in REPORTERS:  # flask.abort, flask-restx `api.abort(...)`
            return True
        if last is not None and last.lstrip("_").lower().startswith("log_"):
            return True  # a project's logging helper: `log_error(e)`, `self._log_exception(e)`
        qual = self.ctx.names.qualify(func) if isinstance(func, (cst.Name, cst.Attribute)) else None
        if qual in EXITS or qual in OUTPUTS or (isinstance(func, cst.Name) and func.value in ("exit", "quit")
                             and self.ctx.names.lookup(func.value) is None):
            return True
        return False
