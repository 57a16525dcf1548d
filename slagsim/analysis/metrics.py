"""KPIs from one replication's records, and mean with 95 % confidence intervals over many.

Every KPI is declared in :mod:`slagsim.analysis.kpis`; this module only computes them. Per-year figures count
only the window after the warm-up and divide by its length in years.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from slagsim.analysis import kpis as K
from slagsim.analysis.firms import firm_money_kpis
from slagsim.analysis.margins import product_margins
from slagsim.analysis.people import Workforce, workforce
from slagsim.model.engine import Outcome
from slagsim.model.money import Tariff
from slagsim.model.records import Level
from slagsim.model.vocabulary import (
    INGOT,
    Cost,
    Line,
    Reason,
    ResidueExit,
    TurnAway,
    machine_reason,
    queued_machine,
)
from slagsim.model.workdays import DAYS_PER_YEAR, HOURS_PER_DAY, HOURS_PER_YEAR, MONTHS_PER_YEAR
from slagsim.scenario.schema import Crew, Scenario

BUSY_STATES = (K.UTILIZATION, K.SETUP_SHARE, K.DOWN_SHARE, K.BLOCKED_SHARE, K.STARVED_SHARE)


def _in_window(t: float, outcome: Outcome) -> bool:
    return outcome.window.start_h <= t < outcome.window.end_h


def replication_kpis(scenario: Scenario, outcome: Outcome) -> dict[str, float]:
    """Every KPI of one replication."""
    kpis: dict[str, float] = {}
    kpis.update(_output_kpis(scenario, outcome))
    kpis.update(_slag_kpis(outcome))
    people = workforce(scenario, outcome)
    kpis.update(_money_kpis(scenario, outcome, people.paid_days))
    kpis.update(_labour_kpis(scenario, outcome, people))
    wages_rp = kpis[K.COST.key(Cost.wages)] * outcome.window.years
    kpis.update(product_margins(scenario, outcome, wages_rp, scenario.labour.wage_rp_per_worker_day))
    kpis.update(_pay_kpis(kpis, outcome))
    kpis.update(firm_money_kpis(scenario, outcome, kpis))
    kpis.update(_machine_kpis(outcome))
    kpis.update(_machine_state_kpis(outcome, kpis))
    kpis.update(active_period_kpis(outcome))
    kpis.update(time_share_kpis(outcome))
    kpis.update(_store_and_yard_kpis(scenario, outcome))
    kpis.update(_furnace_kpis(scenario, outcome))
    kpis[K.MASS_BALANCE.name] = mass_balance_error(outcome)
    kpis |= {K.FLOW.key(name): tons / outcome.window.years for name, tons in flow_names(scenario, outcome)}
    kpis[K.EVENTS.name] = float(outcome.records.events)
    return kpis


def _output_kpis(scenario: Scenario, outcome: Outcome) -> dict[str, float]:
    years = outcome.window.years
    products = [INGOT, *scenario.products.blocks]
    tons = dict.fromkeys(products, 0.0)
    pieces = dict.fromkeys(products, 0.0)
    for made in outcome.records.output:
        if _in_window(made.t, outcome):
            tons[made.product] += made.tons
            pieces[made.product] += made.pieces
    sold = dict.fromkeys(products, 0.0)
    for sale in outcome.records.sales:
        if _in_window(sale.t, outcome):
            sold[sale.product] += sale.tons
    lost = dict.fromkeys(products, 0.0)
    for missed in outcome.records.lost_sales:
        if _in_window(missed.t, outcome):
            lost[missed.product] += missed.tons
    kpis = {K.PRODUCT_OUTPUT.name: sum(tons.values()) / years}
    for product in products:
        kpis[K.OUTPUT.key(product)] = tons[product] / years
        kpis[K.PIECES.key(product)] = pieces[product] / years
        kpis[K.SOLD.key(product)] = sold[product] / years
        kpis[K.LOST_SALES_OF.key(product)] = lost[product] / years
    kpis[K.INGOT.name] = tons[INGOT] / years
    from_slag = tons[INGOT] + math.fsum(tons[name] * block.recipe.residue
                                        for name, block in scenario.products.blocks.items())
    kpis[K.OUTPUT_FROM_SLAG.name] = from_slag / years
    kpis[K.LOST_SALES.name] = sum(lost.values()) / years
    kpis.update(_firm_output(outcome))
    return kpis


def _firm_output(outcome: Outcome) -> dict[str, float]:
    received: dict[int, float] = defaultdict(float)
    for lot in outcome.records.received:
        if _in_window(lot.t, outcome):
            received[lot.firm] += lot.tons
    made: dict[int, float] = defaultdict(float)
    for lot in outcome.records.output:
        if _in_window(lot.t, outcome):
            made[lot.firm] += lot.tons
    years = outcome.window.years
    kpis = {}
    for firm in range(len(outcome.firm_workers)):
        kpis[K.FIRM_SLAG.key(f"{firm:02d}")] = received.get(firm, 0.0) / years
        kpis[K.FIRM_OUTPUT.key(f"{firm:02d}")] = made.get(firm, 0.0) / years
    return kpis


def _slag_kpis(outcome: Outcome) -> dict[str, float]:
    records, years = outcome.records, outcome.window.years
    received = _received(outcome)
    turned_away = dict.fromkeys(TurnAway, 0.0)
    for lot in records.refused:
        if _in_window(lot.t, outcome):
            turned_away[TurnAway(lot.reason)] += lot.tons
    refused = math.fsum(turned_away.values())
    sent_out = dict.fromkeys(ResidueExit, 0.0)
    for lot in records.residue_out:
        if _in_window(lot.t, outcome):
            sent_out[ResidueExit(lot.reason)] += lot.tons
    disposed = math.fsum(sent_out.values())
    ingot = sum(m.tons for m in records.output if m.product == INGOT and _in_window(m.t, outcome))
    processed = sum(lot.tons for lot in records.processed if _in_window(lot.t, outcome))
    return {
        K.SLAG_OFFERED.name: (received + refused) / years,
        K.SLAG_PROCESSED.name: processed / years,
        K.INGOT_PER_PROCESSED.name: ingot / processed if processed else 0.0,
        K.SLAG_RECEIVED.name: received / years,
        K.SLAG_REFUSED.name: refused / years,
        **{K.SLAG_TURNED_AWAY.key(reason): tons / years for reason, tons in turned_away.items()},
        K.SLAG_SENT_AWAY.name: math.fsum(lot.tons for lot in records.slag_out
                                         if _in_window(lot.t, outcome)) / years,
        K.RESIDUE_DISPOSED.name: disposed / years,
        **{K.RESIDUE_OUT.key(reason): tons / years for reason, tons in sent_out.items()},
        K.INGOT_YIELD.name: ingot / received if received else 0.0,
    }


def _received(outcome: Outcome) -> float:
    return sum(lot.tons for lot in outcome.records.received if _in_window(lot.t, outcome))


def _money_kpis(scenario: Scenario, outcome: Outcome, firms_paid_days: float) -> dict[str, float]:
    records, years = outcome.records, outcome.window.years
    revenue = sum(sale.rp for sale in records.sales if _in_window(sale.t, outcome))
    revenue += sum(money.rp for money in records.revenue_other if _in_window(money.t, outcome))
    costs = dict.fromkeys(map(str, Cost), 0.0)  # every category, so replications share one key set
    for money in records.costs:  # slag is booked lot by lot at delivery, priced by metal content
        if _in_window(money.t, outcome):
            costs[money.category] += money.rp
    tariff = Tariff.of(scenario)
    costs[Cost.wages] = firms_paid_days * tariff.wage_rp_per_worker_day
    costs[Cost.cooperative_crew] = _cooperative_crew_days(scenario, outcome) * tariff.wage_rp_per_worker_day
    costs[Cost.maintenance] = tariff.maintenance_rp_per_year * years
    kpis = {K.COST.key(name): value / years for name, value in sorted(costs.items())}
    total = sum(costs.values())
    kpis[K.TURNOVER.name] = revenue / years
    kpis[K.COSTS.name] = total / years
    kpis[K.GROSS_MARGIN.name] = (revenue - total) / years
    moves = [m for m in records.price_moves if _in_window(m.t, outcome)]
    kpis[K.PRICE_EXPOSURE.name] = sum(m.exposure_rp for m in moves) / years
    kpis[K.PRICE_EFFECT.name] = sum(m.gain_rp for m in moves) / years
    return kpis


def cooperative_crews(scenario: Scenario) -> int:
    """Workers the cooperative employs on its shared machines, per shift."""
    return sum(m.workers * m.count for m in scenario.machines.values() if m.crew == Crew.cooperative)


def _cooperative_crew_days(scenario: Scenario, outcome: Outcome) -> float:
    """Worker-days of the cooperative's machine crews: every worker, every shift the plant works."""
    return cooperative_crews(scenario) * outcome.plant_days * scenario.calendar.shifts_per_day


