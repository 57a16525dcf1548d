"""One firm (IKM): its crew and its three processes.

- slag: take slag from the B3 store, sort out iron, crush, sieve; oversize to melting, fines to
  residue;
- melting: melt full furnace charges of oversize into ingots, furnace ash to residue;
- blocks: mix residue with cement, sand and water, form a pallet, cure it in the yard, package it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator

import numpy as np
import simpy

from slagsim.model import money
from slagsim.model.crews import Crew, Staff
from slagsim.model.machines import MachinePool
from slagsim.model.plant import Plant
from slagsim.model.records import (
    FirmTons,
    Level,
    MachineJob,
    Made,
    Money,
    Present,
    ResidueUsed,
    TimeUse,
    WorkerHours,
    YardStay,
)
from slagsim.model.village import Village
from slagsim.model.vocabulary import (
    INGOT,
    SHARED,
    Cost,
    Line,
    OtherRevenue,
    Reason,
    machine_reason,
    queue_reason,
)
from slagsim.model.workdays import DAYS_PER_YEAR, HOURS_PER_DAY, Calendar
from slagsim.scenario.distributions import Draws
from slagsim.scenario.schema import BlockProduct, FirmConfig

Process = Generator[simpy.Event, object, None]


class Firm:
    """A firm's state and processes."""

    def __init__(self, plant: Plant, index: int, config: FirmConfig, calendar: Calendar,
                 pools: dict[str, MachinePool]):
        self.plant = plant
        self.env = plant.env
        self.records = plant.records
        self.index = index
        self.config = config
        self.calendar = calendar
        self.pools = pools
        self.crew = Crew(self.env, 0)  # nobody until the first roll call
        self.residue = plant.residue.for_firm(index)
        self.oversize = simpy.Container(self.env, init=0)
        self.oversize_metal_t = 0.0
        self.made_t = dict.fromkeys(config.product_mix, 0.0)
        self.curing_rng = plant.streams.get(f"firm.{index}.curing")
        self.attendance_rng = plant.streams.get(f"firm.{index}.attendance")
        self.on_pallet_rng = plant.streams.get(f"firm.{index}.on_pallet")
        self._chances = self.attendance_chances()
        blocks = plant.scenario.products.blocks
        self._mix = [(name, share, blocks[name].stock_cap_t)  # the products this firm makes
                     for name, share in config.product_mix.items() if share > 0]
        self._curing_days = self._curing_draws()
        self._people: tuple[int, ...] = ()  # who is here this shift (ids, see Firm.people_id)
        self._chores_day = -1  # the last day whose cleaning and watering were done
        self._staff = {name: self._staff_for(pool) for name, pool in pools.items()}
        self._reasons = {name: (queue_reason(name), machine_reason(name)) for name in pools}
        self.idle = {Line.slag: False, Line.ingot: False, Line.blocks: False}  # waiting for material
        self.at_machine: dict[str, str | None] = dict.fromkeys(self.idle)  # each line's machine queue
        self.curing_pallets = 0  # this firm's pallets in the yard or the stack
        self._line_crews = self._crews_by_line()
        self._curing_crew = self._crew_for_curing()
        self.id_base = 0  # the first of this firm's own people's ids (set by the engine)

    def _curing_draws(self) -> Draws | None:
        """Curing times drawn in blocks when all of this firm's products cure alike (the stream is
        the firm's own); None when they differ, as one stream's draws then go to several."""
        blocks = self.plant.scenario.products.blocks
        alike = {blocks[name].curing_days for name, _, _ in self._mix}
        return Draws(alike.pop(), self.curing_rng) if len(alike) == 1 else None

    def _staff_for(self, pool: MachinePool) -> Staff | None:
        """The workers a machine's job takes: from this firm's crew, or the cooperative's."""
        if not pool.config.workers:
            return None
        return Staff(pool.crew or self.crew, pool.config.workers)

    def start(self) -> None:
        """Start the firm's processes (none for a member firm with no workers); who comes to work
        each day is called by :func:`roll_call`."""
        if not self.config.active:
            return
        self.env.process(self.slag_process())
        self.env.process(self.melting_process())
        if any(share > 0 for share in self.config.product_mix.values()):
            self.env.process(self.block_process())

    # ------------------------------------------------------------------ shared helpers

    def attendance_chances(self) -> np.ndarray:
        """The chance one of the firm's own workers comes, by day of the year (0 is 1 January): the
        firm's attendance times the plant's seasonal dips (harvest, Lebaran)."""
        return self.config.attendance * self.plant.dip_factors

    def draw_attendance(self, days: np.ndarray, shifts: int) -> np.ndarray:
        """Which of the firm's own workers would come, by working day, shift and worker (``days``
        being days of the year), drawn at once for the run."""
        draws = self.attendance_rng.random((len(days), shifts, self.config.workers))
        return draws < self._chances[days][:, None, None]

    def _crews_by_line(self) -> dict[str, int]:
        """The most of this firm's people each line's steps take at once (a cooperative crew's
        machines take none of them)."""
        route, staff = self.config.route, self._staff

        def most(names: list[str]) -> int:
            return max((staff[n].workers for n in names if staff.get(n) and staff[n].crew is self.crew),
                       default=0)

        sorting = self.plant.scenario.process.sorting.workers
        tasks = self.plant.scenario.labour.tasks
        stacking = 1 if tasks.stacking_worker_h_per_t > 0 else 0
        return {Line.slag: max(sorting, most([route.crushing, route.sieving])),
                Line.ingot: most([route.melting]),
                Line.blocks: max(stacking, most([route.mixing, route.packaging, *route.forming.values()]))}

    def _crew_for_curing(self) -> int:
        """People the blocks already pressed take: taking them off their pallets to the stack, and
        packing them once cured (a firm's own packing crew; a cooperative's takes none of them)."""
        route, staff = self.config.route, self._staff
        stacking = 1 if self.plant.scenario.labour.tasks.stacking_worker_h_per_t > 0 else 0
        packing = staff.get(route.packaging)
        return max(stacking, packing.workers if packing and packing.crew is self.crew else 0)

    def need(self) -> int:
        """People the work waiting this morning takes: each line with material to work on, its
        largest step's crew (a line queued at a shared machine only when its turn is near: an
        owner does not call a press crew to wait all day); blocks curing still need stacking and
        packing, whether or not the block line is called for the press."""
        crews, need = self._line_crews, 0
        for line, idle in self.idle.items():
            name = self.at_machine[line]
            if idle:
                continue
            if name is None or self.pools[name].turn_soon(self.index):
                need += crews[line]
            elif line == Line.blocks and self.curing_pallets:
                need += self._curing_crew
        if self.idle[Line.blocks] and self.curing_pallets:
            need += self._curing_crew
        return need

    def come_to_work(self, start: float, own: np.ndarray, village: Village, rank: int,
                     overtime: bool = False) -> None:
        """A shift starts at ``start``: the firm's waiting work needs some people (:meth:`need`); its
        own workers who can come (flagged in ``own``) come first, and it calls the rest from the
        village (with ``overtime``, this shift's people are the last shift's, staying on). Those who
        leave go as soon as their job ends, so a job needing more people than came waits for a shift
        with enough."""
        if overtime:
            people = self._people
        else:
            need = self.need()
            mine = [self.id_base + int(i) for i in np.flatnonzero(own)[:need]]
            people = tuple(mine + village.call(rank, need - len(mine)))
        change = len(self._people) - len(people)
        if change:
            self.crew.set_absent(change)
        self._people = people
        self.records.present.append(Present(start, self.index, len(people), people, overtime))
        day = int(start // HOURS_PER_DAY)
        if people and not overtime and day != self._chores_day:  # once a day, whatever the shifts
            self._chores_day = day
            self.env.process(self.chores())

    def chores(self) -> Process:
        """The day's cleaning, and watering the blocks curing: one worker, timed and paid."""
        tasks = self.plant.scenario.labour.tasks
        yield from self.task(tasks.cleaning_worker_h_per_day, None, SHARED)
        if self.curing_pallets and self._mix:
            yield from self.task(tasks.watering_worker_h_per_day, None, self._mix[0][0])

    def task(self, work_h: float, line: str | None, product: str, workers: int = 1) -> Process:
        """``workers`` of the firm's people spend ``work_h`` working hours on a task no machine times
        (recorded, for pay, against ``product``; the wait and the work against ``line``)."""
        if work_h <= 0:
            return
        asked = self.env.now
        taken = self.crew.take_now(workers)
        if taken is None:
            taken = yield self.crew.get(workers)
        yield self.env.timeout(self.calendar.finish(self.env.now, work_h) - self.env.now)
        self.crew.put(taken)
        if line is not None:
            self.since(line, Reason.labour, asked)
        self.records.worker_hours.append(WorkerHours(self.env.now, self.index, work_h * workers, product))

    def use_machine(self, name: str, tons: float, line: str | None,
                    hold_until: Callable[[], simpy.Event | None] | None = None, product: str = INGOT
                    ) -> Generator[simpy.Event, object, MachineJob]:
        """Run a job of ``tons`` with workers from this firm's crew, for production ``line``
        (None: time not recorded) and ``product`` (whose costs the job's running costs are).

        ``hold_until`` makes the machine wait after the job for that event, blocked (the only
        such wait is for a curing-yard place).
        """
        pool, staff = self.pools[name], self._staff[name]
        if line is not None:
            self.at_machine[line] = name
        job = yield from pool.use(self.index, tons, staff, hold_until, product)
        if line is not None:
            self.at_machine[line] = None
        if staff is not None and staff.crew is self.crew:  # a cooperative crew is paid by attendance
            self.records.worker_hours.append(
                WorkerHours(job.end, self.index, staff.workers * (job.busy_h + job.setup_h), product))
        if line is not None:  # what the line's clock time went on, as spend() books it, per job
            queue, machine = self._reasons[name]
            granted = job.asked + job.wait_h
            time_use = self.records.time_use
            for reason, hours, at in ((queue, job.wait_h, granted),
                                      (machine, job.work_end - job.start, job.work_end),
                                      (Reason.labour, job.start - job.asked - job.wait_h, job.start),
                                      (Reason.curing_space, job.end - job.work_end, job.end)):
                if hours > 1e-12:
                    time_use.append(TimeUse(at, line, reason, hours))
        return job

    def spend(self, line: str, reason: str, hours: float, at: float | None = None) -> None:
        """Record that ``line`` spent ``hours`` (clock time) on ``reason`` (see analysis.bottleneck)."""
        if hours > 1e-12:
            self.records.time_use.append(TimeUse(self.env.now if at is None else at, line, reason, hours))

    def hand_back_block_machines(self) -> None:
        """The block line has nothing to make for now: give back the shared machines its campaigns
        hold, so that the day's booking does not keep them idle for other members."""
        route = self.config.route
        for name in {route.mixing, *route.forming.values()}:
            self.pools[name].hand_back(self.index)

    def since(self, line: str, reason: str, started: float) -> None:
        """Record the clock time from ``started`` until now as spent by ``line`` on ``reason``."""
        self.spend(line, reason, self.env.now - started)

    def add_residue(self, tons: float) -> None:
        """Store residue (B3) for the blocks; what does not fit goes to a licensed processor."""
        self.records.wip_t -= tons
        self.residue.add(self.index, tons)

    # ------------------------------------------------------------------ slag

    def slag_process(self) -> Process:
        """Take slag charges from the store and split them into oversize and fines."""
        process = self.plant.scenario.process
        route = self.config.route
        while True:
            asked = self.env.now
            self.idle[Line.slag] = True
            charge = yield from self.plant.store.take(self.index, process.charge_t)
            self.idle[Line.slag] = False
            self.since(Line.slag, Reason.slag_supply, asked)
            self.records.processed.append(FirmTons(self.env.now, self.index, charge.tons))
            self.records.wip_t += charge.tons
            tons = yield from self.sort(charge.tons)
            yield from self.use_machine(route.crushing, tons, Line.slag)
            yield from self.use_machine(route.sieving, tons, Line.slag)
            self.sieve_split(tons, charge.metal_t)

    def sort(self, tons: float) -> Generator[simpy.Event, object, float]:
        """Pick iron out by hand; return the tons left."""
        sorting = self.plant.scenario.process.sorting
        work_h = tons / (sorting.rate_t_per_worker_h * sorting.workers)
        yield from self.task(work_h, Line.slag, INGOT, sorting.workers)  # waiting for and doing it
        now = self.env.now
        iron = tons * sorting.iron_share
        self.records.wip_t -= iron
        self.records.flow("out.iron", iron, now)
        iron_rp = iron * self.plant.tariff.iron_rp_per_t
        self.records.revenue_other.append(Money(now, OtherRevenue.iron, iron_rp, INGOT))
        return tons - iron

    def sieve_split(self, tons: float, metal_t: float) -> None:
        """Send the Al-rich oversize to melting and the fines to residue."""
        sieving = self.pools[self.config.route.sieving].config.sieving or self.plant.scenario.process.sieving
        metal_t = min(metal_t, tons)
        metal_over = metal_t * sieving.metal_to_oversize
        oversize = metal_over + (tons - metal_t) * sieving.nonmetal_to_oversize
        if oversize > 0:
            self.oversize_metal_t += metal_over
            self.oversize.put(oversize)
            self.records.wip_t -= oversize
        self.add_residue(tons - oversize)

    # ------------------------------------------------------------------ melting

    def melting_process(self) -> Process:
        """Melt each full furnace charge of oversize, with its salt flux, into ingot, fume, and ash
        and salt cake (residue: B3 waste for the blocks or the licensed processor)."""
        furnace = self.config.route.melting
        machine = self.pools[furnace].config
        melting = machine.melting or self.plant.scenario.process.melting
        flux_rp_per_t = money.flux_rp_per_t(self.plant.tariff, machine)
        batch = machine.capacity_t_per_cycle
        while True:
            asked = self.env.now
            self.idle[Line.ingot] = True
            yield self.oversize.get(batch)
            self.idle[Line.ingot] = False
            self.since(Line.ingot, Reason.upstream, asked)
            metal = self.oversize_metal_t * batch / (self.oversize.level + batch)
            self.oversize_metal_t -= metal
            self.records.wip_t += batch
            yield from self.use_machine(furnace, batch, Line.ingot)
            now = self.env.now
            ingot = metal * melting.metal_recovery
            fume = min(batch * melting.fume_loss_share, batch - ingot)
            flux = batch * melting.flux_t_per_t  # salt bought in, out as salt cake with the ash
            self.records.costs.append(Money(now, Cost.flux, batch * flux_rp_per_t, INGOT))
            self.records.flow("in.flux", flux, now)
            self.records.flow("out.fume", fume, now)
            self.records.wip_t += flux - ingot - fume
            self.finish_product(INGOT, ingot, ingot * 1000 / self.plant.scenario.products.ingot.piece_kg)
            self.add_residue(batch + flux - ingot - fume)

    def finish_product(self, product: str, tons: float, pieces: float) -> None:
        """Put finished product into stock and record the output."""
        self.plant.stock.add(product, tons)
        self.records.output.append(Made(self.env.now, product, tons, pieces, self.index))

    # ------------------------------------------------------------------ blocks

    def next_product(self) -> str | None:
        """The block product furthest behind its share of this firm's mix, among those whose unsold
        tons (in stock, and on their way: mixed, pressed or curing) are below its cap (None when
        every product is at its cap). Counting only the stock, 25 firms went on making blocks
        for the two weeks their first pallets cured, overshot the cap and stopped for weeks."""
        stock, coming, made = self.plant.stock.tons, self.plant.stock.coming, self.made_t
        chosen, behind = None, (math.inf, "")
        for name, share, cap in self._mix:  # a plain loop: this runs once a pallet
            if stock[name] + coming[name] < cap:
                key = (made[name] / share, name)  # equal shares made: the name first in order wins
                if key < behind:
                    chosen, behind = name, key
        return chosen

    def block_process(self) -> Process:
        """Make pallets of blocks, one at a time, and send each to cure."""
        products = self.plant.scenario.products.blocks
        while True:
            name = self.next_product()
            if name is None:
                asked = self.env.now
                self.idle[Line.blocks] = True
                self.hand_back_block_machines()
                yield self.plant.stock.sale_event()
                self.idle[Line.blocks] = False
                self.since(Line.blocks, Reason.market_demand, asked)
                continue
            product = products[name]
            residue = product.pallet_t * product.recipe.residue
            if residue > 0:
                asked = self.env.now
                self.idle[Line.blocks] = True
                if not self.residue.has(residue):
                    self.hand_back_block_machines()
                yield from self.residue.take(residue)
                self.idle[Line.blocks] = False
                self.since(Line.blocks, Reason.upstream, asked)
                self.records.wip_t += residue
                self.records.residue_used.append(ResidueUsed(self.env.now, name, residue))
            self.plant.stock.coming[name] += product.pallet_t  # on its way once its residue is in hand
            self.buy_mix_materials(name, product)
            yield from self.use_machine(self.config.route.mixing, product.pallet_t, Line.blocks, product=name)
            forming = self.config.route.forming[name]
            yield from self.use_machine(forming, product.pallet_t, Line.blocks, self.plant.yard.occupy, name)
            self.plant.yard.record()
            self.made_t[name] += product.pallet_t
            self.env.process(self.cure_and_pack(name, product))

    def buy_mix_materials(self, name: str, product: BlockProduct) -> None:
        """Book the cement, sand and water going into one pallet with its residue."""
        recipe, pallet = product.recipe, product.pallet_t
        cement, sand, water = pallet * recipe.cement, pallet * recipe.sand, pallet * recipe.water
        for flow, tons in (("in.cement", cement), ("in.sand", sand), ("in.water", water)):
            self.records.flow(flow, tons, self.env.now)
        self.records.wip_t += cement + sand + water
        now = self.env.now
        tariff = self.plant.tariff
        self.records.costs.append(Money(now, Cost.cement, cement * tariff.cement_rp_per_t, name))
        self.records.costs.append(Money(now, Cost.sand, sand * tariff.sand_rp_per_t, name))

    def cure_and_pack(self, name: str, product: BlockProduct) -> Process:
        """Cure a pallet: on its pallet in the yard, and (when the yard says) stacked after the first
        days; then package it and put it in stock."""
        placed = self.env.now
        draws = self._curing_days
        days = draws() if draws is not None else product.curing_days.sample(self.curing_rng)
        curing_h = days * HOURS_PER_DAY
        on_pallet = self.plant.scenario.curing_yard.on_pallet_days
        self.curing_pallets += 1
        if on_pallet is None:
            yield self.env.timeout(curing_h)
            yield from self.use_machine(self.config.route.packaging, product.pallet_t, None, product=name)
            self.plant.yard.vacate()
            self.records.yard_stays.append(YardStay(placed, self.env.now, curing_h))
        else:
            pallet_h = min(on_pallet.sample(self.on_pallet_rng) * HOURS_PER_DAY, curing_h)
            yield self.env.timeout(pallet_h)
            yield from self.stack(name, product.pallet_t)
            self.records.yard_stays.append(YardStay(placed, self.env.now, pallet_h))
            yield self.env.timeout(max(0.0, placed + curing_h - self.env.now))
            yield from self.use_machine(self.config.route.packaging, product.pallet_t, None, product=name)
            self.plant.stack.take(product.pallet_t)
        self.curing_pallets -= 1
        self.plant.stock.coming[name] -= product.pallet_t
        self.records.wip_t -= product.pallet_t
        self.finish_product(name, product.pallet_t, product.pieces_per_pallet)

    def stack(self, name: str, tons: float) -> Process:
        """Take a pallet's blocks off it to the stacking area, once there is room (the pallet keeps
        its place in the yard until then), and free the pallet."""
        asked = self.env.now
        room = self.plant.stack.put(tons)
        if room is not None:
            yield room
            self.records.stack_waits.append(Level(self.env.now, self.env.now - asked))
        work_h = tons * self.plant.scenario.labour.tasks.stacking_worker_h_per_t
        yield from self.task(work_h, None, name)
        self.plant.yard.vacate()


def roll_call(env: simpy.Environment, calendar: Calendar, firms: list[tuple[int, Firm]],
              village: Village, shift_h: float, shifts: int, overtime: bool) -> Process:
    """At the start of each shift of ``calendar``'s working days, every firm on it learns which of
    its own people came and calls its helpers (``firms`` pairs each with its rank among the active
    firms, for the village's rosters): one timeout a shift for all of them rather than one per
    firm. The calling order turns each day, so no firm always calls first. Each firm draws on its
    own stream, so the draws do not depend on how many firms there are. A second shift is its own
    roll call (people who did not work the first), or with ``overtime`` the first shift's people."""
    starts = calendar.day_starts(env.now)
    days = np.floor_divide(starts, HOURS_PER_DAY).astype(int) % DAYS_PER_YEAR  # days of the year
    own = [firm.draw_attendance(days, shifts) for _, firm in firms]
    for day, start in enumerate(starts):
        if start > env.now:
            yield env.timeout(start - env.now)
        village.new_day(int(days[day]), int(start // HOURS_PER_DAY))
        turn = day % len(firms)
        order = firms[turn:] + firms[:turn]
        mine = own[turn:] + own[:turn]
        for shift in range(shifts):
            at = start + shift * shift_h
            if at > env.now:
                if not calendar.is_open(at):
                    break  # the day's stretch ended early (a half day)
                yield env.timeout(at - env.now)
            stay = overtime and shift > 0
            for (rank, firm), drawn in zip(order, mine, strict=True):
                came = drawn[day, shift] & ~drawn[day, :shift].any(axis=0)
                firm.come_to_work(env.now, came, village, rank, overtime=stay)
