"""FLK504 hardcoded-secret: a secret setting given a string literal in the source.

Plain `NAME = "…"` assignments at module or class level, writes to the app's configuration
anywhere (`<x>.config["SECRET_KEY"] = "…"`, `<x>.secret_key = "…"`, `.config.update(...)`,
`.config.from_mapping(...)`, `.config.setdefault(...)`), and literal fallbacks of environment
reads (`os.getenv("SECRET_KEY", "dev")`, `os.environ.get(...)`, `os.environ.get(...) or "dev"`).
"""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.rule import Rule
from flaskarch.rules._appconfig import (
    assign_targets,
    assignment_items,
    call_items,
    class_words,
    stem_parts,
    string_value,
)
from flaskarch.names import dotted_name

# SECRET_KEY, JWT_SECRET_KEY (and any *_SECRET_KEY), *_SECRET, *_PASSWORD, *_API_KEY, *_TOKEN
_SECRET_NAME_RE = re.compile(r"(?i)(?:\A|_)(?:secret_key|secret|password|api_key|token)\Z")
# the catalog's `*_SECRET` family needs the underscore; SECRET_KEY stands on its own
_BARE_OK = frozenset({"secret_key"})
_KEY_NAME_RE = re.compile(r"(?i)(?:\A|_)secret_key\Z")
_ENV_READS = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault"})
_ENUM_BASES = frozenset({"Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "TextChoices", "IntegerChoices", "Choices"})
_UNSET = frozenset({"unset", "not_set", "notset", "none", "null", "undefined", "todo", "tbd", "n/a", "na", "-", "?"})
_TEST_WORDS = frozenset({"test", "tests", "testing"})


def is_secret_name(name: str) -> bool:
    bare = name.strip("_").lower()
    if not bare:
        return False
    if bare in _BARE_OK:
        return True
    return "_" in bare and _SECRET_NAME_RE.search(bare) is not None


def _norm(text: str) -> str:
    return re.sub(r"[\s.\-]+", "_", text.strip().lower()).strip("_")


def literal_secret(name: str, value: cst.BaseExpression | None) -> str | None:
    """The literal when `value` is a non-empty string literal that reads as a secret for
    `name`; None otherwise. Not secrets: the setting's own name used as a key
    (`ACCESS_TOKEN = "access_token"`, `CSRF_TOKEN = "X-CSRF-Token"`), URLs and URL paths
    (`RESET_PASSWORD = "/reset-password"`), and messages about the thing
    (`INVALID_TOKEN = "Invalid token"`) except for `*SECRET_KEY`, where every literal is a key."""
    text = string_value(value)
    if text is None or not text.strip():
        return None
    stripped = text.strip()
    norm_value, norm_name = _norm(stripped), _norm(name)
    if norm_value == norm_name:
        return None  # the setting's name used as a key: `DB_PASSWORD = "DB_PASSWORD"`
    if re.search(r"_(?:token|password)\Z", norm_name) and "_" in norm_value and re.fullmatch(r"\w+", norm_value) and (
            norm_value.endswith(norm_name) or norm_name.endswith(norm_value)):
        return None  # a header, form field or endpoint named after it: "X-CSRF-Token", "reset_password"
    if re.match(r"(?i)\A(?:https?://|/[\w\-/<>{}:.]*\Z)", stripped):
        return None
    if not _KEY_NAME_RE.search(name.strip("_")) and (
            norm_value in _UNSET or re.fullmatch(r"<[^<>]*>|\$?\{[^{}]*\}|%\(\w+\)s|\*+|x+", stripped, re.I)):
        return None  # "not configured" markers of an external service's key: nothing is leaked
    if _names_a_secret_object(name, stripped):
        return None  # `K8S_CONFIG_SECRET = "quay-enterprise-config-secret"`: which secret, not its value
    if not _KEY_NAME_RE.search(name.strip("_")) and re.search(r"\s", stripped):
        last = name.strip("_").lower().rsplit("_", 1)[-1]
        if re.search(rf"(?i)\b{re.escape(last)}", stripped):
            return None
    return text


# words of the weak values people type as a development secret ("my-jwt-secret",
# "super-secret", "change-me-secret"): such a value is a secret, not a resource's name
_PLACEHOLDER_WORDS = frozenset({"my", "your", "our", "the", "a", "super", "top", "very", "so", "dev", "devel",
                                "development", "local", "test", "testing", "change", "changeme", "me", "default",
                                "insecure", "not", "some", "example", "sample", "demo", "fake", "dummy", "random",
                                "dont", "do", "use", "in", "prod", "production", "real", "shh"})


def _names_a_secret_object(name: str, value: str) -> bool:
    """A `*_SECRET` setting (not a `*SECRET_KEY`) whose value is a resource name ending in
    `-secret`: lower-case, hyphen-separated, at least three parts, as Kubernetes and Docker
    name their secret objects (`QE_CONFIG_SECRET = "quay-enterprise-config-secret"`,
    `TLS_SECRET = "myapp-tls-secret"`). The setting says which secret object to read, not what
    it holds. A value made of placeholder words (`"my-jwt-secret"`, `"super-top-secret"`) is
    still a secret."""
    if not re.search(r"(?i)(?:\A|_)secret\Z", name.strip("_")):
        return False
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+){2,}", value):
        return False
    parts = value.split("-")
    if parts[-1] not in ("secret", "secrets"):
        return False
    named = parts[:-1]
    return not any(part in _PLACEHOLDER_WORDS for part in named) and any(
        not part.isdigit() and part not in ("secret", "secrets") for part in named)


class HardcodedSecret(Rule):
    code = "FLK504"
    name = "hardcoded-secret"
    summary = "A secret setting (SECRET_KEY, *_PASSWORD, *_TOKEN, ...) given a string literal in the source."
    tags = ("security", "external/cwe/cwe-798")
    security_severity = "7.5"
    precision = "high"
    # every finding names a secret setting (or reads one from the environment)
    prefilter = re.compile(r"(?i)secret|password|api_key|token")

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._handled: set[int] = set()  # environment reads already reported at their target

    # ---- where plain assignments count ------------------------------------------------------
    def _plain_scope_counts(self) -> bool:
        """Module level (outside test configuration modules) or a class body (outside test
        configuration classes and enums)."""
        stack = self.ctx.stack
        if not stack:
            return not (_TEST_WORDS & set(stem_parts(self.ctx)))
        if not isinstance(stack[-1], cst.ClassDef):
            return False
        for node in stack:
            if isinstance(node, cst.ClassDef) and (_TEST_WORDS & class_words(node.name.value) or self._is_enum(node)):
                return False
        return True

    def _is_enum(self, node: cst.ClassDef) -> bool:
        for base in node.bases:
            if base.keyword is not None:
                continue
            qual = self.ctx.names.qualify(base.value) or dotted_name(base.value) or ""
            last = qual.rsplit(".", 1)[-1]
            if qual.startswith("enum.") or last in _ENUM_BASES or last.endswith("Enum"):
                return True
        return False

    # ---- assignments --------------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        self._assignment(node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._assignment(node)

    def _assignment(self, node: cst.CSTNode) -> None:
        targets, value = assign_targets(node)
        if value is None:
            return
        for item in assignment_items(targets, value):
            self._setting(item.key, item.key_node, item.value, item.key_node)
        for target in targets:
            if isinstance(target, cst.Attribute) and target.attr.value == "secret_key":
                self._setting("secret_key", target, value, target)
            elif isinstance(target, cst.Name):
                if self._plain_scope_counts():
                    self._setting(target.value, target, value, target)
                else:
                    self._env_fallback(target.value, value, target)
            elif isinstance(target, cst.Attribute):
                self._env_fallback(target.attr.value, value, target)

    def _setting(self, name: str, where: cst.CSTNode, value: cst.BaseExpression, target: cst.CSTNode) -> None:
        if not is_secret_name(name):
            self._env_fallback(name, value, target)
            return
        if literal_secret(name, value) is not None:
            shown = name.upper() if name == "secret_key" else name
            self.report(where, _message(shown))
            return
        if isinstance(value, cst.Dict) or (isinstance(value, cst.Call) and dotted_name(value.func) == "dict"):
            return
        self._env_fallback(name, value, target)

    def visit_Call(self, node: cst.Call) -> None:
        for item in call_items(node):
            if is_secret_name(item.key) and literal_secret(item.key, item.value) is not None:
                self.report(item.key_node, _message(item.key))
            else:
                self._env_fallback(item.key, item.value, item.key_node)
        if id(node) in self._handled:
            return
        found = self._env_read(node)
        if found is not None:
            env_name, default = found
            if env_name is not None and is_secret_name(env_name) and literal_secret(env_name, default) is not None:
                self.report(node, self._fallback_message(env_name, env_name), severity="warning")

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        """`os.environ.get("SECRET_KEY") or "dev"` outside an assignment to a secret name."""
        if id(node) in self._handled or not isinstance(node.operator, cst.Or):
            return
        read = _unwrap(node.left)
        found = self._env_read(read) if isinstance(read, cst.Call) else None
        if found is None or found[0] is None:
            return
        if is_secret_name(found[0]) and literal_secret(found[0], node.right) is not None:
            self._handled.add(id(read))
            self.report(node, self._fallback_message(found[0], found[0]), severity="warning")

    # ---- environment reads with a literal fallback -----------------------------------------
    def _env_read(self, node: cst.Call) -> tuple[str | None, cst.BaseExpression | None] | None:
        """(variable name or None, literal default or None) of `os.getenv(...)`,
        `os.environ.get(...)`, `os.environ.setdefault(...)`, resolved through imports."""
        if not isinstance(node.func, (cst.Attribute, cst.Name)):
            return None
        qual = self.ctx.names.qualify(node.func)
        if qual not in _ENV_READS:
            return None
        positional = [a for a in node.args if a.keyword is None and not a.star]
        name_node = positional[0].value if positional else next(
            (a.value for a in node.args if a.keyword is not None and a.keyword.value in ("key", "name")), None)
        default = positional[1].value if len(positional) > 1 else next(
            (a.value for a in node.args if a.keyword is not None and a.keyword.value in ("default", "value")), None)
        return string_value(name_node), default

    def _fallback(self, value: cst.BaseExpression) -> tuple[cst.CSTNode, str | None, cst.BaseExpression | None] | None:
        """(the read, its variable name, the literal fallback) when `value` is an environment
        read with a fallback: `getenv(N, "x")`, `environ.get(N) or "x"`, and the same followed
        by a method call (`.encode()`)."""
        value = _unwrap(value)
        if isinstance(value, cst.BooleanOperation) and isinstance(value.operator, cst.Or):
            left = _unwrap(value.left)
            found = self._env_read(left) if isinstance(left, cst.Call) else None
            if found is not None:
                self._handled.add(id(value))
                return left, found[0], value.right
            return None
        if isinstance(value, cst.Call):
            found = self._env_read(value)
            if found is not None:
                return value, found[0], found[1]
        return None

    def _env_fallback(self, target_name: str, value: cst.BaseExpression, where: cst.CSTNode) -> None:
        """`NAME = os.getenv("NAME", "dev")` and friends: reported at the target when the
        variable's name or the target's is a secret name."""
        found = self._fallback(value)
        if found is None:
            return
        read, env_name, default = found
        for name in (env_name, target_name):
            if name is not None and is_secret_name(name) and literal_secret(name, default) is not None:
                self._handled.add(id(read))
                self.report(where, self._fallback_message(name, env_name or target_name), severity="warning")
                return

    @staticmethod
    def _fallback_message(name: str, variable: str) -> str:
        return (f"hardcoded fallback for {name}: read it without a default, os.environ[\"{variable}\"], "
                "so a missing variable fails at start-up instead of using a known secret")


def _message(name: str) -> str:
    return f"read {name} from the environment: os.environ[\"{name.upper()}\"]"


def _unwrap(node: cst.BaseExpression) -> cst.BaseExpression:
    """`os.getenv(...).encode()` -> `os.getenv(...)`; `str(x)` -> `x`."""
    while isinstance(node, cst.Call):
        func = node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, (cst.Call, cst.BooleanOperation)) and func.attr.value in (
                "encode", "strip", "lower", "upper"):
            node = func.value
        elif isinstance(func, cst.Name) and func.value in ("str", "bytes") and len(node.args) >= 1:
            node = node.args[0].value
        else:
            break
    return node
