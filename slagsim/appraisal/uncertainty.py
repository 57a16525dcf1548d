"""The appraisal over both sources of uncertainty: the simulation's randomness and the estimates'.

The usual appraisal holds every ``# estimate`` at its value; its CIs cover only what the
simulation draws (deliveries, breakdowns, demand, the aluminium price). Here draw *i* sets every
estimate with a range (the baseline's and the menu's money estimates: prices, lives, salvage) to
a value from a Latin hypercube over the ranges, so a few dozen draws cover each range evenly,
and runs the baseline and every candidate with replication *i*'s random numbers. Within a draw
all candidates see the same estimates, slag, breakdowns, demand and price path (common random
numbers); across draws everything varies. Each candidate's NPV and payback per draw give its NPV
interval and P(payback within the horizon) over both sources, side by side with the usual ones,
and the share of draws in which it is the best buy.

Replications are stored under ``uncertainty/parts`` as they finish and reused on the next run.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from slagsim.analysis import screening
from slagsim.analysis.stats import mean_ci
from slagsim.appraisal.appraise import Appraisal, horizon_margins, wilson
from slagsim.appraisal.design import NOTHING, MenuDesign, investment_at, menu_design
from slagsim.appraisal.finance import cash_flows, npv, operating_flows, payback_years
from slagsim.errors import ScenarioError, SimulationError
from slagsim.i18n import _
from slagsim.model.price_paths import PriceYears
from slagsim.runs.executors import Executor
from slagsim.runs.experiment import RunSettings
from slagsim.runs.parts import PartStore, fingerprint
from slagsim.runs.reporting import Reporter
from slagsim.runs.shared import SharedWorkers
from slagsim.runs.tasks import Job, TaskFailure

ESTIMATES, SIMULATION = "estimates", "simulation"
FOLDER, TABLE, DRAWS = "uncertainty", "uncertainty.csv", "uncertainty-draws.csv"
BASELINE = "baseline"


@dataclass
class Draws:
    """The design: one point per draw, each with a scenario per candidate and the baseline."""

    design: MenuDesign
    settings: RunSettings

    @property
    def count(self) -> int:
        return len(self.design.points)

    @property
    def runs(self) -> int:
        return len(self.design.scenarios)


def plan_draws(menu_path: Path, draws: int, settings: RunSettings, edits: tuple[str, ...] = ()) -> Draws:
    """Every draw's scenarios (with the planner's ``edits``), built and validated before anything runs."""
    seed = settings.seed % (2**32)
    design = menu_design(menu_path, 0, seed, lambda problem: screening.latin_design(problem, draws, seed),
                         edits=edits)
    if not design.factors.factors and not design.money:
        raise ScenarioError("the menu and its baseline have no estimates with ranges to draw from; mark "
                            "values `# estimate` and give their ranges in estimates.yaml",
                            file=str(menu_path), key="--uncertainty")
    return Draws(design, RunSettings(draws, settings.years, settings.warmup_days, settings.seed))


def run_draws(draws: Draws, out: Path, jobs: int | None, scheduler: str | None,
              reporter: Reporter) -> dict[tuple[int, str], dict[str, float]]:
    """Run (what is missing of) every draw: KPIs by (draw, baseline or candidate)."""
    workers = SharedWorkers(1 if scheduler else jobs, scheduler, f"uncertainty-{draws.design.menu.name}")
    running = DrawRun(draws, out, reporter)
    try:
        with reporter.progress(len(running.todo), _("estimate draws")) as advance:
            running.execute(workers.executor(), advance)
    except KeyboardInterrupt:
        workers.close(interrupted=True)
        raise
    workers.close()
    return running.result()


class DrawRun:
    """The estimate draws of one appraisal: what is stored, what is still to run, and running it
    (in this thread, or beside the appraisal's other phases on the same workers)."""

    def __init__(self, draws: Draws, out: Path, reporter: Reporter):
        self.draws = draws
        self.parts = PartStore(Path(out) / FOLDER / "parts")
        self.todo: list[tuple[int, str, str, Job]] = []
        self.done: dict[tuple[int, str], dict[str, float]] = {}
        self.failures: list[str] = []
        for (index, name), scenario in draws.design.scenarios.items():
            print_ = fingerprint(scenario, draws.settings)
            stored = self.parts.load(scenario.name, print_, draws.count).found
            if index in stored:
                self.done[(index, name)] = stored[index].kpis
            else:
                self.todo.append((index, name, print_, Job(scenario.name, index, scenario, draws.settings)))
        if self.done:
            reporter.note(_("estimate draws: {reused} runs reused, {todo} to run").format(
                reused=len(self.done), todo=len(self.todo)))

    def execute(self, executor: Executor, advance: Callable[[int], None]) -> None:
        """Run what is missing on ``executor``, storing each run as it comes back."""
        keys = {(job.run, job.replication): (index, name, print_) for index, name, print_, job in self.todo}
        for job, result in executor.run([item[3] for item in self.todo]):
            advance(1)
            index, name, print_ = keys[(job.run, job.replication)]
            if isinstance(result, TaskFailure):
                self.failures.append(f"{job.run}: {result.error}")
                continue
            self.parts.write(job.run, print_, result)
            self.done[(index, name)] = result.kpis
        executor.close()

    def result(self) -> dict[tuple[int, str], dict[str, float]]:
        """Every draw's KPIs; a SimulationError when some did not finish (rerun reuses the rest)."""
        missing = self.draws.runs - len(self.done)
        if self.failures or missing:
            first = self.failures[0] if self.failures else "lost"
            raise SimulationError(f"{missing} of {self.draws.runs} estimate-draw runs did not finish "
                                  f"({first}); run the same command again: every finished run is reused")
        return self.done


def judge_draws(draws: Draws, done: dict[tuple[int, str], dict[str, float]]) -> pd.DataFrame:
    """Each candidate's NPV and payback at each draw (rows: draw x candidate)."""
    design, menu = draws.design, draws.design.menu
    rows = []
    price_years = PriceYears(design.scenarios[(0, BASELINE)].products.ingot.price_path, draws.settings.seed,
                             menu.horizon_years)
    for index in range(draws.count):
        years = price_years(index)
        base = done[(index, BASELINE)]
        for name in design.candidates:
            investment = investment_at(design, name, index)
            margins = horizon_margins(base, done[(index, name)], years)
            rows.append({"draw": index, "candidate": name,
                         "extra_margin_rp_per_year": done[(index, name)]["gross_margin_rp_per_year"]
                         - base["gross_margin_rp_per_year"],
                         "npv_rp": npv(cash_flows(investment, margins, menu.horizon_years),
                                       menu.discount_rate),
                         "payback_years": payback_years(operating_flows(investment, margins,
                                                                        menu.horizon_years))})
    return pd.DataFrame(rows)


def side_by_side(per_draw: pd.DataFrame, singles: list[Appraisal], horizon: int) -> pd.DataFrame:
    """One row per candidate: NPV and P(payback) at the estimates' values and over their ranges."""
    usual = {a.name: a for a in singles}
    npvs = per_draw.pivot(index="draw", columns="candidate", values="npv_rp")
    npvs[NOTHING] = 0.0
    best = npvs.idxmax(axis=1)
    rows = []
    for name, group in per_draw.groupby("candidate", sort=False):
        values = group.npv_rp.to_numpy()
        mean, low, high = mean_ci(list(values))
        paid = wilson(int((group.payback_years <= horizon).sum()), len(group))
        now = usual.get(name)
        rows.append({
            "candidate": name,
            "npv_rp": now.npv_rp[0] if now else math.nan,
            "npv_ci95_low": now.npv_rp[1] if now else math.nan,
            "npv_ci95_high": now.npv_rp[2] if now else math.nan,
            "p_payback_within_horizon": now.p_payback[0] if now else math.nan,
            "npv_with_estimates_rp": mean, "npv_with_estimates_ci95_low": low,
            "npv_with_estimates_ci95_high": high,
            "npv_with_estimates_p10_rp": float(np.percentile(values, 10)),
            "npv_with_estimates_p90_rp": float(np.percentile(values, 90)),
            "p_npv_positive_with_estimates": float((values > 0).mean()),
            "p_payback_with_estimates": paid[0], "p_payback_with_estimates_ci95_low": paid[1],
            "p_payback_with_estimates_ci95_high": paid[2],
            "p_best_with_estimates": float((best == name).mean()),
            "draws": len(group),
        })
    table = pd.DataFrame(rows).sort_values("npv_with_estimates_rp", ascending=False, kind="stable")
    table.insert(0, "rank", range(1, len(table) + 1))
    return table.reset_index(drop=True)
