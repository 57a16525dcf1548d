"""A started melt runs to its end inside the working day; fuel and labour cover the whole melt."""

from __future__ import annotations

import pytest

from slagsim.model.engine import simulate
from slagsim.model.workdays import build_calendar
from slagsim.scenario.load import load_scenario
from tests.common import BASELINE, PRE_2021

YEARS = 0.5


@pytest.mark.parametrize("path, furnace", [(BASELINE, "furnace"), (PRE_2021, "crucible")])
def test_a_melt_never_spans_a_night_unattended(path, furnace):
    scenario = load_scenario(path)
    outcome = simulate(scenario, seed=2, replication=0, years=YEARS, warmup_days=0)
    calendar = build_calendar(scenario.calendar, outcome.window.end_h)
    melts = [job for job in outcome.records.jobs if job.machine == furnace]
    assert len(melts) > 20
    shift_h = scenario.calendar.shift_hours
    for job in melts:
        if job.active_h > shift_h:
            continue  # a breakdown made it longer than any shift: it runs on overtime (tested below)
        # every hour from start to end of work is working time: no night, weekend or holiday inside
        assert calendar.open_hours(job.start, job.work_end) == pytest.approx(job.work_end - job.start)


def test_without_continuous_melts_some_would_pause_overnight():
    scenario = load_scenario(BASELINE, ["machines.furnace.continuous=false"])
    outcome = simulate(scenario, seed=2, replication=0, years=YEARS, warmup_days=0)
    calendar = build_calendar(scenario.calendar, outcome.window.end_h)
    paused = [job for job in outcome.records.jobs if job.machine == "furnace"
              and calendar.open_hours(job.start, job.work_end) < job.work_end - job.start - 1e-6]
    assert paused  # the mechanism the rule removes


def test_fuel_is_charged_for_every_hour_of_every_melt():
    scenario = load_scenario(BASELINE)
    outcome = simulate(scenario, seed=2, replication=0, years=YEARS, warmup_days=0)
    hours = sum(job.busy_h + job.setup_h for job in outcome.records.jobs if job.machine == "furnace")
    fuel = sum(m.rp for m in outcome.records.costs if m.category == "running")
    assert fuel == pytest.approx(150_000 * hours)  # the furnace is the only machine with running cost


def test_a_melt_longer_than_a_shift_runs_on_overtime_rather_than_never():
    scenario = load_scenario(BASELINE, ["machines.furnace.cycle_h=9"])  # longer than the 7-h shift
    outcome = simulate(scenario, seed=2, replication=0, years=0.2, warmup_days=0)
    melts = [job for job in outcome.records.jobs if job.machine == "furnace"]
    assert melts and all(job.work_end - job.start >= 9 for job in melts)
