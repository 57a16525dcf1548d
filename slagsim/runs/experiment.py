"""Replications of one scenario: seeds, warm-up, run length, and the KPIs of each."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from slagsim.analysis.metrics import daily_output, replication_kpis, series_rows, yearly_rows
from slagsim.analysis.monthly import monthly_rows
from slagsim.analysis.warmup import needed_warmup_days
from slagsim.errors import SimulationError
from slagsim.i18n import _
from slagsim.model.engine import simulate
from slagsim.scenario.schema import Scenario


@dataclass(frozen=True)
class RunSettings:
    """How long, how often and from which seed a scenario is run."""

    replications: int
    years: float
    warmup_days: float
    seed: int

    @classmethod
    def from_scenario(cls, scenario: Scenario, replications: int | None = None,
                      years: float | None = None, warmup_days: float | None = None,
                      seed: int | None = None) -> RunSettings:
        """The scenario's own run defaults, with any given value taking precedence."""
        run = scenario.run
        return cls(
            replications=run.replications if replications is None else replications,
            years=run.years if years is None else years,
            warmup_days=run.warmup_days if warmup_days is None else warmup_days,
            seed=run.seed if seed is None else seed,
        )


@dataclass
class ReplicationResult:
    """The KPIs, yearly output and sampled time series of one replication."""

    replication: int
    kpis: dict[str, float]
    yearly: list[dict[str, float | int | str]]
    wall_s: float
    series: list[dict[str, float | int]] = field(default_factory=list)
    daily_output: list[float] = field(default_factory=list)  # tons made each day from day 0
    monthly: list[dict[str, float | int]] = field(default_factory=list)  # the records format, by month


@dataclass
class ExperimentResult:
    """All replications of one scenario."""

    scenario: Scenario
    settings: RunSettings
    replications: list[ReplicationResult] = field(default_factory=list)
    wall_s: float = 0.0

    @property
    def events(self) -> int:
        """SimPy events processed over all replications."""
        return int(sum(r.kpis["events"] for r in self.replications))


    @property
    def warmup_needed_days(self) -> float:
        """The warm-up the output series asks for (MSER-5 on the mean daily output)."""
        return needed_warmup_days([r.daily_output for r in self.replications if r.daily_output])

    def warmup_warning(self) -> str | None:
        """One line when the warm-up used is shorter than the output series asks for."""
        needed, used = self.warmup_needed_days, self.settings.warmup_days
        if needed <= used:
            return None
        return _("{name}: the {used} warm-up days are shorter than the {needed} days the daily output needs "
                 "to settle (MSER-5); use --warmup-days {needed} or more").format(
            name=self.scenario.name, used=f"{used:g}", needed=f"{needed:g}")


def run_replication(scenario: Scenario, settings: RunSettings, replication: int) -> ReplicationResult:
    """Run replication number ``replication`` (its random streams depend on seed and number only)."""
    started = time.perf_counter()
    outcome = simulate(scenario, settings.seed, replication, settings.years, settings.warmup_days)
    kpis = replication_kpis(scenario, outcome)
    bad = next((k for k, v in kpis.items() if not math.isfinite(v)), None)
    if bad is not None:  # a number nobody can use must never pass as a result
        raise SimulationError(f"KPI {bad!r} came out as {kpis[bad]}: an input is so large that the "
                              "arithmetic overflows (check prices and quantities)")
    yearly, series = yearly_rows(scenario, outcome), series_rows(outcome)
    daily, monthly = daily_output(outcome), monthly_rows(scenario, outcome)
    del outcome  # its year of records goes now: part of the replication's own time, as its tables are
    return ReplicationResult(replication, kpis, yearly, time.perf_counter() - started, series, daily, monthly)


def run_experiment(scenario: Scenario, settings: RunSettings,
                   on_done: Callable[[ReplicationResult], None] | None = None) -> ExperimentResult:
    """Run every replication of ``scenario`` in order, calling ``on_done`` after each."""
    started = time.perf_counter()
    result = ExperimentResult(scenario, settings)
    for replication in range(settings.replications):
        done = run_replication(scenario, settings, replication)
        result.replications.append(done)
        if on_done is not None:
            on_done(done)
    result.wall_s = time.perf_counter() - started
    return result
