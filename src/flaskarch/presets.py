"""Presets as data: each names the knobs it sets. Rules say which presets enable them.

Nothing in a rule branches on a preset's name; rules read the effective settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PRESET_NAMES = ("auto", "backant", "mscr", "factory")


@dataclass(frozen=True)
class Preset:
    name: str
    # FLK201: layer folder name -> required file suffix
    naming_suffixes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    naming_exempt: tuple[str, ...] = ()
    session_names: tuple[str, ...] = ()
    auth_decorators: tuple[str, ...] = ()


PRESETS: dict[str, Preset] = {
    "backant": Preset(
        name="backant",
        naming_suffixes={
            "routes": ("_route.py",),
            "services": ("_service.py",),
            "repositories": ("_repository.py",),
            "models": ("_model.py",),
        },
        naming_exempt=("Repository.py",),
        session_names=("myDB",),
    ),
    "mscr": Preset(
        name="mscr",
        naming_suffixes={
            "controllers": ("_controller.py",),
            "services": ("_service.py",),
            "repositories": ("_repository.py",),
            "schemas": ("_schemas.py",),
        },
        session_names=("myDB",),
    ),
    "factory": Preset(name="factory", session_names=("myDB",)),
}
