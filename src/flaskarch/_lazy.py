"""`cst`: libcst, imported on first use.

A warm or one-file run that parses nothing should not pay libcst's import (about a third of
a second). Each attribute is copied onto the proxy on first access, so later lookups are
plain attribute hits on the hot path.
"""

from __future__ import annotations

import importlib
from typing import Any


class _LazyModule:
    def __init__(self, name: str) -> None:
        self.__dict__["_name"] = name

    def __getattr__(self, attr: str) -> Any:
        module = importlib.import_module(self.__dict__["_name"])
        value = getattr(module, attr)
        self.__dict__[attr] = value
        return value


cst: Any = _LazyModule("libcst")
