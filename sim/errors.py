"""The one exception type for mistakes a user can make in their input."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pydantic stays off the CLI's start-up path
    from pydantic import ValidationError

_DIST_TAGS = {"constant", "uniform", "triangular", "exponential", "normal", "lognormal", "empirical"}


class ScenarioError(Exception):
    """A user mistake in a scenario file or command-line override.

    Shown to the user as one line ``FILE: KEY: MESSAGE`` with exit code 2.
    """

    def __init__(self, message: str, *, file: str | None = None, key: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.key = key

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.key) if p]
        return ": ".join([*parts, self.message])


class SimulationError(RuntimeError):
    """A scenario that passed validation but cannot be simulated (found only while running)."""


class SimulationStalled(SimulationError):
    """Time stopped moving, or a job never ends: some duration in the scenario is (near) zero."""


def describe_validation_error(exc: ValidationError) -> tuple[tuple[str, ...], str]:
    """The key path and a one-line message for the first error pydantic found."""
    error = exc.errors()[0]
    key = tuple(str(part) for part in error["loc"] if str(part) not in _DIST_TAGS)
    key = tuple(part for part in key if not part.startswith("function-"))
    kind = error["type"]
    if kind == "extra_forbidden":
        return key, "unknown key (check the spelling; see `slagsim show` for the known keys)"
    if kind == "missing":
        return key, "required key is missing"
    if kind == "union_tag_invalid":
        tag = error.get("ctx", {}).get("tag")
        return key, f"unknown distribution {tag!r} (known: {', '.join(sorted(_DIST_TAGS))})"
    message = error["msg"].removeprefix("Value error, ")
    given = error.get("input")
    if kind not in {"model_type", "dict_type"} and not isinstance(given, dict | list):
        message += f" (got {given!r})"
    return key, message
