"""FLK302 integer-id-in-url: a route rule takes an integer identifier (`<int:user_id>`)."""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.rule import Rule

# `<int:id>`, `<int(signed=True):user_id>`, `< int : id >` (werkzeug allows the spaces)
INT_CONVERTER = re.compile(r"<\s*int\s*(?:\([^)>]*\))?\s*:\s*([A-Za-z_]\w*)\s*>")


def is_identifier_name(name: str) -> bool:
    """`id`, `pk`, `*_id`, `*_pk`, camelCase `userId` / `userID`; not `page`, `year`, `uid`, `idx`."""
    lower = name.lower()
    if lower in ("id", "pk") or lower.endswith(("_id", "_pk")):
        return True
    return bool(re.search(r"[a-z0-9](?:Id|ID)$", name))


class IntegerIdInUrl(Rule):
    code = "FLK302"
    name = "integer-id-in-url"
    summary = "A route URL rule takes an integer identifier (`<int:id>`) instead of the public id."
    tags = ("api", "architecture")
    presets = frozenset({"mscr"})
    prefilter = re.compile(r"<\s*int\b")

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._inner: set[int] = set()  # the parts of a concatenated rule (judged as a whole)
        self._rules: frozenset[str] | None = None

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> None:
        stack = [node.left, node.right]
        while stack:
            part = stack.pop()
            self._inner.add(id(part))
            if isinstance(part, cst.ConcatenatedString):
                stack += [part.left, part.right]
        self._judge(node)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if id(node) not in self._inner:
            self._judge(node)

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        """`f"{PREFIX}/<int:id>"`: its literal parts, reported at the f-string."""
        if id(node) in self._inner:
            return
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText) and self._judge(node, part.value):
                return

    def _judge(self, node: cst.BaseExpression, value: str | None = None) -> bool:
        if value is None:
            value = node.evaluated_value  # type: ignore[attr-defined]
        if not isinstance(value, str) or "int" not in value:
            return False
        names = [m.group(1) for m in INT_CONVERTER.finditer(value) if is_identifier_name(m.group(1))]
        if not names:
            return False
        if self._rules is None:  # the URL rules this module declares (route decorators, registrations)
            self._rules = self.ctx.facts.declared_rules(self.ctx.module_name)
        if value not in self._rules:
            return False  # a string that is not a route rule (a docstring, a URL built for a client)
        shown = ", ".join(f"`<int:{n}>`" for n in names)
        self.report(
            node,
            f"route rule exposes the integer id {shown} in the URL: take the public id instead, "
            f"`<uuid:public_id>` (or `<string:public_id>`), and look the record up by it",
        )
        return True
