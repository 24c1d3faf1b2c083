"""What FLK504, FLK505 and FLK509 share: writes to a Flask app's configuration, literal values,
configuration classes and modules, and what a `.run()` receiver is.

A configuration write is any of `<x>.config["KEY"] = v`, `<x>.config.update(KEY=v)` /
`.update({"KEY": v})` / `.update(dict(KEY=v))`, `<x>.config.from_mapping(...)` (same forms) and
`<x>.config.setdefault("KEY", v)`, `<x>` being any expression (`app`, `current_app`,
`Flask(__name__)`, `self.app`).
"""

from __future__ import annotations

import re
from typing import Iterator, NamedTuple

from flaskarch._lazy import cst

from flaskarch.context import FileContext
from flaskarch.names import Assigned, Defined, Import, dotted_name


class ConfigItem(NamedTuple):
    key: str
    key_node: cst.CSTNode  # where a finding about this item is reported
    value: cst.BaseExpression


def string_value(node: cst.CSTNode | None) -> str | None:
    """The text of a string or bytes literal (implicit concatenations included); None for
    anything else, f-strings included."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        try:
            value = node.evaluated_value
        except (ValueError, SyntaxError, UnicodeError):  # an odd literal libcst cannot evaluate
            return None
        if isinstance(value, bytes):
            return value.decode("latin-1")
        return value if isinstance(value, str) else None
    return None


def is_true(node: cst.CSTNode | None) -> bool:
    return isinstance(node, cst.Name) and node.value == "True"


def _is_config(node: cst.CSTNode) -> bool:
    """`<x>.config`."""
    return isinstance(node, cst.Attribute) and node.attr.value == "config"


def subscript_key(node: cst.CSTNode) -> str | None:
    """"KEY" of `<x>.config["KEY"]`."""
    if not isinstance(node, cst.Subscript) or not _is_config(node.value) or len(node.slice) != 1:
        return None
    index = node.slice[0].slice
    return string_value(index.value) if isinstance(index, cst.Index) else None


def assignment_items(targets: list[cst.BaseExpression], value: cst.BaseExpression) -> Iterator[ConfigItem]:
    """Configuration items an assignment writes: `<x>.config["KEY"] = v` (reported at the
    target)."""
    for target in targets:
        key = subscript_key(target)
        if key is not None:
            yield ConfigItem(key, target, value)


def call_items(call: cst.Call) -> Iterator[ConfigItem]:
    """Configuration items a `<x>.config.update/from_mapping/setdefault(...)` call writes."""
    func = call.func
    if not isinstance(func, cst.Attribute) or not _is_config(func.value):
        return
    method = func.attr.value
    if method == "setdefault":
        args = call.args
        if len(args) >= 2 and args[0].keyword is None and args[1].keyword is None:
            key = string_value(args[0].value)
            if key is not None:
                yield ConfigItem(key, args[0].value, args[1].value)
        return
    if method not in ("update", "from_mapping"):
        return
    for arg in call.args:
        if arg.keyword is not None:
            yield ConfigItem(arg.keyword.value, arg.keyword, arg.value)
        elif not arg.star:
            yield from mapping_items(arg.value)


def mapping_items(node: cst.BaseExpression) -> Iterator[ConfigItem]:
    """Items of a dict display with string keys, or of a `dict(KEY=v)` call."""
    if isinstance(node, cst.Dict):
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                key = string_value(element.key)
                if key is not None:
                    yield ConfigItem(key, element.key, element.value)
    elif isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "dict":
        for arg in node.args:
            if arg.keyword is not None:
                yield ConfigItem(arg.keyword.value, arg.keyword, arg.value)


def assign_targets(node: cst.CSTNode) -> tuple[list[cst.BaseExpression], cst.BaseExpression | None]:
    """(targets, value) of an Assign or an AnnAssign with a value."""
    if isinstance(node, cst.Assign):
        return [t.target for t in node.targets], node.value
    if isinstance(node, cst.AnnAssign) and node.value is not None:
        return [node.target], node.value
    return [], None


# ---- where a plain `NAME = value` sits -------------------------------------------------------

_WORD_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def class_words(name: str) -> set[str]:
    """The lower-cased words of a CamelCase or snake_case class name."""
    return {w.lower() for part in name.split("_") for w in _WORD_RE.findall(part)}


def stem_parts(ctx: FileContext) -> list[str]:
    stem = ctx.filename.rsplit(".", 1)[0]
    return [p for p in re.split(r"[_.\-]", stem.lower()) if p]


# ---- what an `<x>` receiver is ----------------------------------------------------------------

# libraries whose app object is a Flask app (or runs Flask's development server)
FLASK_ROOTS = frozenset({"flask", "flask_socketio", "flask_openapi3", "apiflask", "connexion", "dash", "quart"})


def _origin_of_qualname(ctx: FileContext, qual: str) -> str:
    root = qual.split(".")[0]
    if root in FLASK_ROOTS or root.startswith("flask_"):
        return "flask"
    facts = ctx.facts
    if qual.startswith(ctx.module_name + ".") or facts.is_project_name(qual) or facts.find_module(qual) is not None \
            or facts.find_module(root) is not None:
        return "flask"  # the project's own app, factory or extension object
    return "other"


def receiver_origin(ctx: FileContext, node: cst.BaseExpression, depth: int = 0) -> str:
    """"flask": a Flask app (or extension) object, resolved through imports and assignments
    (`Flask(...)`, `create_app()`, `current_app`, `SocketIO(app)`, the project's own `app`);
    "other": provably another library's object (`asyncio`, `uvicorn`, `Sanic(...)`);
    "unknown": a parameter, an attribute of `self`, anything else."""
    if depth > 6:
        return "unknown"
    if isinstance(node, cst.Call):
        qual = ctx.names.qualify(node.func)
        if qual is None:
            return "flask" if _is_local_function(ctx, node.func) else "unknown"
        return _origin_of_qualname(ctx, qual)
    name = dotted_name(node)
    if name is None:
        return "unknown"
    root = name.split(".")[0]
    binding = ctx.names.lookup(root)
    if isinstance(binding, Assigned) and "." not in name:
        return receiver_origin(ctx, binding.value, depth + 1)
    if isinstance(binding, Import):
        qual = ctx.names.qualify(node)
        return _origin_of_qualname(ctx, qual) if qual else "unknown"
    if isinstance(binding, Defined):
        return "flask"
    return "unknown"


def _is_local_function(ctx: FileContext, func: cst.BaseExpression) -> bool:
    return isinstance(func, cst.Name) and isinstance(ctx.names.lookup(func.value), Defined)
