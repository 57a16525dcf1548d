"""The draws of a calibration: each estimate's range sampled, each draw simulated over the books' months.

The plan lays each chosen estimate's range over the unit interval, draws a space-filling design
(SALib's Latin hypercube, seeded by the scenario) and makes one scenario per draw. Each draw is
simulated once, on its own random streams (replication number = draw number), for as many
months as the records span after the scenario's warm-up; the records' months are matched to
simulated months by their place in the calendar. Draws run through the batch executors (this
process, local processes or a Dask cluster) and are stored under ``parts/`` as they finish, so
``--resume`` runs only what is missing and the answer never depends on how or in which order
they ran.

Without named estimates (or with ``--top``), the candidates are screened first
(:mod:`~slagsim.calibration.screen`) and only the few that move the books' columns most are
drawn; the screening's points run the same way, before the draws, under ``parts/screening``.
"""

from __future__ import annotations

import math
import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from slagsim.calibration import screen
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
from slagsim.runs.dask_connect import check_scheduler
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
    screening: screen.Screening | None = None  # candidates to screen first; then ``factors`` is empty

    @property
    def name(self) -> str:
        return str(self.factors.raw.data.get("name", self.scenario_file.stem))

    @property
    def columns(self) -> list[str]:
        return [c for c in self.records.columns if c != MONTH]

    def scenario(self, draw: int):
        return self.factors.at(self.points[draw], f"draw-{draw:05d}")

    @property
    def base(self):
        """The scenario as the file has it (its speed stands for every draw's)."""
        return self.factors.scenario({}, str(self.factors.raw.data.get("name", "base")))

    @property
    def runs(self) -> int:
        """Simulations the plan needs: the draws, and the screening's points before them."""
        return len(self.points) + (len(self.screening.points) if self.screening is not None else 0)

    def narrowed(self, keys: list[str]) -> Plan:
        """The plan fitting only ``keys`` (the screening's choice), with its own Latin hypercube."""
        candidates = self.screening.candidates if self.screening is not None else self.factors
        chosen = tuple(f for f in candidates.factors if f.key in keys)
        factors = Factors(candidates.raw, chosen, candidates.left_out)
        return replace(self, factors=factors, points=_design(chosen, len(self.points), self.settings.seed),
                       screening=None)


def _design(chosen: tuple[Factor, ...] | list[Factor], draws: int, seed: int) -> np.ndarray:
    """``draws`` unit points of a Latin hypercube over the chosen estimates, seeded by the scenario."""
    from SALib.sample import latin

    if not chosen:
        return np.zeros((draws, 0))
    problem = {"num_vars": len(chosen), "names": [f.key for f in chosen],
               "bounds": [[0.0, 1.0]] * len(chosen)}
    return latin.sample(problem, draws, seed=seed % (2**32))


def make_plan(records_file: Path, scenario_file: Path, keys: list[str], draws: int, accept: float,
              top: int | None = None) -> Plan:
    """The calibration's plan; a ScenarioError for records, keys or sizes it cannot use.

    With no ``keys``, or with ``top`` fewer than the keys name, the candidates are screened first
    and the ``top`` (default :data:`~slagsim.calibration.screen.DEFAULT_TOP`) are fitted."""
    all_factors = factors_of(scenario_file)
    candidates = _chosen(all_factors, keys, scenario_file)
    top = top if top is not None else (None if keys else screen.DEFAULT_TOP)
    screens = top is not None and top < len(candidates)
    chosen = [] if screens else candidates
    factors = Factors(all_factors.raw, tuple(chosen), all_factors.left_out)
    base = factors.scenario({}, str(factors.raw.data.get("name", "base")))
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
    screening = None
    if screens:
        screening = screen.design(Factors(all_factors.raw, tuple(candidates), all_factors.left_out), top,
                                  base.run.seed % (2**32))
    points = _design(chosen, draws, base.run.seed)
    plan = Plan(Path(scenario_file), Path(records_file), records, factors, points, settings, first, offsets,
                accept, screening)
    _check_scenarios(plan)
    return plan


def _check_scenarios(plan: Plan) -> None:
    """Build every scenario known before anything runs (the screening's points, else the draws), so
    ranges that combine badly are one line before the output folder is touched, and in --dry-run
    (~1 ms a scenario). The draws after a screening are known only once it has ranked."""
    if plan.screening is not None:
        for point in range(len(plan.screening.points)):
            plan.screening.scenario(point)
        return
    for draw in range(len(plan.points)):
        plan.scenario(draw)


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
    plan: Plan  # the plan the draws ran (after screening: only the estimates it chose)
    out: Path
    months: dict[int, np.ndarray]  # draw -> months x columns, aligned with the records
    executed: int
    reused: int
    failures: list[str]
    screening: pd.DataFrame | None = None  # the candidates ranked, when they were screened first
    screened: tuple[int, int] = (0, 0)  # screening points run, reused

    @property
    def missing(self) -> int:
        if self.plan.screening is not None:  # the screening did not finish: no draw has run
            return len(self.plan.points)
        return len(self.plan.points) - len(self.months)

    @property
    def complete(self) -> bool:
        return not self.failures and not self.missing


