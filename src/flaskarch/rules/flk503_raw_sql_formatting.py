"""FLK503 raw-sql-formatting: SQL text built by string formatting from a non-literal value.

Sinks:
- `text(...)` resolving to SQLAlchemy's `text` (`from sqlalchemy import text`, `sa.text`,
  `sqlalchemy.sql.text`, `db.text` on a Flask-SQLAlchemy object) and `<x>.exec_driver_sql(...)`:
  always SQL;
- `<x>.execute(...)` / `<x>.executemany(...)`: a sink without further question when `<x>` is a
  session object, an engine, a connection (`engine.connect()`, a DB-API `connect()`) or a DB-API
  cursor (`<x>.cursor()`, also bound by `with ... as cur`); on any other receiver only when the
  literal parts of the string look like SQL (a statement keyword first, or an SQL clause such as
  `WHERE`, `INSERT INTO`, `SELECT ... FROM` inside), so `executor.execute(f"run {job}")` is left
  alone.

A string is "built from a non-literal" when an f-string field, a `%` argument, a `.format()`
argument or a `+` operand is not a literal. Literal-like values are: literals and names bound to
them (module constants, locals), numbers and `int()`/`len()` results, `%d`-style and `{x:d}`
numeric conversions, conditional expressions between literals (`"ASC" if asc else "DESC"`),
placeholder lists (`", ".join(["%s"] * len(ids))`), values passed through a quoting helper
(`quote_ident`, `qtIdent`, `escape_string`, `as_string`, `mogrify`), `Model.__tablename__`, loop
variables over literal lists, members of enum classes (`State.pending`, `Kind.user.value`, the
class itself as a `.format()` argument), `self.NAME` / `cls.NAME` where the class body assigns
`NAME` a literal and no method rebinds it, and names listed in `sql-identifier-allowlist`. A string built in
the same function and passed to a sink by name is reported at the sink; `+=` additions count.
An unknown name that starts the string and is followed by a clause (`query + " LIMIT 10"`,
`query += " AND x = %s"` on a parameter, `f"{base} WHERE id = :id"`) is SQL built elsewhere being
extended, not a value: only what is added is judged (a wrapper such as `_fetchall(query, vars)`
is not reported for the query it receives). `join()` of unknown items is not one of the four
formattings by itself, but counts as a non-literal value inside one. psycopg2
`sql.SQL(...).format(sql.Identifier(...))` composition is not string formatting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flaskarch._lazy import cst

from flaskarch.names import dotted_name
from flaskarch.rule import Rule
from flaskarch.semantics import is_db_object, is_engine, is_session_object
from flaskarch.walker import walk_subtree

_MAX_DEPTH = 8

_SQL_START = re.compile(
    r"\A[\s(]*(?:SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|DROP|ALTER|REPLACE|MERGE|TRUNCATE|GRANT|"
    r"REVOKE|EXPLAIN|PRAGMA|CALL|EXEC|COPY|VACUUM|ANALYZE|SET|SHOW|LOCK|DECLARE|UPSERT|REFRESH|"
    r"REINDEX|COMMENT\s+ON)\b",
    re.IGNORECASE,
)
# dialect statements that are ordinary English words too: only in capitals (`KILL CONNECTION 12`,
# DuckDB's `INSTALL httpfs`), so `runner.execute(f"install {package}")` stays out
_SQL_START_UPPER = re.compile(r"\A[\s(]*(?:KILL|USE|LOAD|INSTALL|CANCEL|ATTACH|DETACH|CHECKPOINT)\b")
_SQL_CLAUSE = re.compile(
    r"\b(?:SELECT\b.*?\bFROM|INSERT\s+INTO|UPDATE\b.*?\bSET|DELETE\s+FROM|WHERE|ORDER\s+BY|GROUP\s+BY|"
    r"VALUES|(?:LEFT|RIGHT|INNER|OUTER|CROSS)\s+JOIN|HAVING|LIMIT|OFFSET|DROP\s+TABLE|CREATE\s+TABLE|"
    r"ALTER\s+TABLE|TRUNCATE\s+TABLE)\b",
    re.IGNORECASE | re.DOTALL,
)
_SQL_CONTINUATION = re.compile(
    r"\s*(?:WHERE|AND|OR|LIMIT|OFFSET|ORDER\s+BY|GROUP\s+BY|HAVING|UNION|INTERSECT|EXCEPT|RETURNING|"
    r"ON\s+CONFLICT|FOR\s+UPDATE|(?:(?:LEFT|RIGHT|INNER|FULL|CROSS)\s+(?:OUTER\s+)?)?JOIN)\b",
    re.IGNORECASE,
)
_SQL_COMMENT = re.compile(r"\A\s*(?:--[^\n]*\n|/\*.*?\*/)", re.DOTALL)

# a called helper that quotes or escapes what it returns (psycopg2 `quote_ident`, pgAdmin's
# `qtIdent`/`qtLiteral`, MySQLdb `escape_string`, `sql.Identifier(x).as_string(conn)`, `mogrify`)
_QUOTING = re.compile(r"(?i)quote|escape|^qt[A-Z_]|^qt$|mogrify|as_string")
_NUMERIC_CALLS = frozenset({"int", "float", "len", "bool", "abs", "round", "min", "max", "sum", "ord"})
_TEXT_SUFFIX = (".text", ".TextClause")
# keyword names of the statement argument in the sinks' signatures
_STATEMENT_KEYWORDS = ("statement", "sql", "query", "operation", "stmt", "clause", "text")
# `%` conversions and `{:…}` presentation types that coerce their value to a number
_PERCENT_SPEC = re.compile(r"%(?:\((\w+)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])")
_NUMERIC_TYPES = frozenset("diouxXeEfFgGn%")
_DBAPI_CONNECT = re.compile(
    r"^(?:psycopg2?|sqlite3|pymysql|MySQLdb|mysql\.connector|pyodbc|cx_Oracle|oracledb|pymssql)\.connect$"
)


@dataclass
class Piece:
    """What is known of a string expression: its literal text (placeholders for fields), whether
    every part is literal-like, and how it was formatted (None: a plain literal)."""

    text: str
    safe: bool
    kind: str | None = None


@dataclass
class Var:
    piece: Piece | None  # None: bound to something that is not a known string
    safe: bool = False  # not a string: the value (a number, a quoted name, a list) is literal-like
    is_list: bool = False  # a list literal: `.append()`/`+=` items must be literal-like too
    consumed: bool = False  # reached a sink since its unsafe formatting


class RawSqlFormatting(Rule):
    code = "FLK503"
    name = "raw-sql-formatting"
    summary = "SQL text built with an f-string, `%`, `.format()` or `+` from a non-literal value."
    tags = ("security", "external/cwe/cwe-089")
    precision = "high"
    security_severity = "9.8"
    prefilter = re.compile(r"\b(?:execute|executemany|exec_driver_sql|text)\s*\(")

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._frames: list[dict[str, Var]] = [{}]
        self._safe_names: list[set[str]] = [set()]
        self._allow = frozenset(ctx.settings.sql_identifier_allowlist or ())
        self._enum_cache: dict[str, bool] = {}
        self._const_cache: dict[tuple[int, str], bool] = {}

    # ---- scopes and bindings ---------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._frames.append({})
        self._safe_names.append(set())

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._frames.pop()
        self._safe_names.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self._bind(target.target.value, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name) and node.value is not None:
            self._bind(node.target.value, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if not isinstance(node.target, cst.Name):
            return
        name = node.target.value
        frame = self._frames[-1]
        if not isinstance(node.operator, cst.AddAssign):
            frame[name] = Var(None)
            return
        previous = frame[name].piece if name in frame else self._string(node.target)
        if previous is None:
            if name in frame and frame[name].is_list:  # `items += [...]`
                frame[name].safe = frame[name].safe and self._safe(node.value)
                return
            if name in frame or self._string(node.value) is None:
                frame[name] = Var(None)
                return
            # `query += " LIMIT %s"` on a query received from elsewhere: the SQL being
            # extended, judged where it was built; only what is added here is judged here
            previous = Piece("", True)
        added = self._string(node.value)
        if added is None:
            added = Piece(" ? ", self._safe(node.value), "+")
        kind = (added.kind if not added.safe else None) or previous.kind or added.kind or "+"
        frame[name] = Var(Piece(previous.text + added.text, previous.safe and added.safe, kind))

    def visit_For(self, node: cst.For) -> None:
        if isinstance(node.target, cst.Name) and self._safe(node.iter):
            self._safe_names[-1].add(node.target.value)  # `for table in ["a", "b"]:`

    def _bind(self, name: str, value: cst.BaseExpression) -> None:
        frame = self._frames[-1]
        self._safe_names[-1].discard(name)
        piece = self._string(value)
        old = frame.get(name)
        if piece is not None and old is not None and old.piece is not None and not old.piece.safe \
                and not old.consumed and piece.safe:
            # `if a: sql = f"...{x}"` / `else: sql = "..."`: either may reach the sink
            piece = Piece(old.piece.text + " " + piece.text, False, old.piece.kind)
        var = Var(piece)
        if piece is None:
            var.safe = self._safe(value)
            var.is_list = isinstance(value, (cst.List, cst.ListComp))
        frame[name] = var

    # ---- sinks --------------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        needs_sql_look = False
        if isinstance(func, cst.Attribute) and func.attr.value in ("append", "extend", "insert") \
                and isinstance(func.value, cst.Name):
            self._note_list_growth(func.value.value, node)
            return
        if isinstance(func, cst.Attribute) and func.attr.value in ("execute", "executemany"):
            needs_sql_look = not self._is_db_receiver(func.value)
        elif isinstance(func, cst.Attribute) and func.attr.value == "exec_driver_sql":
            pass
        elif not self._is_sqlalchemy_text(func):
            return
        arg = _statement_argument(node)
        if arg is None:
            return
        piece: Piece | None
        var = None
        if isinstance(arg, cst.Name):
            var = self._frames[-1].get(arg.value)
            piece = var.piece if var is not None else self._string(arg)
        else:
            piece = self._string(arg)
        if piece is None or piece.kind is None or piece.safe:
            return
        if needs_sql_look and not looks_like_sql(piece.text):
            return
        if var is not None:
            var.consumed = True
        self.report(node, _message(piece.kind, flowed=isinstance(arg, cst.Name)))

    def _note_list_growth(self, name: str, call: cst.Call) -> None:
        var = self._frames[-1].get(name)
        if var is None or not var.is_list:
            return
        for arg in call.args:
            if arg.keyword is None and not (call.func.attr.value == "insert" and arg is call.args[0]):
                var.safe = var.safe and self._safe(arg.value)

    def _is_sqlalchemy_text(self, func: cst.BaseExpression) -> bool:
        if isinstance(func, cst.Attribute):
            if func.attr.value not in ("text", "TextClause"):
                return False
        elif not isinstance(func, cst.Name):
            return False
        qual = self.ctx.names.qualify(func)
        if qual is not None and qual.split(".")[0] == "sqlalchemy" and qual.endswith(_TEXT_SUFFIX):
            return True
        # `db.text(...)` on a Flask-SQLAlchemy object
        return isinstance(func, cst.Attribute) and func.attr.value == "text" and is_db_object(self.ctx, func.value)

    def _is_db_receiver(self, node: cst.BaseExpression, depth: int = 0) -> bool:
        """A session, engine, connection or DB-API cursor (so the argument is SQL by position)."""
        if depth > _MAX_DEPTH:
            return False
        ctx = self.ctx
        if is_session_object(ctx, node) or is_engine(ctx, node):
            return True
        if isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value in ("cursor", "connect"):
                return func.attr.value == "cursor" or self._is_db_receiver(func.value, depth + 1)
            qual = ctx.names.qualify(func)
            return qual is not None and bool(_DBAPI_CONNECT.match(qual))
        if isinstance(node, cst.Name):
            value = ctx.names.assigned_value(node)
            return value is not None and value is not node and self._is_db_receiver(value, depth + 1)
        return False

    # ---- what a string expression is made of ----------------------------------------------
    def _string(self, node: cst.BaseExpression, depth: int = 0) -> Piece | None:
        """The string `node` evaluates to, as far as formatting goes; None when it is not known
        to be a string."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, cst.SimpleString):
            return Piece(_literal_text(node), True)
        if isinstance(node, cst.ConcatenatedString):
            left, right = self._string(node.left, depth + 1), self._string(node.right, depth + 1)
            if left is None or right is None:
                return None
            return Piece(left.text + right.text, left.safe and right.safe, left.kind or right.kind)
        if isinstance(node, cst.FormattedString):
            return self._fstring(node, depth)
        if isinstance(node, cst.BinaryOperation):
            if isinstance(node.operator, cst.Add):
                return self._concatenation(node, depth)
            if isinstance(node.operator, cst.Modulo):
                return self._percent(node, depth)
            return None
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            if method == "format":
                receiver = self._string(node.func.value, depth + 1)
                if receiver is None:
                    return None
                safe = receiver.safe and all(self._safe(a.value, depth + 1) and not a.star for a in node.args)
                return Piece(receiver.text, safe, "format")
            if method == "join":
                receiver = self._string(node.func.value, depth + 1)
                if receiver is None or not node.args:
                    return None
                safe = receiver.safe and self._safe(node.args[0].value, depth + 1)
                return Piece(" ? ", safe)  # not itself one of the four formattings
            if method in ("strip", "lstrip", "rstrip", "upper", "lower", "replace"):
                inner = self._string(node.func.value, depth + 1)
                return inner
            return None
        if isinstance(node, cst.IfExp):
            body, orelse = self._string(node.body, depth + 1), self._string(node.orelse, depth + 1)
            if body is None or orelse is None:
                return None
            return Piece(body.text + " " + orelse.text, body.safe and orelse.safe, body.kind or orelse.kind)
        if isinstance(node, cst.Name):
            for frame in (self._frames[-1],):
                var = frame.get(node.value)
                if var is not None:
                    return var.piece
            value = self.ctx.names.assigned_value(node)
            if value is not None and value is not node:
                return self._string(value, depth + 1)
        return None

    def _fstring(self, node: cst.FormattedString, depth: int) -> Piece:
        text: list[str] = []
        safe = True
        parts = node.parts
        for i, part in enumerate(parts):
            if isinstance(part, cst.FormattedStringText):
                text.append(part.value)
                continue
            text.append(" ? ")
            if _numeric_spec(part.format_spec):
                continue
            if i == 0 and len(parts) > 1 and isinstance(parts[1], cst.FormattedStringText) \
                    and self._string(part.expression, depth + 1) is None \
                    and _extends_sql(part.expression, Piece(parts[1].value, True)):
                text.pop()
                continue  # f"{query} LIMIT 10": the query being extended
            if not self._safe(part.expression, depth + 1):
                safe = False
        return Piece("".join(text), safe, "f-string")

    def _concatenation(self, node: cst.BinaryOperation, depth: int) -> Piece | None:
        operands: list[cst.BaseExpression] = []
        stack: list[cst.BaseExpression] = [node]
        while stack:
            current = stack.pop()
            if isinstance(current, cst.BinaryOperation) and isinstance(current.operator, cst.Add) \
                    and not current.lpar:
                stack.append(current.right)
                stack.append(current.left)
            else:
                operands.append(current)
        pieces = [self._string(op, depth + 1) for op in operands]
        if all(p is None for p in pieces):
            return None
        text, safe, kind = [], True, None
        for i, (op, piece) in enumerate(zip(operands, pieces)):
            if piece is None and i == 0 and _extends_sql(op, pieces[1]):
                continue  # `query + " WHERE id = %s"`: the query being extended
            if piece is None:
                text.append(" ? ")
                if not self._safe(op, depth + 1):
                    safe = False
            else:
                text.append(piece.text)
                safe = safe and piece.safe
                kind = kind or piece.kind
        return Piece("".join(text), safe, "+" if not safe else kind or "+")

    def _percent(self, node: cst.BinaryOperation, depth: int) -> Piece | None:
        left = self._string(node.left, depth + 1)
        if left is None:
            return None
        specs = [(m.group(1), m.group(2)) for m in _PERCENT_SPEC.finditer(left.text) if m.group(2) != "%"]
        right = node.right
        values: list[tuple[str | None, cst.BaseExpression | None]]
        if isinstance(right, cst.Tuple):
            items = [el.value for el in right.elements]
            values = [(spec[1], items[i] if i < len(items) else None) for i, spec in enumerate(specs)]
        elif isinstance(right, cst.Dict):
            by_key = {
                _literal_text(el.key): el.value for el in right.elements
                if isinstance(el, cst.DictElement) and isinstance(el.key, cst.SimpleString)
            }
            values = [(conv, by_key.get(key or "")) for key, conv in specs]
        elif len(specs) == 1 and specs[0][0] is None:
            values = [(specs[0][1], right)]
        else:
            # a tuple or mapping held in a name: only numeric conversions are safe
            values = [(conv, None) for _, conv in specs]
        safe = left.safe
        for conv, value in values:
            if conv in _NUMERIC_TYPES:
                continue
            if value is None or not self._safe(value, depth + 1):
                safe = False
        return Piece(left.text, safe, "%")

    def _safe(self, node: cst.BaseExpression, depth: int = 0) -> bool:
        """A value that puts only literal-like text into SQL."""
        if depth > _MAX_DEPTH:
            return False
        if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary)):
            return True
        if isinstance(node, cst.Name):
            name = node.value
            if name in ("True", "False", "None") or name in self._allow:
                return True
            if name in self._safe_names[-1]:
                return True
            var = self._frames[-1].get(name)
            if var is not None:
                return var.piece.safe if var.piece is not None else var.safe
            value = self.ctx.names.assigned_value(node)
            if value is not None and value is not node:
                return self._safe(value, depth + 1)
            return self._is_enum_class(node)  # `.format(type=MenuEntryType)`
        if isinstance(node, cst.Attribute):
            dotted = dotted_name(node)
            if dotted is not None and (dotted in self._allow or node.attr.value in self._allow):
                return True
            if node.attr.value in ("__tablename__", "__table__"):
                return True
            root = node.value
            while isinstance(root, cst.Attribute):
                root = root.value
            if not isinstance(root, cst.Name):
                return False
            if root is node.value and root.value in ("self", "cls"):
                return self._class_constant(node.attr.value)  # `self.TABLE_PREFIX`
            return self._is_enum_class(root)  # `State.pending`, `Kind.user.value`
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            return all(isinstance(el, cst.Element) and self._safe(el.value, depth + 1) for el in node.elements)
        if isinstance(node, cst.UnaryOperation):
            return self._safe(node.expression, depth + 1)
        if isinstance(node, cst.BinaryOperation):
            if isinstance(node.operator, cst.Multiply):
                # `"?" * n`, `["%s"] * len(ids)`: repeating a literal
                return self._safe(node.left, depth + 1) or self._safe(node.right, depth + 1)
            piece = self._string(node, depth + 1)
            if piece is not None:
                return piece.safe
            return self._safe(node.left, depth + 1) and self._safe(node.right, depth + 1)
        if isinstance(node, cst.IfExp):
            return self._safe(node.body, depth + 1) and self._safe(node.orelse, depth + 1)
        if isinstance(node, (cst.GeneratorExp, cst.ListComp, cst.SetComp)):
            return self._safe_comprehension(node, depth)
        if isinstance(node, cst.Call):
            func = node.func
            last = func.attr.value if isinstance(func, cst.Attribute) else (
                func.value if isinstance(func, cst.Name) else "")
            if isinstance(func, cst.Name) and last in _NUMERIC_CALLS and self.ctx.names.lookup(last) is None:
                return True
            if _QUOTING.search(last):
                return True
            if isinstance(func, cst.Name) and last in ("range", "enumerate", "sorted", "list", "tuple") \
                    and self.ctx.names.lookup(last) is None:
                return all(self._safe(a.value, depth + 1) for a in node.args)
        piece = self._string(node, depth + 1)
        return piece is not None and piece.safe

    def _is_enum_class(self, node: cst.Name) -> bool:
        """An `enum.Enum` subclass (through project bases too): its members and their
        `.value`/`.name` are constants written in the code."""
        qual = self.ctx.names.qualify(node)
        if qual is None:
            return False
        if qual not in self._enum_cache:
            self._enum_cache[qual] = qual.startswith("enum.") or any(
                a.qualname.startswith("enum.") for a in self.ctx.facts.ancestors(qual))
        return self._enum_cache[qual]

    def _class_constant(self, attr: str) -> bool:
        """`self.<attr>` / `cls.<attr>` in a method of a class whose body assigns `<attr>` a
        literal and which never assigns `self.<attr>` itself (`CACHE_TABLE_PREFIX = "cache"`)."""
        cls = next((n for n in reversed(self.ctx.stack) if isinstance(n, cst.ClassDef)), None)
        if cls is None:
            return False
        key = (id(cls), attr)
        if key not in self._const_cache:
            self._const_cache[key] = _class_literal(cls, attr)
        return self._const_cache[key]

    def _safe_comprehension(self, node: cst.BaseExpression, depth: int) -> bool:
        """`"%s" for _ in ids`, `f":id{i}" for i in range(n)`: the items are literal-like."""
        added: set[str] = set()
        safe_names = self._safe_names[-1]
        comp = node.for_in
        while comp is not None:
            if isinstance(comp.target, cst.Name) and comp.target.value not in safe_names and self._safe(comp.iter, depth + 1):
                added.add(comp.target.value)
            comp = comp.inner_for_in
        safe_names |= added
        try:
            return self._safe(node.elt, depth + 1)
        finally:
            safe_names -= added


