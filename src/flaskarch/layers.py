"""Layer classification of modules (RULES.md "Layers"): config globs, suffix, folder."""

from __future__ import annotations

import os
from functools import lru_cache

from flaskarch.config import Settings
from flaskarch.paths import globset

LAYER_FOLDERS: dict[str, str] = {
    "routes": "controller",
    "controllers": "controller",
    "views": "controller",
    "api": "controller",
    "resources": "controller",
    "endpoints": "controller",
    "blueprints": "controller",
    "services": "service",
    "repositories": "repository",
    "repository": "repository",
    "repos": "repository",
    "models": "model",
    "schemas": "schema",
}

LAYER_SUFFIXES: dict[str, str] = {
    "_route.py": "controller",
    "_routes.py": "controller",
    "_controller.py": "controller",
    "_views.py": "controller",
    "_resource.py": "controller",
    "_service.py": "service",
    "_repository.py": "repository",
    "_repo.py": "repository",
    "_model.py": "model",
    "_models.py": "model",
    "_schema.py": "schema",
    "_schemas.py": "schema",
}


BARE_NAMES: dict[str, str] = {
    "routes.py": "controller",
    "views.py": "controller",
    "controllers.py": "controller",
    "resources.py": "controller",
    "endpoints.py": "controller",
    "services.py": "service",
    "service.py": "service",
    "repositories.py": "repository",
    "repository.py": "repository",
    "models.py": "model",
    "schemas.py": "schema",
    "serializers.py": "schema",
}


def suffix_layer(filename: str) -> str | None:
    """The layer named by a file's suffix (`user_route.py` -> controller)."""
    lower = filename.lower()
    for suffix, layer in LAYER_SUFFIXES.items():
        if lower.endswith(suffix) and len(lower) > len(suffix):
            return layer
    return None


def name_layer(filename: str) -> str | None:
    """The layer a file's own name gives: a layer suffix, or a bare layer module name
    (`routes.py`, `service.py`); it wins over the folders the file sits in."""
    return suffix_layer(filename) or BARE_NAMES.get(filename.lower())


def folder_layer(relpath: str, root: str) -> tuple[str, str] | None:
    """(layer, folder name) of the nearest ancestor layer folder, honouring the `api` rule."""
    parts = relpath.split("/")[:-1]
    for i in range(len(parts) - 1, -1, -1):
        name = parts[i]
        layer = LAYER_FOLDERS.get(name)
        if layer is None:
            continue
        if name == "api" and _holds_layer_folder(os.path.join(root, *parts[: i + 1])):
            continue
        return layer, name
    return None


@lru_cache(maxsize=4096)
def _holds_layer_folder(folder: str) -> bool:
    try:
        entries = os.listdir(folder)
    except OSError:
        return False
    return any(
        e in LAYER_FOLDERS and e != "api" and os.path.isdir(os.path.join(folder, e)) for e in entries
    )


def classify(relpath: str, settings: Settings) -> str | None:
    """The module's layer, or None. relpath is root-relative with `/` separators."""
    return explain(relpath, settings)[0]


def explain(relpath: str, settings: Settings) -> tuple[str | None, str]:
    """(layer, why): the config glob, the file name, or the folder that decided it, in that
    order (RULES.md "Layers"); `--show-files` prints it so a user sees why a rule is silent."""
    for layer, globs in settings.layers:
        if globset(globs).match(relpath):
            glob = next((g for g in globs if globset((g,)).match(relpath)), ", ".join(globs))
            return layer, f"config glob `{glob}`"
    if not settings.default_layers:
        return None, "default layers off"
    filename = relpath.rsplit("/", 1)[-1]
    layer = name_layer(filename)
    if layer is not None:
        return layer, f"file name `{filename}`"
    found = folder_layer(relpath, settings.root)
    if found is not None:
        return found[0], f"folder `{found[1]}/`"
    return None, "no layer glob, file name or folder"


def classify_module_name(dotted: str, settings: Settings) -> str | None:
    """Classify an imported module by its dotted name (the file may be outside the run)."""
    return classify(dotted.replace(".", "/") + ".py", settings)