def default_out(name: str) -> Path:
    return Path("results") / name / CALIBRATION


def expected_time(plan: Plan, workers: int, scheduler: str | None = None):
    """The screening's points and the draws, at the file's scenario's speed."""
    return estimate([(plan.base, plan.runs)], plan.settings, workers, scheduler)


def run(plan: Plan, out: Path, jobs: int | None, scheduler: str | None, resume: bool, yes: bool,
        reporter: Reporter) -> Result:
    """Screen the candidates if the plan says so, then simulate every draw not yet stored; return
    each draw's months, aligned with the records."""
    out = check_output(out, CALIBRATION, [plan.scenario_file, plan.records_file])
    with OutputLock(out):
        workers = 1 if scheduler else jobs or os.cpu_count() or 1
        if scheduler:  # every refusal before anything stored is deleted
            check_scheduler(scheduler)
        if not resume:  # resumed, each stage checks what it still has to run
            check_duration(expected_time(plan, workers, scheduler), yes, "calibration")
        parts = PartStore(Path(out) / PARTS)
        if not resume and (Path(out) / PARTS).exists():
            shutil.rmtree(Path(out) / PARTS)  # a fresh calibration: its own stored draws go
        claim_parent(Path(out).parent, CALIBRATION, RUN)
        claim_group_folder(out, CALIBRATION, fresh=False, keep_kind=True)
        ranked, screened = None, (0, 0)
        if plan.screening is not None:
            points, screened, failures = _simulate(
                plan, [plan.screening.scenario(i) for i in range(len(plan.screening.points))],
                PartStore(Path(out) / PARTS / screen.SCREENING), workers, scheduler, resume, yes, reporter, 0)
            if failures or len(points) < len(plan.screening.points):
                return Result(plan, Path(out), {}, screened[0], screened[1], failures, None, screened)
            ranked = screen.ranking(plan.screening, plan.columns, plan.records[plan.columns].to_numpy(float),
                                    points)
            plan = plan.narrowed(list(ranked.key[ranked.fitted]))
        scenarios = [plan.scenario(i) for i in range(len(plan.points))]
        months, (executed, reused), failures = _simulate(plan, scenarios, parts, workers, scheduler, resume,
                                                         yes, reporter, None)
        return Result(plan, Path(out), months, executed, reused, failures, ranked, screened)


def _simulate(plan: Plan, scenarios: list, parts: PartStore, workers: int, scheduler: str | None,
              resume: bool, yes: bool, reporter: Reporter, replication: int | None
              ) -> tuple[dict[int, np.ndarray], tuple[int, int], list[str]]:
    """Each scenario's months as the records, run or (``resume``) read from ``parts``; the counts
    run and reused, and the failures. ``replication``: every scenario on these streams (the
    screening's common random numbers), or None for each on its own (replication = its number)."""
    prints = [fingerprint(s, plan.settings) for s in scenarios]
    streams = [i if replication is None else replication for i in range(len(scenarios))]
    months: dict[int, np.ndarray] = {}
    if resume:
        for i, (scenario, fp) in enumerate(zip(scenarios, prints, strict=True)):
            stored = parts.load(scenario.name, fp, streams[i] + 1).found.get(streams[i])
            if stored is not None:
                months[i] = aligned(plan, stored)
    todo = [Job(s.name, streams[i], s, plan.settings) for i, s in enumerate(scenarios) if i not in months]
    reused = len(months)
    if resume:
        check_duration(estimate([(plan.base, len(todo))], plan.settings, workers, scheduler), yes,
                       "calibration")
        reporter.note(f"resuming: {reused} of {len(scenarios)} simulations stored, {len(todo)} to run")
    index = {s.name: i for i, s in enumerate(scenarios)}

    def keep(job: Job, result: ReplicationResult) -> None:
        parts.write(job.run, prints[index[job.run]], result)
        months[index[job.run]] = aligned(plan, result)

    failures = run_jobs(todo, workers, scheduler, f"calibrate-{plan.name}", f"calibrate {plan.name}",
                        reporter.progress, keep)
    return months, (len(todo) - len(failures), reused), failures


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



