"""Which product line earns: per-product gross margins add up to the plant's."""

from __future__ import annotations

import pytest

from slagsim.analysis.metrics import replication_kpis
from slagsim.model.engine import simulate
from slagsim.model.vocabulary import INGOT
from slagsim.scenario.load import load_scenario
from tests.common import BASELINE, PRE_2021, run_kpis


@pytest.mark.parametrize("path, overrides", [
    (BASELINE, []), (PRE_2021, []), (BASELINE, ["machines.press.crew=cooperative"]),
    (BASELINE, ["labour.pay_basis=attendance"]),
])
def test_product_margins_add_up_to_the_gross_margin(path, overrides):
    for kpis in run_kpis(path, overrides, reps=1, years=0.5):
        parts = [v for k, v in kpis.items() if k.startswith("gross_margin_rp_per_year.")]
        assert len(parts) == 3  # ingot, paving, brick
        assert sum(parts) == pytest.approx(kpis["gross_margin_rp_per_year"], rel=1e-9, abs=1.0)


def _ingot_costs(overrides: list[str]) -> tuple[float, dict[str, float]]:
    """The costs the ingot line carries a year (its sales and scrap iron less its margin), and the
    KPIs: costs, not sales, so a ton sold a month later does not count."""
    scenario = load_scenario(BASELINE, overrides)
    outcome = simulate(scenario, seed=7, replication=0, years=0.5, warmup_days=30)
    kpis = replication_kpis(scenario, outcome)
    start, end = outcome.window.start_h, outcome.window.end_h
    income = sum(sale.rp for sale in outcome.records.sales if sale.product == INGOT and start <= sale.t < end)
    income += sum(m.rp for m in outcome.records.revenue_other if start <= m.t < end)
    return income / outcome.window.years - kpis["gross_margin_rp_per_year.ingot"], kpis


def test_a_cooperative_press_crew_is_charged_to_the_blocks_not_the_ingot():
    base_costs, base = _ingot_costs([])
    crew_costs, crew = _ingot_costs(["machines.press.crew=cooperative"])
    cost = crew["cost_rp_per_year.cooperative_crew"]
    assert cost > 0
    # the ingot line carries none of it: it pays for sending away all the residue it makes, used
    # or not, so its costs move only by the residue's timing and its melts' (a tenth of the
    # crew's cost at most); the paving line carries the crew
    assert abs(crew_costs - base_costs) < 0.1 * cost
    assert crew["gross_margin_rp_per_year.paving"] < base["gross_margin_rp_per_year.paving"]
