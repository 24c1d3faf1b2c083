"""FLK104 http-in-service: services and repositories stay HTTP-agnostic."""

from __future__ import annotations

import re

from flaskarch._lazy import cst

from flaskarch.names import Import
from flaskarch.rule import Rule
from flaskarch.rules._servicelayer import in_view_class

# qualified name -> the Flask name it is (what `http-allowed-in-services` lists)
HTTP_OBJECTS = {
    "flask.request": "request",
    "flask.globals.request": "request",
    "flask.session": "session",
    "flask.globals.session": "session",
    "flask.g": "g",
    "flask.globals.g": "g",
    "flask.current_app": "current_app",
    "flask.globals.current_app": "current_app",
    "flask.jsonify": "jsonify",
    "flask.json.jsonify": "jsonify",
    "flask.make_response": "make_response",
    "flask.helpers.make_response": "make_response",
    "flask.abort": "abort",
    "flask.helpers.abort": "abort",
    "werkzeug.exceptions.abort": "abort",
    "flask.redirect": "redirect",
    "flask.helpers.redirect": "redirect",
    "werkzeug.utils.redirect": "redirect",
    "flask.Response": "Response",
    "flask.wrappers.Response": "Response",
    "werkzeug.Response": "Response",
    "werkzeug.wrappers.Response": "Response",
    "werkzeug.wrappers.response.Response": "Response",
}

ADVICE = {
    "request": "read the values in the controller and pass them to the service as arguments",
    "session": "read the value from Flask's session in the controller and pass it as an argument",
    "g": "pass the value from `g` in the controller as an argument",
    "current_app": "pass the configuration values the service needs as arguments",
    "jsonify": "return plain data (a model, dict or dataclass) and let the controller build the response",
    "make_response": "return plain data and let the controller build the response",
    "Response": "return plain data and let the controller build the response",
    "abort": "raise a domain exception (`raise UserNotFound(user_id)`) and map it to a status code "
    "in the controller or an errorhandler",
    "redirect": "return data and let the controller decide where to redirect",
}


class HttpInService(Rule):
    code = "FLK104"
    name = "http-in-service"
    summary = "A service or repository uses the HTTP layer (request, session, jsonify, abort, Response, ...)."
    tags = ("architecture", "layering")
    layers = frozenset({"service", "repository"})
    # every banned object comes from flask or werkzeug, imported by name or as a module
    prefilter = re.compile(r"\b(?:flask|werkzeug)\b")

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._skip: set[int] = set()  # Name nodes that are not references (attribute names, ...)
        self._inert = 0  # inside an import or an annotation
        allowed = set(ctx.settings.http_allowed_in_services)
        self._banned = {qual: name for qual, name in HTTP_OBJECTS.items() if name not in allowed}

    # -- what is not a reference ---------------------------------------------------------------
    # imports (an unused import is no finding) and annotations (`-> Response`: the body's
    # construction is the finding) hold names that are not uses
    def visit_Import(self, node: cst.Import) -> None:
        self._inert += 1

    def leave_Import(self, node: cst.Import) -> None:
        self._inert -= 1

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._inert += 1

    def leave_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._inert -= 1

    def visit_Annotation(self, node: cst.Annotation) -> None:
        self._inert += 1

    def leave_Annotation(self, node: cst.Annotation) -> None:
        self._inert -= 1

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._skip.add(id(node.keyword))

    def visit_Param(self, node: cst.Param) -> None:
        self._skip.add(id(node.name))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._skip.add(id(node.name))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._skip.add(id(node.name))

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if isinstance(node.target, cst.Name):
            self._skip.add(id(node.target))

    # -- references ------------------------------------------------------------------------------
    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._skip.add(id(node.attr))
        root = node.value
        while isinstance(root, cst.Attribute):
            root = root.value
        if isinstance(root, cst.Name):
            self._check(node, root.value)

    def visit_Name(self, node: cst.Name) -> None:
        if id(node) not in self._skip:
            self._check(node, node.value)

    def _check(self, node: cst.BaseExpression, root: str | None) -> None:
        if self._inert:
            return
        # only names bound by an import (or a star import): an alias assigned from a banned
        # object is reported once, where it is assigned
        binding = self.ctx.names.lookup(root)
        if not isinstance(binding, Import) and not (binding is None and self.ctx.names.star_imports):
            return
        qual = self.ctx.names.qualify(node)
        name = self._banned.get(qual or "")
        if name is None:
            return
        if in_view_class(self.ctx):
            return
        layer = self.ctx.layer
        self.report(node, f"`{name}` (the HTTP layer) used in a {layer}: {ADVICE[name]}")
