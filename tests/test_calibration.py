"""The acceptance figures: the means over 20 replications hit the published targets."""

from __future__ import annotations

import pytest

from slagsim.analysis.stats import mean_ci

pytestmark = pytest.mark.slow  # twenty replications a year long of the baseline and pre-2021


def _mean(result, kpi: str) -> float:
    return mean_ci([r.kpis[kpi] for r in result.replications])[0]


def _in_band(result, kpi: str, low: float, high: float) -> None:
    """The 20-replication mean's 95 % CI reaches into the band: a mean just outside it by less than
    its own sampling error is not a miss (seeds 1-3 are reported by benchmarks/calibration.py)."""
    mean, ci_low, ci_high = mean_ci([r.kpis[kpi] for r in result.replications])
    assert ci_low <= high and ci_high >= low, (kpi, mean, ci_low, ci_high, low, high)


# Each mean inside the middle 80 % of the seed article's range (issue 13), within its CI.
def test_baseline_reproduces_todays_centre(baseline_20):
    assert len(baseline_20.replications) == 20
    _in_band(baseline_20, "product_output_t_per_year", 430, 670)
    _in_band(baseline_20, "turnover_rp_per_year", 1.55e9, 1.95e9)
    assert _mean(baseline_20, "workers") == 75  # the firms' own: owner and family, 3 in each of 25


def test_pre_2021_reproduces_the_centre_before_the_machines(pre_2021_20):
    _in_band(pre_2021_20, "product_output_t_per_year", 52, 68)
    _in_band(pre_2021_20, "turnover_rp_per_year", 2.1e8, 2.9e8)


def test_the_machines_multiply_the_people_who_work(baseline_20, pre_2021_20):
    """Workers absorbed (BPS: an hour's work in the week) grow several-fold with the machines."""
    assert _mean(baseline_20, "workers_absorbed") > 4 * _mean(pre_2021_20, "workers_absorbed")


def test_workers_absorbed_before_2021_match_the_article(pre_2021_20):
    """A dozen or so before the machines (seed article: "belasan"), counted as BPS counts work."""
    _in_band(pre_2021_20, "workers_absorbed", 11, 19)


@pytest.mark.xfail(strict=True, reason="at the cited rates today's work is ~2,400 paid worker-days "
                   "a year, which ~90 people share in an average week, not the article's ~200: the "
                   "labour per ton or the article's count differ; books of paid worker-days would "
                   "tell which (docs/findings.md)")
def test_workers_absorbed_today_match_the_article(baseline_20):
    _in_band(baseline_20, "workers_absorbed", 160, 240)


def test_ingot_per_ton_processed_is_what_the_metal_content_and_recovery_give(baseline_20):
    """Mean metallic Al 0.7 x 21 % + 0.3 x 47.5 % = 28.95 % (processors' data), 97 % of it in
    the oversize, 70 % of that cast (small processors' recovery): 0.197 t of ingot per ton.
    A year's figure runs a little low: oversize waiting for a full charge is still in stock.

    (The KLHK-derived ~27 % counts two cooperatives' input, foil and scrap included: a different
    scope, see scenarios/README.md.)"""
    expected = (0.7 * 0.21 + 0.3 * 0.475) * 0.97 * 0.70
    mean = _mean(baseline_20, "ingot_per_slag_processed")
    assert expected - 0.015 <= mean <= expected + 0.002, (mean, expected)


def test_mass_balance_closes_in_every_replication(baseline_20, pre_2021_20):
    for result in (baseline_20, pre_2021_20):
        for replication in result.replications:
            assert abs(replication.kpis["mass_balance_error_t"]) < 1e-6
