"""What every firm shares: the clock, the records, the store, the machines, the yard, the stock."""

from __future__ import annotations

from dataclasses import dataclass

import simpy

from sim.model.machines import MachinePool
from sim.model.market import FinishedStock
from sim.model.records import Level, Records
from sim.model.residue import ResidueYard
from sim.model.store import B3Store
from sim.money import Tariff
from sim.schema import Scenario
from sim.streams import Streams


class CuringYard:
    """Pallet places where formed blocks cure; full means the presses must wait."""

    def __init__(self, env: simpy.Environment, pallets: int, records: Records):
        self.env = env
        self.places = simpy.Container(env, capacity=pallets, init=pallets)
        self.capacity = pallets
        self.records = records

    @property
    def occupied(self) -> int:
        """Pallets in the yard now."""
        return round(self.capacity - self.places.level)

    def occupy(self) -> simpy.Event:
        """An event that fires when a pallet place is free (and takes it)."""
        return self.places.get(1)

    def record(self) -> None:
        """Write the current occupancy to the records."""
        self.records.yard_level.append(Level(self.env.now, self.occupied))

    def vacate(self) -> None:
        """Free a pallet place."""
        self.places.put(1)
        self.record()


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
    residue: ResidueYard
    shared_pools: dict[str, MachinePool]
    tariff: Tariff
