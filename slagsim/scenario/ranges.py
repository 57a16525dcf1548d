"""How wrong could each estimate be: the ranges of the values marked ``# estimate``.

Every value a scenario, batch or menu file marks ``# estimate`` needs a plausible low and high
(and why) in the nearest ``estimates.yaml`` above it (``scenarios/estimates.yaml`` for the
shipped files), so that sensitivity analysis can vary it and a planner sees what is guessed and
how widely. A range is absolute (``low``/``high``), relative to the file's value
(``low_factor``/``high_factor``, which also scales a distribution), or a list of ``choices``.
``slagsim validate`` calls :func:`check_estimates`; a missing or inconsistent range is one line.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from slagsim.errors import ScenarioError, describe_validation_error
from slagsim.i18n import _, decimal
from slagsim.scenario.load import read_yaml
from slagsim.scenario.marks import estimates_in
from slagsim.scenario.plain_keys import plain_choice
from slagsim.scenario.yamlfile import YamlProblem, load_text

RANGES_FILE = "estimates.yaml"
HINT = "add e.g. `- {key: %s, low: ..., high: ..., why: ...}` to %s"


class Range(BaseModel):
    """One entry of ``estimates.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    key: str = Field(min_length=1)
    low: float | None = None
    high: float | None = None
    low_factor: float | None = Field(None, ge=0)
    high_factor: float | None = Field(None, ge=0)
    choices: list[Any] | None = Field(None, min_length=1)
    why: str = Field(min_length=3, description="where the range comes from")

    @model_validator(mode="after")
    def _one_kind(self) -> Range:
        kinds = [self.low is not None or self.high is not None,
                 self.low_factor is not None or self.high_factor is not None, self.choices is not None]
        if sum(kinds) != 1:
            raise ValueError("give low and high, or low_factor and high_factor, or choices")
        pairs = [(self.low, self.high), (self.low_factor, self.high_factor)]
        for low, high in pairs:
            if (low is None) != (high is None):
                raise ValueError("give both ends of the range")
            if low is not None and low > high:
                raise ValueError(f"low ({low:g}) is above high ({high:g})")
        if self.low_factor is not None and not self.low_factor <= 1 <= self.high_factor:
            raise ValueError("low_factor <= 1 <= high_factor: the range must contain the file's value")
        return self

    def matches(self, key: str) -> bool:
        """Whether this entry is for ``key`` (``*`` stands for one dotted part)."""
        return _pattern(self.key).fullmatch(key) is not None

    def problem(self, value_text: str) -> str | None:
        """Why this range cannot hold the file's value (None when it does)."""
        value = parse_value(value_text)
        if self.choices is not None:
            choices = [parse_value(c) if isinstance(c, str) else c for c in self.choices]
            return None if value in choices else f"{value_text!r} is not among the choices {self.choices}"
        if self.low is None:
            return None  # relative: contains the value by construction
        if isinstance(value, bool) or not isinstance(value, int | float):
            return (f"{value_text or 'a section'} is not a single number: give low_factor and "
                    "high_factor, which scale it")
        if not self.low <= value <= self.high:
            return f"{value:g} is outside its range {self.low:g} to {self.high:g}"
        return None


class RangesFile(BaseModel):
    """``estimates.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ranges: list[Range] = Field(default_factory=list, max_length=10_000)

    def find(self, key: str) -> Range | None:
        """The first entry matching ``key``."""
        return next((entry for entry in self.ranges if entry.matches(key)), None)


@lru_cache(maxsize=256)
def _pattern(key: str) -> re.Pattern[str]:
    return re.compile(".".join("[^.]+" if part == "*" else re.escape(part) for part in key.split(".")))


def parse_value(text: Any) -> Any:
    """A value as written in a file (YAML text), parsed; text that is no YAML stays as it is."""
    if not isinstance(text, str):
        return text
    try:
        return load_text(text) if text.strip() else None
    except YamlProblem:
        return text


def describe(entry: Range) -> str:
    """A range in words, in the current language: ``60 to 120``, ``×0.5 to ×2 the value``, ``one of
    fcfs, campaign``."""
    if entry.choices is not None:
        return _("one of {choices}").format(choices=", ".join(map(plain_choice, entry.choices)))
    if entry.low is not None:
        return _("{low} to {high}").format(low=decimal(entry.low), high=decimal(entry.high))
    return _("×{low} to ×{high} the value").format(low=decimal(entry.low_factor),
                                                    high=decimal(entry.high_factor))


def ranges_file_for(path: Path) -> Path | None:
    """The nearest ``estimates.yaml`` in the folder of ``path`` or above it."""
    for folder in Path(path).resolve().parents:
        candidate = folder / RANGES_FILE
        if candidate.is_file():
            return candidate
    return None


def load_ranges(path: Path) -> RangesFile:
    """Read and check an ``estimates.yaml``; a mistake is a ScenarioError naming the entry.

    Remembered while the file is unchanged (same size and modification time): a report looks up
    every estimate's range in the same few files, and parsing one YAML file a hundred times took
    a report 15 s."""
    try:
        status = Path(path).stat()
    except OSError:
        return _load_ranges(str(path), -1, -1)  # read_yaml says what is wrong with it
    return _load_ranges(str(path), status.st_mtime_ns, status.st_size)


@lru_cache(maxsize=32)
def _load_ranges(path: str, mtime_ns: int, size: int) -> RangesFile:
    """``load_ranges`` for one version of the file (the stat is only the cache's key)."""
    data = read_yaml(Path(path))
    try:
        return RangesFile.model_validate(data)
    except ValidationError as exc:
        key, message = describe_validation_error(exc)
        raise ScenarioError(message, file=str(path), key=".".join(key) or None) from None


def check_estimates(file: Path, text: str | None = None) -> int:
    """Check that every estimate of ``file`` (and of the files it extends) has a range that
    holds its value; return how many were checked. Files with no ``estimates.yaml`` above them
    (a planner's own folder) are not checked. ``text``: the file's contents about to be written."""
    checked, loaded = 0, {}
    for estimate in estimates_in(Path(file), text):
        ranges_path = ranges_file_for(Path(estimate.file))
        if ranges_path is None:
            continue
        if ranges_path not in loaded:
            loaded[ranges_path] = load_ranges(ranges_path)
        entry = loaded[ranges_path].find(estimate.key)
        where = f"{estimate.file}:{estimate.line}"
        if entry is None:
            raise ScenarioError("marked # estimate but has no range; " + HINT % (estimate.key, ranges_path),
                                file=where, key=estimate.key)
        problem = entry.problem(estimate.value)
        if problem is not None:
            raise ScenarioError(f"{problem} (range `{entry.key}` in {ranges_path}); widen the range or "
                                "correct the value", file=where, key=estimate.key)
        checked += 1
    return checked
