"""Progress for long runs: a bar on a terminal, plain periodic lines otherwise."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from slagsim.i18n import _, number


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
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as Bar

            # on the stream it was asked for (stderr): rich's default console is stdout, where the
            # bar would mix into the tables, or vanish when they go to a file
            self._bar = Bar("{task.description}", BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), TimeRemainingColumn(), transient=True,
                            console=Console(file=self.stream))
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

    def resize(self, total: int, label: str | None = None) -> None:
        """The whole work is now ``total`` units (a new phase, or a better estimate of the rest),
        under a new ``label`` if given; the bar and its time left go on."""
        self.total = max(total, self.done)
        self.label = label or self.label
        if self._bar is not None:
            self._bar.update(self._task, total=self.total, description=self.label)

    def line(self, elapsed: float) -> str:
        """A plain progress line: done/total, elapsed, estimated time left."""
        left = elapsed / self.done * (self.total - self.done) if self.done else float("nan")
        return _("{label}: {done}/{total} done, {elapsed} elapsed, ~{left} left").format(
            label=self.label, done=self.done, total=self.total, elapsed=_span(elapsed), left=_span(left))

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def _span(seconds: float) -> str:
    """A duration as short as it reads: whole seconds under two minutes, else minutes (a progress
    line must fit an 80-column terminal)."""
    if seconds != seconds:  # nan: nothing done yet to estimate from
        return _("? s")
    if seconds < 120:
        return _("{seconds} s").format(seconds=number(seconds, 0))
    return _("{minutes} min").format(minutes=number(seconds / 60, 1))


class TerminalReporter:
    """Tells a batch's notes and progress on stderr (nothing with ``quiet``)."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet

    def note(self, message: str) -> None:
        if not self.quiet or message.startswith("warning: "):
            sys.stderr.write(message + "\n")

    def expect(self, units: int) -> None:
        """One phase's bar knows its work when the phase starts: nothing to do."""

    @contextmanager
    def progress(self, total: int, label: str) -> Iterator[Callable[[int], None]]:
        with Progress(total, label, enabled=not self.quiet) as progress:
            yield progress.advance


class PhasedReporter(TerminalReporter):
    """One progress bar for a command of several phases (``appraise``: the candidates, more
    replications where the best is unclear, bundles, the tornado, the estimate draws): each phase
    names itself on the bar and adds its work to one total. The command says up front how much
    it expects in all (:meth:`expect`) and corrects that as phases become known, so the total is
    the whole work from the start and the time left never drops to nothing between phases.
    Close it (a ``with`` block) to take the bar down."""

    def __init__(self, command: str, quiet: bool = False):
        super().__init__(quiet)
        self.command = command
        self.phases = 0
        self._progress: Progress | None = None
        self._announced = 0  # units of the phases started so far
        self._expected = 0  # the whole work as last estimated
        self._lock = threading.RLock()

    @property
    def total(self) -> int:
        """The bar's total: the estimate, or more once the phases started exceed it."""
        return max(self._announced, self._expected)

    def expect(self, units: int) -> None:
        """About ``units`` more units will follow the phases started so far."""
        with self._lock:
            self._expected = self._announced + max(0, units)
            if self._progress is not None:
                self._progress.resize(self.total)

    def __enter__(self) -> PhasedReporter:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__()
            self._progress = None

    @contextmanager
    def progress(self, total: int, label: str) -> Iterator[Callable[[int], None]]:
        self.phases += 1
        name = (_("{label}, phase {phase}").format(label=label, phase=self.phases)
                if label.startswith(self.command) else
                _("{command}, phase {phase} ({label})").format(command=self.command, phase=self.phases,
                                                                label=label))
        with self._lock:
            self._announced += total
            if self._progress is None:
                self._progress = Progress(self.total, name, enabled=not self.quiet).__enter__()
            else:
                self._progress.resize(self.total, name)
        progress = self._progress

        def advance(count: int = 1) -> None:
            with self._lock:  # phases may run side by side, each in its own thread
                progress.advance(count)

        yield advance


@contextmanager
def working(what: str) -> Iterator[None]:
    """A spinner on a terminal (one line otherwise) while something takes a few seconds."""
    if sys.stderr.isatty():
        from slagsim.cli.console import stderr_console

        with stderr_console().status(what + " ..."):
            yield
        return
    sys.stderr.write(what + " ...\n")
    yield
