"""``slagsim sensitivity SCENARIO``: which estimates move the answer, run like a batch.

The design's points are scenarios (the base with each factor set to its value at the point);
every point runs the same replications with the scenario's seed, so points share common random
numbers and an elementary effect is the estimate's, not noise's. Points run through the batch
executors (this process, local processes or a Dask cluster); every finished replication is
stored at once under ``parts/`` with its fingerprint, so ``--resume`` runs only what is missing.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from slagsim.analysis import kpis as K
from slagsim.analysis import screening
from slagsim.appraisal.design import NOTHING, MenuDesign, decision_value, menu_design, npvs_at
from slagsim.appraisal.menu import read_menu
from slagsim.errors import ScenarioError
from slagsim.layout import FIGURES, PARTS
from slagsim.model.price_paths import PriceYears
from slagsim.results.files import write_csv, write_json
from slagsim.results.folders import (
    APPRAISAL,
    RUN,
    SENSITIVITY,
    OutputLock,
    check_output,
    claim_group_folder,
    claim_parent,
)
from slagsim.runs.dask_connect import check_scheduler
from slagsim.runs.duration import Estimate, check_duration, estimate
from slagsim.runs.executors import run_jobs
from slagsim.runs.experiment import ReplicationResult, RunSettings
from slagsim.runs.parts import PartStore, fingerprint
from slagsim.runs.reporting import Reporter
from slagsim.runs.tasks import Job
from slagsim.scenario.factors import Factors, factors_of
from slagsim.scenario.load import load_scenario, read_yaml
from slagsim.scenario.schema import Scenario
from slagsim.sensitivity.figures import evpi_figure, sensitivity_figures

MORRIS, SOBOL = "morris", "sobol"
TABLE, POINTS, LEFT_OUT, META = "sensitivity.csv", "points.csv", "left-out.csv", "sensitivity-meta.json"
EVPI = "evpi.csv"
DEFAULT_KPIS = (K.PRODUCT_OUTPUT.name, K.GROSS_MARGIN.name)
MAX_POINTS = 20_000  # design points; with replications, bounded like a batch


@dataclass
class Plan:
    """What a sensitivity run will do, checked before anything runs."""

    target: Path
    base: Scenario
    method: str
    factors: Factors
    problem: screening.Problem
    points: np.ndarray  # unit points, rows x factors
    scenarios: list[Scenario]
    settings: RunSettings
    kpis: list[str]
    design_seed: int
    fixed_groups: list[str] = field(default_factory=list)  # Sobol: groups held at their base
    menu: MenuDesign | None = None  # a purchase menu's design: scenarios per point and candidate
    parent_kind: str = RUN  # what results/<name>/ holds beside the sensitivity run

    @property
    def name(self) -> str:
        return self.base.name

    @property
    def runs(self) -> int:
        return len(self.scenarios) * self.settings.replications


def make_plan(target: Path, method: str, kpis: list[str], trajectories: int, samples: int,
              reps: int | None, top: int, out: Path) -> Plan:
    """The design over the target's estimates; every point's scenario is built and validated."""
    if "items" in read_yaml(target):
        return _menu_plan(target, method, trajectories, samples, reps, top, out)
    base = load_scenario(target)
    for index, kpi in enumerate(kpis):
        if K.find(kpi) is None:
            close = K.suggestions(kpi, [k.name for k in K.REGISTRY if not k.is_pattern])
            hint = f"; did you mean {close[0]!r}?" if close else "; `slagsim run` lists the KPIs"
            raise ScenarioError(f"{kpi!r} is not a KPI{hint}", file=f"--kpi[{index}]")
    factors = factors_of(target)
    fixed: list[str] = []
    if method == SOBOL:
        factors, fixed = _top_factors(factors, out, kpis[0], top)
    keys, groups = tuple(f.key for f in factors.factors), tuple(f.group for f in factors.factors)
    problem = screening.Problem(keys, groups)
    seed = base.run.seed % (2**32)
    if method == MORRIS:
        points = screening.morris_design(problem, trajectories, seed)
    else:
        points = screening.sobol_design(problem, samples, seed)
    if len(points) > MAX_POINTS:
        option = "--trajectories" if method == MORRIS else "--samples"
        raise ScenarioError(f"the design has {len(points):,} points (at most {MAX_POINTS:,}); use fewer "
                            "--trajectories or --samples", file=option)
    scenarios = [_point_scenario(factors, point, f"{base.name}-p{index:05d}")
                 for index, point in enumerate(points)]
    settings = RunSettings.from_scenario(base, replications=reps)
    return Plan(target, base, method, factors, problem, points, scenarios, settings, kpis, seed, fixed)


def _menu_plan(target: Path, method: str, trajectories: int, samples: int, reps: int | None, top: int,
               out: Path) -> Plan:
    """A purchase menu: Morris points, or a Sobol design over the ``top`` groups Morris's EVPI put
    first; each point with the baseline and every candidate (common random numbers)."""
    menu = read_menu(target)
    base = load_scenario(Path(target).parent / menu.baseline)
    base = base.model_copy(update={"name": menu.name or Path(target).stem})
    seed = base.run.seed % (2**32)
    if method == MORRIS:
        design, fixed = menu_design(target, trajectories, seed), []
    else:
        ranked = _evpi_ranking(out)
        chosen, fixed = ranked[:top], ranked[top:]
        design = menu_design(target, 0, seed, lambda problem: screening.sobol_design(problem, samples, seed),
                             groups=chosen)
    given = menu.run
    settings = RunSettings.from_scenario(base, replications=reps, years=given.years,
                                         warmup_days=given.warmup_days, seed=given.seed)
    scenarios = list(design.scenarios.values())
    if len(scenarios) > MAX_POINTS:
        option = "--trajectories" if method == MORRIS else "--samples"
        raise ScenarioError(f"the design has {len(scenarios):,} scenarios (at most {MAX_POINTS:,}); use "
                            f"fewer {option}", file=option)
    return Plan(target, base, method, design.factors, design.problem, design.points, scenarios, settings,
                [K.GROSS_MARGIN.name], seed, fixed, menu=design, parent_kind=APPRAISAL)


def _evpi_ranking(out: Path) -> list[str]:
    """The estimate groups, the one worth most to know first (the menu's Morris EVPI ranking)."""
    path = Path(out) / EVPI
    if not path.is_file():
        raise ScenarioError(f"no Morris screening of the menu in {out}: run `slagsim sensitivity MENU` "
                            "(Morris) first, then --method sobol for the estimates worth most to know",
                            file="--method")
    return list(pd.read_csv(path).sort_values("rank").group)


def _point_scenario(factors: Factors, point: np.ndarray, name: str) -> Scenario:
    """The design point's scenario (values that combine badly name their ranges: Factors.drawn)."""
    return factors.at(point, name)


def _top_factors(factors: Factors, out: Path, kpi: str, top: int) -> tuple[Factors, list[str]]:
    """The factors of the ``top`` groups Morris ranked first for ``kpi``; the rest stay at base."""
    table_path = Path(out) / TABLE
    if not table_path.is_file():
        raise ScenarioError(f"no Morris screening in {out}: run `slagsim sensitivity TARGET` (Morris) first, "
                            "then --method sobol for its top estimates", file="--method")
    table = pd.read_csv(table_path)
    ranked = table[(table.method == MORRIS) & (table.kpi == kpi)].sort_values("rank")
    if ranked.empty:
        raise ScenarioError(f"the Morris screening in {out} has no ranking for {kpi}; screen it first",
                            file="--kpi")
    chosen = list(ranked.group[:top])
    kept = tuple(f for f in factors.factors if f.group in chosen)
    fixed = [g for g in dict.fromkeys(f.group for f in factors.factors) if g not in chosen]
    return Factors(factors.raw, kept, factors.left_out), fixed


def expected_time(plan: Plan, workers: int, scheduler: str | None = None) -> Estimate:
    """Roughly how long the design takes (the base scenario's speed for every point)."""
    return estimate([(plan.base, plan.runs)], plan.settings, workers, scheduler)


def default_out(plan_name: str) -> Path:
    return Path("results") / plan_name / SENSITIVITY


@dataclass
class Result:
    """The indices, the per-point values, and whether every replication came back."""

    plan: Plan
    out: Path
    table: pd.DataFrame
    executed: int
    reused: int
    failures: list[str]
    missing: int
    decision: dict = field(default_factory=dict)  # a menu: the flip probability and EVPI (Morris)
    evpi: pd.DataFrame = field(default_factory=pd.DataFrame)  # a menu: the value of knowing each group

    @property
    def complete(self) -> bool:
        return not self.failures and not self.missing


def run(plan: Plan, out: Path, jobs: int | None, scheduler: str | None, resume: bool, yes: bool,
        reporter: Reporter) -> Result:
    """Run every missing replication of every design point, then estimate and write the indices."""
    out = check_output(out, SENSITIVITY, [plan.target])
    with OutputLock(out):
        workers = 1 if scheduler else jobs or os.cpu_count() or 1
        parts = PartStore(Path(out) / PARTS / plan.method)
        prints = [fingerprint(s, plan.settings) for s in plan.scenarios]
        done = _stored(plan, parts, prints) if resume else {}
        todo = [Job(s.name, r, s, plan.settings) for s, fp in zip(plan.scenarios, prints, strict=True)
                for r in range(plan.settings.replications) if r not in done.get(s.name, {})]
        if scheduler:  # every refusal before anything stored is deleted
            check_scheduler(scheduler)
        check_duration(estimate([(plan.base, len(todo))], plan.settings, workers, scheduler), yes,
                       "sensitivity run")
        claim_parent(Path(out).parent, SENSITIVITY, plan.parent_kind)
        claim_group_folder(out, SENSITIVITY, fresh=False, keep_kind=True)
        if not resume:  # a fresh run of this method: its own stored replications go
            shutil.rmtree(Path(out) / PARTS / plan.method, ignore_errors=True)
        reused = sum(len(v) for v in done.values())
        if resume:
            reporter.note(f"resuming: {reused} replications already done, {len(todo)} to run")
        by_name = dict(zip((s.name for s in plan.scenarios), prints, strict=True))

        def keep(job: Job, result: ReplicationResult) -> None:
            parts.write(job.run, by_name[job.run], result)
            done.setdefault(job.run, {})[job.replication] = result.kpis

        failures = run_jobs(todo, workers, scheduler, f"sensitivity-{plan.name}", f"sensitivity {plan.name}",
                            reporter.progress, keep)
        missing = sum(plan.settings.replications - len(done.get(s.name, {})) for s in plan.scenarios)
        decision, evpi = {}, pd.DataFrame()
        if plan.menu is not None:
            table, evpi, decision = _write_menu(plan, Path(out), done, missing)
        else:
            table = _analyse(plan, done) if not missing else pd.DataFrame()
            _write(plan, Path(out), table, done, missing)
        return Result(plan, Path(out), table, len(todo) - len(failures), reused, failures, missing,
                      decision, evpi)


def _stored(plan: Plan, parts: PartStore, prints: list[str]) -> dict[str, dict[int, dict]]:
    done = {}
    for scenario, fp in zip(plan.scenarios, prints, strict=True):
        stored = parts.load(scenario.name, fp, plan.settings.replications)
        done[scenario.name] = {r: result.kpis for r, result in stored.found.items()}
    return done


def point_means(plan: Plan, done: dict[str, dict[int, dict]]) -> pd.DataFrame:
    """One row per design point: its unit values and the mean of each KPI over its replications."""
    rows = []
    for index, scenario in enumerate(plan.scenarios):
        reps = done[scenario.name].values()
        units = zip(plan.factors.factors, plan.points[index], strict=True)
        row = {"point": index, **{factor.key: unit for factor, unit in units}}
        for kpi in plan.kpis:
            row[kpi] = math.fsum(r.get(kpi, math.nan) for r in reps) / len(reps)
        rows.append(row)
    return pd.DataFrame(rows)


def _analyse(plan: Plan, done: dict[str, dict[int, dict]]) -> pd.DataFrame:
    means = point_means(plan, done)
    tables = []
    for kpi in plan.kpis:
        values = means[kpi].to_numpy()
        if plan.method == MORRIS:
            table = screening.morris_indices(plan.problem, plan.points, values, plan.design_seed)
        else:
            table = screening.sobol_indices(plan.problem, values, plan.design_seed)
        table.insert(0, "kpi", kpi)
        table.insert(0, "method", plan.method)
        table["unit"] = K.unit_of(kpi)
        tables.append(table)
    return _describe_groups(pd.concat(tables, ignore_index=True), list(plan.factors.factors))


def _write_menu(plan: Plan, out: Path, done: dict, missing: int) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Morris of each candidate's NPV, the EVPI per estimate group and the flip probability."""
    design = plan.menu
    if missing:
        _write_meta(plan, out, missing, {})
        return pd.DataFrame(), pd.DataFrame(), {}
    kpis = {key: done[s.name] for key, s in design.scenarios.items()}
    prices = PriceYears(plan.base.products.ingot.price_path, plan.settings.seed, design.menu.horizon_years)
    npvs = npvs_at(design, kpis, prices)
    if plan.method == SOBOL:
        return _write_menu_sobol(plan, out, npvs)
    table, evpi, summary = decision_value(design, npvs, plan.design_seed)
    table = _describe_groups(table, [*design.factors.factors, *design.money])
    evpi = _describe_groups(evpi, [*design.factors.factors, *design.money])
    write_csv(table, out / TABLE)
    write_csv(evpi, out / EVPI)
    write_csv(npvs.rename_axis("point").reset_index(), out / f"morris-npv-{POINTS}")
    shown = list(npvs.mean().drop(NOTHING).sort_values(ascending=False).index[:4])
    sensitivity_figures(table[table.kpi.isin([f"npv_rp.{c}" for c in shown])], out / FIGURES, MORRIS)
    evpi_figure(evpi, out / FIGURES)
    _write_meta(plan, out, 0, summary)
    return table, evpi, summary


def _write_menu_sobol(plan: Plan, out: Path, npvs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Sobol first-order and total indices of each candidate's NPV over the groups worth most to
    know; the Morris rows, EVPI and decision summary stay as they were."""
    design = plan.menu
    tables = []
    for name in design.candidates:
        table = screening.sobol_indices(design.problem, npvs[name].to_numpy(), plan.design_seed)
        table.insert(0, "kpi", f"npv_rp.{name}")
        table.insert(0, "method", SOBOL)
        table["unit"] = "Rp"
        tables.append(table)
    table = _describe_groups(pd.concat(tables, ignore_index=True), [*design.factors.factors, *design.money])
    write_csv(_merged(out, table), out / TABLE)
    write_csv(npvs.rename_axis("point").reset_index(), out / f"sobol-npv-{POINTS}")
    shown = list(npvs.mean().drop(NOTHING).sort_values(ascending=False).index[:4])
    sensitivity_figures(table[table.kpi.isin([f"npv_rp.{c}" for c in shown])], out / FIGURES, SOBOL)
    earlier = out / META  # Morris's decision summary (flip probability, EVPI) stays
    decision = json.loads(earlier.read_text(encoding="utf-8"))["decision"] if earlier.is_file() else {}
    evpi = pd.read_csv(out / EVPI) if (out / EVPI).is_file() else pd.DataFrame()
    _write_meta(plan, out, 0, decision)
    return table, evpi, decision


def _merged(out: Path, table: pd.DataFrame) -> pd.DataFrame:
    """``table`` in place of the rows of its method in the stored sensitivity table."""
    existing = pd.read_csv(out / TABLE) if (out / TABLE).is_file() else pd.DataFrame()
    method = table.method.iloc[0]
    keep = existing[existing.method != method] if not existing.empty else existing
    return pd.concat([keep, table], ignore_index=True) if not keep.empty else table


def _describe_groups(table: pd.DataFrame, factors: list) -> pd.DataFrame:
    """Each group's estimates, range and reason beside its indices."""
    members: dict[str, list] = {}
    for factor in factors:
        members.setdefault(factor.group, []).append(factor)
    table = table.copy()
    table["estimates"] = table.group.map(lambda g: "; ".join(f.key for f in members[g]))
    table["range"] = table.group.map(lambda g: members[g][0].range_text)
    table["why"] = table.group.map(lambda g: members[g][0].entry.why)
    return table


def _write_meta(plan: Plan, out: Path, missing: int, decision: dict) -> None:
    left_out = pd.DataFrame(plan.factors.left_out, columns=["estimate", "why it is not varied"])
    write_csv(left_out, out / LEFT_OUT)
    write_json({"target": str(plan.target), "name": plan.name, "method": plan.method,
                "factors": len(plan.problem.factors), "groups": len(plan.problem.group_names),
                "scenarios": len(plan.scenarios), "replications": plan.settings.replications,
                "years": plan.settings.years, "warmup_days": plan.settings.warmup_days,
                "seed": plan.settings.seed, "kpis": plan.kpis, "fixed_groups": plan.fixed_groups,
                "status": "complete" if not missing else "incomplete",
                "missing_replications": missing, "decision": decision}, out / META)


def _write(plan: Plan, out: Path, table: pd.DataFrame, done: dict, missing: int) -> None:
    if not table.empty:
        write_csv(_merged(out, table), out / TABLE)
        write_csv(point_means(plan, done), out / f"{plan.method}-{POINTS}")
        sensitivity_figures(table, out / FIGURES, plan.method)
    _write_meta(plan, out, missing, {})
