"""FLK301 integer-id-in-response: response shapes expose `public_id`, never the integer id."""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.facts.answers import ClassInfo
from flaskarch.facts.vocab import MARSHMALLOW_BASES, MARSHMALLOW_ROOTS, PYDANTIC_BASES
from flaskarch.names import dotted_name
from flaskarch.rule import Rule

# Request/input schemas: the catalog's suffixes, plus the other spellings of "input" met in
# real projects (`UserInputSchema`, restplus `AddTeamMemberParameters`, `*Params`, `*Args`)
REQUEST_SUFFIXES = ("Create", "Update", "Request", "In", "Query", "Input", "Parameters", "Params",
                    "Args", "Patch", "Filter", "Form", "Post", "Put", "Payload", "Body")
SERIALIZER_METHODS = {"to_dict", "serialize", "to_json", "as_dict"}
INT_FIELDS = {"Int", "Integer"}


def is_id_name(name: str) -> bool:
    """`id` or `*_id`, but not the external identifiers (`public_id`, `*_public_id`, `*_uuid`)."""
    lower = name.lower()
    if lower == "public_id" or lower.endswith("_public_id") or lower.endswith("_uuid"):
        return False
    return lower == "id" or lower.endswith("_id")


def schema_kind(facts, qualname: str) -> str | None:
    """"pydantic", "marshmallow" or "sqlalchemy-auto" for a schema class of the project."""
    for ancestor in facts.ancestors(qualname):
        qual = ancestor.qualname
        if qual in PYDANTIC_BASES:
            return "pydantic"
        head, _, last = qual.rpartition(".")
        if last in MARSHMALLOW_BASES and (
            head.split(".")[0] in MARSHMALLOW_ROOTS or head.rsplit(".", 1)[-1] == "ma"
        ):
            return "sqlalchemy-auto" if last in ("SQLAlchemyAutoSchema", "ModelSchema") else "marshmallow"
    return None


def is_request_name(class_name: str) -> bool:
    stem = class_name[: -len("Schema")] if class_name.endswith("Schema") and class_name != "Schema" else class_name
    return stem.endswith(REQUEST_SUFFIXES)


