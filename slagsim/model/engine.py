"""Wire the whole centre together and run one replication.

``simulate`` is the engine's one entry point: a validated scenario, a seed and a replication number
in; a :class:`Outcome` of plain records out. No files, no printing.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import simpy
from simpy.core import StopSimulation
from simpy.events import URGENT

from slagsim.errors import SimulationStalled
from slagsim.model.firm import Firm, roll_call
from slagsim.model.machines import MachinePool
from slagsim.model.market import FinishedStock, Market
from slagsim.model.money import Tariff
from slagsim.model.plant import CuringStack, CuringYard, Plant
from slagsim.model.price_paths import STREAM as PRICE_STREAM
from slagsim.model.price_paths import PriceIndex
from slagsim.model.records import Records
from slagsim.model.residue import ResidueYard
from slagsim.model.store import B3Store
from slagsim.model.streams import Streams
from slagsim.model.supply import Allocator, Supply
from slagsim.model.village import Village
from slagsim.model.vocabulary import INGOT
from slagsim.model.workdays import (
    HOURS_PER_DAY,
    HOURS_PER_MONTH,
    HOURS_PER_YEAR,
    Calendar,
    build_calendar,
    draw_outages,
    whole_months,
)
from slagsim.scenario.limits import MAX_EVENTS_PER_SIMULATED_HOUR
from slagsim.scenario.schema import (
    CalendarConfig,
    FirmConfig,
    Helpers,
    MachineConfig,
    Scenario,
    SecondShift,
    ShortCrew,
)

MAX_EVENTS_AT_ONE_TIME = 20_000  # the baseline peaks at ~80, 200 firms at ~600


@dataclass(frozen=True)
class Window:
    """The part of a run that KPIs count: after the warm-up, until the end."""

    start_h: float
    end_h: float

    @property
    def years(self) -> float:
        return (self.end_h - self.start_h) / HOURS_PER_YEAR


@dataclass
class Outcome:
    """What one replication returns."""

    replication: int
    window: Window
    records: Records
    machine_hours_available: dict[str, float] = field(default_factory=dict)  # in the window
    machine_units: dict[str, int] = field(default_factory=dict)
    firm_working_days: list[float] = field(default_factory=list)  # in the window
    firm_crews: list[int] = field(default_factory=list)
    firm_workers: list[int] = field(default_factory=list)
    plant_days: float = 0.0  # days the plant works in the window (a cooperative crew is paid per shift)
    plant_days_by_month: dict[int, float] = field(default_factory=dict)  # whole months of the window


class CalendarBook:
    """Builds each distinct calendar once: unpowered (shifts) or powered (shifts minus outages)."""

    def __init__(self, horizon_h: float, outages: list[tuple[float, float]]):
        self.horizon_h = horizon_h
        self.outages = outages
        self._built: dict[tuple[str, bool], Calendar] = {}

    def get(self, config: CalendarConfig, powered: bool) -> Calendar:
        """The calendar for ``config``; powered calendars lose the outage hours."""
        key = (config.model_dump_json(), powered)
        if key not in self._built:
            outages = self.outages if powered else None
            self._built[key] = build_calendar(config, self.horizon_h, outages)
        return self._built[key]


def simulate(scenario: Scenario, seed: int, replication: int, years: float,
             warmup_days: float) -> Outcome:
    """Run one replication of ``scenario`` and return its records."""
    window = Window(warmup_days * HOURS_PER_DAY, warmup_days * HOURS_PER_DAY + years * HOURS_PER_YEAR)
    with cyclic_collector_paused():
        builder = _Builder(scenario, Streams(seed, replication), window)
        run_watching_the_clock(builder.env, window.end_h)
        return builder.outcome(replication)


@contextmanager
def cyclic_collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a replication runs (as it was, afterwards).

    A replication keeps tens of thousands of records, and each automatic full collection walks all
    of them again: a fifth of a 10-year baseline's time (1.71 s with it, 1.31 s without). Nothing
    else depends on it: the model's objects are freed by reference counting the moment they are
    done with, and a 10-year baseline leaves under 2,000 objects in reference cycles (its peak
    memory is the same, 106 MB), which the collector takes once it runs again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_watching_the_clock(env: simpy.Environment, until: float,
                           limit: int = MAX_EVENTS_AT_ONE_TIME) -> None:
    """``env.run(until)``, but raise :class:`SimulationStalled` if time stops advancing.

    A zero or near-zero duration (say an interarrival time of 0 or 1e-9 hours) makes SimPy pile
    up events while the clock barely moves, which would hang the run; this turns it into an
    error naming the simulated hour. Events are stepped in chunks of ``limit`` and the clock
    compared once per chunk, at a cost of nothing per event: a chunk must move the clock by at
    least ``limit / MAX_EVENTS_PER_SIMULATED_HOUR`` hours (10 hours; 1,000 firms need ~130).
    """
    if until <= env.now:
        raise ValueError(f"until ({until}) must be later than the current time ({env.now})")
    stop = env.event()
    stop.callbacks.append(_stop_simulation)
    env.schedule(stop, URGENT, until - env.now)  # before anything else due at ``until``
    step = env.step
    chunk = range(limit)
    least_hours = limit / MAX_EVENTS_PER_SIMULATED_HOUR
    try:
        while True:
            before = env.now
            for _ in chunk:
                step()
            if env.now - before < least_hours:
                raise SimulationStalled(_stall_message(before, env.now, limit))
    except StopSimulation:
        return


def _stall_message(before: float, now: float, events: int) -> str:
    if now == before:
        return (f"the simulated clock stopped at hour {before:.1f}: over {events:,} events without "
                "time passing; a duration in the scenario (e.g. an interarrival or cycle time) is 0")
    return (f"the simulated clock almost stopped at hour {before:.1f}: {events:,} events in "
            f"{now - before:.3g} simulated hours (more than {MAX_EVENTS_PER_SIMULATED_HOUR:,} an hour); "
            "a duration in the scenario (e.g. an interarrival or cycle time) is far too small")


def _stop_simulation(event: simpy.Event) -> None:
    raise StopSimulation(None)


class _Builder:
    """Creates the plant's parts in a fixed order and collects the outcome after the run."""

    def __init__(self, scenario: Scenario, streams: Streams, window: Window):
        self.scenario = scenario
        self.window = window
        self.env = simpy.Environment()
        self.records = Records(window_start_h=window.start_h)
        outages = draw_outages(scenario.calendar, window.end_h, streams.get("calendar.outages"))
        self.calendars = CalendarBook(window.end_h, outages)
        self.firm_configs = scenario.firms.resolved
        self.tariff = Tariff.of(scenario)
        self.capacity_h: dict[str, float] = {}
        self.units: dict[str, int] = {}
        priorities = [f.priority for f in self.firm_configs]
        shared = {
            name: self._pool(name, config, scenario.calendar, streams, f"machine.{name}", priorities)
            for name, config in scenario.machines.items() if config.count > 0
        }
        firms = len(self.firm_configs)
        store = B3Store(self.env, scenario.b3_store, firms, self.records, scenario.supply.max_backlog_t,
                        self.tariff.disposal_rp_per_t)
        residue = ResidueYard(self.env, scenario.process.residue, firms, self.records,
                              self.tariff.disposal_rp_per_t)
        products = [INGOT, *scenario.products.blocks]
        price_path = scenario.products.ingot.price_path
        self.prices = PriceIndex(price_path, streams.get(PRICE_STREAM) if price_path else None,
                                 window.start_h)
        self.plant = Plant(
            env=self.env, scenario=scenario, streams=streams, records=self.records, store=store,
            stock=FinishedStock(self.env, products, {name: block.stock_cap_t
                                                     for name, block in scenario.products.blocks.items()}),
            yard=CuringYard(self.env, scenario.curing_yard.pallets, self.records),
            stack=CuringStack(self.env, scenario.curing_yard.stack_t, self.records), residue=residue,
            shared_pools=shared, tariff=self.tariff,
        )
        self.firms = [self._firm(i, c, streams, priorities) for i, c in enumerate(self.firm_configs)]
        labour = scenario.labour
        active = [firm for firm in self.firms if firm.config.active]
        self.village = Village(labour.village_people, labour.village_availability, self.plant.dip_factors,
                               streams.get("village.attendance"), len(active),
                               rotate=labour.helpers == Helpers.take_turns)
        base = labour.village_people
        for firm in self.firms:  # people's ids: villagers first, then each firm's own workers
            firm.id_base = base
            base += firm.config.workers
        if scenario.labour.short_crew == ShortCrew.borrow:  # each firm asks the next ones first
            crews = [firm.crew for firm in self.firms]
            for index, crew in enumerate(crews):
                crew.peers = crews[index + 1:] + crews[:index]
        for firm in self.firms:
            firm.start()
        self._start_roll_calls()
        self._start_supply(streams)
        self._start_markets(streams)

    def _start_roll_calls(self) -> None:
        """One roll call a shift per working calendar, for the active firms on it, each with its
        rank among the active firms (its regular helpers in the village)."""
        groups: dict[int, tuple[Calendar, CalendarConfig, list[tuple[int, Firm]]]] = {}
        active = [firm for firm in self.firms if firm.config.active]
        for rank, firm in enumerate(active):
            config = firm.config.calendar or self.scenario.calendar
            groups.setdefault(id(firm.calendar), (firm.calendar, config, []))[2].append((rank, firm))
        overtime = self.scenario.labour.second_shift == SecondShift.overtime
        for calendar, config, firms in groups.values():
            self.env.process(roll_call(self.env, calendar, firms, self.village, config.shift_hours,
                                       config.shifts_per_day, overtime))

    def _pool(self, name: str, config: MachineConfig, calendar_config: CalendarConfig,
              streams: Streams, stream_prefix: str, priorities: list[int]) -> MachinePool:
        calendar = self.calendars.get(calendar_config, config.powered)
        open_h = calendar.open_hours(self.window.start_h, self.window.end_h)
        self.capacity_h[name] = self.capacity_h.get(name, 0.0) + open_h * config.count
        self.units[name] = self.units.get(name, 0) + config.count
        failure_rngs = [streams.get(f"{stream_prefix}.{u}.failures") for u in range(config.count)]
        return MachinePool(
            self.env, name, config, calendar, streams.get(f"{stream_prefix}.cycle"), failure_rngs,
            self.records, priorities, self.tariff.electricity_rp_per_kwh, key=stream_prefix,
        )

    def _firm(self, index: int, config: FirmConfig, streams: Streams,
              priorities: list[int]) -> Firm:
        calendar_config = config.calendar or self.scenario.calendar
        pools = dict(self.plant.shared_pools)
        for name, machine in config.own_machines.items():
            if machine.count > 0 and config.active:  # a firm with no workers has no working tools
                pools[name] = self._pool(name, machine, calendar_config, streams,
                                         f"firm.{index}.machine.{name}", priorities)
        calendar = self.calendars.get(calendar_config, powered=False)
        return Firm(self.plant, index, config, calendar, pools)

    def _start_supply(self, streams: Streams) -> None:
        quotas = [f.quota_share for f in self.firm_configs]
        allocator = Allocator(self.scenario.supply.allocation, quotas, self.plant.store,
                              [f.active for f in self.firm_configs])
        supply = Supply(self.env, self.scenario.supply, streams, self.plant.store, allocator,
                        permit=self.scenario.b3_store.permit, prices=self.prices)
        self.env.process(supply.run())

    def _start_markets(self, streams: Streams) -> None:
        products = self.scenario.products
        demands = {INGOT: products.ingot.demand} | {name: b.demand for name, b in products.blocks.items()}
        for name, demand in demands.items():
            price = self.tariff.sale_rp_per_t[name]
            projects = streams.get(f"market.{name}.projects") if demand and demand.projects else None
            market = Market(self.env, name, demand, price, self.plant.stock,
                            streams.get(f"market.{name}"), self.records,
                            self.scenario.labour.loading_worker_h_per_t,
                            prices=self.prices if name == INGOT else None, project_rng=projects)
            self.env.process(market.run())

    def outcome(self, replication: int) -> Outcome:
        """Collect end-of-run stocks and calendar figures into an :class:`Outcome`."""
        records = self.records
        store = self.plant.store
        records.stocks_t = {
            "b3_store": sum(lot.tons for lots in store.lots for lot in lots),
            "in_process": records.wip_t,
            "oversize": sum(f.oversize.level for f in self.firms),
            "residue": self.plant.residue.held_t,
            **{f"finished.{p}": t for p, t in self.plant.stock.tons.items()},
        }
        records.oldest_lot_age_at_end_h = store.oldest_age_h()
        records.oldest_residue_age_at_end_h = self.plant.residue.oldest_age_h()
        records.events = next(self.env._eid)  # simpy's own count of scheduled events
        return Outcome(
            replication=replication,
            window=self.window,
            records=records,
            machine_hours_available=self.capacity_h,
            machine_units=self.units,
            firm_working_days=[self._working_days(f) for f in self.firm_configs],
            firm_crews=[f.crew for f in self.firm_configs],
            firm_workers=[f.workers for f in self.firm_configs],
            plant_days=self._working_days(None),
            plant_days_by_month=self._plant_days_by_month(),
        )

    def _working_days(self, firm: FirmConfig | None, start_h: float | None = None,
                      end_h: float | None = None) -> float:
        """Working days of a firm's calendar (None: the plant's) in the window, or from ``start_h``
        to ``end_h``."""
        config = (firm.calendar if firm else None) or self.scenario.calendar
        calendar = self.calendars.get(config, powered=False)
        day_h = config.shift_hours * config.shifts_per_day
        start = self.window.start_h if start_h is None else start_h
        return calendar.open_hours(start, self.window.end_h if end_h is None else end_h) / day_h

    def _plant_days_by_month(self) -> dict[int, float]:
        """The plant's working days in each whole month of the window (month 0 starts at t = 0)."""
        months = whole_months(self.window.start_h, self.window.end_h)
        return {m: self._working_days(None, m * HOURS_PER_MONTH, (m + 1) * HOURS_PER_MONTH) for m in months}
