"""Slag deliveries by truck and the rule that assigns each lot to a firm."""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
import simpy

from sim.calendar import DAYS_PER_YEAR, HOURS_PER_DAY
from sim.model.store import B3Store
from sim.schema import Allocation, SupplyConfig
from sim.streams import Streams

HOURS_PER_YEAR = DAYS_PER_YEAR * HOURS_PER_DAY


class Allocator:
    """Chooses the firm that receives a lot, deterministically, so no random stream is used."""

    def __init__(self, rule: Allocation, quota_shares: list[float], store: B3Store):
        self.rule = rule
        self.quota = np.asarray(quota_shares, dtype=float) / sum(quota_shares)
        self.allocated = np.zeros(len(quota_shares))
        self.store = store
        self._next = 0

    def choose(self, tons: float) -> int:
        """The firm for a lot of ``tons``."""
        if self.rule == Allocation.round_robin:
            firm = self._next
            self._next = (self._next + 1) % len(self.quota)
        elif self.rule == Allocation.most_free_storage:
            firm = max(
                range(len(self.quota)),
                key=lambda i: (self.store.free_t(i), -self.store.held_t[i], -i),
            )
        else:
            deficit = self.quota * (self.allocated.sum() + tons) - self.allocated
            firm = int(np.argmax(deficit))
        self.allocated[firm] += tons
        return firm


class Supply:
    """Trucks arriving with slag lots of a random size and dross type."""

    def __init__(self, env: simpy.Environment, config: SupplyConfig, streams: Streams,
                 store: B3Store, allocator: Allocator):
        self.env = env
        self.config = config
        self.store = store
        self.allocator = allocator
        self.arrival_rng = streams.get("supply.arrivals")
        self.lot_rng = streams.get("supply.lots")
        self.dross_rng = streams.get("supply.dross")
        self.type_names = list(config.dross_types)
        self.type_shares = np.asarray([config.dross_types[n].share for n in self.type_names])

    def rate_factor(self, t: float) -> float:
        """How much faster lots arrive at ``t`` than in the scenario's interarrival times.

        The scenario's ``volume_factor`` times yearly compound growth.
        """
        return self.config.volume_factor * (1 + self.config.growth_per_year) ** (t / HOURS_PER_YEAR)

    def run(self) -> Generator[simpy.Event, object, None]:
        """The delivery process."""
        while True:
            gap = self.config.interarrival_h.sample(self.arrival_rng)
            yield self.env.timeout(gap / self.rate_factor(self.env.now))
            tons = self.config.lot_t.sample(self.lot_rng)
            if tons <= 0:
                continue
            self.store.deliver(self.allocator.choose(tons), tons, self._metal_fraction())

    def _metal_fraction(self) -> float:
        name = self.type_names[int(self.dross_rng.choice(len(self.type_names), p=self.type_shares))]
        fraction = self.config.dross_types[name].metal_fraction.sample(self.dross_rng)
        return min(max(fraction, 0.0), 1.0)