class IntegerIdInResponse(Rule):
    code = "FLK301"
    name = "integer-id-in-response"
    summary = "A response shape exposes an integer identifier instead of the public UUID."
    tags = ('api', 'security')
    precision = "medium"
    security_severity = "4.3"
    prefilter = re.compile(r"\bid\b|_id\b")

    @classmethod
    def applies_to(cls, ctx) -> bool:
        """Controllers (jsonify), modules with a serializer method, and modules defining a
        schema class: the others have nothing this rule reads (and are not parsed for it)."""
        if not super().applies_to(ctx):
            return False
        if ctx.layer == "controller" or any(f"def {m}(" in ctx.source for m in SERIALIZER_METHODS):
            return True
        facts = ctx.facts
        return any(schema_kind(facts, f"{ctx.module_name}.{name}") for name in facts.module_classes(ctx.module_name))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        ctx = self.ctx
        if ctx.enclosing_class() is not None or ctx.stack:
            return
        cf = ctx.facts.class_info(f"{ctx.module_name}.{node.name.value}")
        if cf is None:
            return
        name = node.name.value
        kind = self._schema_kind(cf)
        if kind is None or is_request_name(name) or self._inherits_request_schema(cf):
            return
        if kind == "pydantic":
            if self._is_response_model(name):
                self._pydantic_fields(node)
        else:
            self._marshmallow_fields(node, cf)

    def _inherits_request_schema(self, cf: ClassInfo) -> bool:
        """`class UserInputSchema(LemurInputSchema)`: a project base that marks input schemas."""
        return any(
            is_request_name(a.qualname.rsplit(".", 1)[-1]) or a.qualname.rsplit(".", 1)[-1].endswith("InputSchema")
            for a in self.ctx.facts.ancestors(cf.qualname)
            if a.known
        )

    def _schema_kind(self, cf: ClassInfo) -> str | None:
        return schema_kind(self.ctx.facts, cf.qualname)

    def _is_response_model(self, name: str) -> bool:
        if name.endswith(self.ctx.settings.effective_response_suffixes()):
            return True
        return self.ctx.facts.is_response_class(name)

    def _pydantic_fields(self, node: cst.ClassDef) -> None:
        for stmt in _body(node):
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for small in stmt.body:
                if (
                    isinstance(small, cst.AnnAssign)
                    and isinstance(small.target, cst.Name)
                    and is_id_name(small.target.value)
                    and _is_int_annotation(small.annotation.annotation)
                ):
                    self.report(
                        small.target,
                        f"response schema exposes integer `{small.target.value}`: expose `public_id` (UUID) instead",
                        stmt=stmt,
                    )

    def _marshmallow_fields(self, node: cst.ClassDef, cf: ClassInfo) -> None:
        for stmt in _body(node):
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for small in stmt.body:
                if not isinstance(small, cst.Assign) or len(small.targets) != 1:
                    continue
                target = small.targets[0].target
                if not isinstance(target, cst.Name) or not is_id_name(target.value):
                    continue
                value = small.value
                if not isinstance(value, cst.Call):
                    continue
                field = (dotted_name(value.func) or "").rsplit(".", 1)[-1]
                if field in INT_FIELDS and not _kw_true(value, "load_only"):
                    self.report(
                        target,
                        f"schema dumps integer `{target.value}`: dump `public_id` instead, or make it load_only",
                        stmt=stmt,
                    )
        if self._schema_kind(cf) == "sqlalchemy-auto":
            self._auto_schema(node, cf)

    def _auto_schema(self, node: cst.ClassDef, cf: ClassInfo) -> None:
        if cf.meta_model is None:
            return
        facts = self.ctx.facts
        ints = facts.inherited(cf.meta_model, "int_columns")
        pks = [pk for pk in sorted(facts.inherited(cf.meta_model, "primary_keys")) if pk in ints]
        for pk in pks:
            if pk in cf.meta_exclude or pk in cf.meta_load_only:
                continue
            if cf.meta_fields is not None and pk not in cf.meta_fields:
                continue
            self.report(
                node.name,
                f"auto schema dumps the model's integer primary key `{pk}`: exclude it and dump `public_id`",
            )
            return

    # serializer methods and jsonify
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.name.value not in SERIALIZER_METHODS or self.ctx.enclosing_class() is None:
            return
        built = _dict_assignments(node)
        for ret in _returns(node):
            value = ret.value
            if isinstance(value, cst.Name) and value.value in built:
                value = built[value.value]  # `data = {...}; return data`
            if isinstance(value, cst.Dict):
                self._dict_keys(value, self_only=True)

    def visit_Call(self, node: cst.Call) -> None:
        ctx = self.ctx
        if ctx.layer != "controller" or not node.args:
            return
        qual = ctx.names.qualify(node.func) or dotted_name(node.func) or ""
        if qual.rsplit(".", 1)[-1] != "jsonify":
            return
        for arg in node.args:
            if isinstance(arg.value, cst.Dict):
                self._dict_keys(arg.value, self_only=False)

    def _dict_keys(self, node: cst.Dict, self_only: bool) -> None:
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                continue
            value = element.value
            if isinstance(value, cst.Dict):
                self._dict_keys(value, self_only)
                continue
            key = element.key
            if not isinstance(key, cst.SimpleString):
                continue
            key_text = key.evaluated_value
            if not isinstance(key_text, str) or not is_id_name(key_text):
                continue
            if not isinstance(value, cst.Attribute) or not is_id_name(value.attr.value):
                continue
            if self_only:
                if not (isinstance(value.value, cst.Name) and value.value.value == "self"):
                    continue
                if not self._self_attr_is_int(value.attr.value):
                    continue
            self.report(key, f"response exposes integer `{key_text}`: return the `public_id` (UUID) instead")

    def _self_attr_is_int(self, attr: str) -> bool:
        ctx = self.ctx
        cls = ctx.enclosing_class()
        qual = f"{ctx.module_name}.{cls.name.value}" if cls is not None else None
        if qual is None or ctx.facts.class_info(qual) is None:
            return attr == "id"
        if attr in ctx.facts.inherited(qual, "int_columns"):
            return True
        annotated = ctx.facts.annotated_field(qual, attr)
        if annotated is not None:
            return annotated == "int"  # `id: str` of a dataclass is no integer id
        if ctx.facts.class_orm(qual) is None:
            return False  # a plain class: nothing says `self.id` is an integer
        others = ctx.facts.inherited(qual, "other_columns")
        return attr == "id" and attr not in others


def _body(node: cst.ClassDef) -> tuple[cst.CSTNode, ...]:
    body = node.body
    return tuple(body.body) if isinstance(body, cst.IndentedBlock) else ()


def _returns(fn: cst.FunctionDef) -> list[cst.Return]:
    from flaskarch.walker import walk_subtree

    return [n for n in walk_subtree(fn.body) if isinstance(n, cst.Return)]


def _dict_assignments(fn: cst.FunctionDef) -> dict[str, cst.Dict]:
    from flaskarch.walker import walk_subtree

    out = {}
    for node in walk_subtree(fn.body):
        if isinstance(node, cst.Assign) and isinstance(node.value, cst.Dict) and len(node.targets) == 1:
            target = node.targets[0].target
            if isinstance(target, cst.Name):
                out[target.value] = node.value
    return out


def _is_int_annotation(node: cst.BaseExpression) -> bool:
    name = dotted_name(node)
    if name is not None:
        return name == "int"
    if isinstance(node, cst.Subscript):  # Optional[int]
        head = (dotted_name(node.value) or "").rsplit(".", 1)[-1]
        if head == "Optional" and len(node.slice) == 1:
            inner = node.slice[0].slice
            return isinstance(inner, cst.Index) and _is_int_annotation(inner.value)
        return False
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):  # int | None
        sides = [node.left, node.right]
        ints = [s for s in sides if dotted_name(s) == "int"]
        nones = [s for s in sides if isinstance(s, cst.Name) and s.value == "None"]
        return len(ints) == 1 and len(nones) == 1
    return False


def _kw_true(call: cst.Call, name: str) -> bool:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return isinstance(arg.value, cst.Name) and arg.value.value == "True"
    return False
