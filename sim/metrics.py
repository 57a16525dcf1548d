"""KPIs from one replication's records, and mean with 95 % confidence intervals over many.

KPI names are stable: scripts and later tools depend on them. Per-year figures count only the
window after the warm-up and divide by its length in years.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from sim.model import Outcome
from sim.schema import Scenario

HOURS_PER_YEAR = 8760.0

UNITS = {
    "product_output_t_per_year": "t/yr",
    "ingot_t_per_year": "t/yr",
    "ingot_yield_share": "share",
    "slag_received_t_per_year": "t/yr",
    "slag_refused_t_per_year": "t/yr",
    "slag_processed_t_per_year": "t/yr",
    "residue_disposed_t_per_year": "t/yr",
    "workers": "workers",
    "crew_present_per_day": "workers",
    "worker_days_per_year": "worker-days/yr",
    "turnover_rp_per_year": "Rp/yr",
    "costs_rp_per_year": "Rp/yr",
    "gross_margin_rp_per_year": "Rp/yr",
    "b3_store_peak_t": "t",
    "b3_max_age_days": "days",
    "b3_lots_over_limit": "lots",
    "curing_yard_peak_pallets": "pallets",
    "curing_yard_mean_pallets": "pallets",
    "lost_sales_t_per_year": "t/yr",
    "mass_balance_error_t": "t",
    "events": "events",
}
PREFIX_UNITS = {
    "output_t_per_year.": "t/yr",
    "pieces_per_year.": "pieces/yr",
    "sold_t_per_year.": "t/yr",
    "lost_sales_t_per_year.": "t/yr",
    "cost_rp_per_year.": "Rp/yr",
    "utilization.": "share",
    "availability.": "share",
    "down_share.": "share",
    "setup_share.": "share",
    "blocked_share.": "share",
    "starved_share.": "share",
    "wait_h.": "h",
    "jobs_per_year.": "jobs/yr",
    "firm_slag_t_per_year.": "t/yr",
    "firm_wait_h.": "h",
}


def unit_of(kpi: str) -> str:
    """The unit a KPI is reported in."""
    if kpi in UNITS:
        return UNITS[kpi]
    for prefix, unit in PREFIX_UNITS.items():
        if kpi.startswith(prefix):
            return unit
    return ""


def _in_window(t: float, outcome: Outcome) -> bool:
    return outcome.window.start_h <= t < outcome.window.end_h


def replication_kpis(scenario: Scenario, outcome: Outcome) -> dict[str, float]:
    """Every KPI of one replication."""
    kpis: dict[str, float] = {}
    kpis.update(_output_kpis(scenario, outcome))
    kpis.update(_slag_kpis(outcome))
    kpis.update(_money_kpis(scenario, outcome))
    kpis.update(_labour_kpis(scenario, outcome))
    kpis.update(_machine_kpis(outcome))
    kpis.update(_store_and_yard_kpis(scenario, outcome))
    kpis["mass_balance_error_t"] = mass_balance_error(outcome)
    kpis["events"] = float(outcome.records.events)
    return kpis


def _output_kpis(scenario: Scenario, outcome: Outcome) -> dict[str, float]:
    years = outcome.window.years
    products = ["ingot", *scenario.products.blocks]
    tons = dict.fromkeys(products, 0.0)
    pieces = dict.fromkeys(products, 0.0)
    for t, product, mass, count in outcome.records.output:
        if _in_window(t, outcome):
            tons[product] += mass
            pieces[product] += count
    sold = dict.fromkeys(products, 0.0)
    for t, product, mass, _ in outcome.records.sales:
        if _in_window(t, outcome):
            sold[product] += mass
    lost = dict.fromkeys(products, 0.0)
    for t, product, mass in outcome.records.lost_sales:
        if _in_window(t, outcome):
            lost[product] += mass
    kpis = {"product_output_t_per_year": sum(tons.values()) / years}
    for product in products:
        kpis[f"output_t_per_year.{product}"] = tons[product] / years
        kpis[f"pieces_per_year.{product}"] = pieces[product] / years
        kpis[f"sold_t_per_year.{product}"] = sold[product] / years
        kpis[f"lost_sales_t_per_year.{product}"] = lost[product] / years
    kpis["ingot_t_per_year"] = tons["ingot"] / years
    kpis["lost_sales_t_per_year"] = sum(lost.values()) / years
    kpis.update(_firm_output(outcome))
    return kpis


def _firm_output(outcome: Outcome) -> dict[str, float]:
    received: dict[int, float] = defaultdict(float)
    for t, firm, tons in outcome.records.received:
        if _in_window(t, outcome):
            received[firm] += tons
    years = outcome.window.years
    return {
        f"firm_slag_t_per_year.{firm:02d}": received.get(firm, 0.0) / years
        for firm in range(len(outcome.firm_workers))
    }


def _slag_kpis(outcome: Outcome) -> dict[str, float]:
    records, years = outcome.records, outcome.window.years
    received = sum(t for when, _, t in records.received if _in_window(when, outcome))
    refused = sum(t for when, t in records.refused if _in_window(when, outcome))
    disposed = sum(t for when, _, t in records.residue_out if _in_window(when, outcome))
    ingot = sum(m for when, p, m, _ in records.output if p == "ingot" and _in_window(when, outcome))
    return {
        "slag_received_t_per_year": received / years,
        "slag_refused_t_per_year": refused / years,
        "residue_disposed_t_per_year": disposed / years,
        "ingot_yield_share": ingot / received if received else 0.0,
    }


def _money_kpis(scenario: Scenario, outcome: Outcome) -> dict[str, float]:
    records, years = outcome.records, outcome.window.years
    revenue = sum(rp for t, _, _, rp in records.sales if _in_window(t, outcome))
    revenue += sum(rp for t, _, rp in records.revenue_other if _in_window(t, outcome))
    costs: dict[str, float] = defaultdict(float)
    for t, category, rp in records.costs:
        if _in_window(t, outcome):
            costs[category] += rp
    received = sum(t for when, _, t in records.received if _in_window(when, outcome))
    costs["slag"] = received * scenario.supply.price_rp_per_t
    costs["wages"] = _paid_worker_days(scenario, outcome) * scenario.labour.wage_rp_per_worker_day
    costs["maintenance"] = _maintenance_per_year(scenario) * years
    kpis = {f"cost_rp_per_year.{name}": value / years for name, value in sorted(costs.items())}
    total = sum(costs.values())
    kpis["turnover_rp_per_year"] = revenue / years
    kpis["costs_rp_per_year"] = total / years
    kpis["gross_margin_rp_per_year"] = (revenue - total) / years
    return kpis


def _maintenance_per_year(scenario: Scenario) -> float:
    from sim.firms import resolve_firms

    total = sum(m.count * m.maintenance_rp_per_year for m in scenario.machines.values())
    for firm in resolve_firms(scenario):
        total += sum(m.count * m.maintenance_rp_per_year for m in firm.own_machines.values())
    return total


def _paid_worker_days(scenario: Scenario, outcome: Outcome) -> float:
    if scenario.labour.pay_basis == "attendance":
        return sum(c * d for c, d in zip(outcome.firm_crews, outcome.firm_working_days, strict=True))
    day_h = scenario.calendar.shift_hours
    hours = sum(h for t, _, h in outcome.records.worker_hours if _in_window(t, outcome))
    return hours / day_h


def _labour_kpis(scenario: Scenario, outcome: Outcome) -> dict[str, float]:
    return {
        "workers": float(sum(outcome.firm_workers)),
        "crew_present_per_day": float(sum(outcome.firm_crews)),
        "worker_days_per_year": _paid_worker_days(scenario, outcome) / outcome.window.years,
    }


def _machine_kpis(outcome: Outcome) -> dict[str, float]:
    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    firm_wait: dict[tuple[str, int], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for job in outcome.records.jobs:
        if not _in_window(job.end, outcome):
            continue
        s = sums[job.machine]
        s["busy"] += job.busy_h
        s["setup"] += job.setup_h
        s["down"] += job.down_h
        s["blocked"] += job.blocked_h
        s["starved"] += job.starved_h
        s["wait"] += job.wait_h
        s["jobs"] += 1
        entry = firm_wait[(job.machine, job.firm)]
        entry[0] += job.wait_h
        entry[1] += 1
    kpis: dict[str, float] = {}
    years = outcome.window.years
    for name, available in sorted(outcome.machine_hours_available.items()):
        s = sums[name]
        operating = s["busy"] + s["down"]
        kpis[f"utilization.{name}"] = s["busy"] / available if available else 0.0
        kpis[f"setup_share.{name}"] = s["setup"] / available if available else 0.0
        kpis[f"down_share.{name}"] = s["down"] / available if available else 0.0
        kpis[f"blocked_share.{name}"] = s["blocked"] / available if available else 0.0
        kpis[f"starved_share.{name}"] = s["starved"] / available if available else 0.0
        kpis[f"availability.{name}"] = s["busy"] / operating if operating else 1.0
        kpis[f"wait_h.{name}"] = s["wait"] / s["jobs"] if s["jobs"] else 0.0
        kpis[f"jobs_per_year.{name}"] = s["jobs"] / years
    for name in sorted(outcome.machine_hours_available):
        for firm in range(len(outcome.firm_workers)):
            wait, jobs = firm_wait.get((name, firm), (0.0, 0.0))
            kpis[f"firm_wait_h.{name}.{firm:02d}"] = wait / jobs if jobs else 0.0
    return kpis


def _level_peak(series: Iterable[tuple[float, float]], outcome: Outcome) -> float:
    peak, before = 0.0, 0.0
    for t, level in series:
        if t < outcome.window.start_h:
            before = level
        elif t < outcome.window.end_h:
            peak = max(peak, level)
    return max(peak, before)


def _level_mean(series: list[tuple[float, float]], outcome: Outcome) -> float:
    start, end = outcome.window.start_h, outcome.window.end_h
    area, level, last = 0.0, 0.0, start
    for t, value in series:
        if t >= end:
            break
        if t > start:
            area += level * (t - last)
            last = t
        level = value
    area += level * (end - last)
    return area / (end - start)


def _store_and_yard_kpis(scenario: Scenario, outcome: Outcome) -> dict[str, float]:
    records = outcome.records
    limit_h = scenario.b3_store.storage_limit_days * 24
    ages = [age for t, age in records.lot_ages if _in_window(t, outcome)]
    ages.append(records.oldest_lot_age_at_end_h)
    return {
        "b3_store_peak_t": _level_peak(records.store_level, outcome),
        "b3_max_age_days": max(ages) / 24,
        "b3_lots_over_limit": float(sum(age > limit_h for age in ages)),
        "curing_yard_peak_pallets": _level_peak(records.yard_level, outcome),
        "curing_yard_mean_pallets": _level_mean(records.yard_level, outcome),
    }


def mass_balance_error(outcome: Outcome) -> float:
    """Inputs minus outputs minus end stocks over the whole run, in tons (0 when mass closes)."""
    flows = outcome.records.flows_t
    inputs = sum(v for k, v in flows.items() if k.startswith("in."))
    outputs = sum(v for k, v in flows.items() if k.startswith("out."))
    return inputs - outputs - sum(outcome.records.stocks_t.values())


def yearly_rows(scenario: Scenario, outcome: Outcome) -> list[dict[str, float | int | str]]:
    """Output per product per simulated year after the warm-up."""
    products = ["ingot", *scenario.products.blocks]
    years = max(1, math.ceil(outcome.window.years - 1e-9))
    tons = {(y, p): 0.0 for y in range(years) for p in products}
    pieces = dict.fromkeys(tons, 0.0)
    for t, product, mass, count in outcome.records.output:
        if _in_window(t, outcome):
            year = min(int((t - outcome.window.start_h) // HOURS_PER_YEAR), years - 1)
            tons[(year, product)] += mass
            pieces[(year, product)] += count
    return [
        {"replication": outcome.replication, "year": y + 1, "product": p,
         "output_t": tons[(y, p)], "pieces": pieces[(y, p)]}
        for (y, p) in tons
    ]
