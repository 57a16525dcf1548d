"""A pool of identical machines shared between firms, with booking rules and breakdowns.

A firm asks the pool for a machine; when several firms wait, the pool's booking rule picks who
goes next (first come first served, round robin between firms, or by firm priority). A job's
length is its cycles plus any changeover, and breakdowns strike after a random number of
*operating* hours, each adding a repair; the whole job then takes one timeout on the machine's
working calendar (shifts minus power outages for powered machines).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from dataclasses import dataclass

import numpy as np
import simpy

from slagsim.errors import SimulationStalled
from slagsim.model.crews import Crew, Staff, Taken
from slagsim.model.records import MachineJob, Money, Records
from slagsim.model.vocabulary import Cost
from slagsim.model.workdays import Calendar
from slagsim.scenario.distributions import Draws
from slagsim.scenario.limits import MAX_BREAKDOWNS_PER_JOB, MAX_JOB_HOURS
from slagsim.scenario.schema import Booking, MachineConfig
from slagsim.scenario.schema import Crew as CrewOf


@dataclass(slots=True)
class Unit:
    """One machine of a pool."""

    index: int
    hours_to_failure: float
    failure_rng: np.random.Generator | None
    last_firm: int | None = None
    last_work_end: float | None = None
    campaign: tuple[int, float] = (-1, -math.inf)  # (firm, working-clock hour its campaign ends)
    campaign_staff: Staff | None = None  # who the campaign's firm needs to run it


@dataclass(slots=True, eq=False)  # found by identity: removing one from the queue compares no fields
class _Request:
    event: simpy.Event
    firm: int
    priority: int
    sequence: int
    staff: Staff | None = None
    crew_wait_h: float = 0.0  # clock hours a machine was free for it but its crew was not there
    crew_since: float | None = None


@dataclass(slots=True)
class JobTimes:
    """How a job's working hours split up."""

    setup_h: float
    busy_h: float
    down_h: float
    failures: int

    @property
    def total_h(self) -> float:
        return self.setup_h + self.busy_h + self.down_h


