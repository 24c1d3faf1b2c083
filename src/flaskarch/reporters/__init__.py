"""Output formats: one module each, registered here by name.

A reporter turns a finished run into text; it never checks anything itself. A format's module
is imported only when that format is asked for.
"""

from __future__ import annotations

import importlib
from typing import Callable

Renderer = Callable[..., str]

# format name -> module under flaskarch.reporters exposing `render`
FORMATS: dict[str, str] = {
    "text": "text",
    "json": "json_format",
    "sarif": "sarif",
    "github": "github",
    "concise": "concise",
}


def reporter(name: str) -> Renderer:
    return importlib.import_module(f"{__name__}.{FORMATS[name]}").render
