"""The one console every table printer uses: a terminal's width on a terminal, unbounded elsewhere.

rich sizes a console it cannot measure to 80 columns, so ``slagsim appraise ... > log`` used to
lose whole columns and cut numbers ("-686." for "-686.1 [-1,411.6 .. 39.5]"). A file or a pipe has
no width to respect: there every table is printed at its natural width (one line per row, nothing
folded or cut) and every sentence on one line. ``COLUMNS``, when set, still wins: it is how a user
(or a test) asks for a terminal's layout in a file.
"""

from __future__ import annotations

import os
import sys

from rich.console import Console

WIDE = 10_000  # columns of a file or a pipe: wider than any table, so none is squeezed


def table_console() -> Console:
    """A console for stdout: the terminal's width (or ``COLUMNS``), else :data:`WIDE`."""
    if sys.stdout.isatty() or os.environ.get("COLUMNS", "").strip().isdigit():
        return Console()
    return Console(width=WIDE)


def unbounded(console: Console) -> bool:
    """True when the console is a file or a pipe: columns take their natural width, never a cap."""
    return console.width >= WIDE


def stderr_console() -> Console:
    """A console for progress and spinners: they belong on stderr, so stdout stays the tables."""
    return Console(stderr=True)