def _class_literal(cls: cst.ClassDef, attr: str) -> bool:
    literal = False
    for stmt in cls.body.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.Assign) and any(
                    isinstance(t.target, cst.Name) and t.target.value == attr for t in small.targets):
                literal = _is_literal(small.value)
            elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) \
                    and small.target.value == attr and small.value is not None:
                literal = _is_literal(small.value)
    if not literal:
        return False
    for node in walk_subtree(cls.body):  # `self.<attr> = ...` in a method: not a constant
        targets: list[cst.BaseExpression] = []
        if isinstance(node, cst.Assign):
            targets = [t.target for t in node.targets]
        elif isinstance(node, (cst.AugAssign, cst.AnnAssign)):
            targets = [node.target]
        for target in targets:
            if isinstance(target, cst.Attribute) and target.attr.value == attr \
                    and isinstance(target.value, cst.Name) and target.value.value in ("self", "cls"):
                return False
    return True


def _is_literal(node: cst.BaseExpression) -> bool:
    if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float)):
        return True
    if isinstance(node, cst.ConcatenatedString):
        return _is_literal(node.left) and _is_literal(node.right)
    return isinstance(node, cst.Name) and node.value in ("True", "False", "None")


def _statement_argument(call: cst.Call) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.star:
            return None
        if arg.keyword is None:
            return arg.value
        if arg.keyword.value in _STATEMENT_KEYWORDS:
            return arg.value
    return None


