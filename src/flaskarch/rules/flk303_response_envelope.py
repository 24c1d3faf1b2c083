"""FLK303 response-envelope: a controller returns `jsonify({...})` without the `"success"` key."""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.rule import Rule
from flaskarch.rules._routes import string_value

JSONIFY = frozenset({"flask.jsonify", "flask.json.jsonify"})


class ResponseEnvelope(Rule):
    code = "FLK303"
    name = "response-envelope"
    summary = 'A controller returns `jsonify({...})` without the `"success"` envelope key.'
    tags = ("api", "architecture")
    presets = frozenset({"backant"})
    layers = frozenset({"controller"})
    prefilter = re.compile(r"(?s)\A(?=.*\bjsonify\b)(?=.*\breturn\b)")

    def visit_Return(self, node: cst.Return) -> None:
        value = node.value
        if isinstance(value, cst.Tuple) and value.elements:
            value = value.elements[0].value  # `return jsonify({...}), 404`
        if not isinstance(value, cst.Call) or self.ctx.names.qualify(value.func) not in JSONIFY:
            return
        args = value.args
        if len(args) != 1 or args[0].keyword is not None or args[0].star or not isinstance(args[0].value, cst.Dict):
            return  # `jsonify(payload)`, `jsonify(success=True, ...)`, `jsonify(**data)`: not a literal
        keys = []
        for element in args[0].value.elements:
            if not isinstance(element, cst.DictElement):
                return  # `{**base, ...}`: `base` may hold the envelope
            key = string_value(element.key)
            if key is None:
                return  # a computed key may be "success"
            keys.append(key)
        if "success" in keys:
            return
        self.report(
            value.func,
            'response without the envelope: wrap it as `jsonify({"success": True, "data": ...})` '
            '(errors: `jsonify({"success": False, "error": ...})`)',
        )
