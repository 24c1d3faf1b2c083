"""FLK506 sensitive-data-logged: a password, token or key written to a log or to stdout."""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.names import dotted_name
from flaskarch.rule import Rule
from flaskarch.rules._logging import is_logging_call
from flaskarch.walker import iter_children

SENSITIVE_WORDS = frozenset({"password", "passwd", "secret", "token", "authorization", "ssn"})
SENSITIVE_PAIRS = frozenset({("access", "token"), ("refresh", "token"), ("api", "key"), ("credit", "card")})
# a sensitive word followed by one of these names a property of the value, not the value: the
# catalog's six, then where it is found or what it says about it (`token_url`, `secret_name`,
# `id_token_claims_keys`, `password_policy`, `token_ttl`)
HARMLESS_FOLLOWERS = frozenset({
    "type", "count", "len", "length", "expires", "expiry",
    "url", "uri", "endpoint", "name", "names", "path", "file", "header", "field", "prefix", "location",
    "claims", "keys", "policy", "required", "valid", "validity", "ttl", "lifetime", "age", "timeout",
    "status", "format", "kind", "version", "expired", "expiration", "exp",
    # what identifies or describes it (`token_id`, `token_serial`, `allowed_token_types`,
    # `token_info`), and predicates (`TOKEN_IS_IN_CONTAINER`, `token_has_owner`)
    "id", "ids", "serial", "serials", "types", "info", "is", "has", "was",
})
# methods whose result is (a form of) the receiver's value: `token.decode()` shows the token,
# `token.get_serial()` or `token.is_active()` shows something else
VALUE_METHODS = frozenset({
    "decode", "encode", "strip", "lstrip", "rstrip", "lower", "upper", "casefold", "title",
    "capitalize", "swapcase", "hex", "split", "rsplit", "splitlines", "partition", "rpartition",
    "replace", "format", "format_map", "zfill", "ljust", "rjust", "center", "removeprefix",
    "removesuffix", "expandtabs", "translate", "copy", "items", "values", "to_dict", "as_dict",
    "dict", "json", "to_json", "model_dump", "model_dump_json", "dumps", "serialize",
    "tobytes", "__str__", "__repr__",
})
# a flag about the value: `has_password`, `is_token_valid`
FLAG_PREFIXES = frozenset({"is", "has"})
# calls whose result reveals nothing of their argument: its length, truth, type, or a masked form
SAFE_WRAPPERS = frozenset({"len", "bool", "type", "isinstance", "hasattr", "callable", "id"})
MASKING_WORDS = ("mask", "redact", "obfuscate", "censor", "scrub", "hide", "anonymi")
# the logged value of `form.password.data` is the field's: judge the segment before these
WRAPPER_ATTRIBUTES = frozenset({"data", "value"})
# keys of a dict or a subscript that read like identifiers (`"api_key"`, `"X-Api-Key"`)
KEY_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
STRING_METHODS_WITH_KEY = frozenset({"get", "pop", "getlist", "setdefault"})


def sensitive_word(name: str) -> str | None:
    """The sensitive word of an identifier (its `_`/`-`-separated words, any case), or None."""
    words = [w for w in re.split(r"[_\-]+", name.lower()) if w]
    if words and words[0] in FLAG_PREFIXES:
        return None
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else None
        if word in SENSITIVE_WORDS and following not in HARMLESS_FOLLOWERS:
            return word
        if following is not None and (word, following) in SENSITIVE_PAIRS:
            after = words[i + 2] if i + 2 < len(words) else None
            if after not in HARMLESS_FOLLOWERS:
                return f"{word}_{following}"
    return None


def _string_value(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _is_constant(node: cst.BaseExpression) -> bool:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.Integer, cst.Float)):
        return True
    return isinstance(node, cst.Name) and node.value in ("None", "True", "False")