def _literal_text(node: cst.SimpleString) -> str:
    try:
        value = node.evaluated_value
    except (ValueError, SyntaxError):  # pragma: no cover - malformed literal
        return node.value
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value


def _numeric_spec(spec: object) -> bool:
    """`{x:d}`, `{x:.2f}`: the field is formatted as a number."""
    if not spec:
        return False
    parts = list(spec)  # type: ignore[call-overload]
    if not all(isinstance(p, cst.FormattedStringText) for p in parts):
        return False
    text = "".join(p.value for p in parts)
    return bool(text) and text[-1] in _NUMERIC_TYPES


def _extends_sql(prefix: cst.BaseExpression, following: Piece | None) -> bool:
    """An unknown name or attribute that starts the string and is followed by an SQL clause
    (`query + " WHERE ..."`, `f"{base} LIMIT 10"`): SQL text received from elsewhere being
    extended, not a value formatted into it."""
    return (
        isinstance(prefix, (cst.Name, cst.Attribute))
        and following is not None
        and bool(_SQL_CONTINUATION.match(following.text))
    )


def looks_like_sql(text: str) -> bool:
    """Literal parts that read as SQL: a statement keyword first, an SQL clause inside, or a
    clause that continues a query (`" AND name = ..."` added to a query built elsewhere)."""
    while True:
        stripped = _SQL_COMMENT.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    return bool(
        _SQL_START.search(text) or _SQL_START_UPPER.search(text) or _SQL_CLAUSE.search(text)
        or _SQL_CONTINUATION.match(text)
    )


def _message(kind: str, flowed: bool) -> str:
    how = {
        "f-string": "an f-string", "%": "`%` formatting", "format": "`.format()`", "+": "`+` concatenation",
    }.get(kind, "string formatting")
    where = " (assigned above)" if flowed else ""
    return (
        f"SQL built with {how} from a non-literal value{where}: pass the values as bound parameters: "
        "text(\"... :name\") with execute(stmt, {\"name\": value}), or cursor.execute(\"... %s\", (value,))"
    )
