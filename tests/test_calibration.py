"""The acceptance figures: the means over 20 replications hit the published targets."""

from __future__ import annotations

from sim.stats import mean_ci


def _mean(result, kpi: str) -> float:
    return mean_ci([r.kpis[kpi] for r in result.replications])[0]


def test_baseline_reproduces_todays_centre(baseline_20):
    assert len(baseline_20.replications) == 20
    assert 400 <= _mean(baseline_20, "product_output_t_per_year") <= 700
    assert _mean(baseline_20, "workers") == 200
    assert 1.5e9 <= _mean(baseline_20, "turnover_rp_per_year") <= 2.0e9


def test_pre_2021_reproduces_the_centre_before_the_machines(pre_2021_20):
    assert 50 <= _mean(pre_2021_20, "product_output_t_per_year") <= 70
    assert 12 <= _mean(pre_2021_20, "workers") <= 19
    assert 2.0e8 <= _mean(pre_2021_20, "turnover_rp_per_year") <= 3.0e8


def test_ingot_yield_matches_the_klhk_derived_27_percent(baseline_20):
    mean = _mean(baseline_20, "ingot_yield_share")
    # Yield of ingot on slag received, ~27 % (domain.md); a year's yield runs a little low
    # because oversize waiting for a full furnace charge is still in stock at the end.
    assert 0.22 <= mean <= 0.29


def test_mass_balance_closes_in_every_replication(baseline_20, pre_2021_20):
    for result in (baseline_20, pre_2021_20):
        for replication in result.replications:
            assert abs(replication.kpis["mass_balance_error_t"]) < 1e-6
