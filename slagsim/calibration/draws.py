"""The draws of a calibration: each estimate's range sampled, each draw simulated over the books' months.

The plan lays each chosen estimate's range over the unit interval, draws a space-filling design
(SALib's Latin hypercube, seeded by the scenario) and makes one scenario per draw. Each draw is
simulated once, on its own random streams (replication number = draw number), for as many
months as the records span after the scenario's warm-up; the records' months are matched to
simulated months by their place in the calendar. Draws run through the batch executors (this
process, local processes or a Dask cluster) and are stored under ``parts/`` as they finish, so
``--resume`` runs only what is missing and the answer never depends on how or in which order
they ran.
"""

from __future__ import annotations

import math
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from slagsim.calibration.books import MONTH, read_records
from slagsim.errors import ScenarioError
from slagsim.layout import PARTS
from slagsim.model.workdays import (
    HOURS_PER_DAY,
    HOURS_PER_MONTH,
    HOURS_PER_YEAR,
    MONTHS_PER_YEAR,
    whole_months,
)
from slagsim.results.folders import (
    CALIBRATION,
    RUN,
    OutputLock,
    check_output,
    claim_group_folder,
    claim_parent,
)
from slagsim.runs.duration import check_duration, estimate
from slagsim.runs.executors import run_jobs
from slagsim.runs.experiment import ReplicationResult, RunSettings
from slagsim.runs.parts import PartStore, fingerprint
from slagsim.runs.reporting import Reporter
from slagsim.runs.tasks import Job
from slagsim.scenario.factors import Factor, Factors, factors_of

MAX_DRAWS = 20_000
MAX_SPAN_MONTHS = 240  # twenty years of books: bounded like any run


@dataclass(frozen=True)
class Plan:
    """What to simulate: the draws' unit values, their scenarios and the months to match."""

    scenario_file: Path
    records_file: Path
    records: pd.DataFrame
    factors: Factors
    points: np.ndarray  # draws x factors, unit values
    settings: RunSettings
    first_month: int  # the simulated month index the records' first month lands on
    offsets: tuple[int, ...]  # each record's months after the first
    accept: float

    @property
    def name(self) -> str:
        return str(self.factors.raw.data.get("name", self.scenario_file.stem))

    @property
    def columns(self) -> list[str]:
        return [c for c in self.records.columns if c != MONTH]

    def scenario(self, draw: int):
        return self.factors.at(self.points[draw], f"draw-{draw:05d}")


def make_plan(records_file: Path, scenario_file: Path, keys: list[str], draws: int, accept: float) -> Plan:
    """The calibration's plan; a ScenarioError for records, keys or sizes it cannot use."""
    from SALib.sample import latin

    all_factors = factors_of(scenario_file)
    chosen = _chosen(all_factors, keys, scenario_file)
    factors = Factors(all_factors.raw, tuple(chosen), all_factors.left_out)
    base = factors.at([0.5] * len(chosen), factors.raw.data.get("name", "base"))
    records = read_records(records_file, list(base.products.blocks))
    if not 10 <= draws <= MAX_DRAWS:
        raise ScenarioError(f"{draws} draws; use 10 to {MAX_DRAWS} (a few hundred for a few estimates)",
                            file="--draws")
    months = [int(m[:4]) * MONTHS_PER_YEAR + int(m[5:7]) - 1 for m in records[MONTH]]
    offsets = tuple(m - months[0] for m in months)
    if offsets[-1] + 1 > MAX_SPAN_MONTHS:
        raise ScenarioError(f"the records span {offsets[-1] + 1} months; at most {MAX_SPAN_MONTHS} are "
                            "simulated", file=str(records_file))
    warmup_h = base.run.warmup_days * HOURS_PER_DAY
    first = next(m for m in whole_months(warmup_h, warmup_h + HOURS_PER_YEAR + HOURS_PER_MONTH)
                 if m % MONTHS_PER_YEAR == months[0] % MONTHS_PER_YEAR)
    end_h = (first + offsets[-1] + 1) * HOURS_PER_MONTH
    years = (end_h - warmup_h) / HOURS_PER_YEAR + 1e-9
    settings = RunSettings(1, years, base.run.warmup_days, base.run.seed)
    problem = {"num_vars": len(chosen), "names": [f.key for f in chosen],
               "bounds": [[0.0, 1.0]] * len(chosen)}
    points = latin.sample(problem, draws, seed=base.run.seed % (2**32))
    return Plan(Path(scenario_file), Path(records_file), records, factors, points, settings, first, offsets,
                accept)


