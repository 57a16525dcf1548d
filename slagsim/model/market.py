"""Finished stock and the market: monthly demand, sales at a price, lost sales."""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
import simpy

from slagsim.model.price_paths import PriceIndex
from slagsim.model.records import LostSale, PriceMove, Records, Sale, WorkerHours
from slagsim.model.workdays import HOURS_PER_YEAR, MONTHS_PER_YEAR
from slagsim.scenario.schema import Demand

LOADERS = -1  # the firm number of worker-hours spent loading buyers' trucks (shared work)

HOURS_PER_MONTH = HOURS_PER_YEAR / MONTHS_PER_YEAR


class FinishedStock:
    """Tons of each product waiting to be sold, and a signal when some is sold."""

    def __init__(self, env: simpy.Environment, products: list[str]):
        self.env = env
        self.tons = dict.fromkeys(products, 0.0)
        self._sold: simpy.Event = env.event()

    def add(self, product: str, tons: float) -> None:
        """Put finished product into stock."""
        self.tons[product] += tons

    def remove(self, product: str, tons: float) -> None:
        """Take sold product out of stock and tell waiting producers."""
        self.tons[product] -= tons
        if not self._sold.triggered:
            self._sold.succeed()
        self._sold = self.env.event()

    def sale_event(self) -> simpy.Event:
        """An event that fires at the next sale."""
        return self._sold


class Market:
    """Sells one product from stock at the end of each month, up to that month's demand.

    A month's demand is the usual monthly draw times the month's season factor and growth, plus any
    public-works orders that land in that month; what stock cannot cover is lost. The ingot sells at
    today's price times the price index of the month (:mod:`slagsim.model.price_paths`).
    """

    def __init__(self, env: simpy.Environment, product: str, demand: Demand | None,
                 price_rp_per_t: float, stock: FinishedStock, rng: np.random.Generator,
                 records: Records, loading_worker_h_per_t: float = 0.0,
                 prices: PriceIndex | None = None, project_rng: np.random.Generator | None = None):
        self.env = env
        self.product = product
        self.demand = demand
        self.price_rp_per_t = price_rp_per_t
        self.stock = stock
        self.rng = rng
        self.records = records
        self.loading_worker_h_per_t = loading_worker_h_per_t
        self.prices = prices
        self.project_rng = project_rng
        self.factors = demand.month_factors() if demand is not None else [1.0] * MONTHS_PER_YEAR
        self._projects: dict[int, float] = {}  # month number -> tons ordered by public works

    def demand_t(self, month: int = 1) -> float:
        """Demand in the ``month``-th month since the start, in tons (infinite without a limit)."""
        if self.demand is None:
            return float("inf")
        growth = (1 + self.demand.growth_per_year) ** (self.env.now / HOURS_PER_YEAR)
        usual = self.demand.t_per_month.sample(self.rng) * self.factors[(month - 1) % MONTHS_PER_YEAR]
        projects = self.demand.projects
        if projects is None:
            return usual * growth
        return ((1 - projects.share) * usual + self._project_t(month)) * growth

    def _project_t(self, month: int) -> float:
        """Tons of public-works orders in ``month``; a year's orders are drawn at its first month."""
        if (month - 1) % MONTHS_PER_YEAR == 0 and self.project_rng is not None:
            self._draw_projects(month)
        return self._projects.pop(month, 0.0)

    def _draw_projects(self, first_month: int) -> None:
        projects = self.demand.projects
        mean_t = projects.share * MONTHS_PER_YEAR * self.demand.t_per_month.mean / projects.per_year
        rng = self.project_rng
        for _ in range(int(rng.poisson(projects.per_year))):
            month = first_month + int(rng.choice(projects.months)) - 1
            self._projects[month] = self._projects.get(month, 0.0) + float(rng.exponential(mean_t))

    def run(self) -> Generator[simpy.Event, object, None]:
        """The monthly selling process."""
        month = 0
        while True:
            yield self.env.timeout(HOURS_PER_MONTH)
            month += 1
            wanted = self.demand_t(month)
            sold = min(wanted, self.stock.tons[self.product])
            now = self.env.now
            if sold > 0:
                self.stock.remove(self.product, sold)
                self._book_sale(now, sold)
                self.records.flow(f"out.sold.{self.product}", sold, now)
                if self.loading_worker_h_per_t:  # paid work, not timed: buyers' trucks wait
                    hours = sold * self.loading_worker_h_per_t
                    self.records.worker_hours.append(WorkerHours(now, LOADERS, hours, self.product))
            if self.demand is not None and wanted > sold:
                self.records.lost_sales.append(LostSale(now, self.product, wanted - sold))

    def _book_sale(self, now: float, tons: float) -> None:
        today_rp = tons * self.price_rp_per_t
        if self.prices is None:
            self.records.sales.append(Sale(now, self.product, tons, today_rp))
            return
        index = self.prices.at(now)
        self.records.sales.append(Sale(now, self.product, tons, today_rp * index))
        self.records.price_moves.append(PriceMove(now, today_rp, today_rp * (index - 1)))
