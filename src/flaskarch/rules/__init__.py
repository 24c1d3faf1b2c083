"""The rules: one module per rule, found by walking this package.

Adding a rule is adding a module here (with its page under ``rules/`` at the repository
root); nothing else needs to know about it. A rule module is named after its code
(``flk101_session_in_controller.py`` holds FLK101): the set of codes is known from the file
names alone, so validating a configuration or serving a warm run from the cache imports no
rule (and no libcst).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flaskarch.rule import Rule

_MODULE_RE = re.compile(r"(flk\d{3})_\w+")


def _rule_modules() -> dict[str, str]:
    """Code -> module name, from the package's file names."""
    found: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        m = _MODULE_RE.fullmatch(info.name)
        if m:
            code = m.group(1).upper()
            if code in found:
                raise RuntimeError(f"two rule modules for {code}: {found[code]}, {info.name}")
            found[code] = info.name
    return found


_MODULES = _rule_modules()
ALL_CODES: set[str] = set(_MODULES)


def _load() -> dict[str, type[Rule]]:
    from flaskarch.rule import Rule

    found: dict[str, type[Rule]] = {}
    for code, name in sorted(_MODULES.items()):
        module = importlib.import_module(f"{__name__}.{name}")
        rules = [
            value for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, Rule) and value is not Rule
            and getattr(value, "code", None) and value.__module__ == module.__name__
        ]
        if [r.code for r in rules] != [code]:
            raise RuntimeError(f"{name}.py must define exactly one rule, {code}; it defines "
                               f"{', '.join(r.code for r in rules) or 'none'}")
        found[code] = rules[0]
    return found


def __getattr__(name: str) -> Any:
    if name == "RULES_BY_CODE":  # loaded on first use, then an ordinary module global
        rules = _load()
        globals()["RULES_BY_CODE"] = rules
        return rules
    raise AttributeError(name)
