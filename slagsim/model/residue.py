"""Residue (fines, furnace ash, salt cake): B3 waste held in dated lots for the block lines.

Residue is hazardous like the slag it came from, so it is stored against its own capacity and
the B3 storage limit: each firm keeps its own stock, or the cooperative pools it for all firms.
Residue that does not fit, or that reaches the limit unused, goes to a licensed processor at a
fee. The block lines take the oldest residue first and wait, in turn, when there is too little.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Generator
from dataclasses import dataclass

import simpy

from slagsim.model.records import Level, LotAge, Money, Records, ResidueOut
from slagsim.model.vocabulary import Cost, ResidueExit
from slagsim.model.workdays import HOURS_PER_DAY
from slagsim.scenario.schema import ResidueConfig, ResiduePooling


@dataclass(slots=True)
class _Lot:
    arrived: float
    tons: float
    firm: int


class ResidueStock:
    """One stock of dated residue lots (a firm's own, or the cooperative's pool)."""

    def __init__(self, yard: ResidueYard, capacity_t: float):
        self.yard = yard
        self.env = yard.env
        self.capacity_t = capacity_t
        self.lots: deque[_Lot] = deque()
        self.level = 0.0
        self.waiting: deque[tuple[simpy.Event, float]] = deque()

    def add(self, firm: int, tons: float) -> None:
        """Keep ``tons`` of ``firm``'s residue up to the capacity; send the rest out."""
        kept = min(tons, max(0.0, self.capacity_t - self.level))
        if kept > 1e-12:
            lot = _Lot(self.env.now, kept, firm)
            self.lots.append(lot)
            self._change(kept)
            if self.yard.expires:
                expiry = self.env.timeout(self.yard.limit_h)
                expiry.callbacks.append(lambda _: self._expire(lot))
            self._serve()
        else:
            kept = 0.0
        if tons - kept > 1e-12:
            self.yard.send_out(firm, tons - kept, ResidueExit.full)

    def take(self, tons: float) -> Generator[simpy.Event, object, None]:
        """Take ``tons``, oldest first, waiting in turn when the stock holds too little."""
        if self.has(tons):
            self._remove(tons)
            return
        event = self.env.event()
        self.waiting.append((event, tons))
        yield event

    def has(self, tons: float) -> bool:
        """Whether :meth:`take` of ``tons`` would return at once."""
        return not self.waiting and self.level >= tons - 1e-12

    def oldest_age_h(self) -> float | None:
        """Age of the oldest lot held (None when empty)."""
        return self.env.now - self.lots[0].arrived if self.lots else None

    def _serve(self) -> None:
        while self.waiting and self.level >= self.waiting[0][1] - 1e-12:
            event, tons = self.waiting.popleft()
            self._remove(tons)
            event.succeed()

    def _remove(self, tons: float) -> None:
        now, taken = self.env.now, 0.0
        while self.lots and taken < tons - 1e-12:
            lot = self.lots[0]
            part = min(lot.tons, tons - taken)
            lot.tons -= part
            taken += part
            if lot.tons <= 1e-12:
                self.lots.popleft()
                self.yard.records.residue_ages.append(LotAge(now, now - lot.arrived))
        self._change(-taken)

    def _expire(self, lot: _Lot) -> None:
        """Send a lot still held at the storage limit out, as the B3 rules require."""
        if lot.tons <= 1e-12 or lot not in self.lots:
            return
        self.lots.remove(lot)
        tons, lot.tons = lot.tons, 0.0
        self._change(-tons)
        self.yard.records.residue_ages.append(LotAge(self.env.now, self.env.now - lot.arrived))
        self.yard.send_out(lot.firm, tons, ResidueExit.expired)

    def _change(self, tons: float) -> None:
        self.level = max(0.0, self.level + tons)
        self.yard.change(tons)


class ResidueYard:
    """Every residue stock of the centre: one per firm, or one pooled by the cooperative."""

    def __init__(self, env: simpy.Environment, config: ResidueConfig, firms: int, records: Records,
                 disposal_rp_per_t: float):
        self.env = env
        self.records = records
        self.limit_h = config.storage_limit_days * HOURS_PER_DAY
        self.expires = config.dispose_at_limit
        self.disposal_rp_per_t = disposal_rp_per_t
        self.level = 0.0
        if config.pooling == ResiduePooling.cooperative:
            pooled = config.pooled_cap_t or config.stock_cap_t_per_firm * firms
            shared = ResidueStock(self, pooled)
            self.stocks = [shared] * firms
        else:
            self.stocks = [ResidueStock(self, config.stock_cap_t_per_firm) for _ in range(firms)]

    def for_firm(self, firm: int) -> ResidueStock:
        """The stock ``firm`` puts its residue into and takes it from."""
        return self.stocks[firm]

    def change(self, tons: float) -> None:
        """Follow the total level for the records."""
        self.level = max(0.0, self.level + tons)
        self.records.residue_level.append(Level(self.env.now, self.level))

    def send_out(self, firm: int, tons: float, reason: ResidueExit) -> None:
        """Residue to a licensed B3 processor, at a fee."""
        now = self.env.now
        self.records.residue_out.append(ResidueOut(now, firm, tons, reason))
        self.records.flow("out.residue_disposed", tons, now)
        self.records.costs.append(Money(now, Cost.residue_disposal, tons * self.disposal_rp_per_t))

    def oldest_age_h(self) -> float:
        """Age of the oldest residue lot held anywhere."""
        ages = [age for stock in {id(s): s for s in self.stocks}.values()
                if (age := stock.oldest_age_h()) is not None]
        return max(ages, default=0.0)

    @property
    def held_t(self) -> float:
        """Residue held in all stocks."""
        return sum(stock.level for stock in {id(s): s for s in self.stocks}.values())
