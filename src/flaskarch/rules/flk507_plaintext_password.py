"""FLK507 plaintext-password: a password stored or compared without hashing."""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.names import Defined, Import, dotted_name, root_name
from flaskarch.rule import Rule
from flaskarch.walker import iter_children, walk_subtree

PASSWORD_WORDS = frozenset({"password", "passwd"})
# the other words a stored password's attribute may have (`password_hash`, `hashed_password`,
# `user_password`, `_password`); `password_reset_token`, `password_changed_at` are not one
STORED_EXTRA_WORDS = frozenset({"hash", "hashed", "digest", "encrypted", "crypted", "user", "account",
                                "admin", "login"})
# a name with one of these words holds a hash, not the password (`pw_hash`, `hashed`)
HASH_WORDS = frozenset({"hash", "hashed", "digest", "encrypted", "crypted", "hashes"})
# a value name with one of these words holds the typed password (`pw`, `raw_password`)
VALUE_PASSWORD_WORDS = PASSWORD_WORDS | {"pw", "pwd"}
# `password != confirm_password`: a sign-up form's check, not a stored password
CONFIRM_WORDS = frozenset({"confirm", "confirmation", "confirmed", "repeat", "repeated", "again", "retype",
                           "verify", "verification", "check", "password2"})
HASHING_METHOD_WORDS = frozenset({"validate", "validates", "validator", "hash", "hashed", "encrypt",
                                  "encrypted", "crypt"})
# the first name of a value read back from storage
STORED_SOURCES = frozenset({"doc", "document", "rec", "record", "row", "result", "db", "stored", "existing",
                            "orig", "original", "cached"})
# calls that return their receiver's text: `data["password"].strip()` is still the password
PASSTHROUGH_METHODS = frozenset({"strip", "lstrip", "rstrip", "encode", "decode", "lower", "upper"})
PASSTHROUGH_FUNCTIONS = frozenset({"str", "bytes"})
# keyword arguments that set or match columns on a model class or a statement
COLUMN_METHODS = frozenset({"create", "values", "filter_by", "get_or_create", "update"})
# a receiver or class whose name has one of these holds an account: `current_user`, `new_user`,
# `Account`, `AdminUser` (a `MailClient.password` or `self.password` of a DB config is a credential
# the program needs in clear, not a stored user password)
ACCOUNT_WORDS = ("user", "account", "member", "customer", "admin", "person", "employee", "student",
                 "owner", "profile", "player", "staff", "author", "patient", "teacher", "administrator")
# where credentials the program itself needs come from: not a user's password
CONFIG_SOURCES = ("environ", "getenv", "config", "settings", "secrets", "vault")
# project classes that carry a request's fields, not a stored row
FORM_SUFFIXES = ("Form", "Schema", "Request", "Payload", "Input", "Params", "Args", "Create", "Update",
                 "Login", "Credentials")


def words(name: str) -> list[str]:
    return [w for w in name.lower().split("_") if w]


# what may follow an account word inside one lower-case word (`userobj`, `accountinfo`)
_ACCOUNT_TAILS = ("", "s", "es", "obj", "object", "info", "data", "record", "row", "model", "entity", "instance")
_NAME_WORD_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def account_name(name: str) -> bool:
    """A name that says it holds an account, matched by words (snake_case and CamelCase):
    `current_user`, `AdminUser`, `newuser`, `users`, `userObj`; `authorization` (of
    `request.authorization.password`, the credentials a client sent), `ownership` or
    `profiler` only contain one."""
    for part in name.split("_"):
        for word in _NAME_WORD_RE.findall(part):
            word = word.lower()
            for account in ACCOUNT_WORDS:
                if word.endswith(account) or word.endswith(account + "s") or (
                        word.startswith(account) and word[len(account):] in _ACCOUNT_TAILS):
                    return True
    return False


def _param_names(fn: cst.FunctionDef) -> set[str]:
    p = fn.params
    return {q.name.value for q in (*p.posonly_params, *p.params, *p.kwonly_params)}


def _hashing_method(method: str, attr: str) -> bool:
    """A method that makes assignments to `attr` hashed: its setter (same name), or one
    named for validating or hashing the password (`validate_password`, `hash_password`,
    `get_hashed_password`, `_encrypt_password`)."""
    if method == attr:
        return True
    parts = words(method)
    return any(w in PASSWORD_WORDS for w in parts) and any(w in HASHING_METHOD_WORDS for w in parts)


