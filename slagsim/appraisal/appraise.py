"""Per candidate: extra tons and margin, NPV, payback and the chance of paying back in time.

Every figure comes from the replications, not just the mean: replication i of a candidate is paired
with replication i of the baseline (common random numbers), its extra gross margin gives one NPV and
one payback time, and the spread of those is the uncertainty a planner faces.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

import numpy as np

from slagsim.analysis import kpis as K
from slagsim.analysis.stats import mean_ci
from slagsim.appraisal.evaluate import Bundle, KpiTable, bundle_name
from slagsim.appraisal.finance import Investment, cash_flows, npv, operating_flows, payback_years
from slagsim.appraisal.menu import Menu, Payer

TONS = K.PRODUCT_OUTPUT.name
MARGIN = K.GROSS_MARGIN.name


@dataclass(frozen=True)
class Appraisal:
    """One candidate (an item or a bundle) judged against the baseline."""

    bundle: Bundle
    price_rp: float
    grant_rp: float
    extra_t: tuple[float, float, float]  # mean, ci low, ci high
    extra_margin_rp: tuple[float, float, float]
    npv_rp: tuple[float, float, float]
    npv_local_rp: float  # NPV for the cooperative and firms: grant-paid prices left out
    npvs: tuple[float, ...]  # per replication
    paybacks: tuple[float, ...]  # per replication, years (inf: never within the horizon)
    p_payback: tuple[float, float, float]  # share paying back within the horizon, Wilson 95 % CI
    yearly_cost_rp: float = 0.0  # costs outside the simulation, every year (a supply contract's fee)
    cash: tuple[tuple[float, ...], ...] = ()  # per replication: cumulative discounted cash, years 0..n

    def cash_band(self, low: float = 0.1, high: float = 0.9) -> list[tuple[int, float, float, float]]:
        """(year, low quantile, median, high quantile) of the cumulative discounted cash: what a
        planner sees of the money over the years, with the futures' spread."""
        if not self.cash:
            return []
        years = np.array(self.cash)
        quantiles = np.quantile(years, [low, 0.5, high], axis=0)
        return [(year, *map(float, quantiles[:, year])) for year in range(years.shape[1])]

    @property
    def name(self) -> str:
        return bundle_name(self.bundle)

    @property
    def median_payback(self) -> float:
        ordered = sorted(self.paybacks)
        middle = len(ordered) // 2
        return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2

    def row(self) -> dict[str, object]:
        """A flat table row."""
        return {
            "candidate": self.name, "items": len(self.bundle), "price_rp": self.price_rp,
            "grant_rp": self.grant_rp, "yearly_cost_rp": self.yearly_cost_rp,
            "extra_t_per_year": self.extra_t[0], "extra_t_ci95_low": self.extra_t[1],
            "extra_t_ci95_high": self.extra_t[2],
            "extra_t_significant": bool(self.extra_t[1] > 0 or self.extra_t[2] < 0),
            "extra_margin_rp_per_year": self.extra_margin_rp[0],
            "extra_margin_ci95_low": self.extra_margin_rp[1],
            "extra_margin_ci95_high": self.extra_margin_rp[2],
            "npv_rp": self.npv_rp[0], "npv_ci95_low": self.npv_rp[1], "npv_ci95_high": self.npv_rp[2],
            "npv_local_rp": self.npv_local_rp, "median_payback_years": self.median_payback,
            "p_payback_within_horizon": self.p_payback[0], "p_payback_ci95_low": self.p_payback[1],
            "p_payback_ci95_high": self.p_payback[2], "replications": len(self.npvs),
        }


def bundle_investment(menu: Menu, bundle: Bundle, horizon_years: int) -> Investment:
    """A bundle as one investment: prices, costs and salvage add up; the latest installation counts;
    its life is the shortest of its items' (the horizon when the bundle is empty)."""
    items = [menu.items[name] for name in bundle]
    if not items:
        return Investment(0.0, life_years=horizon_years)
    return Investment(
        price_rp=sum(i.price_rp for i in items), install_months=max(i.install_months for i in items),
        yearly_cost_rp=sum(i.yearly_cost_rp for i in items), life_years=min(i.life_years for i in items),
        salvage_rp=sum(i.salvage_rp for i in items))


def grant_paid(menu: Menu, bundle: Bundle) -> float:
    """The part of the price a DAK grant pays."""
    return sum(menu.items[name].price_rp for name in bundle if menu.items[name].paid_by is Payer.dak)


PriceYears = Callable[[int], list[float] | None]  # replication -> mean price index of each year


def horizon_margins(base: dict[str, float], mine: dict[str, float], price_years: list[float] | None
                    ) -> float | list[float]:
    """One replication's extra margin in each year of the horizon.

    The simulated year gives the extra margin and how much more of it rides on the aluminium price
    (:data:`K.PRICE_EXPOSURE`); taking out that year's price effect leaves the extra margin at
    today's price, and each later year adds the exposure times that year's price move along the
    replication's own path (the same path for baseline and candidate: common random numbers). Prices
    move no tons in the model, so this is exact for the simulated year's operations.
    """
    extra = mine[MARGIN] - base[MARGIN]
    if not price_years:
        return extra
    effect = mine.get(K.PRICE_EFFECT.name, 0.0) - base.get(K.PRICE_EFFECT.name, 0.0)
    exposure = mine.get(K.PRICE_EXPOSURE.name, 0.0) - base.get(K.PRICE_EXPOSURE.name, 0.0)
    return [extra - effect + exposure * (index - 1) for index in price_years]


def appraise(menu: Menu, bundle: Bundle, base: KpiTable, mine: KpiTable, horizon_years: int,
             discount_rate: float, price_years: PriceYears | None = None) -> Appraisal:
    """Judge ``bundle`` (replication KPIs ``mine``) against the baseline's (``base``); with
    ``price_years``, each replication's later years follow its own aluminium price path."""
    common = sorted(set(base) & set(mine))
    extra_t = [mine[r][TONS] - base[r][TONS] for r in common]
    extra_margin = [mine[r][MARGIN] - base[r][MARGIN] for r in common]
    yearly = [horizon_margins(base[r], mine[r], price_years(r) if price_years else None) for r in common]
    investment = bundle_investment(menu, bundle, horizon_years)
    grant = grant_paid(menu, bundle)
    flows = [cash_flows(investment, m, horizon_years) for m in yearly]
    npvs = [npv(f, discount_rate) for f in flows]
    cash = tuple(tuple(accumulate(f / (1 + discount_rate) ** year for year, f in enumerate(one)))
                 for one in flows)
    paybacks = [payback_years(operating_flows(investment, m, horizon_years)) for m in yearly]
    local_flows = cash_flows(investment, mean_ci(extra_margin)[0], horizon_years,
                             upfront_rp=investment.price_rp - grant)
    paid_back = sum(p <= horizon_years for p in paybacks)
    return Appraisal(
        bundle, investment.price_rp, grant, mean_ci(extra_t), mean_ci(extra_margin), mean_ci(npvs),
        npv(local_flows, discount_rate), tuple(npvs), tuple(paybacks), wilson(paid_back, len(paybacks)),
        investment.yearly_cost_rp, cash)


def wilson(successes: int, trials: int, z: float = 1.959963984540054) -> tuple[float, float, float]:
    """A proportion and its Wilson score 95 % interval."""
    if trials == 0:
        return math.nan, math.nan, math.nan
    share = successes / trials
    centre = (share + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z / (1 + z * z / trials) * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials))
    return share, max(0.0, centre - half), min(1.0, centre + half)
