"""FLK508 jwt-verification-disabled: a JWT decoded without checking its signature or algorithm.

The call must resolve, through imports, to PyJWT (`jwt.decode`, `jwt.decode_complete`,
`from jwt import decode`, `import jwt as pyjwt`) or python-jose (`from jose import jwt`;
`jose.jwt.get_unverified_claims` too, which is a decode without verification). An object that
merely happens to be called `jwt` (flask_jwt_extended's `jwt = JWTManager()`) is not PyJWT, nor
is a project module named `jwt`.
"""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.rule import Rule

# qualified name -> does the third positional argument mean `algorithms` (PyJWT 2, jose) or
# `verify` (PyJWT 1: decode(jwt, key, verify, algorithms, options))? Both are read below.
_DECODERS = frozenset({
    "jwt.decode", "jwt.decode_complete", "jwt.api_jwt.decode", "jwt.api_jwt.decode_complete",
    "jose.jwt.decode",
})
# reads the claims without any verification (python-jose); `get_unverified_header(s)` is not
# reported: reading the header to pick the key (`kid`) before a verified decode is the norm
_UNVERIFIED = frozenset({"jose.jwt.get_unverified_claims"})

_MAX_DEPTH = 6


class JwtVerificationDisabled(Rule):
    code = "FLK508"
    name = "jwt-verification-disabled"
    summary = "A JWT decoded without verifying its signature, or without pinning the accepted algorithms."
    tags = ("security", "external/cwe/cwe-347")
    precision = "high"
    security_severity = "8.1"
    prefilter = re.compile(r"(?s)\A(?=.*\b(?:jwt|jose)\b)(?=.*\b(?:decode|decode_complete|get_unverified_claims)\b)")

    def visit_Call(self, node: cst.Call) -> None:
        qual = self.ctx.names.qualify(node.func)
        if qual is None or (qual not in _DECODERS and qual not in _UNVERIFIED):
            return
        if self.ctx.facts.find_module(qual.split(".")[0]) is not None:
            return  # the project's own `jwt` module, not PyJWT
        if qual in _UNVERIFIED:
            self.report(node, "`get_unverified_claims` reads the token without verifying its signature: "
                              "use `jwt.decode(token, key, algorithms=[\"RS256\"])` and trust only its result")
            return
        problem = self._problem(node, qual)
        if problem is not None:
            self.report(node, problem)

    # ---------------------------------------------------------------------------------------
    def _problem(self, call: cst.Call, qual: str) -> str | None:
        positional = [a for a in call.args if a.keyword is None and not a.star]
        keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
        has_star_kwargs = any(a.star == "**" for a in call.args)
        has_star_args = any(a.star == "*" for a in call.args)

        options = keywords.get("options")
        algorithms = keywords.get("algorithms")
        verify = keywords.get("verify")
        third = positional[2].value if len(positional) > 2 else None
        if third is not None:
            resolved = self._resolve(third)
            if isinstance(resolved, cst.Name) and resolved.value in ("True", "False"):
                verify = third  # PyJWT 1: decode(jwt, key, verify)
            elif algorithms is None:
                algorithms = third  # PyJWT 2 / jose: decode(jwt, key, algorithms)
        if options is None and len(positional) > 3 and qual.startswith("jose."):
            options = positional[3].value  # jose: decode(token, key, algorithms, options)
        if options is None and len(positional) > 4:
            options = positional[4].value  # PyJWT 1: decode(jwt, key, verify, algorithms, options)
        if algorithms is None and len(positional) > 3 and not qual.startswith("jose."):
            algorithms = positional[3].value  # PyJWT 1: decode(jwt, key, verify, algorithms)

        if options is not None and _is_false(self._option(options, "verify_signature")):
            return ("signature verification is disabled (`verify_signature: False`): anyone can forge "
                    "this token; decode with the key and `algorithms=[...]` and keep verification on")
        if verify is not None and _is_false(self._resolve(verify)):
            return ("signature verification is disabled (`verify=False`): anyone can forge this token; "
                    "decode with the key and `algorithms=[...]` and keep verification on")
        if algorithms is not None:
            value = self._resolve(algorithms)
            if _names_none(value):
                return ("`algorithms` accepts \"none\": an unsigned token passes; list only the "
                        "algorithms you issue, e.g. `algorithms=[\"HS256\"]`")
            if not (isinstance(value, cst.Name) and value.value == "None"):
                return None
        if has_star_kwargs or has_star_args:
            return None  # the arguments are not all visible here
        return ("no `algorithms` argument: the token's own header picks the algorithm (PyJWT 2 "
                "refuses the call); pass the algorithms you issue, e.g. `algorithms=[\"HS256\"]`")

    def _resolve(self, node: cst.BaseExpression, depth: int = 0) -> cst.BaseExpression:
        """Follow a name to the value it was assigned, where that is known."""
        while isinstance(node, cst.Name) and depth < _MAX_DEPTH:
            value = self.ctx.names.assigned_value(node)
            if value is None:
                break
            node, depth = value, depth + 1
        return node

    def _option(self, options: cst.BaseExpression, key: str) -> cst.BaseExpression | None:
        """The value given to `key` in an options dict (`{...}` or `dict(...)`, maybe via a name)."""
        options = self._resolve(options)
        if isinstance(options, cst.Dict):
            for element in options.elements:
                if isinstance(element, cst.DictElement) and _string_value(element.key) == key:
                    return self._resolve(element.value)
        elif isinstance(options, cst.Call) and isinstance(options.func, cst.Name) and options.func.value == "dict":
            for arg in options.args:
                if arg.keyword is not None and arg.keyword.value == key:
                    return self._resolve(arg.value)
        return None


def _is_false(node: cst.BaseExpression | None) -> bool:
    if isinstance(node, cst.Name):
        return node.value == "False"
    if isinstance(node, cst.Integer):
        return node.value == "0"
    return False


def _string_value(node: cst.BaseExpression | None) -> str | None:
    if isinstance(node, cst.SimpleString):
        try:
            value = node.evaluated_value
        except (ValueError, SyntaxError):  # pragma: no cover - malformed literal
            return None
        return value if isinstance(value, str) else None
    return None


def _names_none(node: cst.BaseExpression) -> bool:
    """`"none"` (any case), alone or in a list/tuple/set literal."""
    text = _string_value(node)
    if text is not None:
        return text.strip().lower() == "none"
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return any(_names_none(el.value) for el in node.elements if isinstance(el, cst.Element))
    return False