def _chosen(factors: Factors, keys: list[str], file: Path) -> list[Factor]:
    """The estimates named (by key or by their range entry's pattern), else every numeric one."""
    numeric = [f for f in factors.factors if f.entry.choices is None]
    if not keys:
        return numeric
    chosen = []
    for key in keys:
        found = [f for f in numeric if f.key == key or f.group == key]
        if not found:
            choice = next((f for f in factors.factors if f.key == key), None)
            why = ("is a choice, not a number: set it in the scenario" if choice else
                   "is not an estimate with a range in this scenario (`slagsim validate` lists them)")
            raise ScenarioError(f"{key} {why}", file=str(file), key="--estimate")
        chosen += [f for f in found if f not in chosen]
    return chosen


@dataclass
class Result:
    plan: Plan
    out: Path
    months: dict[int, np.ndarray]  # draw -> months x columns, aligned with the records
    executed: int
    reused: int
    failures: list[str]

    @property
    def missing(self) -> int:
        return len(self.plan.points) - len(self.months)

    @property
    def complete(self) -> bool:
        return not self.failures and not self.missing


def default_out(name: str) -> Path:
    return Path("results") / name / CALIBRATION


def expected_time(plan: Plan, workers: int):
    return estimate([(plan.scenario(0), len(plan.points))], plan.settings, workers)


def run(plan: Plan, out: Path, jobs: int | None, scheduler: str | None, resume: bool, yes: bool,
        reporter: Reporter) -> Result:
    """Simulate every draw not yet stored; return each draw's months, aligned with the records."""
    check_output(out, CALIBRATION, [plan.scenario_file, plan.records_file])
    with OutputLock(out):
        workers = 1 if scheduler else jobs or os.cpu_count() or 1
        parts = PartStore(Path(out) / PARTS)
        scenarios = [plan.scenario(i) for i in range(len(plan.points))]
        prints = [fingerprint(s, plan.settings) for s in scenarios]
        months: dict[int, np.ndarray] = {}
        if resume:
            for i, (scenario, fp) in enumerate(zip(scenarios, prints, strict=True)):
                stored = parts.load(scenario.name, fp, i + 1).found.get(i)
                if stored is not None:
                    months[i] = aligned(plan, stored)
        elif (Path(out) / PARTS).exists():
            shutil.rmtree(Path(out) / PARTS)  # a fresh calibration: its own stored draws go
        todo = [Job(s.name, i, s, plan.settings) for i, s in enumerate(scenarios) if i not in months]
        check_duration(estimate([(scenarios[0], len(todo))], plan.settings, workers), yes, "calibration")
        claim_parent(Path(out).parent, CALIBRATION, RUN)
        claim_group_folder(out, CALIBRATION, fresh=False, keep_kind=True)
        reused = len(months)
        if resume:
            reporter.note(f"resuming: {reused} draws already simulated, {len(todo)} to run")


        def keep(job: Job, result: ReplicationResult) -> None:
            parts.write(job.run, prints[job.replication], result)
            months[job.replication] = aligned(plan, result)

        failures = run_jobs(todo, workers, scheduler, f"calibrate-{plan.name}", f"calibrate {plan.name}",
                            reporter.progress, keep)
        return Result(plan, Path(out), months, len(todo) - len(failures), reused, failures)


def aligned(plan: Plan, result: ReplicationResult) -> np.ndarray:
    """The draw's simulated months in the records' order (months x columns); NaN where the run has
    no such month."""
    rows = {((int(r["year"]) - 1) * MONTHS_PER_YEAR + int(r["month"]) - 1): r for r in result.monthly}
    table = np.full((len(plan.offsets), len(plan.columns)), math.nan)
    for position, offset in enumerate(plan.offsets):
        row = rows.get(plan.first_month + offset)
        if row is not None:
            table[position] = [row[c] for c in plan.columns]
    return table



