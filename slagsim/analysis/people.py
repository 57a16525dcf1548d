"""Who worked, for how long and for what pay: the workforce as an outcome of the work.

The engine records, per firm and shift, who was there (:class:`~slagsim.model.records.Present`)
and, per task, the worker-hours spent. A shift's worker-hours are shared equally among the people
at the firm that shift (a home workshop rotates its tasks among those present: an assumption, said
in docs/model.md), so each person has hours in each week. From those:

- ``workers_absorbed``: people who worked at least one hour in a week, on average over the window's
  whole weeks (Statistics Indonesia's definition of working, Sakernas: at least one hour in the
  reference week, unpaid family helpers included);
- ``underemployed_share``: of those, the share working under 35 hours that week (BPS);
- ``worker_utilisation``: worker-hours worked over hours present.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

from slagsim.model.engine import Outcome
from slagsim.model.market import LOADERS
from slagsim.model.records import Present
from slagsim.model.workdays import HOURS_PER_DAY
from slagsim.scenario.schema import PayBasis, Scenario

WORKING_HOURS_A_WEEK = 1.0  # BPS (Sakernas): at least one hour in the reference week
FULL_WEEK_HOURS = 35.0  # BPS: under 35 hours a week is underemployment (setengah penganggur)
HOURS_PER_WEEK = 7 * HOURS_PER_DAY


def shift_hours(outcome: Outcome, whole_run: bool = False) -> list[tuple[Present, float]]:
    """Each firm's shifts in the window (or the whole run), with the worker-hours its people worked
    in it (a task is counted in the shift it ended in)."""
    shifts: dict[int, list[Present]] = defaultdict(list)
    for present in outcome.records.present:
        shifts[present.firm].append(present)
    starts = {firm: [p.t for p in rows] for firm, rows in shifts.items()}
    hours = {firm: [0.0] * len(rows) for firm, rows in shifts.items()}
    for work in outcome.records.worker_hours:
        if work.firm not in starts:
            continue  # loading buyers' trucks (LOADERS): paid, shared by the whole centre, no shift
        index = bisect_right(starts[work.firm], work.t) - 1
        if index >= 0:
            hours[work.firm][index] += work.hours
    start, end = (0.0, float("inf")) if whole_run else (outcome.window.start_h, outcome.window.end_h)
    return [(present, hours[firm][i]) for firm, rows in shifts.items()
            for i, present in enumerate(rows) if start <= present.t < end]


def paid_days(scenario: Scenario, outcome: Outcome, whole_run: bool = False) -> list[tuple[float, float]]:
    """The firms' paid worker-days as (time, days), shift by shift: days present, or hours worked
    over a shift's hours (labour.pay_basis), an overtime shift at labour.overtime_pay_factor; and
    with pay for work done, the hours spent loading buyers' trucks."""
    labour, shift_h = scenario.labour, scenario.calendar.shift_hours
    attendance = labour.pay_basis == PayBasis.attendance
    paid = [(present.t, (labour.overtime_pay_factor if present.overtime else 1.0)
             * (present.workers if attendance else hours / shift_h))
            for present, hours in shift_hours(outcome, whole_run)]
    start, end = (0.0, float("inf")) if whole_run else (outcome.window.start_h, outcome.window.end_h)
    paid += [(work.t, work.hours / shift_h) for work in outcome.records.worker_hours
             if not attendance and work.firm == LOADERS and start <= work.t < end]
    return paid


@dataclass(frozen=True, slots=True)
class Workforce:
    """One replication's people, over its window (the KPI registry names and labels them)."""

    absorbed: float  # people working >= 1 h in a week, averaged over the window's whole weeks
    underemployed: float  # share of them under 35 h that week
    utilisation: float  # worker-hours worked over hours present
    paid_days: float  # the firms' paid worker-days
    present_days: float  # person-shifts present


def workforce(scenario: Scenario, outcome: Outcome) -> Workforce:
    """Workers absorbed, the underemployed among them, utilisation, and paid worker-days."""
    shift_h = scenario.calendar.shift_hours
    weeks = int((outcome.window.end_h - outcome.window.start_h) // HOURS_PER_WEEK)
    person_week: dict[tuple[int, int], float] = defaultdict(float)
    present_h = worked_h = 0.0
    for present, hours in shift_hours(outcome):
        present_h += present.workers * shift_h
        worked_h += hours
        week = int((present.t - outcome.window.start_h) // HOURS_PER_WEEK)
        if present.people and week < weeks:
            share = hours / len(present.people)
            for person in present.people:
                person_week[week, person] += share
    working = [h for h in person_week.values() if h >= WORKING_HOURS_A_WEEK]
    return Workforce(
        absorbed=len(working) / weeks if weeks else 0.0,
        underemployed=sum(h < FULL_WEEK_HOURS for h in working) / len(working) if working else 0.0,
        utilisation=worked_h / present_h if present_h else 0.0,
        paid_days=sum(days for _, days in paid_days(scenario, outcome)),
        present_days=present_h / shift_h,
    )