def _labour_kpis(scenario: Scenario, outcome: Outcome, people: Workforce) -> dict[str, float]:
    crews = cooperative_crews(scenario) * scenario.calendar.shifts_per_day
    crew_days = _cooperative_crew_days(scenario, outcome)
    years = outcome.window.years
    return {
        K.WORKERS.name: float(sum(outcome.firm_workers) + crews),
        K.CREW_PRESENT.name: (people.present_days / outcome.plant_days + crews
                              if outcome.plant_days else 0.0),
        K.WORKER_DAYS.name: (people.paid_days + crew_days) / years,
        K.ABSORBED.name: people.absorbed + crews,
        K.UNDEREMPLOYED.name: people.underemployed,
        K.WORKER_UTILISATION.name: people.utilisation,
    }


def _pay_kpis(kpis: dict[str, float], outcome: Outcome) -> dict[str, float]:
    """Full-time equivalents, the wage bill and the monthly pay of a worker absorbed."""
    wages = kpis[K.COST.key(Cost.wages)] + kpis.get(K.COST.key(Cost.cooperative_crew), 0.0)
    plant_days = outcome.plant_days / outcome.window.years
    absorbed = kpis[K.ABSORBED.name]
    return {
        K.FTE.name: kpis[K.WORKER_DAYS.name] / plant_days if plant_days else 0.0,
        K.WAGE_BILL.name: wages,
        K.EARNINGS.name: wages / absorbed / MONTHS_PER_YEAR if absorbed else 0.0,
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
        kpis[K.UTILIZATION.key(name)] = s["busy"] / available if available else 0.0
        kpis[K.SETUP_SHARE.key(name)] = s["setup"] / available if available else 0.0
        kpis[K.DOWN_SHARE.key(name)] = s["down"] / available if available else 0.0
        kpis[K.BLOCKED_SHARE.key(name)] = s["blocked"] / available if available else 0.0
        kpis[K.STARVED_SHARE.key(name)] = s["starved"] / available if available else 0.0
        kpis[K.AVAILABILITY.key(name)] = s["busy"] / operating if operating else 1.0
        kpis[K.WAIT.key(name)] = s["wait"] / s["jobs"] if s["jobs"] else 0.0
        kpis[K.JOBS.key(name)] = s["jobs"] / years
    for name in sorted(outcome.machine_hours_available):
        for firm in range(len(outcome.firm_workers)):
            wait, jobs = firm_wait.get((name, firm), (0.0, 0.0))
            kpis[K.FIRM_WAIT.key(name, f"{firm:02d}")] = wait / jobs if jobs else 0.0
    return kpis


def _machine_state_kpis(outcome: Outcome, kpis: dict[str, float]) -> dict[str, float]:
    """Idle share of open time, and the share of calendar time a machine is off shift."""
    window_h = outcome.window.end_h - outcome.window.start_h
    states: dict[str, float] = {}
    for name, available in sorted(outcome.machine_hours_available.items()):
        units = outcome.machine_units.get(name, 1)
        used = sum(kpis[state.key(name)] for state in BUSY_STATES)
        states[K.IDLE_SHARE.key(name)] = max(0.0, 1.0 - used)
        states[K.OFFSHIFT_SHARE.key(name)] = max(0.0, 1.0 - available / (units * window_h))
    return states


def active_period_kpis(outcome: Outcome) -> dict[str, float]:
    """Mean active period of each machine type, in working hours (Roser's active-period method).

    A unit is active while in setup, operating or under repair. Jobs that follow each other with no
    working hour in between form one active period; waiting for work, for workers or for space
    ends it. Periods are counted when they end inside the window.
    """
    periods: dict[str, list[float]] = defaultdict(list)
    current: dict[tuple[str, int], float] = {}
    last: dict[tuple[str, int], tuple[str, float]] = {}
    for job in sorted(outcome.records.jobs, key=lambda j: (j.pool, j.unit, j.start)):
        key = (job.pool, job.unit)
        if key in current and job.idle_before_h > 1e-9:
            _close_period(periods, last[key], current.pop(key), outcome)
        current[key] = current.get(key, 0.0) + job.active_h
        last[key] = (job.machine, job.work_end)
    for key, length in current.items():
        _close_period(periods, last[key], length, outcome)
    return {K.ACTIVE_PERIOD.key(name): (math.fsum(values) / len(values) if values else 0.0)
            for name in sorted(outcome.machine_hours_available)
            for values in [periods.get(name, [])]}


def _close_period(periods: dict[str, list[float]], last: tuple[str, float], length: float,
                  outcome: Outcome) -> None:
    machine, ended = last
    if _in_window(ended, outcome):
        periods[machine].append(length)


def time_share_kpis(outcome: Outcome) -> dict[str, float]:
    """For each production line, the share of its clock time spent on each reason.

    Reasons: ``machine.<name>`` (working on it, or queueing while it works for others), ``labour``
    (waiting for workers, hand sorting), ``slag_supply`` (waiting for slag), ``upstream`` (waiting
    for material from the slag line), ``curing_space`` (a pallet waiting for a yard place, or a firm
    queueing for a press held by one) and ``market_demand`` (stock at its cap, waiting for a sale).
    Time queueing for a machine is shared out by what held the machine meanwhile: its own work,
    a pallet waiting for yard space, or workers not yet there. See :mod:`slagsim.analysis.bottleneck`.
    """
    machines = sorted(outcome.machine_hours_available)
    hours = {line: dict.fromkeys([*Reason, *map(machine_reason, machines)], 0.0) for line in Line}
    holders = _queue_causes(outcome)
    for use in outcome.records.time_use:
        if use.line not in hours or not _in_window(use.t, outcome):
            continue
        machine = queued_machine(use.reason)
        if machine is not None:
            for cause, share in holders.get(machine, {machine_reason(machine): 1.0}).items():
                hours[use.line][cause] += use.hours * share
        else:
            hours[use.line][use.reason] += use.hours
    shares = {}
    for line, reasons in hours.items():
        total = math.fsum(reasons.values())
        for reason, spent in reasons.items():
            shares[K.TIME_SHARE.key(line, reason)] = spent / total if total else 0.0
    return shares


def _queue_causes(outcome: Outcome) -> dict[str, dict[str, float]]:
    """Per machine, the shares of its held time that were work, blocked (yard) and starved (crew)."""
    held: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for job in outcome.records.jobs:
        if _in_window(job.end, outcome):
            entry = held[job.machine]
            entry[0] += job.active_h
            entry[1] += job.blocked_h
            entry[2] += job.starved_h
    causes = {}
    for machine, (active, blocked, starved) in held.items():
        total = active + blocked + starved
        if total > 0:
            causes[machine] = {machine_reason(machine): active / total, Reason.curing_space: blocked / total,
                               Reason.labour: starved / total}
    return causes


def _level_peak(series: Iterable[Level], outcome: Outcome) -> float:
    peak, before = 0.0, 0.0
    for point in series:
        if point.t < outcome.window.start_h:
            before = point.value
        elif point.t < outcome.window.end_h:
            peak = max(peak, point.value)
    return max(peak, before)


def _level_mean(series: list[Level], outcome: Outcome) -> float:
    return time_average(series, outcome.window.start_h, outcome.window.end_h)


def time_average(series: list[Level], start: float, end: float) -> float:
    """Time average over [start, end) of a step series of level points in time order."""
    area, level, last = 0.0, 0.0, start
    for point in series:
        t = point.t
        if t >= end:
            break
        if t > start:
            area += level * (t - last)
            last = t
        level = point.value
    area += level * (end - last)
    return area / (end - start)


def _store_and_yard_kpis(scenario: Scenario, outcome: Outcome) -> dict[str, float]:
    records = outcome.records
    limit_h = scenario.b3_store.storage_limit_days * HOURS_PER_DAY
    ages = [lot.age_h for lot in records.lot_ages if _in_window(lot.t, outcome)]
    ages.append(records.oldest_lot_age_at_end_h)
    residue_limit_h = scenario.process.residue.storage_limit_days * HOURS_PER_DAY
    residue_ages = [lot.age_h for lot in records.residue_ages if _in_window(lot.t, outcome)]
    residue_ages.append(records.oldest_residue_age_at_end_h)
    return {
        K.RESIDUE_MEAN.name: _level_mean(records.residue_level, outcome),
        K.RESIDUE_MAX_AGE.name: max(residue_ages) / HOURS_PER_DAY,
        K.RESIDUE_OVER_LIMIT.name: float(sum(age > residue_limit_h + 1e-6 for age in residue_ages)),
        K.B3_PEAK.name: _level_peak(records.store_level, outcome),
        K.B3_MAX_AGE.name: max(ages) / HOURS_PER_DAY,
        K.B3_OVER_LIMIT.name: float(sum(age > limit_h + 1e-6 for age in ages)),  # at the limit: not over
        K.YARD_PEAK.name: _level_peak(records.yard_level, outcome),
        K.YARD_MEAN.name: _level_mean(records.yard_level, outcome),
        K.STACK_PEAK.name: _level_peak(records.stack_level, outcome),
        K.STACK_WAIT.name: sum(wait.value for wait in records.stack_waits
                               if _in_window(wait.t, outcome)) / outcome.window.years,
    }


def _furnace_kpis(scenario: Scenario, outcome: Outcome) -> dict[str, float]:
    """Melts a furnace made a working day, and how many whole melts of the mean cycle fit in one
    (changeovers, between firms only, left out); the furnace the firms' template melts on: the
    shared one, or each firm's own."""
    name = scenario.firms.template.route.melting
    machine = scenario.machines.get(name) or scenario.firms.template.own_machines.get(name)
    units = outcome.machine_units.get(name, 0)
    if machine is None or not units or not outcome.plant_days:
        return {K.MELTS_A_DAY.name: 0.0, K.MELT_CAPACITY.name: 0.0}
    melts = sum(1 for job in outcome.records.jobs if job.machine == name and _in_window(job.end, outcome))
    day_h = scenario.calendar.shift_hours * scenario.calendar.shifts_per_day
    return {K.MELTS_A_DAY.name: melts / units / outcome.plant_days,
            K.MELT_CAPACITY.name: float(math.floor(day_h / machine.cycle_h.mean + 1e-9))}


FLOWS = ("in.slag", "in.flux", "in.cement", "in.sand", "in.water", "out.iron", "out.fume",
         "out.residue_disposed", "out.slag_disposed")


def flow_names(scenario: Scenario, outcome: Outcome) -> list[tuple[str, float]]:
    """Every flow of the measured window, each named whether it happened or not (so replications
    share one key set)."""
    flows = outcome.records.window_flows_t
    names = [*FLOWS, *(f"out.sold.{p}" for p in [INGOT, *scenario.products.blocks])]
    return [(name, flows.get(name, 0.0)) for name in names]


def mass_balance_error(outcome: Outcome) -> float:
    """Inputs minus outputs minus end stocks over the whole run, in tons (0 when mass closes)."""
    flows = outcome.records.flows_t
    inputs = sum(v for k, v in flows.items() if k.startswith("in."))
    outputs = sum(v for k, v in flows.items() if k.startswith("out."))
    return inputs - outputs - sum(outcome.records.stocks_t.values())


def yearly_rows(scenario: Scenario, outcome: Outcome) -> list[dict[str, float | int | str]]:
    """Output per product per simulated year after the warm-up."""
    products = [INGOT, *scenario.products.blocks]
    years = max(1, math.ceil(outcome.window.years - 1e-9))
    tons = {(y, p): 0.0 for y in range(years) for p in products}
    pieces = dict.fromkeys(tons, 0.0)
    for made in outcome.records.output:
        if _in_window(made.t, outcome):
            year = min(int((made.t - outcome.window.start_h) // HOURS_PER_YEAR), years - 1)
            tons[(year, made.product)] += made.tons
            pieces[(year, made.product)] += made.pieces
    return [
        {"replication": outcome.replication, "year": y + 1, "product": p,
         "output_t": tons[(y, p)], "pieces": pieces[(y, p)]}
        for (y, p) in tons
    ]


def daily_output(outcome: Outcome) -> list[float]:
    """Tons made on each simulated day from day 0 (warm-up included), for the warm-up detector."""
    days = math.ceil(outcome.window.end_h / HOURS_PER_DAY - 1e-9)
    tons = [0.0] * days
    for made in outcome.records.output:
        day = int(made.t // HOURS_PER_DAY)
        if day < days:
            tons[day] += made.tons
    return tons


def series_step_days(years: float) -> int:
    """Days between series samples: daily up to two years, coarser beyond (at most ~730 points)."""
    return max(1, math.ceil(years * DAYS_PER_YEAR / 730))


def series_rows(outcome: Outcome) -> list[dict[str, float | int]]:
    """Cumulative output, B3 store level and curing-yard occupancy, sampled over the window."""
    records, window = outcome.records, outcome.window
    step_h = series_step_days(window.years) * HOURS_PER_DAY
    samples = math.floor((window.end_h - window.start_h) / step_h + 1e-9)
    output = sorted((made.t, made.tons) for made in records.output if made.t >= window.start_h)
    rows, made, position = [], 0.0, 0
    store, yard = _Stepper(records.store_level), _Stepper(records.yard_level)
    for k in range(samples + 1):
        t = window.start_h + k * step_h
        while position < len(output) and output[position][0] <= t:
            made += output[position][1]
            position += 1
        rows.append({"replication": outcome.replication, "day": round(k * step_h / HOURS_PER_DAY, 6),
                     "output_t": made, "b3_store_t": store.at(t), "curing_yard_pallets": yard.at(t)})
    return rows


class _Stepper:
    """The value of a time-stamped step series at increasing times."""

    def __init__(self, points: list[Level]):
        self.points = points
        self.position = 0
        self.value = 0.0

    def at(self, t: float) -> float:
        while self.position < len(self.points) and self.points[self.position].t <= t:
            self.value = float(self.points[self.position].value)
            self.position += 1
        return self.value