class MachinePool:
    """``config.count`` identical machines named ``name`` on ``calendar``."""

    def __init__(
        self,
        env: simpy.Environment,
        name: str,
        config: MachineConfig,
        calendar: Calendar,
        cycle_rng: np.random.Generator,
        failure_rngs: list[np.random.Generator],
        records: Records,
        firm_priorities: list[int],
        electricity_rp_per_kwh: float = 0.0,
        key: str = "",
    ):
        self.env = env
        self.name = name
        self.key = key or name
        self.config = config
        self.calendar = calendar
        self.cycle_rng = cycle_rng
        self.records = records
        self.firm_priorities = firm_priorities
        self.electricity_rp_per_kwh = electricity_rp_per_kwh
        self.free = [self._new_unit(i, failure_rngs[i]) for i in range(config.count)]
        self.units = list(self.free)  # every unit, free or busy
        self.waiting: list[_Request] = []
        self._cost_rates = (config.energy_kwh_per_h, config.running_cost_rp_per_h)
        # read per job: kept as plain attributes rather than looked up through the config each time
        self._campaigns = config.booking == Booking.campaign
        self._cycle = (config.capacity_t_per_cycle, config.scales_with_load, config.setup_h)
        self._cycle_h = Draws(config.cycle_h, cycle_rng)  # the pool's own stream: drawn in blocks
        self._sequence = 0
        self._last_served = -1
        self.crew = (Crew(env, config.workers * config.count)
                     if config.crew == CrewOf.cooperative and config.workers else None)
        self._watched: set[int] = set()  # crews that tell this pool when who is free changes
        self._waiting_crews: dict[int, int] = {}  # crew id -> its jobs waiting here
        self._dispatching = False

    def _new_unit(self, index: int, rng: np.random.Generator) -> Unit:
        if self.config.failures is None:
            return Unit(index, math.inf, None)
        return Unit(index, self.config.failures.time_between_h.sample(rng), rng)

    # ------------------------------------------------------------------ booking

    def grant_now(self, firm: int, staff: Staff | None = None) -> tuple[Unit, Taken | None, float] | None:
        """A machine and its crew at once when a machine is free for this firm (no campaign of
        another firm holds it), nobody waits and the crew is there, else None (then :meth:`request`
        queues); no event, so the job goes on."""
        if not self.free or self.waiting or (staff is not None and not staff.can_come_now()):
            return None
        unit = self._unit_for(firm)
        if unit is None:
            return None
        self._sequence += 1
        return unit, self._grant(firm, unit, staff), 0.0

    def request(self, firm: int, staff: Staff | None = None) -> simpy.Event:
        """An event that fires with a :class:`Unit`, the :class:`Taken` crew and the hours a machine
        waited free for that crew, when this firm may use a machine and its crew is there: a machine
        is never handed to a job whose people are away."""
        event = self.env.event()
        self._sequence += 1
        if staff is not None:
            self._watch(staff.crew)
        granted = self.grant_now(firm, staff) if not self.waiting else None
        if granted is not None:
            self._sequence -= 1
            event.succeed(granted)
            return event
        self.waiting.append(_Request(event, firm, self.firm_priorities[firm], self._sequence, staff))
        if staff is not None:
            key = id(staff.crew)
            self._waiting_crews[key] = self._waiting_crews.get(key, 0) + 1
        self._dispatch()
        return event

    def turn_soon(self, firm: int) -> bool:
        """Whether ``firm``'s waiting job would be among the next served: its campaign runs on a
        unit, or fewer jobs wait before it than there are units (what an owner deciding in the
        morning whom to call can know)."""
        if self._campaigns:
            clock = self.calendar.open_time(self.env.now)
            if any(unit.campaign[0] == firm and clock < unit.campaign[1] for unit in self.units):
                return True
        for ahead, request in enumerate(self._in_turn()):
            if request.firm == firm:
                return ahead < len(self.units)
        return True

    def hand_back(self, firm: int) -> None:
        """``firm`` has nothing more for this machine for now (its line waits for buyers or for
        residue): it hands back the units its campaigns hold, as a member who has finished the
        day's work lets the next one use the press rather than keep it idle to the evening."""
        if not self._campaigns:
            return
        clock = self.calendar.open_time(self.env.now)
        handed = False
        for unit in self.units:
            if unit.campaign[0] == firm and clock < unit.campaign[1]:
                unit.campaign, unit.campaign_staff = (firm, clock), None
                handed = True
        if handed and self.waiting and self.free:
            self._dispatch()

    def _in_turn(self) -> list[_Request]:
        """The waiting jobs in the order the booking rule would serve them, were every crew there."""
        rule = self.config.booking
        if rule == Booking.priority:
            return sorted(self.waiting, key=lambda r: (r.priority, r.sequence))
        if rule == Booking.round_robin:
            firms, after = len(self.firm_priorities), self._last_served + 1
            return sorted(self.waiting, key=lambda r: ((r.firm - after) % firms, r.sequence))
        return self.waiting

    def _watch(self, crew: Crew) -> None:
        """Be told when ``crew`` (or a crew it borrows from) has workers free again."""
        for watched in (crew, *crew.peers):
            if id(watched) not in self._watched:
                self._watched.add(id(watched))
                watched.watchers.append(self._workers_free)

    def _workers_free(self, crew: Crew) -> None:
        """Who is free in ``crew`` changed. Without borrowing, only that crew's own waiting jobs, or
        a campaign it holds on a free unit, can be affected: the pool looks again only then."""
        if not (self.waiting and self.free) or self._dispatching:
            return  # (a dispatch under way looks at every job again before it ends)
        if (crew.peers or id(crew) in self._waiting_crews
                or any(unit.campaign_staff is not None and unit.campaign_staff.crew is crew
                       for unit in self.free)):
            self._dispatch()

    def release(self, unit: Unit) -> None:
        """Give a machine back to the pool."""
        self.free.append(unit)
        if self.waiting:
            self._dispatch()

    def _dispatch(self) -> None:
        self._dispatching = True
        try:
            self._serve_ready()
        finally:
            self._dispatching = False

    def _serve_ready(self) -> None:
        ready: list[_Request] | None = None
        while self.free and self.waiting:
            ready = [request for request in self.waiting if _can_come(request.staff)]
            if not ready:  # every waiting job's crew is away or busy: the machines stay free for them
                break
            match = self._campaign_match(ready) if self._campaigns else self._match(ready)
            if match is None:  # every free machine is held for a campaign whose firm has nothing queued
                break
            request, unit = match
            self.waiting.remove(request)
            if request.staff is not None:
                key = id(request.staff.crew)
                self._waiting_crews[key] -= 1
                if not self._waiting_crews[key]:
                    del self._waiting_crews[key]
            self._stop_crew_clock(request)
            request.event.succeed((unit, self._grant(request.firm, unit, request.staff), request.crew_wait_h))
            ready = None
        self._crew_clocks(ready)

    def _crew_clocks(self, ready: list[_Request] | None = None) -> None:
        """Start or stop each waiting job's clock of hours lost to its crew: a machine it may use is
        free, but its workers are away or busy (labour, not the machine, holds it back). ``ready``:
        the waiting jobs whose crews are there, when just worked out (else worked out here)."""
        waiting = self.waiting
        if not self.free:  # no machine free: nobody's clock runs (the usual case while it works)
            for request in waiting:
                if request.crew_since is not None:
                    self._stop_crew_clock(request)
            return
        open_to_all, holders = self._open_units()
        is_ready = ({id(request) for request in ready} if ready is not None else None)
        now = self.env.now
        for request in waiting:
            staff = request.staff
            usable = open_to_all or request.firm in holders
            if usable and staff is not None and (id(request) not in is_ready if is_ready is not None
                                                 else not _can_come(staff)):
                if request.crew_since is None:
                    request.crew_since = now
            elif request.crew_since is not None:
                self._stop_crew_clock(request)

    def _open_units(self) -> tuple[bool, set[int]]:
        """Whether a free unit is there for any firm, else the firms whose campaigns hold the free
        units (a campaign holds its unit only while unexpired and staffed)."""
        if not self._campaigns:
            return True, set()
        clock = self.calendar.open_time(self.env.now)
        holders = set()
        for unit in self.free:
            holder, ends = unit.campaign
            if clock >= ends or not self._staffed(unit):
                return True, set()
            holders.add(holder)
        return False, holders

    def _stop_crew_clock(self, request: _Request) -> None:
        if request.crew_since is not None:
            request.crew_wait_h += self.env.now - request.crew_since
            request.crew_since = None

    def _grant(self, firm: int, unit: Unit, staff: Staff | None = None) -> Taken | None:
        """Remember who was served and take the job's crew; under campaign booking, start a
        campaign on the unit when none runs there."""
        self._last_served = firm
        if self._campaigns:
            holder, ends = unit.campaign
            clock = self.calendar.open_time(self.env.now)
            if holder != firm and clock >= ends:
                unit.campaign_staff = staff
                unit.campaign = (firm, clock + self.config.campaign_h)
                end = self.calendar.at_open_time(clock + self.config.campaign_h)
                if math.isfinite(end):  # wake the queue when the campaign ends
                    wake = self.env.timeout(max(0.0, end - self.env.now))
                    wake.callbacks.append(lambda _: self._dispatch())
        return None if staff is None else staff.come_now()

    def _unit_for(self, firm: int) -> Unit | None:
        """Take a free unit ``firm`` may use now (None: each is held by another firm's campaign)."""
        if not self._campaigns:
            return self._pick_unit(firm)
        clock = self.calendar.open_time(self.env.now)
        free = self.free
        eligible = [position for position, unit in enumerate(free)
                    if unit.campaign[0] == firm or clock >= unit.campaign[1] or not self._staffed(unit)]
        if not eligible:
            return None
        if len(free) > 1:  # its own running campaign first, then the unit it used last (no changeover)
            for wanted in (lambda unit: unit.campaign[0] == firm and clock < unit.campaign[1],
                           lambda unit: unit.last_firm == firm):
                for position in eligible:
                    if wanted(free[position]):
                        return free.pop(position)
        return free.pop(eligible[0])

    @staticmethod
    def _staffed(unit: Unit) -> bool:
        """Whether the firm holding ``unit``'s campaign has its crew at work today: a campaign holds
        a machine while its people are here, even busy mixing the next batch for it (that is what a
        campaign is for), and lapses when they are away."""
        staff = unit.campaign_staff
        return staff is None or staff.here_today()

    def _match(self, ready: list[_Request]) -> tuple[_Request, Unit]:
        """The next request whose crew is there, by the booking rule, and the unit it gets."""
        request = self._next_request(ready)
        return request, self._pick_unit(request.firm)

    def _next_request(self, ready: list[_Request]) -> _Request:
        rule = self.config.booking
        if rule == Booking.fcfs or len(ready) == 1:
            return ready[0]
        if rule == Booking.priority:
            return min(ready, key=lambda r: (r.priority, r.sequence))
        # round robin: the first firm after the last one served; ``waiting`` is in arrival order
        # and ``min`` keeps the first of equals, so ties go first come first served
        firms, after = len(self.firm_priorities), self._last_served + 1
        chosen, nearest = ready[0], firms
        for request in ready:  # a plain loop: no key function called per waiting job
            distance = (request.firm - after) % firms
            if distance < nearest:
                chosen, nearest = request, distance
        return chosen

    def _campaign_match(self, ready: list[_Request]) -> tuple[_Request, Unit] | None:
        """A free unit in a running campaign serves its holder's first request; else the first in
        line takes a unit no other firm's campaign holds (None: no such pair).

        A firm granted a unit when no campaign runs on it books that unit for ``campaign_h``
        working hours, as cooperatives book shared machines by the day: only its jobs run there
        meanwhile (the unit waits for them, even idle), so a unit changes over between firms only
        when its campaign changes hands. Each unit of a pool carries its own campaign: with two
        presses, two firms can hold one each. A campaign holds its unit only against two or more
        waiting requests: a lone one is served at once (as the rule was first built).
        """
        if len(self.waiting) == 1:  # a lone request is served whatever campaign holds the unit: the
            return self._match(ready)  # rule as first built
        clock = self.calendar.open_time(self.env.now)
        free = self.free
        for position, unit in enumerate(free):
            holder, ends = unit.campaign
            if clock < ends:
                for request in ready:  # a plain loop: this runs whenever a unit is freed
                    if request.firm == holder:
                        return request, free.pop(position)
        for request in ready:  # the first in line whose crew is here, on a unit no staffed campaign holds
            unit = self._unit_for(request.firm)
            if unit is not None:
                return request, unit
        return None

    def _pick_unit(self, firm: int) -> Unit:
        free = self.free
        if len(free) > 1:
            for position, unit in enumerate(free):
                if unit.last_firm == firm:
                    return free.pop(position)
        return free.pop(0)

    # ------------------------------------------------------------------ jobs

    def job_times(self, unit: Unit, firm: int, tons: float) -> JobTimes:
        """Draw the setup, operating and repair hours of a job of ``tons`` on ``unit``."""
        capacity, scales_with_load, setup_h = self._cycle
        cycles = math.ceil(tons / capacity - 1e-9)
        if cycles < 1:
            cycles = 1
        busy = self._cycle_h() * cycles
        if scales_with_load:
            busy *= tons / (cycles * capacity)
        if busy > MAX_JOB_HOURS:
            raise SimulationStalled(f"one job of {tons:.3g} t on {self.name} would take {busy:.3g} "
                                    "operating hours; check its cycle_h and capacity_t_per_cycle")
        last = unit.last_firm
        setup = setup_h if last is not None and last != firm else 0.0
        down, failures = self._breakdowns(unit, busy)
        return JobTimes(setup, busy, down, failures)

    def _breakdowns(self, unit: Unit, busy: float) -> tuple[float, int]:
        failures_config = self.config.failures
        if failures_config is None or unit.failure_rng is None:
            return 0.0, 0
        remaining, down, count = busy, 0.0, 0
        while unit.hours_to_failure <= remaining:
            remaining -= unit.hours_to_failure
            down += failures_config.repair_h.sample(unit.failure_rng)
            count += 1
            if count > MAX_BREAKDOWNS_PER_JOB:
                raise SimulationStalled(
                    f"{self.name} broke down over {MAX_BREAKDOWNS_PER_JOB:,} times in one job; its "
                    "failures.time_between_h draws far too many near-zero times")
            unit.hours_to_failure = failures_config.time_between_h.sample(unit.failure_rng)
        unit.hours_to_failure -= remaining
        return down, count

    def use(
        self,
        firm: int,
        tons: float,
        staff: Staff | None = None,
        hold_until: Callable[[], simpy.Event | None] | None = None,
        product: str = "",
    ) -> Generator[simpy.Event, object, MachineJob]:
        """Wait for a machine, run one job of ``tons`` on it, give it back (a simpy sub-process).

        ``staff`` are called once the machine is granted and must arrive before the job starts;
        that wait is the machine's *starved* time. They leave when the job is done.
        ``hold_until`` keeps the finished job on the machine, *blocked*, until the event it
        returns fires (a free yard place for the pallet it made, say; None from it: no wait).
        ``product`` tags the job's running costs with the product line they belong to.
        Returns the job's record.
        """
        env = self.env
        asked = env.now
        if self.config.continuous:  # a melt: the furnace first, then a start that fits the day
            granted = self.grant_now(firm)
            unit = granted[0] if granted is not None else (yield self.request(firm))[0]
            granted = env.now
            times = self.job_times(unit, firm, tons)
            ready, taken = yield from self._start_whole(times, staff)
            started = env.now
            end = started + times.total_h
        else:  # the machine and its crew together: neither is held waiting for the other
            got = self.grant_now(firm, staff)
            unit, taken, crew_wait = got if got is not None else (yield self.request(firm, staff))
            started = ready = env.now
            granted = started - crew_wait  # the machine's queue ends here; the rest was the crew's
            times = self.job_times(unit, firm, tons)
            end = self.calendar.finish(started, times.total_h)
        unit.last_firm = firm
        yield env.timeout(end - started)
        if staff is not None:
            staff.crew.put(taken)
        if hold_until is not None:
            held = hold_until()
            if held is not None:  # None: held at once, nothing to wait for
                yield held
        job = self._record(unit, firm, times, asked, granted, started, end, ready)
        self._book_costs(job.end, times, product)
        self.release(unit)
        return job

    def _start_whole(self, times: JobTimes, staff: Staff | None
                     ) -> Generator[simpy.Event, object, tuple[float, Taken | None]]:
        """Wait until the whole job fits in the working time left that day, with its workers there.

        Returns when the wait for a fitting start ended (the workers' lateness after it is the
        machine's starved time) and the workers taken. Workers who come too late for the job to
        fit go back and come again at the next fitting start, so a melt is never left overnight.
        """
        env = self.env
        while True:
            fit = self.calendar.fitting_start(env.now, times.total_h)
            if fit > env.now:
                yield env.timeout(fit - env.now)
            ready = env.now
            if staff is None:
                return ready, None
            taken = staff.arrive_now()
            if taken is None:
                taken = yield staff.arrive()
            if self.calendar.fitting_start(env.now, times.total_h) == env.now:
                return ready, taken
            staff.leave(taken)

    def _record(self, unit: Unit, firm: int, times: JobTimes, asked: float, granted: float,
                started: float, work_end: float, ready: float) -> MachineJob:
        now = self.env.now
        open_hours = self._open_hours
        previous, unit.last_work_end = unit.last_work_end, work_end
        idle = math.inf if previous is None else open_hours(previous, started)
        job = MachineJob(  # by position, in MachineJob's field order: this runs per job
            now, self.name, firm, times.busy_h, times.setup_h, times.down_h, granted - asked,
            times.failures, open_hours(work_end, now), open_hours(ready, started), self.key,
            unit.index, asked, started, work_end, idle)
        self.records.jobs.append(job)
        return job

    def _open_hours(self, t0: float, t1: float) -> float:
        """Working hours between two instants (0 without a calendar look-up when they coincide)."""
        return self.calendar.open_hours(t0, t1) if t1 > t0 else 0.0

    def _book_costs(self, t: float, times: JobTimes, product: str) -> None:
        running_h = times.busy_h + times.setup_h
        energy_kwh_per_h, running_cost_rp_per_h = self._cost_rates
        if energy_kwh_per_h:
            kwh = energy_kwh_per_h * running_h
            self.records.costs.append(Money(t, Cost.energy, kwh * self.electricity_rp_per_kwh, product))
        if running_cost_rp_per_h:
            self.records.costs.append(Money(t, Cost.running, running_cost_rp_per_h * running_h, product))


def _can_come(staff: Staff | None) -> bool:
    """Whether a waiting job's workers could come at once (no staff: always). The usual answer,
    a crew nobody waits in with enough workers free, is read here without a call: the pools ask
    this of every waiting job whenever a crew changes, half a million times a simulated year."""
    if staff is None:
        return True
    crew = staff.crew
    if crew.waiting:
        return False
    return crew.free >= staff.workers or staff.can_come_now()
