"""Glob matching on project-relative posix paths (gitignore semantics, via pathspec)."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable


class GlobSet:
    """A set of gitignore-style globs matched against root-relative posix paths.

    A glob without a slash matches a name at any depth (``legacy`` matches
    ``app/legacy/x.py``); ``**`` spans folders; a glob naming a folder covers its files.
    """

    def __init__(self, globs: Iterable[str]) -> None:
        self.globs = tuple(globs)
        self._spec = None
        if self.globs:
            import pathspec  # not on the path of a run without globs

            self._spec = pathspec.PathSpec.from_lines("gitwildmatch", self.globs)

    def __bool__(self) -> bool:
        return self._spec is not None

    def match(self, relpath: str) -> bool:
        return self._spec is not None and self._spec.match_file(relpath)


@lru_cache(maxsize=256)
def globset(globs: tuple[str, ...]) -> GlobSet:
    return GlobSet(globs)
