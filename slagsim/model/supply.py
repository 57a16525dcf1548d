"""Slag deliveries by truck and the rule that assigns each lot to a firm."""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
import simpy

from slagsim.model.price_paths import PriceIndex
from slagsim.model.records import PriceMove, Refused
from slagsim.model.store import B3Store
from slagsim.model.streams import Streams
from slagsim.model.vocabulary import TurnAway
from slagsim.model.workdays import DAYS_PER_YEAR, HOURS_PER_DAY
from slagsim.scenario.schema import Allocation, SupplyConfig

HOURS_PER_YEAR = DAYS_PER_YEAR * HOURS_PER_DAY


class Allocator:
    """Chooses the firm that receives a lot, deterministically, so no random stream is used."""

    def __init__(self, rule: Allocation, quota_shares: list[float], store: B3Store,
                 active: list[bool] | None = None):
        self.rule = rule
        self.active = [i for i, works in enumerate(active or [True] * len(quota_shares)) if works]
        shares = np.asarray([q if i in self.active else 0.0 for i, q in enumerate(quota_shares)])
        self.quota = shares / shares.sum() if shares.sum() > 0 else shares
        self.allocated = np.zeros(len(quota_shares))
        self.store = store
        self._next = 0

    def choose(self, tons: float) -> int:
        """The firm for a lot of ``tons`` (only firms with workers take slag)."""
        if self.rule == Allocation.round_robin:
            firm = self.active[self._next]
            self._next = (self._next + 1) % len(self.active)
        elif self.rule == Allocation.most_free_storage:
            firm = max(
                self.active,
                key=lambda i: (self.store.free_t(i), -self.store.held_t[i], -i),
            )
        else:
            deficit = self.quota * (self.allocated.sum() + tons) - self.allocated
            firm = int(np.argmax(deficit))
        self.allocated[firm] += tons
        return firm


class Supply:
    """The regional dross market: smelters offer lots of a random size, dross type and source.

    Every offer draws its numbers from its own streams whatever becomes of it, so scenarios that
    differ only in what the centre accepts see the same offers (common random numbers).
    """

    def __init__(self, env: simpy.Environment, config: SupplyConfig, streams: Streams,
                 store: B3Store, allocator: Allocator, permit: bool = True,
                 prices: PriceIndex | None = None):
        self.env = env
        self.prices = prices
        self.config = config
        self.store = store
        self.allocator = allocator
        self.permit = permit
        self.arrival_rng = streams.get("supply.arrivals")
        self.lot_rng = streams.get("supply.lots")
        self.dross_rng = streams.get("supply.dross")
        self.source_rng = streams.get("supply.source")
        smelters = config.smelters
        self.mean_gap_h = HOURS_PER_YEAR / smelters.offers_per_year if smelters else 0.0
        self.type_names = list(config.dross_types)
        self.type_shares = np.asarray([config.dross_types[n].share for n in self.type_names])

    def rate_factor(self, t: float) -> float:
        """How much faster lots arrive at ``t`` than in the scenario's interarrival times.

        The scenario's ``volume_factor`` times yearly compound growth.
        """
        return self.config.volume_factor * (1 + self.config.growth_per_year) ** (t / HOURS_PER_YEAR)

    def run(self) -> Generator[simpy.Event, object, None]:
        """The offers, and the centre's answer to each."""
        config = self.config
        while True:
            yield self.env.timeout(self._gap_h() / self.rate_factor(self.env.now))
            tons = config.lot_t.sample(self.lot_rng)
            metal_fraction = self._metal_fraction()
            licensed = self.source_rng.random() < config.licensed_share
            if tons <= 0:
                continue
            if licensed and not self.permit:
                self.store.records.refused.append(Refused(self.env.now, tons, TurnAway.permit))
                continue
            metal_rp = tons * metal_fraction * config.price_rp_per_t_metal  # at today's ingot price
            index = self.prices.dross_at(self.env.now) if self.prices else 1.0
            price = tons * config.price_rp_per_t + metal_rp * index
            accepted = self.store.deliver(self.allocator.choose(tons), tons, metal_fraction, price)
            if accepted and self.prices is not None and self.prices.dross_follows:
                self.store.records.price_moves.append(
                    PriceMove(self.env.now, -metal_rp, -metal_rp * (index - 1)))

    def _gap_h(self) -> float:
        if self.config.interarrival_h is not None:
            return self.config.interarrival_h.sample(self.arrival_rng)
        return float(self.arrival_rng.exponential(self.mean_gap_h))

    def _metal_fraction(self) -> float:
        name = self.type_names[int(self.dross_rng.choice(len(self.type_names), p=self.type_shares))]
        fraction = self.config.dross_types[name].metal_fraction.sample(self.dross_rng)
        return min(max(fraction, 0.0), 1.0)
