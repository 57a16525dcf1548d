"""Sensitivity of a purchase decision: does the best candidate change over the estimates' ranges,
and what is it worth to know an estimate exactly before buying (EVPI)?

Every Morris design point is a state of the world: the baseline's estimates (and the menu's money
estimates: prices, costs, lives) at one set of values. At each point the baseline and every
candidate run the same replications (common random numbers); a candidate's NPV at the point comes
from its paired extra gross margin, with the point's prices. Doing nothing (NPV 0) is always an
option. From the points:

- mu* of each candidate's NPV per estimate group (Morris);
- the probability that the best decision at a point is not the one best on average;
- the expected value of perfect information: E[max over decisions of NPV] - max of E[NPV], in
  Rupiah, overall and per group (partial: the points binned by the group's level; with few
  points per bin it leans high, so read it as a ranking of what to measure first).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from slagsim.analysis import screening
from slagsim.appraisal.appraise import horizon_margins, wilson
from slagsim.appraisal.finance import Investment, cash_flows, npv
from slagsim.appraisal.menu import Menu, read_menu
from slagsim.errors import ScenarioError
from slagsim.scenario.factors import Factor, Factors, factors_of
from slagsim.scenario.load import apply_values, parse_override, read_yaml
from slagsim.scenario.marks import estimates_in
from slagsim.scenario.ranges import load_ranges, ranges_file_for
from slagsim.scenario.schema import Scenario

NOTHING = "nothing"  # the decision to buy none of the candidates
MONEY_FIELDS = ("price_rp", "install_months", "yearly_cost_rp", "life_years", "salvage_rp")


@dataclass
class MenuDesign:
    """The menu, its scenario factors and money factors, and one scenario per point and candidate."""

    menu: Menu
    factors: Factors
    money: tuple[Factor, ...]
    problem: screening.Problem
    points: np.ndarray
    scenarios: dict[tuple[int, str], Scenario]  # (point, candidate or "baseline") -> scenario

    @property
    def candidates(self) -> list[str]:
        return list(self.menu.items)


def menu_design(menu_path: Path, trajectories: int, seed: int,
                sample: Callable[[screening.Problem], np.ndarray] | None = None,
                groups: list[str] | None = None, edits: tuple[str, ...] = ()) -> MenuDesign:
    """Build and validate every scenario of the design: Morris trajectories, or the unit points
    ``sample`` gives for the problem (the appraisal's draws, a Sobol design); only the estimates of
    ``groups`` vary when given (the others stay at their values). The planner's ``edits``
    (``--set-from``) apply to every scenario, and an estimate the planner edited is held at the
    planner's value, not drawn: it is what the planner knows."""
    menu = read_menu(menu_path)
    base_path = Path(menu_path).parent / menu.baseline
    factors = _edited(factors_of(base_path), edits)
    money = _money_factors(menu_path, menu)
    if groups is not None:
        kept = tuple(f for f in factors.factors if f.group in groups)
        factors = Factors(factors.raw, kept, factors.left_out)
        money = tuple(f for f in money if f.group in groups)
    every = (*factors.factors, *money)
    problem = screening.Problem(tuple(f.key for f in every), tuple(f.group for f in every))
    points = sample(problem) if sample else screening.morris_design(problem, trajectories, seed)
    scenarios = {}
    count = len(factors.factors)
    for index, point in enumerate(points):
        values = {f.key: f.value_at(u) for f, u in zip(factors.factors, point[:count], strict=True)}
        scenarios[(index, "baseline")] = factors.drawn(values, f"p{index:05d}-baseline")
        for name, item in menu.items.items():
            try:
                scenarios[(index, name)] = factors.scenario({**values, **item.set}, f"p{index:05d}-{name}")
            except ScenarioError as exc:
                raise ScenarioError(f"item {name!r} at a design point makes an invalid scenario "
                                    f"({exc.message}); narrow the ranges that combine badly",
                                    file=str(menu_path), key=f"items.{name}.set") from None
    return MenuDesign(menu, factors, money, problem, points, scenarios)


def _edited(factors: Factors, edits: tuple[str, ...]) -> Factors:
    """``factors`` laid on the baseline with ``edits``, without the estimates the edits set."""
    if not edits:
        return factors
    values = [parse_override(item) for item in edits]
    raw = copy.deepcopy(factors.raw)
    apply_values(raw, values, origin="--set")
    edited = {".".join(key) for key, _ in values}
    kept = tuple(factor for factor in factors.factors
                 if not any(factor.key == key or factor.key.startswith(key + ".") for key in edited))
    return Factors(raw, kept, factors.left_out)


def _money_factors(menu_path: Path, menu: Menu) -> tuple[Factor, ...]:
    """The menu's own estimates of money and time (item prices, costs, lives) with their ranges."""
    ranges_path = ranges_file_for(Path(menu_path))
    if ranges_path is None:
        return ()
    ranges, raw = load_ranges(ranges_path), read_yaml(Path(menu_path))
    found = []
    for estimate in estimates_in(Path(menu_path)):
        parts = estimate.key.split(".")
        if len(parts) != 3 or parts[0] != "items" or parts[2] not in MONEY_FIELDS:
            continue
        entry = ranges.find(estimate.key)
        base = raw.get("items", {}).get(parts[1], {}).get(parts[2])
        if entry is None or base is None or _degenerate(entry):
            continue
        found.append(Factor(estimate.key, entry.key, entry, base))
    return tuple(found)


def _degenerate(entry) -> bool:
    if entry.low is not None:
        return entry.low == entry.high
    return entry.low_factor == entry.high_factor if entry.low_factor is not None else False


def npvs_at(design: MenuDesign, kpis: dict[tuple[int, str], dict[int, dict[str, float]]],
            price_years: Callable[[int], list[float] | None] | None = None) -> pd.DataFrame:
    """Each candidate's NPV at each point (rows: points; columns: candidates and "nothing").

    ``kpis`` holds each (point, scenario) pair's replications; a candidate's NPV at a point is the
    mean over replications of its paired NPV, each replication's later years following its own
    aluminium price path (``price_years``), as in the appraisal."""
    menu = design.menu
    rows = []
    for index in range(len(design.points)):
        row = {NOTHING: 0.0}
        base = kpis[(index, "baseline")]
        for name in menu.items:
            investment = investment_at(design, name, index)
            mine = kpis[(index, name)]
            values = [npv(cash_flows(investment, horizon_margins(base[r], mine[r],
                                                                 price_years(r) if price_years else None),
                                     menu.horizon_years), menu.discount_rate)
                      for r in sorted(set(base) & set(mine))]
            row[name] = math.fsum(values) / len(values)
        rows.append(row)
    return pd.DataFrame(rows)


def money_at(design: MenuDesign, index: int) -> dict[str, object]:
    """The menu's money estimates (item prices, costs, lives) at point ``index``."""
    count = len(design.factors.factors)
    units = design.points[index][count:]
    return {f.key: f.value_at(u) for f, u in zip(design.money, units, strict=True)}


def investment_at(design: MenuDesign, name: str, index: int) -> Investment:
    """Item ``name``'s money at point ``index``."""
    return _investment(design.menu.items[name].investment, name, money_at(design, index))


def _investment(base: Investment, name: str, money: dict[str, object]) -> Investment:
    keys = {field: f"items.{name}.{field}" for field in MONEY_FIELDS}
    changes = {field: money[key] for field, key in keys.items() if key in money}
    if "life_years" in changes:
        changes["life_years"] = max(1, round(changes["life_years"]))
    if "salvage_rp" in changes:  # never above the price at this point
        changes["salvage_rp"] = min(changes["salvage_rp"], changes.get("price_rp", base.price_rp))
    return replace(base, **changes)


def decision_value(design: MenuDesign, npvs: pd.DataFrame, seed: int
                   ) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Morris mu* of each candidate's NPV, EVPI per group, and the flip probability."""
    tables = []
    for name in design.candidates:
        table = screening.morris_indices(design.problem, design.points, npvs[name].to_numpy(), seed)
        table.insert(0, "kpi", f"npv_rp.{name}")
        table.insert(0, "method", "morris")
        table["unit"] = "Rp"
        tables.append(table)
    morris = pd.concat(tables, ignore_index=True)
    means = npvs.mean()
    best = str(means.idxmax())
    best_here = npvs.idxmax(axis=1)
    flips = int((best_here != best).sum())
    chance = wilson(flips, len(npvs))
    total = float(npvs.max(axis=1).mean() - means.max())
    rows = [{"group": group, "evppi_rp": _evppi(design, npvs, group)} for group in design.problem.group_names]
    evpi = pd.DataFrame(rows).sort_values("evppi_rp", ascending=False, kind="stable").reset_index(drop=True)
    evpi.insert(0, "rank", range(1, len(evpi) + 1))
    evpi["share_of_total_evpi"] = evpi.evppi_rp / total if total > 0 else math.nan
    summary = {"best_on_average": best, "best_npv_rp": float(means.max()), "points": len(npvs),
               "p_best_changes": chance[0], "p_best_changes_ci95_low": chance[1],
               "p_best_changes_ci95_high": chance[2], "evpi_rp": total,
               "best_at_points": {str(k): int(v) for k, v in best_here.value_counts().items()}}
    return morris, evpi, summary


def _evppi(design: MenuDesign, npvs: pd.DataFrame, group: str) -> float:
    """E over the group's levels of max over decisions of the mean NPV there, less max of the means."""
    column = next(i for i, g in enumerate(design.problem.groups) if g == group)
    levels = np.round(design.points[:, column], 6)
    value = 0.0
    for level in np.unique(levels):
        inside = npvs[levels == level]
        value += len(inside) / len(npvs) * float(inside.mean().max())
    return max(0.0, value - float(npvs.mean().max()))
