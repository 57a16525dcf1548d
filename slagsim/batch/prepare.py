"""Read a batch file and load every scenario in it before anything runs.

Every mistake (a missing file, a swept key that is not in the scenario, a value the schema refuses)
is a :class:`~slagsim.errors.ScenarioError` naming the batch file and the key, raised before any result
is written.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from slagsim.batch.spec import BatchFile, BatchPlan, RunSpec, expand
from slagsim.errors import ScenarioError, describe_validation_error
from slagsim.runs.experiment import RunSettings
from slagsim.runs.parts import fingerprint
from slagsim.scenario.load import apply_values, lay_over, load_raw, read_yaml, validate
from slagsim.scenario.schema import Scenario

FREE_FORM_PREFIXES = ("firms.overrides.",)  # sections whose keys a sweep may create


@dataclass(frozen=True)
class PreparedRun:
    """A run spec with its validated scenario and the fingerprint of what it computes."""

    spec: RunSpec
    scenario: Scenario
    fingerprint: str

    @property
    def name(self) -> str:
        return self.spec.name


@dataclass(frozen=True)
class PreparedBatch:
    """A batch ready to run: its plan, shared settings, and one prepared run per scenario."""

    plan: BatchPlan
    settings: RunSettings
    runs: tuple[PreparedRun, ...]

    @property
    def baseline(self) -> PreparedRun:
        return self.runs[0]


def read_batch(path: Path) -> BatchPlan:
    """Read, validate and expand a batch file."""
    data = read_yaml(Path(path))
    try:
        batch = BatchFile.model_validate(data)
    except ValidationError as exc:
        key, message = describe_validation_error(exc)
        raise ScenarioError(message, file=str(path), key=".".join(key) or None) from None
    return expand(batch, Path(path))


def prepare(plan: BatchPlan, replications: int | None = None, years: float | None = None) -> PreparedBatch:
    """Load and check every scenario of ``plan``; settings come from the batch, else the baseline.

    ``replications`` and ``years``, when given, override both.
    """
    bases: dict[Path, Scenario] = {}
    runs = []
    for spec in plan.specs:
        scenario = _load(spec, plan.source, bases)
        runs.append(scenario)
    baseline_run = runs[0].run
    given = plan.run
    settings = RunSettings(
        replications=replications or given.replications or baseline_run.replications,
        years=years or given.years or baseline_run.years,
        warmup_days=baseline_run.warmup_days if given.warmup_days is None else given.warmup_days,
        seed=baseline_run.seed if given.seed is None else given.seed,
    )
    prepared = tuple(PreparedRun(spec, scenario, fingerprint(scenario, settings))
                     for spec, scenario in zip(plan.specs, runs, strict=True))
    return PreparedBatch(plan, settings, prepared)


def _load(spec: RunSpec, source: Path, bases: dict[Path, Scenario]) -> Scenario:
    batch_file = str(source)
    if not spec.file.is_file():
        key = "baseline" if spec.is_baseline else spec.source_key
        raise ScenarioError(f"scenario file {str(spec.file)!r} not found", file=batch_file, key=key)
    if spec.file not in bases:
        bases[spec.file] = validate(load_raw(spec.file))
    known = known_keys(bases[spec.file])
    for key, _ in spec.values:
        _check_key(key, known, spec, batch_file)
    raw = load_raw(spec.file)
    for index, overlay in enumerate(spec.overlays):
        if not overlay.is_file():
            raise ScenarioError(f"overlay file {str(overlay)!r} not found", file=batch_file,
                                key=f"interventions.undo[{index}]")
        lay_over(raw, overlay)
    values = [(tuple(key.split(".")), value) for key, value in spec.values]
    apply_values(raw, [*values, (("name",), spec.name)], origin=batch_file)
    try:
        return validate(raw)
    except ScenarioError as exc:
        if exc.file != batch_file:
            raise
        raise ScenarioError(f"{exc.message} (in scenario {spec.name!r})", file=exc.file,
                            key=exc.key) from None


def _check_key(key: str, known: set[str], spec: RunSpec, batch_file: str) -> None:
    if key in known or key.startswith(FREE_FORM_PREFIXES):
        return
    where = f"sweep.parameters.{key}" if spec.source_key == "sweep" else f"{spec.source_key}.set.{key}"
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else "; see `slagsim show` for the keys"
    raise ScenarioError(f"not a key of {spec.file}{hint}", file=batch_file, key=where)


def known_keys(scenario: Scenario) -> set[str]:
    """Every dotted key path of the resolved scenario, sections and values alike."""
    keys: set[str] = set()

    def walk(node: Any, prefix: str) -> None:
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            path = f"{prefix}{key}"
            keys.add(path)
            walk(value, path + ".")

    walk(scenario.model_dump(mode="json", by_alias=True), "")
    return keys
