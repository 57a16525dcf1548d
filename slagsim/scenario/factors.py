"""The estimates of a scenario as factors: each a unit interval mapped onto its plausible range.

Every value the scenario's files mark ``# estimate`` whose range (``estimates.yaml``) lets it vary
becomes a factor. Factors that share one range entry (``machines.*.price_rp``: every machine's
price, for the same reason) form a group and are screened together. A factor whose low or high
end makes the scenario invalid (a recipe share that no longer adds up to 1, a crew larger than
the firms) cannot be varied alone; it is left out and listed, never dropped silently.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slagsim.errors import ScenarioError
from slagsim.i18n import _
from slagsim.scenario.load import RawScenario, load_raw, set_dotted, validate
from slagsim.scenario.marks import estimates_in
from slagsim.scenario.ranges import Range, describe, load_ranges, ranges_file_for
from slagsim.scenario.schema import Scenario
from slagsim.scenario.yamlfile import load_text

SKIPPED_PREFIXES = ("run.", "sweep.")  # run settings are not estimates of the plant


@dataclass(frozen=True)
class Factor:
    """One estimate varied over its range: ``value_at(0)`` is the low end, ``value_at(1)`` the high."""

    key: str
    group: str
    entry: Range
    base: Any
    ranges_file: Path | None = None  # the estimates.yaml holding its range

    @property
    def range_text(self) -> str:
        return describe(self.entry)

    def value_at(self, unit: float) -> Any:
        entry = self.entry
        if entry.choices is not None:
            index = min(int(unit * len(entry.choices)), len(entry.choices) - 1)
            return _parsed(entry.choices[index])
        if entry.low is not None:
            value = entry.low + unit * (entry.high - entry.low)
            return round(value) if _is_int(self.base) else value
        return _scaled(self.base, entry.low_factor + unit * (entry.high_factor - entry.low_factor))


@dataclass(frozen=True)
class Factors:
    """The factors of a scenario, the base raw mapping they are laid on, and what was left out."""

    raw: RawScenario
    factors: tuple[Factor, ...]
    left_out: tuple[tuple[str, str], ...]  # (key, why)

    def scenario(self, values: dict[str, Any], name: str) -> Scenario:
        """The scenario with each factor key set to ``values[key]``."""
        raw = RawScenario(copy.deepcopy(self.raw.data), dict(self.raw.origins), self.raw.path)
        for key, value in values.items():
            set_dotted(raw.data, tuple(key.split(".")), value)
        set_dotted(raw.data, ("name",), name)
        return validate(raw)

    def drawn(self, values: dict[str, Any], name: str) -> Scenario:
        """The scenario at values drawn from the ranges. Each range's ends were checked alone, so
        values invalid together are the ranges' fault, not the scenario file's: the error names
        the ranges that combine badly and the values drawn."""
        try:
            return self.scenario(values, name)
        except ScenarioError as exc:
            raise self._combined(exc, values) from None

    def at(self, unit_point: list[float] | tuple[float, ...], name: str) -> Scenario:
        """The scenario at one unit point of the design (one value per factor)."""
        return self.drawn({f.key: f.value_at(u) for f, u in zip(self.factors, unit_point, strict=True)}, name)

    def _combined(self, exc: ScenarioError, values: dict[str, Any]) -> ScenarioError:
        """``exc`` explained as ranges that combine badly: those of the estimates under the key it
        is about (all drawn when none is), in their estimates.yaml."""
        drawn = [f for f in self.factors if f.key in values]
        involved = [f for f in drawn if exc.key and _related(f.key, exc.key)] or drawn
        if not involved:
            return exc
        files = {f.ranges_file for f in involved if f.ranges_file is not None}
        shown = ", ".join(f"{f.key}={values[f.key]!r}" for f in involved)
        problem = f"{exc.key}: {exc.message}" if exc.key else exc.message
        return ScenarioError(
            _("drawn together ({values}) they make {where} invalid ({problem}), though each range is valid "
              "alone: narrow these ranges so that every combination is valid").format(
                values=shown[:300], where=exc.file, problem=problem),
            file=_shown(files.pop()) if len(files) == 1 else exc.file,
            key=", ".join(dict.fromkeys(f.group for f in involved))[:300])


def factors_of(file: Path) -> Factors:
    """Every estimate of ``file`` (and the files it extends) that has a range and can vary."""
    raw = load_raw(file)
    found, left_out, seen = [], [], set()
    loaded: dict[Path, Any] = {}
    for estimate in estimates_in(Path(file)):
        key = estimate.key
        if key in seen or key.startswith(SKIPPED_PREFIXES):
            continue
        seen.add(key)
        ranges_path = ranges_file_for(Path(estimate.file))
        if ranges_path is None:
            left_out.append((key, "no estimates.yaml with its range"))
            continue
        if ranges_path not in loaded:
            loaded[ranges_path] = load_ranges(ranges_path)
        entry = loaded[ranges_path].find(key)
        base = _lookup(raw.data, key)
        if entry is None or base is _MISSING:
            left_out.append((key, "no range" if entry is None else "overridden by a later file"))
            continue
        if _fixed(entry):
            continue
        found.append(Factor(key, entry.key, entry, base, ranges_path))
    usable = []
    candidates = Factors(raw, tuple(found), ())
    for factor in found:
        problem = _end_problem(candidates, factor)
        if problem is None:
            usable.append(factor)
        else:
            left_out.append((factor.key, problem))
    if not usable:
        raise ScenarioError("no estimate with a range can vary; mark inputs `# estimate` and give them "
                            "ranges in estimates.yaml", file=str(file))
    return Factors(raw, tuple(usable), tuple(left_out))


def _end_problem(factors: Factors, factor: Factor) -> str | None:
    """Why ``factor`` at its low or high end makes an invalid scenario (None: both ends are valid)."""
    for unit, end in ((0.0, "low"), (1.0, "high")):
        try:
            factors.scenario({factor.key: factor.value_at(unit)}, "check")
        except ScenarioError as exc:
            return f"its {end} end makes the scenario invalid ({exc.message})"
    return None


def _related(key: str, other: str) -> bool:
    """Whether one dotted key is the other or lies under it."""
    return key == other or key.startswith(other + ".") or other.startswith(key + ".")


def _shown(path: Path) -> str:
    """A file as the planner would type it: relative to the working folder when under it."""
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _fixed(entry: Range) -> bool:
    if entry.choices is not None:
        return len(entry.choices) < 2
    if entry.low is not None:
        return entry.low == entry.high
    return entry.low_factor == entry.high_factor


_MISSING = object()


def _lookup(data: dict, key: str) -> Any:
    node: Any = data
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return node


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _scaled(value: Any, factor: float) -> Any:
    """``value`` times ``factor``: a number, every parameter of a distribution, every number of a
    mapping; whole numbers stay whole (and at least 1 where they were)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if _is_int(value):
        return max(1, round(value * factor)) if value >= 1 else round(value * factor)
    if isinstance(value, float):
        return value * factor
    if isinstance(value, dict):
        return {k: (v if k in ("dist", "weights") else _scaled(v, factor)) for k, v in value.items()}
    if isinstance(value, list):
        return [_scaled(v, factor) for v in value]
    return value


def _parsed(choice: Any) -> Any:
    return load_text(choice) if isinstance(choice, str) else choice
