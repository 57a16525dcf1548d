"""Finished stock and the market: monthly demand sold day by day, contracts, lost sales."""

from __future__ import annotations

import math
from collections.abc import Generator

import numpy as np
import simpy

from slagsim.model.price_paths import PriceIndex
from slagsim.model.records import LostSale, PriceMove, Records, Sale, WorkerHours
from slagsim.model.workdays import HOURS_PER_YEAR, MONTHS_PER_YEAR
from slagsim.scenario.schema import Demand

LOADERS = -1  # the firm number of worker-hours spent loading buyers' trucks (shared work)

HOURS_PER_MONTH = HOURS_PER_YEAR / MONTHS_PER_YEAR
SALE_DAYS_PER_MONTH = 30  # buyers come on any day: a month's demand is sold in daily parts


class FinishedStock:
    """Tons of each product waiting to be sold, and a signal when some is sold."""

    def __init__(self, env: simpy.Environment, products: list[str], caps: dict[str, float] | None = None):
        self.env = env
        self.tons = dict.fromkeys(products, 0.0)
        self.caps = {name: (caps or {}).get(name, math.inf) for name in products}
        # unsold tons on their way: pallets being mixed, pressed or curing (what a firm deciding
        # whether to make more counts against the cap, with the stock)
        self.coming = dict.fromkeys(products, 0.0)
        self._sold: simpy.Event = env.event()

    def add(self, product: str, tons: float) -> None:
        """Put finished product into stock."""
        self.tons[product] += tons

    def remove(self, product: str, tons: float) -> None:
        """Take sold product out of stock, and wake the producers waiting for a sale when this one
        brings the product's unsold tons under its cap (only then can they make more of it: buyers
        come every day, and waking every idle firm at each sale doubled a replication's events)."""
        self.tons[product] -= tons
        waiting = self._sold
        if waiting.callbacks and self.tons[product] + self.coming[product] < self.caps[product]:
            waiting.succeed()
            self._sold = self.env.event()

    def sale_event(self) -> simpy.Event:
        """An event that fires at the next sale."""
        return self._sold


class Market:
    """Sells one product from stock day by day, up to each month's demand.

    A month's demand is the usual monthly draw times the month's season factor and growth; buyers
    come on every day of it (``SALE_DAYS_PER_MONTH``), each day's share sold from stock, and what
    stock cannot cover that day is lost (a buyer who finds no blocks goes elsewhere). Public-works
    orders that land in a month are contracts: delivered from stock before the day's buyers, as it
    is made, and lost only for what is still owed ``deliver_within_months`` after the order. The
    ingot sells at today's price times the price index of the month
    (:mod:`slagsim.model.price_paths`).

    Selling a month's demand at one instant made every firm pause at the stock cap and start
    again together after the sale: 25 firms' pallets reached the press on the same day, which ran
    flat out for days and then stood idle for weeks (issue 24).
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
        self._owed: list[list[float]] = []  # public-works orders open: [month due, tons owed]

    def month_demand(self, month: int = 1) -> tuple[float, float]:
        """Tons the usual buyers want in the ``month``-th month since the start (infinite without a
        limit), and tons public works order in it."""
        if self.demand is None:
            return float("inf"), 0.0
        growth = (1 + self.demand.growth_per_year) ** (self.env.now / HOURS_PER_YEAR)
        usual = self.demand.t_per_month.sample(self.rng) * self.factors[(month - 1) % MONTHS_PER_YEAR]
        projects = self.demand.projects
        if projects is None:
            return usual * growth, 0.0
        return (1 - projects.share) * usual * growth, self._project_t(month) * growth

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
        """The selling process: a month's demand drawn as it starts, sold over its days.

        Each sale day's time is counted from the start and the month (not added up day after day:
        years of added steps drift past a month's end, which moved a month's last sale into the
        next month's books and gave a contract an extra day past its deadline)."""
        start, month = self.env.now, 0
        while True:
            month += 1
            usual, ordered = self.month_demand(month)
            if ordered > 0:  # due by the end of this month + deliver_within_months - 1
                self._owed.append([month + self.demand.projects.deliver_within_months - 1, ordered])
            daily = usual / SALE_DAYS_PER_MONTH
            for day in range(1, SALE_DAYS_PER_MONTH + 1):
                at = start + HOURS_PER_MONTH * (month - 1 + day / SALE_DAYS_PER_MONTH)
                yield self.env.timeout(max(0.0, at - self.env.now))
                if self._owed:
                    self._deliver(month if day == SALE_DAYS_PER_MONTH else 0)
                self._sell(daily)

    def _deliver(self, closing: int = 0) -> None:
        """Deliver what stock holds towards the open public-works orders, oldest first; what is
        still owed of an order due by month ``closing`` (on its last sale day; 0 otherwise) is lost."""
        now, still = self.env.now, []
        for order in self._owed:
            sent = min(order[1], self.stock.tons[self.product])
            if sent > 0:
                self._take(now, sent)
                order[1] -= sent
            if order[1] <= 1e-9:
                continue
            if closing and order[0] <= closing:
                self.records.lost_sales.append(LostSale(now, self.product, order[1]))
            else:
                still.append(order)
        self._owed = still

    def _sell(self, wanted: float) -> None:
        """One day's buyers: what stock holds of ``wanted`` is sold, the rest lost."""
        sold = min(wanted, self.stock.tons[self.product])
        now = self.env.now
        if sold > 0:
            self._take(now, sold)
        if self.demand is not None and wanted > sold:
            self.records.lost_sales.append(LostSale(now, self.product, wanted - sold))

    def _take(self, now: float, tons: float) -> None:
        """Sell ``tons`` from stock: the money, the flow out and the loading."""
        self.stock.remove(self.product, tons)
        self._book_sale(now, tons)
        self.records.flow(f"out.sold.{self.product}", tons, now)
        if self.loading_worker_h_per_t:  # paid work, not timed: buyers' trucks wait
            self.records.worker_hours.append(
                WorkerHours(now, LOADERS, tons * self.loading_worker_h_per_t, self.product))

    def _book_sale(self, now: float, tons: float) -> None:
        today_rp = tons * self.price_rp_per_t
        if self.prices is None:
            self.records.sales.append(Sale(now, self.product, tons, today_rp))
            return
        index = self.prices.at(now)
        self.records.sales.append(Sale(now, self.product, tons, today_rp * index))
        self.records.price_moves.append(PriceMove(now, today_rp, today_rp * (index - 1)))
