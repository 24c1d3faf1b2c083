"""A progress bar on stderr for long runs: only on a terminal, only once a run has taken about
two seconds (a 160k-line project is half a minute of silence otherwise), gone when it ends."""

from __future__ import annotations

import os
import sys
import time
from typing import Any

AFTER_SECONDS = 2.0


class Progress:
    def __init__(self, label: str, total: int) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.started = time.monotonic()
        self.after = float(os.environ.get("FLASKARCH_PROGRESS_AFTER", AFTER_SECONDS))
        self.enabled = sys.stderr.isatty() and "FLASKARCH_NO_PROGRESS" not in os.environ
        self._bar: Any = None
        self._task: Any = None

    def advance(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        if self._bar is None:
            if time.monotonic() - self.started < self.after:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn

            self._bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            console=Console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total, completed=self.done)
            return
        self._bar.update(self._task, completed=self.done)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
