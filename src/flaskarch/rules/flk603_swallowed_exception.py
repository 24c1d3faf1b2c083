"""FLK603 swallowed-exception: a broad `except` whose body neither logs, re-raises, aborts nor
returns a value: the error disappears without a trace."""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.names import dotted_name, root_name
from flaskarch.rule import Rule
from flaskarch.rules._logging import is_factory_logger_call, is_logging_call
from flaskarch.walker import iter_children, walk_running

BROAD = frozenset({"Exception", "BaseException"})
# calls that end the process: the error is not swallowed, the program stops (SystemExit)
EXITS = frozenset({"sys.exit", "exit", "quit", "os._exit", "os.abort"})
# calls that report the error elsewhere, as a logging call does: an error tracker
# (`sentry_sdk.capture_exception()`), the traceback on stderr, a CLI's print (`click.echo`)
REPORTERS = frozenset({"capture_exception", "capture_message", "captureException", "captureMessage"})
OUTPUTS = frozenset({"traceback.print_exc", "traceback.print_exception", "click.echo", "click.secho",
                     "sys.stderr.write"})
# builtins that only look at the exception (`isinstance(e, KeyError)`, `str(e)`): they hand
# nothing on
INSPECTORS = frozenset({"str", "repr", "type", "isinstance", "issubclass", "getattr", "hasattr", "len", "id",
                        "bool", "format", "vars", "dir"})


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

    # judged when the walk leaves the handler: the names the body binds (an `import
    # traceback` inside the handler) are known by then
    def leave_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        self._judge(node)

    def leave_ExceptStarHandler(self, node: cst.ExceptStarHandler) -> None:
        self._judge(node)

    def _judge(self, node: "cst.ExceptHandler | cst.ExceptStarHandler") -> None:
        caught = self._broad(node.type)
        if caught is None or self._handles(node.body) or self._hands_on(node):
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
        if is_logging_call(self.ctx, node) or is_factory_logger_call(node):
            return True
        func = node.func
        last = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else None
        if last == "abort" or last in REPORTERS:  # flask.abort, flask-restx `api.abort(...)`
            return True
        if last is not None and last.lstrip("_").lower().startswith(("log_", "print_")):
            return True  # a project's logging helper: `log_error(e)`, `self._log_exception(e)`, `print_stderr(msg)`
        qual = self.ctx.names.qualify(func) if isinstance(func, (cst.Name, cst.Attribute)) else None
        if qual in EXITS or qual in OUTPUTS or (isinstance(func, cst.Name) and func.value in ("exit", "quit")
                             and self.ctx.names.lookup(func.value) is None):
            return True
        return False

    # -- the exception handed on -----------------------------------------------------------------
    def _hands_on(self, handler: "cst.ExceptHandler | cst.ExceptStarHandler") -> bool:
        """The handler passes the exception object itself on, to code that can raise or log it:
        as an argument (`future.set_exception(e)`, `queue.put(e)`, `errors.append(e)`) or by
        storing it (`self.last_error = e`, `failure = e`). What is handed to a local name only
        counts when the function reads that name after the handler (`failure` checked below
        the `try`); a message (`str(e)`, `flash(str(e))`) and a discarded exception object
        (`ApiError(e)` without `raise`) are not the exception handed on."""
        if handler.name is None or not isinstance(handler.name.name, cst.Name):
            return False
        bound = handler.name.name.value
        for node in _run_nodes(handler.body):
            if isinstance(node, cst.Call):
                if not any(_is_name(a.value, bound) for a in node.args):
                    continue
                func = node.func
                if isinstance(func, cst.Name) and func.value in INSPECTORS and self.ctx.names.lookup(func.value) is None:
                    continue
                if self._discarded_exception(handler.body, node):
                    continue
                if isinstance(func, cst.Attribute) and isinstance(
                        func.value, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
                    continue  # `"failed: {}".format(e)`: a message, like str(e)
                receiver = root_name(func.value) if isinstance(func, cst.Attribute) else None
                if receiver is None or self._read_after(receiver.value, handler):
                    return True
            elif isinstance(node, (cst.Assign, cst.AnnAssign)) and _is_name(node.value, bound):
                targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
                for target in targets:
                    root = root_name(target)
                    if root is not None and root.value != bound and self._read_after(root.value, handler):
                        return True
        return False

    def _discarded_exception(self, body: cst.BaseSuite, call: cst.Call) -> bool:
        """`ApiError(e)` as a statement of its own: an exception built and dropped (a forgotten
        `raise`)."""
        name = (dotted_name(call.func) or "").rsplit(".", 1)[-1]
        if not name.endswith(("Error", "Exception", "Exc")):
            return False
        for node in _run_nodes(body):
            if isinstance(node, cst.Expr) and node.value is call:
                return True
        return False

    def _read_after(self, name: str, handler: cst.CSTNode) -> bool:
        """`name` is no local of the enclosing function (a parameter, `self`, a global: the
        object outlives the call), or the function reads it outside every `except` handler."""
        fn = self.ctx.enclosing_function()
        if fn is None:
            return True  # module level: a module global
        params = fn.params
        if name in {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}:
            return True
        for p in (params.star_arg, params.star_kwarg):
            if isinstance(p, cst.Param) and p.name.value == name:
                return True
        if not _assigns(fn.body, name):
            return True  # a global or a closure variable
        return _reads_outside_handlers(fn.body, name)


def _is_name(node: cst.BaseExpression, name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name


def _run_nodes(body: cst.CSTNode) -> "list[cst.CSTNode]":
    """The nodes of `body` that run with it: not those of functions, classes and lambdas
    defined inside."""
    return walk_running(body)


def _assigns(body: cst.CSTNode, name: str) -> bool:
    for node in _run_nodes(body):
        if isinstance(node, cst.AssignTarget) and _is_name(node.target, name):
            return True
        if isinstance(node, (cst.AnnAssign, cst.AugAssign)) and _is_name(node.target, name):
            return True
        if isinstance(node, cst.For) and _is_name(node.target, name):
            return True
        if isinstance(node, cst.AsName) and _is_name(node.name, name):
            return True
    return False


def _reads_outside_handlers(body: cst.CSTNode, name: str) -> bool:
    """A use of `name` in `body` that is neither an assignment target nor inside an `except`
    handler."""
    stack: list[cst.CSTNode] = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.ExceptHandler, cst.ExceptStarHandler)):
            continue
        if isinstance(node, cst.AssignTarget) and _is_name(node.target, name):
            continue
        if isinstance(node, (cst.AnnAssign,)) and _is_name(node.target, name):
            if node.value is not None:
                stack.append(node.value)
            continue
        if _is_name(node, name):
            return True
        stack.extend(iter_children(node))
    return False
