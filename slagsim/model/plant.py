"""What every firm shares: the clock, the records, the store, the machines, the yard, the stock."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import simpy

from slagsim.model.machines import MachinePool
from slagsim.model.market import FinishedStock
from slagsim.model.money import Tariff
from slagsim.model.records import Level, Records
from slagsim.model.residue import ResidueYard
from slagsim.model.store import B3Store
from slagsim.model.streams import Streams
from slagsim.model.workdays import DAYS_PER_YEAR
from slagsim.scenario.schema import Scenario


class CuringYard:
    """Pallet places where formed blocks cure; full means the presses must wait.

    A count of free places and a first-come queue (rather than a ``simpy.Container``), so a press
    that finds a place free takes it at once, without an event: the usual case.
    """

    def __init__(self, env: simpy.Environment, pallets: int, records: Records):
        self.env = env
        self.capacity = pallets
        self.free = pallets
        self.waiting: deque[simpy.Event] = deque()
        self.records = records

    @property
    def occupied(self) -> int:
        """Pallets in the yard now."""
        return self.capacity - self.free

    def occupy(self) -> simpy.Event | None:
        """Take a pallet place: None when one was free (taken now), else an event that fires when
        one is handed over."""
        if self.free and not self.waiting:
            self.free -= 1
            return None
        event = self.env.event()
        self.waiting.append(event)
        return event

    def record(self) -> None:
        """Write the current occupancy to the records."""
        self.records.yard_level.append(Level(self.env.now, self.occupied))

    def vacate(self) -> None:
        """Free a pallet place (recorded free), then hand it to the first press waiting, if any."""
        self.free += 1
        self.record()
        if self.waiting:
            self.free -= 1
            self.waiting.popleft().succeed()


class CuringStack:
    """The stacking area where blocks taken off their pallets cure on, up to ``capacity_t`` tons.

    Pallets whose blocks do not fit wait, first come first served, still holding their place in
    the yard: a full stack backs up into the pallets and from there into the presses.
    """

    def __init__(self, env: simpy.Environment, capacity_t: float, records: Records):
        self.env = env
        self.capacity_t = capacity_t
        self.level_t = 0.0
        self.waiting: deque[tuple[simpy.Event, float]] = deque()
        self.records = records

    def put(self, tons: float) -> simpy.Event | None:
        """Room for ``tons``: None when there is room now (taken), else an event that fires once
        the blocks are in."""
        if not self.waiting and self.level_t + tons <= self.capacity_t + 1e-9:
            self._add(tons)
            return None
        event = self.env.event()
        self.waiting.append((event, tons))
        return event

    def take(self, tons: float) -> None:
        """Cured blocks leave; the pallets waiting for room, in turn, bring theirs."""
        self._add(-tons)
        while self.waiting and self.level_t + self.waiting[0][1] <= self.capacity_t + 1e-9:
            event, waiting_t = self.waiting.popleft()
            self._add(waiting_t)
            event.succeed()

    def _add(self, tons: float) -> None:
        self.level_t = max(0.0, self.level_t + tons)
        self.records.stack_level.append(Level(self.env.now, self.level_t))


@dataclass
class Plant:
    """The shared parts of the centre, handed to every firm."""

    env: simpy.Environment
    scenario: Scenario
    streams: Streams
    records: Records
    store: B3Store
    stock: FinishedStock
    yard: CuringYard
    stack: CuringStack
    residue: ResidueYard
    shared_pools: dict[str, MachinePool]
    tariff: Tariff

    @cached_property
    def dip_factors(self) -> np.ndarray:
        """By day of the year (0 is 1 January), the product of the seasonal attendance dips that
        day falls in (1 outside them): worked out once for all firms."""
        dips = self.scenario.labour.dips
        return np.array([math.prod(d.factor for d in dips if d.first_day <= day <= d.last_day)
                         for day in range(1, DAYS_PER_YEAR + 1)], dtype=float)
