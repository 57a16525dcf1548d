"""Each firm's year: what it made, what its people were paid and its share of the margin.

The cooperative sells every firm's blocks and ingot from one stock, so a sale belongs to no single
firm. A firm's margin is therefore its tons of each product at that product line's margin a ton
(the line's sales less its materials, energy, wages and upkeep, :mod:`slagsim.analysis.margins`);
its wages are what its own shifts were paid (days present, or hours worked, overtime at its
factor; loading buyers' trucks is the whole centre's, no firm's). The firms' margins add up to the
product lines' margins, so a planner sees who gains from a purchase and whose people earn, without
a rule the centre does not have.
"""

from __future__ import annotations

from collections import defaultdict

from slagsim.analysis import kpis as K
from slagsim.analysis.people import shift_hours
from slagsim.model.engine import Outcome
from slagsim.scenario.schema import PayBasis, Scenario


def firm_money_kpis(scenario: Scenario, outcome: Outcome, margins: dict[str, float]) -> dict[str, float]:
    """``firm_wages_rp_per_year.<firm>`` and ``firm_margin_rp_per_year.<firm>`` for every firm.

    ``margins`` are the replication's KPIs holding each product's gross margin a year.
    """
    window, years = outcome.window, outcome.window.years
    made: dict[tuple[int, str], float] = defaultdict(float)
    for lot in outcome.records.output:
        if window.start_h <= lot.t < window.end_h:
            made[lot.firm, lot.product] += lot.tons
    line_tons: dict[str, float] = defaultdict(float)
    for (_firm, product), tons in made.items():
        line_tons[product] += tons
    per_ton = {product: margins.get(K.PRODUCT_MARGIN.key(product), 0.0) * years / tons
               for product, tons in line_tons.items() if tons > 0}
    margin: dict[int, float] = defaultdict(float)
    for (firm, product), tons in made.items():
        margin[firm] += tons * per_ton.get(product, 0.0)
    wages = _wages_by_firm(scenario, outcome)
    kpis = {}
    for firm in range(len(outcome.firm_workers)):
        kpis[K.FIRM_WAGES.key(f"{firm:02d}")] = wages.get(firm, 0.0) / years
        kpis[K.FIRM_MARGIN.key(f"{firm:02d}")] = margin.get(firm, 0.0) / years
    return kpis


def _wages_by_firm(scenario: Scenario, outcome: Outcome) -> dict[int, float]:
    """Each firm's wages in the window: its shifts paid as :func:`people.paid_days` pays them."""
    labour, shift_h = scenario.labour, scenario.calendar.shift_hours
    attendance = labour.pay_basis == PayBasis.attendance
    wages: dict[int, float] = defaultdict(float)
    for present, hours in shift_hours(outcome):
        days = present.workers if attendance else hours / shift_h
        factor = labour.overtime_pay_factor if present.overtime else 1.0
        wages[present.firm] += factor * days * labour.wage_rp_per_worker_day
    return wages
