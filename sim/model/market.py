"""Finished stock and the market: monthly demand, sales at a price, lost sales."""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
import simpy

from sim.calendar import HOURS_PER_YEAR, MONTHS_PER_YEAR
from sim.model.records import LostSale, Records, Sale, WorkerHours
from sim.schema import Demand

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
    """Sells one product from stock at the end of each month, up to that month's demand."""

    def __init__(self, env: simpy.Environment, product: str, demand: Demand | None,
                 price_rp_per_t: float, stock: FinishedStock, rng: np.random.Generator,
                 records: Records, loading_worker_h_per_t: float = 0.0):
        self.env = env
        self.product = product
        self.demand = demand
        self.price_rp_per_t = price_rp_per_t
        self.stock = stock
        self.rng = rng
        self.records = records
        self.loading_worker_h_per_t = loading_worker_h_per_t

    def demand_t(self) -> float:
        """This month's demand in tons (infinite when the product has no demand limit)."""
        if self.demand is None:
            return float("inf")
        growth = (1 + self.demand.growth_per_year) ** (self.env.now / HOURS_PER_YEAR)
        return self.demand.t_per_month.sample(self.rng) * growth

    def run(self) -> Generator[simpy.Event, object, None]:
        """The monthly selling process."""
        while True:
            yield self.env.timeout(HOURS_PER_MONTH)
            wanted = self.demand_t()
            sold = min(wanted, self.stock.tons[self.product])
            now = self.env.now
            if sold > 0:
                self.stock.remove(self.product, sold)
                self.records.sales.append(Sale(now, self.product, sold, sold * self.price_rp_per_t))
                self.records.flow(f"out.sold.{self.product}", sold)
                if self.loading_worker_h_per_t:  # paid work, not timed: buyers' trucks wait
                    hours = sold * self.loading_worker_h_per_t
                    self.records.worker_hours.append(WorkerHours(now, LOADERS, hours, self.product))
            if self.demand is not None and wanted > sold:
                self.records.lost_sales.append(LostSale(now, self.product, wanted - sold))
