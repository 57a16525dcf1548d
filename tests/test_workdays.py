"""Working time: shifts, weekends, holidays and outages."""

from __future__ import annotations

import numpy as np
import pytest

from slagsim.model.workdays import Calendar, build_calendar, draw_outages, shift_intervals, subtract
from slagsim.scenario.schema import CalendarConfig

SIX_DAYS = CalendarConfig(days_per_week=6, shift_hours=7, shifts_per_day=1, first_shift_start_hour=7)


def test_shifts_skip_sundays_and_holidays():
    config = SIX_DAYS.model_copy(update={"holidays": [2]})
    intervals = shift_intervals(config, 7 * 24)
    assert intervals[0] == (7.0, 14.0)
    assert (24 + 7.0, 24 + 14.0) not in intervals  # day 2 of the year is a holiday
    assert len(intervals) == 5  # Monday-Saturday minus the holiday


def test_job_spanning_the_night_finishes_next_morning():
    calendar = build_calendar(SIX_DAYS, 14 * 24)
    assert calendar.finish(12.0, 3.0) == pytest.approx(24 + 7 + 1.0)
    assert calendar.open_hours(0, 24 * 7) == pytest.approx(6 * 7)


def test_second_shift_doubles_working_hours():
    two = SIX_DAYS.model_copy(update={"shifts_per_day": 2})
    assert build_calendar(two, 700).open_hours(0, 700) == pytest.approx(
        2 * build_calendar(SIX_DAYS, 700).open_hours(0, 700))


def test_outages_are_cut_out_of_working_time():
    calendar = Calendar(subtract([(0.0, 10.0), (20.0, 30.0)], [(5.0, 22.0)]))
    assert calendar.open_hours(0, 30) == pytest.approx(5 + 8)
    assert not calendar.is_open(21.0)


def test_outage_rate_matches_the_configured_rate():
    config = CalendarConfig.model_validate(
        {**SIX_DAYS.model_dump(), "outages": {"per_quarter": 1.6, "duration_h": 1.41}})
    horizon = 365 * 24 * 200.0
    outages = draw_outages(config, horizon, np.random.default_rng(1))
    quarters = horizon / (365 * 24 / 4)
    # Poisson count: mean 1.6 per quarter, sd sqrt(n); 4 sd is the tolerance.
    expected = 1.6 * quarters
    assert abs(len(outages) - expected) < 4 * expected**0.5