def is_stored_password_name(name: str) -> bool:
    """`password`, `password_hash`, `_password`, `hashed_password` (words, any case)."""
    parts = words(name)
    return bool(parts) and any(w in PASSWORD_WORDS for w in parts) and all(
        w in PASSWORD_WORDS or w in STORED_EXTRA_WORDS for w in parts
    )


class PlaintextPassword(Rule):
    code = "FLK507"
    name = "plaintext-password"
    summary = "A password is stored in, or compared with, a password attribute without hashing."
    tags = ("security", "external/cwe/cwe-256", "external/cwe/cwe-916")
    precision = "high"
    security_severity = "7.5"
    prefilter = re.compile(r"(?i)passw(?:or)?d")

    # -- stores -------------------------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._store(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._store(node.target, node.value)

    def _store(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if not isinstance(target, cst.Attribute) or not is_stored_password_name(target.attr.value):
            return
        if self._passthrough(target, value):
            return
        if not self._account(target.value) or not self._plain(value) or self._has_setter(target):
            return
        self.report(target, self._store_message())

    def _passthrough(self, target: cst.Attribute, value: cst.BaseExpression) -> bool:
        """`self.password = password` in `__init__` (the caller decides what it passes: the
        constructor call is judged instead), and `self.password = self.password.decode()`
        (the stored value re-encoded)."""
        fn = self.ctx.enclosing_function()
        if (fn is not None and fn.name.value == "__init__" and isinstance(value, cst.Name)
                and value.value in _param_names(fn)):
            return True
        while isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute):
            value = value.func.value
        return dotted_name(value) is not None and dotted_name(value) == dotted_name(target)

    def visit_Call(self, node: cst.Call) -> None:
        kind = self._column_call(node)
        if kind is None:
            return
        for arg in node.args:
            if arg.keyword is None or not is_stored_password_name(arg.keyword.value):
                continue
            if not self._plain(arg.value):
                continue
            if kind == "filter_by":
                self.report(arg, self._compare_message())
            else:
                self.report(arg, self._store_message())

    def _column_call(self, node: cst.Call) -> str | None:
        """"constructor" for `User(...)` of a model class without a hashing setter for the
        keyword (judged per keyword by the caller), the method name for `User.create(...)`,
        `insert(User).values(...)`, `User.query.filter_by(...)`, else None."""
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in COLUMN_METHODS:
            method = func.attr.value
            if method in ("values", "filter_by"):
                return method
            return method if self._model_class(func.value) is not None else None
        qual = self._model_class(func)
        if qual is None:
            return None
        info = self.ctx.facts.class_info(qual)
        if info is None or "__init__" in info.methods:
            return None  # unknown class, or its own constructor decides what it stores
        for arg in node.args:
            if arg.keyword is not None and self._class_hashes(qual, arg.keyword.value):
                return None  # `User(password=...)` goes through the model's hashing setter
        return "constructor"

    def _model_class(self, node: cst.BaseExpression) -> str | None:
        """The qualified name of a project model class (an ORM model or a plain domain class;
        not a form, schema or record class), else None."""
        if not isinstance(node, (cst.Name, cst.Attribute)):
            return None
        qual = self.ctx.names.qualify(node)
        if qual is None:
            return None
        last = qual.rsplit(".", 1)[-1]
        if not last[:1].isupper() or last.endswith(FORM_SUFFIXES):
            return None
        facts = self.ctx.facts
        if facts.class_orm(qual) is not None or (facts.symbol_kind(qual) == "model" and account_name(last)):
            return qual
        return None

    def _account(self, receiver: cst.BaseExpression) -> bool:
        """The receiver of `<x>.password = ...` holds an account: `self` in a model class or
        an account class, a name such as `user` / `g.current_user`, or a local assigned a
        model's constructor."""
        ctx = self.ctx
        if isinstance(receiver, cst.Name) and receiver.value in ("self", "cls"):
            cls = ctx.enclosing_class()
            if cls is None:
                return False
            name = cls.name.value
            return account_name(name) or ctx.facts.class_orm(f"{ctx.module_name}.{name}") is not None
        name = dotted_name(receiver)
        if name is not None and account_name(name.rsplit(".", 1)[-1]):
            return True
        value = ctx.names.assigned_value(receiver) if isinstance(receiver, cst.Name) else None
        return isinstance(value, cst.Call) and self._model_class(value.func) is not None

    # -- comparisons ------------------------------------------------------------------------------
    def visit_Comparison(self, node: cst.Comparison) -> None:
        left = node.left
        for target in node.comparisons:
            right = target.comparator
            if isinstance(target.operator, (cst.Equal, cst.NotEqual)) and (
                self._plain_comparison(left, right) or self._plain_comparison(right, left)
            ):
                self.report(node, self._compare_message())
                return
            left = right

    def _plain_comparison(self, stored: cst.BaseExpression, given: cst.BaseExpression) -> bool:
        """`user.password == given`: a stored password attribute against a value that is no
        hash, no constant and no confirmation field."""
        if not isinstance(stored, cst.Attribute) or not is_stored_password_name(stored.attr.value):
            return False
        if self._from_request(stored) or not (
            self._account(stored.value) or self._model_class(stored.value) is not None
            or self._stored_name(stored.value)
        ):
            return False
        if self._constant(given):
            return False
        if self._hashed(given):
            return False
        if isinstance(given, (cst.Name, cst.Attribute)):
            name = given.value if isinstance(given, cst.Name) else given.attr.value
            if any(w in HASH_WORDS or w in CONFIRM_WORDS for w in words(name)):
                return False
            if isinstance(given, cst.Attribute) and dotted_name(given.value) is not None and (
                dotted_name(given.value) == dotted_name(stored.value)
            ):
                return False  # `self.password != self.password_again`: a form's own check
        return True

    def _constant(self, node: cst.BaseExpression) -> bool:
        """A literal, or a constant's name (`PASSWORD_MASK`, `None`): an emptiness or
        placeholder test, not a password check."""
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.Integer, cst.Float)):
            return True
        if isinstance(node, cst.Name):
            if node.value in ("None", "True", "False") or (node.value.isupper() and len(node.value) > 1):
                return True
            value = self.ctx.names.assigned_value(node)
            return isinstance(value, (cst.SimpleString, cst.ConcatenatedString, cst.Integer))
        return isinstance(node, cst.Attribute) and node.attr.value.isupper() and len(node.attr.value) > 1

    # -- values -------------------------------------------------------------------------------------
    def _hashed(self, node: cst.BaseExpression, depth: int = 0) -> bool:
        """A hashing call somewhere in the expression, or in the simple assignment of a name
        it uses (`hashed = generate_password_hash(pw)` earlier in the function)."""
        for sub in walk_subtree(node):
            if isinstance(sub, cst.Call) and self._hashing_call(sub):
                return True
            if isinstance(sub, cst.Name) and depth < 4:
                value = self.ctx.names.assigned_value(sub)
                if value is not None and value is not node and self._hashed(value, depth + 1):
                    return True
        return False

    def _hashing_call(self, node: cst.Call) -> bool:
        func = node.func
        if isinstance(func, cst.Name) and func.value == "hash" and self.ctx.names.lookup("hash") is None:
            return False  # Python's builtin hash(): no password hash
        names = [dotted_name(func) or (func.attr.value if isinstance(func, cst.Attribute) else "")]
        if isinstance(func, (cst.Name, cst.Attribute)):
            names.append(self.ctx.names.qualify(func) or "")
        return any("hash" in n.lower() or "crypt" in n.lower() for n in names)

    def _from_request(self, node: cst.BaseExpression) -> bool:
        root = root_name(node)
        return root is not None and self.ctx.names.qualify(root) == "flask.request"

    def _plain(self, node: cst.BaseExpression, depth: int = 0) -> bool:
        """Request data or a password value that went through no hashing call."""
        if depth > 4 or self._hashed(node) or self._configured(node):
            return False
        if isinstance(node, cst.Name):
            parts = words(node.value)
            if any(w in HASH_WORDS for w in parts):
                return False
            values = self._assignments(node.value)
            value = self.ctx.names.assigned_value(node)
            if value is not None and not any(v is value for v in values):
                values.append(value)
            if any(self._hashed(v, depth + 1) for v in values):
                return False  # hashed in some branch: `password = bcrypt.hashpw(...)` under an if
            if any(self._plain(v, depth + 1) for v in values):
                return True
            if values and all(self._configured(v) for v in values):
                return False
            return any(w in VALUE_PASSWORD_WORDS for w in parts)
        if self._stored_source(node):
            return False
        if isinstance(node, cst.Attribute):
            if self._from_request(node):
                return True
            attr = node.attr.value
            if attr in ("data", "value") and isinstance(node.value, cst.Attribute):
                attr = node.value.attr.value  # `form.password.data`
            parts = words(attr)
            return not any(w in HASH_WORDS for w in parts) and any(w in VALUE_PASSWORD_WORDS for w in parts)
        if isinstance(node, cst.Subscript):
            if self._from_request(node) or self._request_data(node.value, depth):
                return True
            for element in node.slice:
                if isinstance(element.slice, cst.Index) and self._password_key(element.slice.value):
                    # `new_data["password"] = hash_password(...)` elsewhere in the module: the
                    # module's dicts carry the hash under that key
                    return not self._key_hashed(element.slice.value.evaluated_value)
            return False
        if isinstance(node, cst.Call):
            func = node.func
            if self._from_request(node):
                return True
            if isinstance(func, cst.Attribute):
                method = func.attr.value
                if method in ("get", "pop") and node.args and self._password_key(node.args[0].value):
                    return True
                if method in ("get", "pop") and self._request_data(func.value, depth):
                    return True
                if method in PASSTHROUGH_METHODS:
                    return self._plain(func.value, depth + 1)
            elif isinstance(func, cst.Name) and func.value in PASSTHROUGH_FUNCTIONS and node.args:
                return self._plain(node.args[0].value, depth + 1)
            return False
        if isinstance(node, cst.BooleanOperation):
            return self._plain(node.left, depth + 1) or self._plain(node.right, depth + 1)
        if isinstance(node, cst.IfExp):
            return self._plain(node.body, depth + 1) or self._plain(node.orelse, depth + 1)
        return False

    def _assignments(self, name: str) -> list[cst.BaseExpression]:
        """The values assigned to `name` by simple assignments anywhere in the enclosing
        function (every branch: the walk has only seen the ones before the use)."""
        fn = self.ctx.enclosing_function()
        if fn is None:
            return []
        found: list[cst.BaseExpression] = []
        stack: list[cst.CSTNode] = [fn.body]
        while stack:
            node = stack.pop()
            if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
                continue
            if isinstance(node, cst.Assign) and any(
                isinstance(t.target, cst.Name) and t.target.value == name for t in node.targets
            ):
                found.append(node.value)
            elif isinstance(node, cst.AnnAssign) and isinstance(node.target, cst.Name) and (
                node.target.value == name and node.value is not None
            ):
                found.append(node.value)
            stack.extend(iter_children(node))
        return found

    def _key_hashed(self, key: str) -> bool:
        cache = self.__dict__.setdefault("_hashed_keys", {})
        if key not in cache:
            cache[key] = False
            for node in walk_subtree(self.ctx.module):
                if isinstance(node, cst.Assign) and self._hashed(node.value) and any(
                    isinstance(t.target, cst.Subscript) and len(t.target.slice) == 1
                    and isinstance(t.target.slice[0].slice, cst.Index)
                    and isinstance(t.target.slice[0].slice.value, cst.SimpleString)
                    and t.target.slice[0].slice.value.evaluated_value == key
                    for t in node.targets
                ):
                    cache[key] = True
                    break
        return cache[key]

    def _configured(self, node: cst.BaseExpression) -> bool:
        """A credential the program reads for itself (`os.environ["DB_PASSWORD"]`,
        `app.config["MAIL_PASSWORD"]`, `settings.SMTP_PASSWORD`), not a user's password."""
        segments: list[str] = []
        while True:
            if isinstance(node, cst.Attribute):
                segments.append(node.attr.value)
                node = node.value
            elif isinstance(node, cst.Call):
                node = node.func
            elif isinstance(node, cst.Subscript):
                node = node.value
            else:
                break
        if not isinstance(node, cst.Name):
            return False
        segments.append(node.value)
        qual = self.ctx.names.qualify(node) or ""
        segments.append(qual)
        return any(source in seg.lower() for seg in segments for source in CONFIG_SOURCES)

    @staticmethod
    def _stored_name(node: cst.BaseExpression) -> bool:
        """`row` of `row.password_hash`: a record read from storage."""
        return isinstance(node, cst.Name) and any(w in STORED_SOURCES for w in words(node.value))

    def _stored_source(self, node: cst.BaseExpression) -> bool:
        """`rec.password`, `doc.get("password")`, `row["password"]`: a value read back from
        storage (a model's `from_db` / `from_document`), already what is stored."""
        if not isinstance(node, (cst.Attribute, cst.Subscript, cst.Call)):
            return False
        root = root_name(node)
        return root is not None and any(w in STORED_SOURCES for w in words(root.value))

    def _request_data(self, node: cst.BaseExpression, depth: int) -> bool:
        """`request.form`, or a name assigned from request data (`data = request.get_json()`)."""
        if self._from_request(node):
            return True
        if isinstance(node, cst.Name) and depth < 4:
            value = self.ctx.names.assigned_value(node)
            return value is not None and self._from_request(value)
        return False

    @staticmethod
    def _password_key(node: cst.BaseExpression) -> bool:
        if not isinstance(node, cst.SimpleString):
            return False
        key = node.evaluated_value
        if not isinstance(key, str):
            return False
        parts = words(key)
        return not any(w in HASH_WORDS for w in parts) and any(w in VALUE_PASSWORD_WORDS for w in parts)

    # -- hashing setters ------------------------------------------------------------------------
    def _has_setter(self, target: cst.Attribute) -> bool:
        """`user.password = pw` runs the model's `password` property (or hybrid) setter, which
        hashes (Flask-Login tutorials, flasky): the class of the receiver has a method of that
        name. The receiver's class: the enclosing class for `self`, the constructor of a local
        assigned `User(...)`; otherwise any class the module defines or imports from the
        project."""
        attr = target.attr.value
        receiver = target.value
        ctx = self.ctx
        if isinstance(receiver, cst.Name) and receiver.value in ("self", "cls"):
            cls = ctx.enclosing_class()
            if cls is None:
                return False
            if any(isinstance(s, cst.FunctionDef) and _hashing_method(s.name.value, attr) for s in cls.body.body):
                return True
            qual = f"{ctx.module_name}.{cls.name.value}"
            return self._class_hashes(qual, attr, own=False)
        if isinstance(receiver, cst.Name):
            value = ctx.names.assigned_value(receiver)
            if isinstance(value, cst.Call) and isinstance(value.func, (cst.Name, cst.Attribute)):
                qual = ctx.names.qualify(value.func)
                if qual is not None and ctx.facts.class_info(qual) is not None:
                    return self._class_hashes(qual, attr)
        for name, binding in ctx.names.scopes[0].bindings.items():
            if isinstance(binding, Defined) and binding.kind == "class":
                if any(isinstance(s, cst.FunctionDef) and _hashing_method(s.name.value, attr)
                       for s in binding.node.body.body):
                    return True
                if self._class_hashes(f"{ctx.module_name}.{name}", attr, own=False):
                    return True
            elif isinstance(binding, Import) and name[:1].isupper():
                if self._class_hashes(binding.qualname, attr):
                    return True
                if (ctx.facts.class_info(binding.qualname) is None
                        and ctx.facts.symbol_kind(binding.qualname) == "model"):
                    return True  # a model whose facts are out of reach (a star re-export): unknown
        return False

    def _class_hashes(self, qual: str, attr: str, own: bool = True) -> bool:
        """The project class, or a project base of it, hashes what is assigned to `attr`: a
        method named `attr` (a property or hybrid property whose setter the assignment runs),
        or a method about hashing or validating the password (`@validates("password") def
        validate_password`, `hash_password` run by a `before_insert` listener)."""
        facts = self.ctx.facts
        info = facts.class_info(qual)
        if info is None:
            return False
        if own and any(_hashing_method(m, attr) for m in info.methods):
            return True
        for ancestor in facts.ancestors(qual):
            if ancestor.known:
                base = facts.class_info(ancestor.qualname)
                if base is not None and any(_hashing_method(m, attr) for m in base.methods):
                    return True
        return False

    @staticmethod
    def _store_message() -> str:
        return ("password stored without hashing: store `generate_password_hash(password)` "
                "(werkzeug.security) and check it with `check_password_hash(stored, given)`")

    @staticmethod
    def _compare_message() -> str:
        return ("password compared in plain text: store a hash and check it with "
                "`check_password_hash(stored_hash, given)` (werkzeug.security)")
