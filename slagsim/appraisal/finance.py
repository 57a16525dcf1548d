"""Cash flows of a purchase, net present value and payback: plain arithmetic, no simulation.

Year 0 carries the purchase price. Year t (1, 2, ...) carries the extra gross margin for the part of
the year the item works (it starts ``install_months`` after purchase) minus costs the simulation does
not count. The salvage value comes in at the end of the economic life; when the horizon ends first,
the remaining value (salvage plus the undepreciated part of price - salvage, straight line) is counted
in the last year instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Investment:
    """What an item costs and how long it lasts."""

    price_rp: float
    install_months: float = 0.0
    yearly_cost_rp: float = 0.0  # costs outside the simulation (the simulated margin has the rest)
    life_years: int = 10
    salvage_rp: float = 0.0

    def working_share(self, year: int) -> float:
        """The share of year ``year`` (1-based) in which the item works."""
        return min(1.0, max(0.0, (12 * year - self.install_months) / 12))

    def residual_value(self, year: int) -> float:
        """Straight-line value at the end of ``year`` (the salvage value at the end of its life)."""
        if year >= self.life_years:
            return self.salvage_rp
        remaining = (self.life_years - year) / self.life_years
        return self.salvage_rp + (self.price_rp - self.salvage_rp) * remaining


Margins = float | Sequence[float]  # one extra margin for every year, or one per year (1, 2, ...)


def cash_flows(item: Investment, extra_margin_rp: Margins, horizon_years: int,
               upfront_rp: float | None = None) -> list[float]:
    """Flows for years 0..min(horizon, life): ``upfront_rp`` (default the price) out at year 0.

    ``extra_margin_rp`` is one figure for every year, or a figure per year (the aluminium price
    moving along its path); a list shorter than the horizon repeats its last year.
    """
    years = min(horizon_years, item.life_years)
    flows = [-(item.price_rp if upfront_rp is None else upfront_rp)]
    for year in range(1, years + 1):
        share = item.working_share(year)
        flows.append(share * _margin_in(extra_margin_rp, year) - share * item.yearly_cost_rp)
    if years:
        flows[years] += item.residual_value(years)
    return flows


def _margin_in(margins: Margins, year: int) -> float:
    if isinstance(margins, int | float):
        return float(margins)
    return float(margins[min(year, len(margins)) - 1])


def npv(flows: list[float], rate: float) -> float:
    """Net present value of yearly flows (index = year) at discount ``rate``."""
    return math.fsum(flow / (1 + rate) ** year for year, flow in enumerate(flows))


def payback_years(flows: list[float]) -> float:
    """Years from purchase until the cumulative (undiscounted) flows turn non-negative for good.

    Linear within a year. 0 when the cumulative never goes below zero; ``inf`` when it ends below
    zero. Pass the flows without residual value (:func:`operating_flows`): selling the item off
    does not count as paying it back.
    """
    cumulative = [flows[0]]
    for flow in flows[1:]:
        cumulative.append(cumulative[-1] + flow)
    if cumulative[-1] < 0:
        return math.inf
    last_negative = max((year for year, total in enumerate(cumulative) if total < 0), default=None)
    if last_negative is None:
        return 0.0
    before, after = cumulative[last_negative], cumulative[last_negative + 1]
    return last_negative + (-before) / (after - before)


def operating_flows(item: Investment, extra_margin_rp: Margins, horizon_years: int) -> list[float]:
    """The flows without any residual value (what payback counts)."""
    flows = cash_flows(item, extra_margin_rp, horizon_years)
    years = len(flows) - 1
    if years:
        flows[years] -= item.residual_value(years)
    return flows
