"""The B3 temporary store (TPS): dated slag lots per firm within a permitted capacity and time.

PP 22/2021 lets a holder keep B3 waste 90 days. By the scenario's ``b3_store.age_rule`` a lot still
held at the limit goes to a licensed processor at the disposal fee (``send_away``), purchases also
stop while the oldest lot nears the limit (``stop_buying``), or nothing is done and the KPIs show
how far past the limit slag would stay (``hold``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Generator
from dataclasses import dataclass

import simpy

from slagsim.model.records import FirmTons, Level, LotAge, Money, Records, Refused
from slagsim.model.vocabulary import Cost, TurnAway
from slagsim.model.workdays import HOURS_PER_DAY
from slagsim.scenario.schema import B3StoreConfig, SlagAgeRule, StoreScope


@dataclass
class Lot:
    """Slag from one delivery, as much of it as is still in the store."""

    arrived: float
    tons: float
    metal_fraction: float


@dataclass
class Charge:
    """Slag taken out of the store for one processing run."""

    tons: float
    metal_t: float


class B3Store:
    """Lots held for each firm, oldest first, under a shared or per-firm capacity."""

    def __init__(self, env: simpy.Environment, config: B3StoreConfig, firms: int, records: Records,
                 max_backlog_t: float | None = None, disposal_rp_per_t: float = 0.0):
        self.env = env
        self.config = config
        self.max_backlog_t = max_backlog_t
        self.records = records
        self.disposal_rp_per_t = disposal_rp_per_t
        self.limit_h = config.storage_limit_days * HOURS_PER_DAY
        self.expires = config.age_rule != SlagAgeRule.hold
        self.stop_after_h = (config.stop_buying_after_days * HOURS_PER_DAY
                             if config.age_rule == SlagAgeRule.stop_buying else None)
        self.lots: list[deque[Lot]] = [deque() for _ in range(firms)]
        self.held_t = [0.0] * firms
        self._arrival: list[simpy.Event | None] = [None] * firms

    @property
    def level_t(self) -> float:
        """Tons in the whole store."""
        return sum(self.held_t)

    def free_t(self, firm: int) -> float:
        """Room left for a delivery to ``firm``."""
        if self.config.scope == StoreScope.per_firm:
            return self.config.capacity_t - self.held_t[firm]
        return self.config.capacity_t - self.level_t

    def refusal(self, firm: int, tons: float) -> TurnAway | None:
        """Why a lot of ``tons`` for ``firm`` cannot be taken in now (None: it can)."""
        if self.max_backlog_t is not None and self.level_t >= self.max_backlog_t - 1e-9:
            return TurnAway.backlog
        if tons > self.free_t(firm) + 1e-9:
            return TurnAway.storage
        if self.stop_after_h is not None and self.oldest_age_h() >= self.stop_after_h:
            return TurnAway.age
        return None

    def deliver(self, firm: int, tons: float, metal_fraction: float, price_rp: float = 0.0) -> bool:
        """Put a lot bought for ``price_rp`` in the store for ``firm``; turn it away (return
        False) when the backlog is at its limit or the lot does not fit."""
        now = self.env.now
        reason = self.refusal(firm, tons)
        if reason is not None:
            self.records.refused.append(Refused(now, tons, reason))
            return False
        lot = Lot(now, tons, metal_fraction)
        self.lots[firm].append(lot)
        self.held_t[firm] += tons
        if self.expires:
            expiry = self.env.timeout(self.limit_h)
            expiry.callbacks.append(lambda _: self._expire(firm, lot))
        self.records.received.append(FirmTons(now, firm, tons))
        self.records.flow("in.slag", tons, now)
        if price_rp:
            self.records.costs.append(Money(now, Cost.slag, price_rp))
        self.records.store_level.append(Level(now, self.level_t))
        waiting = self._arrival[firm]
        if waiting is not None:
            self._arrival[firm] = None
            waiting.succeed()
        return True

    def take(self, firm: int, tons: float) -> Generator[simpy.Event, object, Charge]:
        """Take up to ``tons`` of ``firm``'s oldest slag, waiting for a delivery if it has none."""
        while not self.lots[firm]:
            if self._arrival[firm] is None:
                self._arrival[firm] = self.env.event()
            yield self._arrival[firm]
        return self._remove(firm, tons)

    def _remove(self, firm: int, tons: float) -> Charge:
        now = self.env.now
        taken = metal = 0.0
        lots = self.lots[firm]
        while lots and taken < tons - 1e-12:
            lot = lots[0]
            part = min(lot.tons, tons - taken)
            taken += part
            metal += part * lot.metal_fraction
            lot.tons -= part
            if lot.tons <= 1e-12:
                lots.popleft()
                self.records.lot_ages.append(LotAge(now, now - lot.arrived))
        self.held_t[firm] = max(0.0, self.held_t[firm] - taken)
        if not lots:
            self.held_t[firm] = 0.0
        self.records.store_level.append(Level(now, self.level_t))
        return Charge(taken, metal)

    def _expire(self, firm: int, lot: Lot) -> None:
        """Send what is left of a lot at the storage limit to a licensed processor, at the fee."""
        lots = self.lots[firm]
        if lot.tons <= 1e-12 or not any(held is lot for held in lots):
            return
        now = self.env.now
        lots.remove(lot)
        tons, lot.tons = lot.tons, 0.0
        self.held_t[firm] = max(0.0, self.held_t[firm] - tons) if lots else 0.0
        self.records.lot_ages.append(LotAge(now, now - lot.arrived))
        self.records.slag_out.append(FirmTons(now, firm, tons))
        self.records.flow("out.slag_disposed", tons, now)
        self.records.costs.append(Money(now, Cost.slag_disposal, tons * self.disposal_rp_per_t))
        self.records.store_level.append(Level(now, self.level_t))

    def oldest_age_h(self) -> float:
        """Age of the oldest lot still in the store."""
        arrivals = [lots[0].arrived for lots in self.lots if lots]
        return self.env.now - min(arrivals) if arrivals else 0.0
