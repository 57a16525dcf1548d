"""Batch files and their expansion into run specs.

A batch file names a baseline scenario, a list of other scenario files and/or a sweep over dotted
keys (the same keys as ``--set``), and run settings shared by every scenario in the batch::

    name: press-shift-sweep
    baseline: ../baseline.yaml
    scenarios:
      - ../options/add-press.yaml
      - {file: ../options/add-press.yaml, name: add-press-2-shifts, set: {calendar.shifts_per_day: 2}}
    sweep:
      mode: factorial            # or zip: the i-th values of every parameter together
      parameters:
        machines.press.count: [1, 2, 3]
        calendar.shifts_per_day: [1, 2]
      labels: {calendar.shifts_per_day: shifts}
    run: {replications: 20, years: 1, warmup_days: 30, seed: 20240101}

:func:`expand` turns the validated file into a list of :class:`RunSpec` without touching the disk.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from slagsim.analysis import kpis
from slagsim.errors import ScenarioError
from slagsim.i18n import _
from slagsim.scenario import limits
from slagsim.scenario.names import HINT, derived_name, name_problem


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class SweepMode(StrEnum):
    """How the values of several sweep parameters are combined."""

    factorial = "factorial"
    zip = "zip"


class ScenarioEntry(_Strict):
    """A scenario file in the batch, with an optional name and overrides of its own."""

    file: str = Field(min_length=1)
    name: str | None = Field(None, min_length=1)
    set: dict[str, Any] = Field(default_factory=dict)


class Sweep(_Strict):
    """Parameters (dotted keys) and the values each takes."""

    base: str | None = Field(None, min_length=1, description="scenario file swept [the baseline]")
    mode: SweepMode = SweepMode.factorial
    parameters: dict[str, list[Any]] = Field(min_length=1)
    labels: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> Sweep:
        for key, values in self.parameters.items():
            if not values:
                raise ValueError(_("parameter {key!r} has no values").format(key=key))
        if self.mode is SweepMode.zip and len({len(v) for v in self.parameters.values()}) > 1:
            raise ValueError(_("zip mode needs the same number of values for every parameter"))
        unknown = set(self.labels) - set(self.parameters)
        if unknown:
            raise ValueError(_("labels for keys that are not swept: {keys}").format(keys=sorted(unknown)))
        return self


MAX_INTERVENTIONS = 6  # 2**6 = 64 scenarios


class Interventions(_Strict):
    """Interventions made together, each undone by an overlay file, for a Shapley attribution.

    The batch runs the baseline with every combination of them undone (``2**n`` scenarios, common
    random numbers); the one with all undone is named ``before``.
    """

    before: str = Field(min_length=1, description="name of the scenario with every intervention undone")
    undo: dict[str, str] = Field(min_length=1, max_length=MAX_INTERVENTIONS,
                                 description="intervention name -> overlay file that undoes it")
    kpis: list[str] = Field(min_length=1, max_length=20, description="KPIs whose jump is shared out")


class BatchRun(_Strict):
    """Run settings for the whole batch; a missing one is taken from the baseline scenario."""

    replications: int | None = Field(None, ge=1, le=limits.MAX_REPLICATIONS)
    years: float | None = Field(None, gt=0, le=limits.MAX_YEARS)
    warmup_days: float | None = Field(None, ge=0, le=limits.MAX_WARMUP_DAYS)
    seed: int | None = Field(None, ge=0, le=limits.MAX_SEED)


class BatchFile(_Strict):
    """The contents of a batch file."""

    name: str | None = Field(None, min_length=1)
    description: str = ""
    description_id: str = Field("", description="the description in Bahasa Indonesia")
    baseline: str = Field(min_length=1)
    scenarios: list[str | ScenarioEntry] = Field(default_factory=list)
    sweep: Sweep | None = None
    interventions: Interventions | None = None
    run: BatchRun = BatchRun()


@dataclass(frozen=True)
class RunSpec:
    """One scenario of a batch: a file, the values set on top of it, and its name in the batch."""

    name: str
    file: Path
    values: tuple[tuple[str, Any], ...] = ()
    source_key: str = ""  # where in the batch file it came from, for error messages
    overlays: tuple[Path, ...] = ()  # overlay files laid over ``file`` (interventions undone)
    present: frozenset[str] | None = None  # with interventions: the ones this scenario keeps

    @property
    def is_baseline(self) -> bool:
        return self.source_key == "baseline"


@dataclass(frozen=True)
class BatchPlan:
    """A batch file, expanded: its name, shared run settings and every scenario to run."""

    name: str
    description: str
    source: Path
    run: BatchRun
    specs: tuple[RunSpec, ...]
    interventions: Interventions | None = None
    description_id: str = ""  # the description in Bahasa Indonesia

    @property
    def baseline(self) -> RunSpec:
        return self.specs[0]


def expand(batch: BatchFile, source: Path) -> BatchPlan:
    """The run specs of a batch file: the baseline first, then the listed scenarios, then the sweep.

    Files are resolved relative to the batch file's folder. Names must be unique.
    """
    def beside(name: str) -> Path:
        return Path(os.path.normpath(source.parent / name))

    where = str(source)
    baseline_name = folder_name(Path(batch.baseline).stem, where, "baseline", derived=True)
    every = frozenset(batch.interventions.undo) if batch.interventions else None
    specs = [RunSpec(baseline_name, beside(batch.baseline), source_key="baseline", present=every)]
    for index, entry in enumerate(batch.scenarios):
        entry = ScenarioEntry(file=entry) if isinstance(entry, str) else entry
        key = f"scenarios[{index}]"
        name = (folder_name(entry.name, where, f"{key}.name") if entry.name
                else folder_name(Path(entry.file).stem, where, key, derived=True))
        specs.append(RunSpec(name, beside(entry.file), tuple(entry.set.items()), source_key=key))
    if batch.sweep is not None:
        base = beside(batch.sweep.base or batch.baseline)
        labels = sweep_labels(list(batch.sweep.parameters), batch.sweep.labels)
        for point in sweep_points(batch.sweep):
            name = ",".join(f"{labels[key]}={format_value(value)}" for key, value in point)
            specs.append(RunSpec(folder_name(name, where, "sweep", derived=True), base, point,
                                 source_key="sweep"))
    if batch.interventions is not None:
        specs += intervention_specs(batch.interventions, beside(batch.baseline), beside, where)
    _check_unique(specs, source)
    name = (folder_name(batch.name, where, "name") if batch.name
            else folder_name(source.stem, where, "name", derived=True))
    return BatchPlan(name, batch.description, source, batch.run, tuple(specs), batch.interventions,
                     batch.description_id)


def intervention_specs(interventions: Interventions, baseline: Path, beside: Any, where: str
                       ) -> list[RunSpec]:
    """The baseline with each combination of interventions undone (all but none: that is the
    baseline). A scenario is named by what it lacks, ``without=market+workforce``; the one
    lacking all is named ``interventions.before``."""
    names = list(interventions.undo)
    for index, kpi in enumerate(interventions.kpis):
        if kpis.find(kpi) is None:
            close = kpis.suggestions(kpi, [k.name for k in kpis.REGISTRY if not k.is_pattern])
            hint = (_("; did you mean {close!r}?").format(close=close[0]) if close
                    else _("; `slagsim show` lists them"))
            raise ScenarioError(_("{kpi!r} is not a KPI{hint}").format(kpi=kpi, hint=hint), file=where,
                                key=f"interventions.kpis[{index}]")
    specs = []
    for size in range(1, len(names) + 1):
        for undone in itertools.combinations(names, size):
            if size == len(names):
                name = folder_name(interventions.before, where, "interventions.before")
            else:
                name = folder_name("without=" + "+".join(undone), where, "interventions", derived=True)
            overlays = tuple(beside(interventions.undo[n]) for n in undone)
            specs.append(RunSpec(name, baseline, source_key="interventions", overlays=overlays,
                                 present=frozenset(names) - frozenset(undone)))
    return specs


def _check_unique(specs: list[RunSpec], source: Path) -> None:
    seen: dict[str, RunSpec] = {}
    for spec in specs:
        if spec.name in seen:
            said = _("the name {name!r} is also used by {other}; give one of them a `name:`")
            raise ScenarioError(said.format(name=spec.name, other=seen[spec.name].source_key),
                                file=str(source), key=spec.source_key)
        seen[spec.name] = spec


def sweep_points(sweep: Sweep) -> list[tuple[tuple[str, Any], ...]]:
    """Every combination of parameter values: the full factorial, or the i-th values together."""
    keys = list(sweep.parameters)
    if sweep.mode is SweepMode.zip:
        combos = zip(*sweep.parameters.values(), strict=True)
    else:
        combos = itertools.product(*sweep.parameters.values())
    return [tuple(zip(keys, combo, strict=True)) for combo in combos]


def sweep_labels(keys: list[str], given: dict[str, str]) -> dict[str, str]:
    """A short label per key: the given one, else the key without its section when unambiguous.

    ``machines.press.count`` becomes ``press.count``; ``calendar.shifts_per_day`` stays whole.
    """
    labels = {}
    for key in keys:
        parts = key.split(".")
        labels[key] = given.get(key) or (".".join(parts[1:]) if len(parts) >= 3 else key)
    if len(set(labels.values())) < len(labels):
        return {key: given.get(key) or key for key in keys}
    return labels


def format_value(value: Any) -> str:
    """A value as it appears in a scenario name: ``2``, ``1.25``, ``true``, ``fcfs``."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        return "+".join(f"{k}-{format_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "+".join(format_value(v) for v in value)
    return str(value)


def folder_name(name: str, file: str, key: str, derived: bool = False) -> str:
    """``name`` checked by the one naming rule (:mod:`slagsim.scenario.names`); ``derived`` names (from a file
    name or sweep values) are made safe first. A ScenarioError names the file and key to fix."""
    chosen = derived_name(name) if derived else name
    problem = name_problem(chosen)
    if problem is None:
        return chosen
    if derived and not chosen:
        problem = f"{name!r} gives no usable name ({HINT})"
    raise ScenarioError(problem + (DERIVED_HINTS.get(key.split("[")[0], "") if derived else ""),
                        file=file, key=key)


DERIVED_HINTS = {"baseline": "; rename the file", "scenarios": "; give the entry a `name:`",
                 "name": "; give the file a `name:`", "sweep": "; give the parameters short `labels:`"}
