"""Progress for long runs: a bar on a terminal, plain periodic lines otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO


class Progress:
    """Counts finished units of work and shows it on stderr."""

    def __init__(self, total: int, label: str, enabled: bool = True, stream: TextIO | None = None,
                 every_s: float = 5.0):
        self.total = total
        self.label = label
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.every_s = every_s
        self.done = 0
        self._bar = None
        self._started = time.perf_counter()
        self._last_line = 0.0

    def __enter__(self) -> Progress:
        if self.enabled and self.stream.isatty():
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as Bar

            self._bar = Bar("{task.description}", BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), TimeRemainingColumn(), transient=True)
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total)
        return self

    def advance(self, count: int = 1) -> None:
        """Record ``count`` more units done."""
        self.done += count
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done)
            return
        now = time.perf_counter()
        if now - self._last_line >= self.every_s or self.done == self.total:
            self._last_line = now
            self.stream.write(self.line(now - self._started) + "\n")
            self.stream.flush()

    def grow(self, total: int, label: str) -> None:
        """Add a phase's ``total`` units under a new ``label`` (the bar and its time left go on)."""
        self.total += total
        self.label = label
        if self._bar is not None:
            self._bar.update(self._task, total=self.total, description=label)

    def line(self, elapsed: float) -> str:
        """A plain progress line: done/total, elapsed, estimated time left."""
        left = elapsed / self.done * (self.total - self.done) if self.done else float("nan")
        return f"{self.label}: {self.done}/{self.total} done, {_span(elapsed)} elapsed, ~{_span(left)} left"

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def _span(seconds: float) -> str:
    """A duration as short as it reads: whole seconds under two minutes, else minutes (a progress
    line must fit an 80-column terminal)."""
    if seconds != seconds:  # nan: nothing done yet to estimate from
        return "? s"
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


class TerminalReporter:
    """Tells a batch's notes and progress on stderr (nothing with ``quiet``)."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet

    def note(self, message: str) -> None:
        if not self.quiet or message.startswith("warning: "):
            sys.stderr.write(message + "\n")

    @contextmanager
    def progress(self, total: int, label: str) -> Iterator[Callable[[int], None]]:
        with Progress(total, label, enabled=not self.quiet) as progress:
            yield progress.advance


class PhasedReporter(TerminalReporter):
    """One progress bar for a command of several phases (``appraise``: the candidates, more
    replications where the best is unclear, bundles, the tornado, the estimate draws): each phase
    adds its work to one total and names itself on the bar; the time left is the overall rate
    times the work known so far. Close it (a ``with`` block) to take the bar down."""

    def __init__(self, command: str, quiet: bool = False):
        super().__init__(quiet)
        self.command = command
        self.phases = 0
        self._progress: Progress | None = None

    def __enter__(self) -> PhasedReporter:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__()
            self._progress = None

    @contextmanager
    def progress(self, total: int, label: str) -> Iterator[Callable[[int], None]]:
        self.phases += 1
        name = (f"{label}, phase {self.phases}" if label.startswith(self.command)
                else f"{self.command}, phase {self.phases} ({label})")
        if self._progress is None:
            self._progress = Progress(total, name, enabled=not self.quiet).__enter__()
        else:
            self._progress.grow(total, name)
        yield self._progress.advance


@contextmanager
def working(what: str) -> Iterator[None]:
    """A spinner on a terminal (one line otherwise) while something takes a few seconds."""
    if sys.stderr.isatty():
        from rich.console import Console

        with Console(stderr=True).status(what + " ..."):
            yield
        return
    sys.stderr.write(what + " ...\n")
    yield
