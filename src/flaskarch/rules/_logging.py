"""What FLK506 and FLK603 share: the catalog's definition of a logging call (FLK506).

A logging call is the builtin `print(...)` (not a name that shadows it: a local function, a
parameter; rich's drop-in `from rich import print` counts), or a call of one of the logging
methods on a receiver whose last name segment is `logging`, `log` (`LOG`), or contains
`logger`, in any case (`logger`, `self.logger`, `myLogger`, `current_app.logger`,
`logging.getLogger(__name__)`, `structlog.get_logger()`). A logging function imported by
name (`from logging import error`) counts too: it resolves to `logging.error`.
"""

from __future__ import annotations

from flaskarch._lazy import cst
from flaskarch.names import dotted_name

LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})


def _last_segment(node: cst.BaseExpression) -> str | None:
    """`logger` of `self.logger`; `getLogger` of `logging.getLogger(__name__)` (the
    receiver is what the call returns)."""
    if isinstance(node, cst.Call):
        node = node.func
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return None


def is_logger_receiver(ctx, node: cst.BaseExpression) -> bool:
    last = _last_segment(node)
    if last is None:
        return False
    lower = last.lower()
    if lower in ("logging", "log") or "logger" in lower:  # `LOG = logging.getLogger()` too
        return True
    # `import logging as lg; lg.info(...)`
    return isinstance(node, (cst.Name, cst.Attribute)) and ctx.names.qualify(node) == "logging"


def is_logging_call(ctx, node: cst.Call) -> bool:
    func = node.func
    if isinstance(func, cst.Name):
        if func.value == "print" and ctx.names.lookup("print") is None:
            return True  # the builtin, not a shadowing name
        qual = ctx.names.qualify(func)
        if qual == "rich.print":
            return True  # rich's drop-in replacement of print
        return qual is not None and qual.startswith("logging.") and qual[8:] in LOG_METHODS
    if isinstance(func, cst.Attribute) and func.attr.value in LOG_METHODS:
        return is_logger_receiver(ctx, func.value)
    return False


def is_factory_logger_call(node: cst.Call) -> bool:
    """A logging method on a logger a factory call returns, the factory named on a logger
    class or module: `Logger.get("xml").exception(...)`, `LoggerFactory.create(...).error(...)`,
    `log.getChild("db").warning(...)` (`is_logger_receiver` looks only at the factory's own
    name, `logging.getLogger(...)`)."""
    func = node.func
    if not isinstance(func, cst.Attribute) or func.attr.value not in LOG_METHODS:
        return False
    receiver = func.value
    if not isinstance(receiver, cst.Call) or not isinstance(receiver.func, cst.Attribute):
        return False
    owner = dotted_name(receiver.func.value)
    if owner is None:
        return False
    last = owner.rsplit(".", 1)[-1].lower()
    return last in ("logging", "log") or "logger" in last
