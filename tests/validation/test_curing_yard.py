"""The curing yard against Little's law and the M/G/infinity delay it is when it never fills.

A pallet stays in the yard its days on the pallet (``curing_yard.on_pallet_days``), then its blocks
cure stacked; the delay check gives the stack ample room so the pallet never waits for it."""

from __future__ import annotations

import pytest

from slagsim.analysis.metrics import time_average
from slagsim.analysis.stats import mean_ci
from slagsim.model.engine import simulate
from slagsim.scenario.load import load_scenario
from tests.common import BASELINE

pytestmark = pytest.mark.slow  # many replications against Little's law and M/G/inf

REPLICATIONS = 10
YEARS, WARMUP_DAYS, SEED = 0.5, 180, 20241128  # the warm-up the baseline needs (MSER-5)
SETTLED_H = 45 * 24  # longer than any stay (2 days on a pallet, or 28 days' cure, and packing): lambda, W use
#                      pallets placed before end - SETTLED_H, so none is still curing at the end


def arrivals(outcome) -> list:
    """Stays of the pallets placed in the window early enough to have left it."""
    start, last = outcome.window.start_h, outcome.window.end_h - SETTLED_H
    return [stay for stay in outcome.records.yard_stays if start <= stay.placed < last]


def yard_runs(overrides: list[str]):
    scenario = load_scenario(BASELINE, overrides)
    return [simulate(scenario, SEED, r, YEARS, WARMUP_DAYS) for r in range(REPLICATIONS)]


def little_yard_check() -> tuple[str, float, tuple[float, float, float]]:
    """L (time-average occupancy) against lambda (pallets placed per hour) x W (mean stay)."""
    averages, products = [], []
    for outcome in yard_runs([]):  # L, lambda and W over the same span: demand has seasons
        start, last = outcome.window.start_h, outcome.window.end_h - SETTLED_H
        occupancy = time_average(outcome.records.yard_level, start, last)
        stays = arrivals(outcome)
        lam = len(stays) / (last - start)
        mean_stay = sum(stay.left - stay.placed for stay in stays) / len(stays)
        averages.append(occupancy)
        products.append(lam * mean_stay)
    return ("Little in the curing yard: L vs lambda W", sum(products) / len(products), mean_ci(averages))


def pure_delay_check() -> tuple[str, float, tuple[float, float, float]]:
    """M/G/infinity: mean occupancy = arrival rate x mean stay (mean days on a pallet + the
    stacking task, which the pallet waits for)."""
    ample = ["curing_yard.pallets=100000", "curing_yard.stack_t=100000"]
    scenario = load_scenario(BASELINE, ample)
    pallet_mean_h = scenario.curing_yard.on_pallet_days.mean * 24  # shorter than any cure (7-28 days)
    averages, products = [], []
    for outcome in yard_runs(ample):
        start, last = outcome.window.start_h, outcome.window.end_h - SETTLED_H
        occupancy = time_average(outcome.records.yard_level, start, last)
        stays = arrivals(outcome)
        handling = [stay.left - stay.placed - stay.curing_h for stay in stays]
        lam = len(stays) / (last - start)
        averages.append(occupancy)
        products.append(lam * (pallet_mean_h + sum(handling) / len(handling)))
        assert max(p.value for p in outcome.records.yard_level) < 100000  # it never filled
    return ("Yard as M/G/inf delay: occupancy vs lambda E[S]", sum(products) / len(products),
            mean_ci(averages))


def test_littles_law_in_the_curing_yard():
    """lambda W lies in the 95 % CI of L (they differ by boundary terms in a finite window)."""
    _, expected, (_, low, high) = little_yard_check()
    assert low <= expected <= high, (expected, low, high)


def test_a_yard_that_never_fills_is_a_pure_delay():
    _, expected, (_, low, high) = pure_delay_check()
    assert low <= expected <= high, (expected, low, high)
