"""People: who comes each day, what they are paid for, and what a worker earns."""

from __future__ import annotations

from statistics import mean

import pytest

from slagsim.model.engine import simulate
from slagsim.scenario.load import load_scenario
from tests.common import BASELINE, run_kpis

YEARS = 0.5


def test_attendance_is_drawn_each_day_and_averages_the_chance():
    """Each of a firm's 8 workers comes with probability 0.65 (times the harvest and Lebaran
    dips), so a day's count varies and its mean is 8 x 0.65 x the mean dip factor."""
    scenario = load_scenario(BASELINE, ["labour.dips=[]"])
    outcome = simulate(scenario, seed=11, replication=0, years=YEARS, warmup_days=0)
    counts = [day.workers for day in outcome.records.present]  # 25 firms x ~150 days
    assert len(set(counts)) > 3  # not a fixed crew
    spread = (8 * 0.65 * 0.35) ** 0.5 / len(counts) ** 0.5  # binomial standard error of the mean
    assert abs(mean(counts) - 8 * 0.65) < 3.3 * spread  # inside the 99.9 % interval


def test_a_seasonal_dip_lowers_the_workers_present():
    """A dip all year at half attendance: about half the workers come."""
    plain = run_kpis(BASELINE, ["labour.dips=[]"], reps=2, years=YEARS)
    dipped = run_kpis(BASELINE, ["labour.dips=[{first_day: 1, last_day: 366, factor: 0.5}]"],
                      reps=2, years=YEARS)
    for p, d in zip(plain, dipped, strict=True):
        assert d["crew_present_per_day"] == pytest.approx(0.5 * p["crew_present_per_day"], rel=0.05)


def test_any_attendance_in_zero_to_one_is_valid_and_jobs_wait_for_workers():
    """0.55 was refused when the crew was fixed (the press needs 5 of 8); now a firm's press
    job waits for a day with five present. It waits before the press is handed to it, so the
    press is never held for absent people: the block line's time goes on labour instead."""
    low = run_kpis(BASELINE, ["firms.template.attendance=0.55"], reps=2, years=YEARS)
    high = run_kpis(BASELINE, ["firms.template.attendance=0.9"], reps=2, years=YEARS)
    assert all(r["starved_share.press"] == 0 for r in low + high)
    assert mean(r["time_share.blocks.labour"] for r in low) > 5 * mean(r["time_share.blocks.labour"]
                                                                       for r in high)


def test_paid_days_count_every_task_with_people_and_loading():
    with_loading = run_kpis(BASELINE, reps=1, years=YEARS)[0]
    without = run_kpis(BASELINE, ["labour.loading_worker_h_per_t=0"], reps=1, years=YEARS)[0]
    sold = sum(v for k, v in with_loading.items() if k.startswith("sold_t_per_year."))
    extra_days = sold * 1.5 / 7  # 1.5 worker-hours a ton, 7-hour days
    assert with_loading["paid_worker_days_per_year"] - without["paid_worker_days_per_year"] == \
        pytest.approx(extra_days, rel=1e-6)
    assert with_loading["product_output_t_per_year"] == without["product_output_t_per_year"]


def test_paying_by_attendance_pays_every_day_present():
    kpis = run_kpis(BASELINE, ["labour.pay_basis=attendance"], reps=1, years=YEARS)[0]
    plant_days = kpis["paid_worker_days_per_year"] / kpis["fte"]
    assert kpis["paid_worker_days_per_year"] == pytest.approx(kpis["crew_present_per_day"] * plant_days)
    assert kpis["earnings_rp_per_worker_month"] == pytest.approx(
        kpis["paid_worker_days_per_year"] * 100_000 / 200 / 12)


@pytest.mark.slow
def test_borrowing_idle_workers_frees_the_press_from_waiting_for_a_crew():
    """With short_crew: borrow a firm short of its press crew of five takes the rest from firms
    with idle workers: the block line no longer loses time to missing people (paired). The press
    was never held for them (a job gets the press only with its crew), so paving barely moves."""
    wait = run_kpis(BASELINE, reps=3, years=YEARS)
    borrow = run_kpis(BASELINE, ["labour.short_crew=borrow"], reps=3, years=YEARS)
    pairs = list(zip(wait, borrow, strict=True))
    assert all(b["time_share.blocks.labour"] <= 0.5 * w["time_share.blocks.labour"] for w, b in pairs)
    assert mean(w["time_share.blocks.labour"] for w in wait) > 0.005
    assert all(b["starved_share.press"] == w["starved_share.press"] == 0 for w, b in pairs)
    assert all(abs(b["mass_balance_error_t"]) < 1e-6 for b in borrow)
