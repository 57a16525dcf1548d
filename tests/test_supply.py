"""Slag as a regional market: offers from smelters, accepted when permit, store and backlog allow.

Effects are paired differences over common random numbers (every scenario sees the same offers),
each with its 95 % CI.
"""

from __future__ import annotations

import pytest

from slagsim.analysis.stats import mean_ci
from slagsim.model.engine import simulate
from slagsim.scenario.load import load_scenario
from tests.common import BASELINE, run_kpis

REPS, YEARS = 5, 1.0
SLOW_MILL = ["machines.mill.cycle_h=12"]  # a ton in twelve hours (~170 t/yr): the mill binds


def paired(kpi: str, a: list[dict], b: list[dict]) -> tuple[float, float, float]:
    return mean_ci([y[kpi] - x[kpi] for x, y in zip(a, b, strict=True)])


@pytest.fixture(scope="module")
def slow_mill() -> tuple[list[dict], list[dict]]:
    """The slow-mill centre with one mill, and with a second."""
    return (run_kpis(BASELINE, SLOW_MILL, reps=REPS, years=YEARS),
            run_kpis(BASELINE, [*SLOW_MILL, "machines.mill.count=2"], reps=REPS, years=YEARS))


@pytest.mark.slow
def test_offers_are_split_into_received_and_turned_away(slow_mill):
    runs = slow_mill[0]
    assert any(k["slag_turned_away_t_per_year.backlog"] > 0 for k in runs)
    for kpis in runs:
        turned_away = sum(v for k, v in kpis.items() if k.startswith("slag_turned_away_t_per_year."))
        received = kpis["slag_received_t_per_year"]
        assert kpis["slag_offered_t_per_year"] == pytest.approx(received + turned_away)
        assert kpis["slag_refused_t_per_year"] == pytest.approx(turned_away)


@pytest.mark.slow
def test_a_mill_bought_where_it_binds_raises_slag_processed(slow_mill):
    """The slow mill fills the store and the backlog: offers are turned away and slag that waits
    90 days goes to a licensed processor unmelted (PP 22/2021). A second mill processes faster, so
    more of the same offers is processed and far less reaches the limit."""
    mean, low, high = paired("slag_processed_t_per_year", *slow_mill)
    assert low > 0, (mean, low, high)
    mean, low, high = paired("slag_sent_away_t_per_year", *slow_mill)
    assert high < 0, (mean, low, high)


@pytest.mark.slow
def test_a_mill_where_it_does_not_bind_changes_nothing_it_takes_in():
    base = run_kpis(BASELINE, reps=REPS, years=YEARS)
    more = run_kpis(BASELINE, ["machines.mill.count=2"], reps=REPS, years=YEARS)
    mean, low, high = paired("slag_received_t_per_year", base, more)
    assert low <= 0 <= high or abs(mean) < 1.0, (mean, low, high)  # every offer is taken either way


@pytest.mark.slow
def test_without_a_permit_the_licensed_smelters_lots_go_elsewhere():
    """42 of 136 smelters are licensed (petisi.co 2018): their share of the offers is turned away."""
    kpis = run_kpis(BASELINE, ["b3_store.permit=false"], reps=REPS, years=YEARS)
    shares = [k["slag_turned_away_t_per_year.permit"] / k["slag_offered_t_per_year"] for k in kpis]
    mean, low, high = mean_ci(shares)
    assert low - 0.05 <= 42 / 136 <= high + 0.05, (mean, low, high)
    assert all(k["slag_turned_away_t_per_year.permit"] > 0 for k in kpis)


def test_a_lot_is_priced_by_its_metal_content():
    """Rp 250,000 a ton plus Rp 3 million per ton of metal: the mean price of the lots received
    lies between the black and the white dross's mean prices."""
    scenario = load_scenario(BASELINE)
    outcome = simulate(scenario, seed=3, replication=0, years=YEARS, warmup_days=0)
    paid = sum(m.rp for m in outcome.records.costs if m.category == "slag")
    tons = sum(lot.tons for lot in outcome.records.received)
    black, white = 250_000 + 3e6 * 0.21, 250_000 + 3e6 * 0.475
    assert black < paid / tons < white
    assert min(m.rp for m in outcome.records.costs if m.category == "slag") > 250_000 * 2  # lots of 2-8 t


def test_a_backlog_limit_turns_lots_away_before_the_store_is_full():
    kpis = run_kpis(BASELINE, [*SLOW_MILL, "supply.max_backlog_t=10"], reps=2, years=0.5)
    for k in kpis:
        assert k["slag_turned_away_t_per_year.backlog"] > 0
        assert k["b3_store_peak_t"] < 10 + 8 + 1e-9  # the last lot accepted below 10 t, at most 8 t
