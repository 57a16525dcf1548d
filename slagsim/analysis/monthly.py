"""Month by month, what a cooperative's books hold: the records format.

A cooperative keeps books by month: slag bought and put through, ingot made and sold, blocks made
and sold, turnover, wages paid. ``monthly.csv`` holds the same columns per replication and month
for every run, so a simulated month and a month from the books can be set side by side, and
``slagsim calibrate`` can fit the estimates to the books.

Months are the model's: a twelfth of a 365-day year from the run's start (1 January); only months
wholly inside the measured window are written, so the warm-up's partial month never shows.
"""

from __future__ import annotations

import math

from slagsim.analysis.metrics import cooperative_crews
from slagsim.analysis.people import paid_days
from slagsim.model.engine import Outcome
from slagsim.model.vocabulary import INGOT
from slagsim.model.workdays import HOURS_PER_MONTH, MONTHS_PER_YEAR, whole_months
from slagsim.scenario.schema import Scenario

KEYS = ("replication", "year", "month")  # year: the simulated year (1, 2, ...); month: 1-12


def columns(products: list[str]) -> list[str]:
    """The records' measured columns, in order: tons and pieces of each block product."""
    per_product = [column for product in products
                   for column in (f"{product}_made_t", f"{product}_made_pieces", f"{product}_sold_t",
                                  f"{product}_sold_pieces")]
    return ["slag_received_t", "slag_processed_t", "ingot_made_t", "ingot_sold_t", *per_product,
            "turnover_rp", "paid_worker_days"]


def month_index(t: float) -> int:
    """The month (0 = the first) that the instant ``t`` belongs to; an instant on a month's last
    moment (the month's last sale day) belongs to the month it closes."""
    return max(0, math.ceil(t / HOURS_PER_MONTH - 1e-9) - 1)


def monthly_rows(scenario: Scenario, outcome: Outcome) -> list[dict[str, float | int]]:
    """One row per whole month of the window: the records' columns for this replication."""
    months = whole_months(outcome.window.start_h, outcome.window.end_h)
    blocks = list(scenario.products.blocks)
    pieces_per_t = {name: 1000.0 / product.piece_kg for name, product in scenario.products.blocks.items()}
    names = columns(blocks)
    totals = {m: dict.fromkeys(names, 0.0) for m in months}

    def add(t: float, column: str, amount: float) -> None:
        month = month_index(t)
        if month in totals:
            totals[month][column] += amount

    records = outcome.records
    for lot in records.received:
        add(lot.t, "slag_received_t", lot.tons)
    for lot in records.processed:
        add(lot.t, "slag_processed_t", lot.tons)
    for made in records.output:
        add(made.t, "ingot_made_t" if made.product == INGOT else f"{made.product}_made_t", made.tons)
        if made.product != INGOT:
            add(made.t, f"{made.product}_made_pieces", made.pieces)
    for sale in records.sales:
        add(sale.t, "turnover_rp", sale.rp)
        add(sale.t, "ingot_sold_t" if sale.product == INGOT else f"{sale.product}_sold_t", sale.tons)
        if sale.product != INGOT:
            add(sale.t, f"{sale.product}_sold_pieces", sale.tons * pieces_per_t[sale.product])
    for money in records.revenue_other:
        add(money.t, "turnover_rp", money.rp)
    _add_worker_days(scenario, outcome, add)
    return [{"replication": outcome.replication, "year": m // MONTHS_PER_YEAR + 1,
             "month": m % MONTHS_PER_YEAR + 1, **totals[m]} for m in months]


def _add_worker_days(scenario: Scenario, outcome: Outcome, add) -> None:
    """Paid worker-days as the wage book counts them: the firms' (days present, or hours of work
    over a shift's hours), and the cooperative crews' (every worker, every shift the plant works)."""
    for t, days in paid_days(scenario, outcome, whole_run=True):
        add(t, "paid_worker_days", days)
    crews = cooperative_crews(scenario) * scenario.calendar.shifts_per_day
    for month, days in outcome.plant_days_by_month.items():
        add((month + 0.5) * HOURS_PER_MONTH, "paid_worker_days", crews * days)
