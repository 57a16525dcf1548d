"""The people who work the machines: a firm's (or the cooperative's) workers present now, and a job's crew.

A job asks its firm's :class:`Crew` for workers and waits, in turn, until that many are free; with
borrowing, a short crew takes idle workers from other firms and gives them back after the job
(:class:`Taken` says whose they were). :class:`Staff` is what a machine job takes from the using
firm. Kept apart from the machines because people are not a machine's property: the same crew
feeds the sorting floor, the mill and the press.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import simpy

Loans = tuple[tuple["Crew", int], ...]


@dataclass(frozen=True, slots=True)
class Taken:
    """Workers a job took: its own crew's, and any borrowed from other firms."""

    own: int
    loans: Loans = ()


_WHOLE = tuple(Taken(workers) for workers in range(64))  # Taken is immutable: one each, shared


class Crew:
    """The workers of a firm (or of the cooperative) present now, handed out first come first served.

    Jobs ask for a number of workers and wait, in turn, until that many are free. With ``peers``
    (``labour.short_crew: borrow``) a job short of its own workers borrows the rest from other
    firms' idle workers, if together they suffice, and gives them back when done. Absence is
    different: workers who do not come today leave as soon as they are free, without queueing,
    so a day's absence never blocks the jobs nor waits behind them.
    """

    def __init__(self, env: simpy.Environment, workers: int):
        self.env = env
        self.free = workers
        self.present = workers  # here today, busy or not (the day's roll call)
        self.owed = 0  # absent workers still busy on a job: they leave when they are done
        self.waiting: deque[tuple[simpy.Event, int]] = deque()
        self.peers: list[Crew] = []  # crews that lend idle workers (none: jobs wait)
        self.watchers: list[Callable[[Crew], None]] = []  # told when who is free changes (machine pools)

    @property
    def lendable(self) -> int:
        """Workers this crew can lend: idle ones nobody of its own is waiting for."""
        return 0 if self.waiting else self.free

    def can_take_now(self, workers: int) -> bool:
        """Whether :meth:`take_now` would hand out ``workers`` (nothing is taken)."""
        return not self.waiting and (self.free >= workers or self._can_take(workers))

    def take_now(self, workers: int) -> Taken | None:
        """The workers at once when nobody waits before them and they are there, else None (then
        :meth:`get` queues for them); no event, so a job that finds its crew continues at once."""
        if self.waiting:
            return None
        if self.free >= workers:  # the usual case, spelt out: it runs for almost every job
            self.free -= workers
            self._tell()
            return _WHOLE[workers] if workers < len(_WHOLE) else Taken(workers)
        if not self._can_take(workers):
            return None
        taken = self._take(workers)
        self._tell()
        return taken

    def get(self, workers: int) -> simpy.Event:
        """An event that fires with the :class:`Taken` workers once ``workers`` are there."""
        event = self.env.event()
        if not self.waiting and self._can_take(workers):
            event.succeed(self._take(workers))
        else:
            self.waiting.append((event, workers))
        self._tell()
        return event

    def put(self, taken: Taken | int) -> None:
        """Workers done with a job: borrowed ones go home to their firms, absent ones leave,
        the rest serve whoever waits."""
        if isinstance(taken, int):
            taken = Taken(taken)
        if not taken.loans and not self.owed:  # the usual case, spelt out: it runs for almost every job
            self.free += taken.own
            if self.waiting:
                self._serve()
            self._tell()
            return
        for lender, workers in taken.loans:
            lender.put(workers)
        settled = taken.own if taken.own < self.owed else self.owed  # min(): this runs per job
        self.owed -= settled
        self.free += taken.own - settled
        self._serve()
        self._tell()

    def set_absent(self, change: int) -> None:
        """``change`` more workers are away today (fewer when negative)."""
        self.present -= change
        if change >= 0:
            leave = change if change < self.free else self.free
            self.free -= leave
            self.owed += change - leave
            self._tell()
            return
        back = -change
        cancelled = back if back < self.owed else self.owed
        self.owed -= cancelled
        self.free += back - cancelled
        self._serve()
        self._tell()

    def _can_take(self, workers: int) -> bool:
        if self.free >= workers:
            return True
        return bool(self.peers) and self.free + sum(peer.lendable for peer in self.peers) >= workers

    def _take(self, workers: int) -> Taken:
        own = workers if workers < self.free else self.free
        self.free -= own
        loans, missing = [], workers - own
        for peer in self.peers:
            if not missing:
                break
            lent = min(peer.lendable, missing)
            if lent:
                peer.free -= lent
                loans.append((peer, lent))
                missing -= lent
        return Taken(own, tuple(loans))

    def _tell(self) -> None:
        """Who is free changed: a machine waiting for this crew may now be handed to its job, and a
        campaign this crew holds may now hold its machine, or no longer (machine pools decide)."""
        for watcher in self.watchers:
            watcher(self)

    def _serve(self) -> None:
        while self.waiting and self._can_take(self.waiting[0][1]):
            event, workers = self.waiting.popleft()
            event.succeed(self._take(workers))


@dataclass(slots=True)
class Staff:
    """The workers a job takes from the using firm's crew."""

    crew: Crew
    workers: int

    def arrive(self) -> simpy.Event:
        """An event that fires, with the :class:`Taken` workers, when they can come to the machine."""
        return self.crew.get(self.workers)

    def can_come_now(self) -> bool:
        """Whether the workers could come at once (nothing is taken)."""
        return self.crew.can_take_now(self.workers)

    def here_today(self) -> bool:
        """Whether enough of the crew's people came today, busy or not (a firm whose people mix the
        next batch still has its crew at work)."""
        return self.crew.present >= self.workers

    def come_now(self) -> Taken:
        """The workers, taken at once (only after :meth:`can_come_now` said they can)."""
        taken = self.crew.take_now(self.workers)
        assert taken is not None, "come_now without can_come_now"
        return taken

    def arrive_now(self) -> Taken | None:
        """The workers, when they can come at once (else None: wait for :meth:`arrive`)."""
        return self.crew.take_now(self.workers)

    def leave(self, taken: Taken) -> None:
        """Send the workers back (borrowed ones to their own firms)."""
        self.crew.put(taken)
