"""Which product line earns: each product's sales less the costs that belong to it.

The engine tags what it can as it happens (cement and sand with the block product mixed, a
machine's energy and fuel with the product of its job, worker-hours with the product worked
on). The slag chain's costs (slag bought, sorting, milling, sieving, melting, flux, residue sent
away) and the scrap iron belong to the ingot. Residue is the ingot's by-product, B3 waste it must
pay to send away; a block line that takes it up saves that fee, so each ton used moves the
disposal fee from the block line's margin to the ingot's (the ingot line then carries the disposal
of all the residue it makes, and its margin does not depend on how many blocks are made).
Costs of the whole year are shared out: wages by each product's share of worker-hours (so pay
by attendance is split like work done), and each machine's maintenance and cooperative crew by
what its jobs made. The product margins add up to the plant's gross margin.
"""

from __future__ import annotations

import math
from collections import defaultdict

from slagsim.analysis import kpis as K
from slagsim.model.engine import Outcome
from slagsim.model.money import Tariff
from slagsim.model.vocabulary import INGOT, SHARED
from slagsim.scenario.schema import Crew, MachineConfig, Scenario

Shares = dict[str, float]


def product_margins(scenario: Scenario, outcome: Outcome, wages_rp: float, crew_day_rp: float
                    ) -> dict[str, float]:
    """``gross_margin_rp_per_year.<product>`` for the ingot and every block product.

    ``wages_rp`` are the firms' wages in the window; ``crew_day_rp`` a worker-day's wage.
    """
    products = [INGOT, *scenario.products.blocks]
    window, records = outcome.window, outcome.records
    inside = _inside(outcome)
    margin = dict.fromkeys(products, 0.0)
    for sale in records.sales:
        if inside(sale.t):
            margin[sale.product] += sale.rp
    for money in records.revenue_other:
        if inside(money.t):
            margin[money.product or INGOT] += money.rp
    for money in records.costs:
        if inside(money.t):
            margin[money.product or INGOT] -= money.rp
    fee = Tariff.of(scenario).disposal_rp_per_t
    for used in records.residue_used:
        if inside(used.t):
            margin[used.product] += used.tons * fee  # the disposal it avoids
            margin[INGOT] -= used.tons * fee
    for product, share in _work_shares(outcome, products).items():
        margin[product] -= wages_rp * share
    made = _tons_made(outcome, products)
    for config, units, shares in _machines(scenario, made, products):
        yearly = config.maintenance_rp_per_year * units * window.years
        if config.crew == Crew.cooperative and config.workers:
            days = outcome.plant_days * scenario.calendar.shifts_per_day
            yearly += config.workers * units * days * crew_day_rp
        for product, share in shares.items():
            margin[product] -= yearly * share
    return {K.PRODUCT_MARGIN.key(p): value / window.years for p, value in margin.items()}


def _inside(outcome: Outcome):
    start, end = outcome.window.start_h, outcome.window.end_h
    return lambda t: start <= t < end


def _work_shares(outcome: Outcome, products: list[str]) -> Shares:
    """Each product's share of the worker-hours worked in the window. Work for every line at once
    (cleaning the work places) goes half to the slag chain, whose by-product is the ingot, and
    half to the block lines by the tons each made: the two floors are swept alike, so a line's
    share does not swing with another line's crew."""
    inside = _inside(outcome)
    hours: dict[str, float] = defaultdict(float)
    shared = 0.0
    for work in outcome.records.worker_hours:
        if inside(work.t):
            if work.product == SHARED:
                shared += work.hours
            else:
                hours[work.product or INGOT] += work.hours
    blocks = {p: t for p, t in _tons_made(outcome, products).items() if p != INGOT and t > 0}
    made = math.fsum(blocks.values())
    hours[INGOT] += shared if not made else shared / 2
    for product, tons in blocks.items():
        hours[product] += shared / 2 * tons / made
    total = math.fsum(hours.values())
    if not total:
        return {INGOT: 1.0}
    return {p: hours.get(p, 0.0) / total for p in products}


def _tons_made(outcome: Outcome, products: list[str]) -> dict[str, float]:
    inside = _inside(outcome)
    tons = dict.fromkeys(products, 0.0)
    for made in outcome.records.output:
        if inside(made.t):
            tons[made.product] += made.tons
    return tons


def _machines(scenario: Scenario, made: dict[str, float], products: list[str]
              ) -> list[tuple[MachineConfig, int, Shares]]:
    """Every machine (shared, and each firm's own) with its count and the products it serves."""
    serves: dict[str, set[str]] = defaultdict(set)
    blocks = list(scenario.products.blocks)
    for firm in scenario.firms.resolved:
        route = firm.route
        for step in (route.crushing, route.sieving, route.melting):
            serves[step].add(INGOT)
        for step in (route.mixing, route.packaging):
            serves[step].update(p for p in blocks if firm.product_mix.get(p, 0) > 0)
        for product, machine in route.forming.items():
            if firm.product_mix.get(product, 0) > 0:
                serves[machine].add(product)
    rows = [(config, config.count, _shares(serves.get(name, set()), made, products))
            for name, config in scenario.machines.items()]
    for firm in scenario.firms.resolved:
        if not firm.active:
            continue
        rows += [(config, config.count, _shares(serves.get(name, set()), made, products))
                 for name, config in firm.own_machines.items()]
    return [row for row in rows if row[1] > 0]


def _shares(served: set[str], made: dict[str, float], products: list[str]) -> Shares:
    """Split a machine's yearly costs by the tons made of the products it serves."""
    served_list = sorted(served) or products  # a machine on no route: shared by every line
    tons = {p: made.get(p, 0.0) for p in served_list}
    total = math.fsum(tons.values())
    if not total:
        return {p: 1 / len(served_list) for p in served_list}
    return {p: t / total for p, t in tons.items()}
