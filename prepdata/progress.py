"""A progress bar on stderr for runs long enough to need one."""

from __future__ import annotations

import os
import sys
import time

#: Seconds before a bar appears; a quick run shows nothing.
DELAY = float(os.environ.get("PREPDATA_PROGRESS_DELAY", "1.0"))


class Progress:
    """Counts steps of a run; draws a bar (rich, on stderr) only on a terminal, only
    after DELAY seconds, and never when ``quiet``. The bar is removed when the run ends."""

    def __init__(self, quiet: bool = False) -> None:
        self.enabled = not quiet and sys.stderr.isatty()
        self.started = time.monotonic()
        self._bar = None
        self._task = None

    def step(self, description: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self._bar is None:
            if time.monotonic() - self.started < DELAY:
                return
            from rich.console import Console
            from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bar

            self._bar = Bar(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                            TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task(description, total=total)
        self._bar.update(self._task, description=description, completed=done, total=total)
        self._bar.refresh()  # steps are few; each is drawn, however short

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


class Silent(Progress):
    def __init__(self) -> None:
        super().__init__(quiet=True)
