"""FLK202 misplaced-module: a file whose suffix names one layer sits in another layer's folder."""

from __future__ import annotations

from flaskarch.layers import LAYER_FOLDERS, LAYER_SUFFIXES, folder_layer, suffix_layer
from flaskarch.paths import globset
from flaskarch.presets import PRESETS
from flaskarch.rule import Rule

# the folder to name in the message when the preset has no folder of its own for a layer
_DEFAULT_FOLDER = {
    "controller": "routes",
    "service": "services",
    "repository": "repositories",
    "model": "models",
    "schema": "schemas",
}


class MisplacedModule(Rule):
    code = "FLK202"
    name = "misplaced-module"
    summary = "A module whose file-name suffix names one layer sits in another layer's folder."
    tags = ("architecture", "naming")
    needs_tree = False  # judged on the path alone: costs no parse

    def finish(self) -> None:
        ctx = self.ctx
        settings = ctx.settings
        if not settings.default_layers:
            return  # no default folders and suffixes: nothing to compare
        if any(globset(globs).match(ctx.relpath) for _, globs in settings.layers):
            return  # a `[tool.flaskarch.layers]` glob says what this file is
        filename = ctx.filename
        named = suffix_layer(filename)  # a suffix only: a bare `service.py` is FLK201's or nobody's
        if named is None:
            return
        found = folder_layer(ctx.relpath, settings.root)
        if found is None or found[0] == named:
            return
        folder_layer_name, folder = found
        rename = _stem(filename) + _suffix_for(settings.preset, folder, folder_layer_name)
        home = _folder_for(settings.preset, named)
        self.report(
            None,
            f"`{filename}` is named as a {named} module but sits in the {folder_layer_name} folder "
            f"`{folder}/`: move it to the {named} folder (`{home}/`), or rename it `{rename}` if it "
            f"is {_article(folder_layer_name)} {folder_layer_name}",
        )


def _stem(filename: str) -> str:
    """`user` of `user_route.py`: the name without its layer suffix."""
    lower = filename.lower()
    for suffix in sorted(LAYER_SUFFIXES, key=len, reverse=True):
        if lower.endswith(suffix) and len(lower) > len(suffix):
            return filename[: -len(suffix)]
    return filename[:-3]


def _suffix_for(preset: str, folder: str, layer: str) -> str:
    """The suffix a file of `layer` takes in `folder/` (the preset's, else the layer's first)."""
    found = PRESETS.get(preset)
    if found is not None and folder in found.naming_suffixes:
        return found.naming_suffixes[folder][0]
    candidates = [s for s, lay in LAYER_SUFFIXES.items() if lay == layer]
    for suffix in candidates:  # the folder's own word: `controllers/` -> `_controller.py`
        if folder in (suffix[1:-3], suffix[1:-3] + "s"):
            return suffix
    return candidates[0]


def _folder_for(preset: str, layer: str) -> str:
    """The folder the preset keeps `layer` in (`routes` in backant, `controllers` in mscr)."""
    found = PRESETS.get(preset)
    if found is not None:
        for folder in found.naming_suffixes:
            if LAYER_FOLDERS.get(folder) == layer:
                return folder
    return _DEFAULT_FOLDER[layer]


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"
