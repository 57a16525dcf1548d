"""Working time: shifts, days off, holidays and outages as sorted open intervals.

Time is hours from the start of the run (a Monday, 00:00). A :class:`Calendar` answers "how many
working hours lie between two instants" and "when does a job needing ``w`` working hours that
starts at ``t`` finish", each with a binary search, so a job costs one simulation event however
many nights and weekends it spans.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right

import numpy as np

from slagsim.scenario.schema import CalendarConfig

HOURS_PER_DAY = 24.0
DAYS_PER_YEAR = 365
HOURS_PER_YEAR = DAYS_PER_YEAR * HOURS_PER_DAY
MONTHS_PER_YEAR = 12
HOURS_PER_QUARTER = HOURS_PER_YEAR / 4
HOURS_PER_MONTH = HOURS_PER_YEAR / MONTHS_PER_YEAR  # the model's month: a twelfth of the year

Interval = tuple[float, float]


def whole_months(start_h: float, end_h: float) -> range:
    """Indices of the months (0 starts at t = 0) that lie wholly between ``start_h`` and ``end_h``."""
    first = math.ceil(start_h / HOURS_PER_MONTH - 1e-9)
    last = math.floor(end_h / HOURS_PER_MONTH + 1e-9)
    return range(first, max(first, last))


class Calendar:
    """Open (working) intervals over a horizon, with cumulative open hours for fast look-ups."""

    def __init__(self, intervals: list[Interval]):
        self.starts = [s for s, _ in intervals]
        self.ends = [e for _, e in intervals]
        self.cum_before: list[float] = []  # open hours before interval i
        total = 0.0
        for start, end in intervals:
            self.cum_before.append(total)
            total += end - start
        lengths = [e - s for s, e in intervals]
        self.cum_after = [c + n for c, n in zip(self.cum_before, lengths, strict=True)]

    def is_open(self, t: float) -> bool:
        """Whether ``t`` lies inside a working interval."""
        i = bisect_right(self.starts, t) - 1
        return i >= 0 and t < self.ends[i]

    def open_time(self, t: float) -> float:
        """Working hours from the start of the run up to ``t``."""
        i = bisect_right(self.starts, t) - 1
        if i < 0:
            return 0.0
        end = self.ends[i]
        return self.cum_before[i] + (end if end < t else t) - self.starts[i]  # min(t, end), called per job

    def at_open_time(self, hours: float) -> float:
        """The earliest instant by which ``hours`` working hours have passed (inf past the end)."""
        if hours <= 0:
            return self.starts[0] if self.starts else math.inf
        i = bisect_left(self.cum_after, hours)
        if i >= len(self.starts):
            return math.inf
        return self.starts[i] + (hours - self.cum_before[i])

    def finish(self, start: float, work_hours: float) -> float:
        """When a job started at ``start`` that needs ``work_hours`` of working time ends."""
        if work_hours <= 0:
            return start
        end = self.at_open_time(self.open_time(start) + work_hours)
        return end if end > start else start

    def open_hours(self, t0: float, t1: float) -> float:
        """Working hours between ``t0`` and ``t1``."""
        return self.open_time(t1) - self.open_time(t0)

    def fitting_start(self, t: float, hours: float, look_ahead: int = 14) -> float:
        """The earliest instant from ``t`` on with ``hours`` of unbroken working time after it.

        For a job that must not pause overnight (a melt). When none of the next ``look_ahead``
        working stretches is that long, the job cannot fit any day and runs on overtime: it may
        start at ``t`` if the plant is open, else at the next stretch's start. ``t`` itself past
        the calendar's end.
        """
        i = bisect_right(self.starts, t) - 1
        if i >= 0 and t < self.ends[i] and self.ends[i] - t >= hours - 1e-9:
            return t
        for j in range(i + 1, min(i + 1 + look_ahead, len(self.starts))):
            if self.ends[j] - self.starts[j] >= hours - 1e-9:
                return self.starts[j]
        if (i >= 0 and t < self.ends[i]) or i + 1 >= len(self.starts):
            return t
        return self.starts[i + 1]

    def day_starts(self, t: float) -> list[float]:
        """Starts of the working stretches from ``t`` on (one per working day of merged shifts)."""
        return self.starts[bisect_left(self.starts, t):]


def shift_intervals(config: CalendarConfig, horizon_h: float) -> list[Interval]:
    """The working shifts of ``config`` from hour 0 to ``horizon_h``, adjacent shifts merged."""
    holidays = set(config.holidays)
    day_start = config.first_shift_start_hour
    day_length = config.shift_hours * config.shifts_per_day
    intervals: list[Interval] = []
    for day in range(math.ceil(horizon_h / HOURS_PER_DAY)):
        if day % 7 >= config.days_per_week or (day % DAYS_PER_YEAR) + 1 in holidays:
            continue
        start = day * HOURS_PER_DAY + day_start
        end = start + day_length
        if intervals and abs(intervals[-1][1] - start) < 1e-9:
            intervals[-1] = (intervals[-1][0], end)
        else:
            intervals.append((start, end))
    return intervals


def draw_outages(config: CalendarConfig, horizon_h: float, rng: np.random.Generator) -> list[Interval]:
    """Random grid outages over the horizon: a Poisson process with random durations."""
    if config.outages is None or config.outages.per_quarter <= 0:
        return []
    mean_gap = HOURS_PER_QUARTER / config.outages.per_quarter
    outages: list[Interval] = []
    t = float(rng.exponential(mean_gap))
    while t < horizon_h:
        duration = config.outages.duration_h.sample(rng)
        outages.append((t, t + duration))
        t += duration + float(rng.exponential(mean_gap))
    return outages


def subtract(intervals: list[Interval], holes: list[Interval]) -> list[Interval]:
    """``intervals`` with the time covered by ``holes`` removed (both sorted, non-overlapping)."""
    result: list[Interval] = []
    j = 0
    for start, end in intervals:
        while j < len(holes) and holes[j][1] <= start:
            j += 1
        k = j
        cursor = start
        while k < len(holes) and holes[k][0] < end:
            if holes[k][0] > cursor:
                result.append((cursor, holes[k][0]))
            cursor = max(cursor, holes[k][1])
            k += 1
        if cursor < end:
            result.append((cursor, end))
    return result


def build_calendar(
    config: CalendarConfig, horizon_h: float, outages: list[Interval] | None = None
) -> Calendar:
    """A calendar of ``config``'s shifts, minus ``outages`` when given (for powered machines).

    The intervals run a year past ``horizon_h`` so jobs that start near the end can finish.
    """
    span = horizon_h + DAYS_PER_YEAR * HOURS_PER_DAY
    shifts = shift_intervals(config, span)
    return Calendar(subtract(shifts, outages) if outages else shifts)
