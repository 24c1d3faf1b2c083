"""The rule pages (`rules/FLKnnn.md`), shipped inside the wheel as `flaskarch/pages/`."""

from __future__ import annotations

from pathlib import Path


def pages_dir() -> Path | None:
    here = Path(__file__).resolve().parent
    for candidate in (here / "pages", here.parents[1] / "rules"):
        if candidate.is_dir():
            return candidate
    return None


def page_text(code: str) -> str | None:
    folder = pages_dir()
    if folder is None:
        return None
    path = folder / f"{code}.md"
    return path.read_text(encoding="utf-8") if path.is_file() else None
