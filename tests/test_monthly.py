"""monthly.csv: what a cooperative's books hold, month by month, for every run; its months add up
to the year's KPIs, and a resumed or parallel batch writes the same months."""

from __future__ import annotations

import pandas as pd
import pytest

from slagsim.analysis import kpis as K
from slagsim.analysis.monthly import KEYS, columns, month_index
from slagsim.runs.experiment import RunSettings, run_replication
from slagsim.scenario.load import load_scenario
from tests.common import BASELINE, invoke

MONTH_H = 730.0


def test_an_instant_belongs_to_the_month_it_falls_in_and_a_months_last_moment_to_that_month():
    assert month_index(0.0) == 0 and month_index(1.0) == 0
    assert month_index(MONTH_H) == 0  # the monthly sales round at the month's end
    assert month_index(MONTH_H + 0.01) == 1
    assert month_index(12 * MONTH_H) == 11


@pytest.fixture(scope="module")
def one_year():
    """One year measured from the start (no warm-up), so the window holds exactly 12 whole months."""
    scenario = load_scenario(BASELINE)
    return scenario, run_replication(scenario, RunSettings(1, 1.0, 0.0, 7), 0)


def test_twelve_months_add_up_to_the_years_kpis(one_year):
    scenario, result = one_year
    months = pd.DataFrame(result.monthly)
    assert list(months.columns) == [*KEYS, *columns(list(scenario.products.blocks))]
    assert list(months.month) == list(range(1, 13)) and set(months.year) == {1}
    totals, kpis = months.sum(), result.kpis
    assert totals.slag_received_t == pytest.approx(kpis[K.SLAG_RECEIVED.name], rel=1e-9)
    assert totals.slag_processed_t == pytest.approx(kpis[K.SLAG_PROCESSED.name], rel=1e-9)
    assert totals.ingot_made_t == pytest.approx(kpis[K.INGOT.name], rel=1e-9)
    assert totals.turnover_rp == pytest.approx(kpis[K.TURNOVER.name], rel=1e-9)
    assert totals.paid_worker_days == pytest.approx(kpis[K.WORKER_DAYS.name], rel=1e-9)
    made = sum(totals[f"{p}_made_t"] for p in scenario.products.blocks) + totals.ingot_made_t
    assert made == pytest.approx(kpis[K.PRODUCT_OUTPUT.name], rel=1e-9)
    for name, product in scenario.products.blocks.items():  # pieces follow the piece weight
        sold = months[f"{name}_sold_t"] * 1000 / product.piece_kg
        assert months[f"{name}_sold_pieces"].to_numpy() == pytest.approx(sold.to_numpy())


@pytest.mark.slow
def test_only_whole_months_after_the_warm_up_are_written(tmp_path):
    out = tmp_path / "run"
    args = ["run", str(BASELINE), "--reps", "2", "--years", "1", "--warmup-days", "45", "--out", str(out),
            "--quiet"]
    assert invoke(args).exit_code == 0
    months = pd.read_csv(out / "monthly.csv")
    assert sorted(months.replication.unique()) == [0, 1]
    first = months[months.replication == 0]
    # the window runs from day 45 (mid-February) to day 410: March of year 1 to January of year 2
    assert (first.year.iloc[0], first.month.iloc[0]) == (1, 3)
    assert (first.year.iloc[-1], first.month.iloc[-1]) == (2, 1) and len(first) == 11
    assert (months.drop(columns=list(KEYS)) >= 0).all().all()
