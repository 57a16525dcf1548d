"""How a study tells whoever runs it what is happening, without knowing about terminals.

Every session (``run``, ``batch``, ``appraise``, ``sensitivity``, ``calibrate``) takes a
:class:`Reporter`; the command line passes one that draws progress bars, a script or a test
passes :class:`Silent`.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Protocol

Advance = Callable[[int], None]


class Reporter(Protocol):
    """How a study tells whoever runs it what is happening."""

    def note(self, message: str) -> None:
        """A line worth telling before the run (the estimate, what is resumed, damaged parts)."""

    def progress(self, total: int, label: str) -> AbstractContextManager[Advance]:
        """A context that counts finished replications."""

    def expect(self, units: int) -> None:
        """About ``units`` more replications will follow the progress contexts opened so far: a
        study of several phases says so up front, so a bar knows the whole work (and corrects it
        as each phase's real size is known)."""


class Silent:
    """A reporter that tells nothing (library use, tests)."""

    def note(self, message: str) -> None:
        """Say nothing."""

    def progress(self, total: int, label: str) -> AbstractContextManager[Advance]:
        return nullcontext(lambda _: None)

    def expect(self, units: int) -> None:
        """Expect nothing."""
