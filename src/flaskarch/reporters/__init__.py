"""Output formats: one module each, registered here by name.

A reporter turns a finished run into text; it never checks anything itself.
"""

from __future__ import annotations

from typing import Callable

from flaskarch.reporters import json_format, text

Renderer = Callable[..., str]

REPORTERS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_format.render,
}
