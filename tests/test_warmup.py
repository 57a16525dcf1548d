"""The warm-up detector (MSER-5), the honest-tonnage KPI and the pay KPIs."""

from __future__ import annotations

import json

import numpy as np
import pytest

from slagsim.analysis.warmup import mean_series, mser5_days
from tests.common import BASELINE, invoke, run_kpis


def test_mser5_finds_a_known_transient():
    rng = np.random.default_rng(4)
    steady = list(rng.normal(10, 1, 300))
    ramp = [10 * day / 60 for day in range(60)]  # output climbs from 0 over 60 days
    found = mser5_days(ramp + steady)
    assert 40 <= found <= 70


def test_mser5_cuts_nothing_from_a_stationary_series():
    rng = np.random.default_rng(5)
    assert mser5_days(list(rng.normal(10, 1, 360))) <= 10


def test_mser5_needs_enough_data_and_averages_series_day_by_day():
    assert mser5_days([1.0, 2.0, 3.0]) == 0.0
    assert mean_series([[1.0, 2.0, 3.0], [3.0, 4.0]]) == [2.0, 3.0]


def test_a_run_stores_the_warmup_it_needed_and_warns_when_too_short(tmp_path):
    out = tmp_path / "base"
    args = ["run", str(BASELINE), "--reps", "3", "--years", "0.5", "--warmup-days", "0", "--out", str(out),
            "--quiet", "--seed", "3"]
    result = invoke(args)
    assert result.exit_code == 0, result.output
    warmup = json.loads((out / "meta.json").read_text())["warmup"]
    assert warmup["used_days"] == 0 and warmup["needed_days"] > 0
    assert f"the 0 warm-up days are shorter than the {warmup['needed_days']:g} days" in result.stderr


def test_output_from_slag_is_the_ingot_and_the_residue_share_of_blocks():
    kpis = run_kpis(BASELINE, reps=1, years=0.3)[0]
    blocks = {"paving": 0.15, "brick": 0.15}  # the recipes' residue shares in baseline.yaml
    expected = kpis["ingot_t_per_year"] + sum(kpis[f"output_t_per_year.{p}"] * s for p, s in blocks.items())
    assert kpis["output_from_slag_t_per_year"] == pytest.approx(expected)
    assert kpis["output_from_slag_t_per_year"] < 0.5 * kpis["product_output_t_per_year"]


def test_fte_and_earnings_follow_from_the_paid_days_and_wages():
    kpis = run_kpis(BASELINE, reps=1, years=0.5)[0]
    # no cooperative crew in the baseline: the wage bill is the firms' wages
    assert kpis["wage_bill_rp_per_year"] == pytest.approx(kpis["cost_rp_per_year.wages"])
    assert kpis["earnings_rp_per_worker_month"] == pytest.approx(
        kpis["wage_bill_rp_per_year"] / kpis["workers_absorbed"] / 12)
    plant_days = kpis["paid_worker_days_per_year"] / kpis["fte"]  # 6 days a week less 16 holidays
    assert 280 < plant_days < 300