class SensitiveDataLogged(Rule):
    code = "FLK506"
    name = "sensitive-data-logged"
    summary = "A password, token, key or other secret is passed to a logging call or print()."
    tags = ("security", "external/cwe/cwe-532")
    precision = "high"
    security_severity = "5.5"
    # a sensitive word and a logging call (print or a logging method) somewhere in the file
    prefilter = re.compile(
        r"(?is)\A(?=.*(?:passw|secret|token|authorization|api.?key|credit.?card|ssn))"
        r"(?=.*(?:\bprint\b|\b(?:debug|info|warning|warn|error|exception|critical|log)\s*\())"
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._allowed = {n.lower() for n in ctx.settings.log_allowed_names}

    def visit_Call(self, node: cst.Call) -> None:
        if not is_logging_call(self.ctx, node):
            return
        for arg in node.args:
            found = self._keyword(arg.keyword) or self._find(arg.value)
            if found is not None:
                self.report(
                    node,
                    f"`{found}` is logged: secrets in logs are readable by everyone with log access; "
                    "log an identifier or a masked value instead (or list the name in `log-allowed-names` "
                    "when it holds no secret)",
                )
                return

    # -- what a name, key or expression reveals ----------------------------------------------
    def _name(self, name: str, dotted: str | None = None) -> str | None:
        if name.lower() in self._allowed or (dotted is not None and dotted.lower() in self._allowed):
            return None
        return name if sensitive_word(name) is not None else None

    def _keyword(self, keyword: cst.Name | None) -> str | None:
        return self._name(keyword.value) if keyword is not None else None

    def _key(self, node: cst.BaseExpression) -> str | None:
        key = _string_value(node)
        if key is None or not KEY_RE.fullmatch(key):
            return None
        return self._name(key)

    def _find(self, node: cst.CSTNode) -> str | None:
        """The first sensitive name whose value `node` shows, or None."""
        if isinstance(node, cst.Name):
            return self._name(node.value)
        if isinstance(node, cst.Attribute):
            return self._attribute(node)
        if isinstance(node, cst.Call):
            return self._call(node)
        if isinstance(node, cst.Subscript):
            # `data["password"]` shows the entry: its key decides; `token[:8]` shows the token
            if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index) and _string_value(
                node.slice[0].slice.value
            ) is not None:
                return self._key(node.slice[0].slice.value)
            return self._find(node.value)
        if isinstance(node, (cst.Comparison, cst.SimpleString, cst.Integer, cst.Float, cst.Lambda)):
            return None  # a truth value, a literal message, a function
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
            return None
        if isinstance(node, cst.DictElement):
            if not _is_constant(node.value):  # `{"password": "***"}` shows no password
                found = self._key(node.key)
                if found is not None:
                    return found
            return self._find(node.key) or self._find(node.value)
        for child in iter_children(node):
            found = self._find(child)
            if found is not None:
                return found
        return None

    def _attribute(self, node: cst.Attribute) -> str | None:
        dotted = dotted_name(node)
        attr = node.attr.value
        found = self._name(attr, dotted)
        if found is not None:
            return found
        if attr in WRAPPER_ATTRIBUTES and isinstance(node.value, (cst.Name, cst.Attribute)):
            return self._find(node.value)  # `form.password.data`, `token.value`
        if dotted is None:
            return self._find(node.value)  # `data["token"].strip`, `get_user().api_key`
        return None

    def _call(self, node: cst.Call) -> str | None:
        func = node.func
        callee = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else ""
        if callee in SAFE_WRAPPERS or any(w in callee.lower() for w in MASKING_WORDS):
            return None
        if isinstance(func, cst.Attribute):
            if (callee in STRING_METHODS_WITH_KEY and node.args and node.args[0].keyword is None
                    and _string_value(node.args[0].value) is not None):
                # `request.headers.get("Authorization")`: the key decides, not the container
                # (`token_json.get("email")` shows an email)
                return self._key(node.args[0].value) or next(
                    (f for a in node.args[1:] if (f := self._find(a.value)) is not None), None)
            if callee in VALUE_METHODS:
                found = self._find(func.value)  # `token.decode()`, `"{}".format(...)`
                if found is not None:
                    return found
        for arg in node.args:
            found = self._keyword(arg.keyword) or self._find(arg.value)
            if found is not None:
                return found
        return None
