"""The rules: one module per rule, found by walking this package.

Adding a rule is adding a module here (with its page under ``rules/`` at the repository
root); nothing else needs to know about it.
"""

from __future__ import annotations

import importlib
import pkgutil

from flaskarch.rule import Rule


def _load() -> dict[str, type[Rule]]:
    found: dict[str, type[Rule]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and value is not Rule:
                if getattr(value, "code", None) and value.__module__ == module.__name__:
                    if value.code in found:
                        raise RuntimeError(f"duplicate rule code {value.code}")
                    found[value.code] = value
    return dict(sorted(found.items()))


RULES_BY_CODE: dict[str, type[Rule]] = _load()
ALL_CODES: set[str] = set(RULES_BY_CODE)
