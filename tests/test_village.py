"""The village workforce and the workers-absorbed count (BPS: an hour's work in the week)."""

from __future__ import annotations

import numpy as np
import pytest

from slagsim.analysis.people import workforce
from slagsim.model.engine import simulate
from slagsim.model.records import Present, WorkerHours
from slagsim.model.village import Village
from slagsim.scenario.load import load_scenario
from tests.common import BASELINE

DIPS = np.ones(366)


def test_who_can_come_averages_the_availability_times_the_dip():
    dips = DIPS.copy()
    dips[100] = 0.5
    village = Village(2000, 0.6, dips, np.random.default_rng(1), firms=4)
    village.new_day(0, 0)
    assert village._free.mean() == pytest.approx(0.6, abs=3.3 * (0.6 * 0.4 / 2000) ** 0.5)
    village.new_day(100, 1)
    assert village._free.mean() == pytest.approx(0.3, abs=3.3 * (0.3 * 0.7 / 2000) ** 0.5)


def test_a_firm_calls_its_regulars_first_and_nobody_twice_a_day():
    village = Village(20, 1.0, DIPS, np.random.default_rng(1), firms=4)
    village.new_day(0, 0)
    first = village.call(1, 3)
    assert first == [1, 5, 9]  # its regulars: every fourth villager from its rank
    rest = village.call(1, 10)
    assert set(rest).isdisjoint(first) and len(rest) == 10
    assert {1, 5, 9, 13, 17} <= set(first + rest)
    assert village.call(2, 20) and len(village.call(3, 20)) == 0  # everyone is taken
    village.new_day(1, 1)
    assert village.call(1, 3) == [1, 5, 9]  # the same ones again the next day


def test_taking_turns_shares_the_work_round_the_regulars():
    village = Village(20, 1.0, DIPS, np.random.default_rng(1), firms=4, rotate=True)
    called = []
    for day in range(5):
        village.new_day(day, day)
        called += village.call(0, 2)
    assert set(called) == {0, 4, 8, 12, 16}  # five regulars, two a day, round and round


def test_workers_absorbed_count_people_with_an_hour_in_the_week():
    """Two weeks: a firm's shift of three people shares 6 worker-hours (2 h each: all working);
    another shift of four shares 2 h (0.5 h each: none working that week). Over two whole weeks
    the average is (3 + 0) / 2; all work under 35 h: all underemployed."""
    scenario = load_scenario(BASELINE)
    outcome = simulate(scenario, seed=1, replication=0, years=2 / 52 + 0.001, warmup_days=0)
    start = outcome.window.start_h
    outcome.records.present = [Present(start + 8, 0, 3, (1, 2, 3)),
                               Present(start + 24 * 8, 0, 4, (4, 5, 6, 7))]
    outcome.records.worker_hours = [WorkerHours(start + 10, 0, 6.0, "ingot"),
                                    WorkerHours(start + 24 * 8 + 3, 0, 2.0, "ingot")]
    people = workforce(scenario, outcome)
    assert people.absorbed == pytest.approx(1.5)
    assert people.underemployed == 1.0
    assert people.utilisation == pytest.approx(8 / (7 * 7))
    assert people.paid_days == pytest.approx(8 / 7)  # pay for work done
