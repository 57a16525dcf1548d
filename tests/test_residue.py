"""Residue (fines, furnace ash, salt cake) is B3 waste: stored dated against its own capacity
and the 90-day limit, pooled or kept by each firm, sent out at a fee."""

from __future__ import annotations

import pytest

from slagsim.model.engine import simulate
from slagsim.scenario.load import load_scenario
from tests.common import BASELINE, run_kpis

YEARS = 0.5


def test_residue_lots_are_dated_and_none_outlives_the_limit():
    scenario = load_scenario(BASELINE)
    outcome = simulate(scenario, seed=5, replication=0, years=YEARS, warmup_days=30)
    ages = [lot.age_h for lot in outcome.records.residue_ages]
    assert ages and max(ages) <= 90 * 24 + 1e-6
    assert any(out.reason == "expired" for out in outcome.records.residue_out)
    assert max(p.value for p in outcome.records.residue_level) <= 40 + 1e-9  # the pooled capacity


def test_without_disposal_at_the_limit_old_residue_is_counted_over_it():
    kpis = run_kpis(BASELINE, ["process.residue.dispose_at_limit=false"], reps=1, years=1.0)[0]
    assert kpis["residue_max_age_days"] > 90
    assert kpis["residue_lots_over_limit"] > 0
    assert kpis["residue_disposed_t_per_year.expired"] == 0


def test_pooling_lets_every_block_line_use_every_firms_residue():
    """Kept by each firm (2 t each), a firm's block line waits for its own residue while another
    firm sends its surplus away; pooled, the waiting falls and less is sent away."""
    own = run_kpis(BASELINE, ["process.residue.pooling=firm"], reps=2, years=YEARS)
    pooled = run_kpis(BASELINE, reps=2, years=YEARS)
    for o, p in zip(own, pooled, strict=True):
        assert p["time_share.blocks.upstream"] < o["time_share.blocks.upstream"]
        assert p["residue_disposed_t_per_year.full"] < o["residue_disposed_t_per_year.full"]


def test_disposal_is_charged_per_ton_sent_out():
    kpis = run_kpis(BASELINE, reps=1, years=YEARS)[0]
    fee = kpis["residue_disposed_t_per_year"] * 1_000_000
    assert kpis["cost_rp_per_year.residue_disposal"] == pytest.approx(fee)
