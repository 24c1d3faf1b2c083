"""Output formats: one module each, registered here by name.

A reporter turns a finished run into text; it never checks anything itself.
"""

from __future__ import annotations

from typing import Callable

from flaskarch.reporters import concise, github, json_format, sarif, text

Renderer = Callable[..., str]

REPORTERS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_format.render,
    "sarif": sarif.render,
    "github": github.render,
    "concise": concise.render,
}
