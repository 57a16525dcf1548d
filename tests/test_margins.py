"""Which product line earns: per-product gross margins add up to the plant's."""

from __future__ import annotations

import pytest

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


def test_a_cooperative_press_crew_is_charged_to_the_blocks_not_the_ingot():
    base = run_kpis(BASELINE, reps=1, years=0.5)[0]
    crew = run_kpis(BASELINE, ["machines.press.crew=cooperative"], reps=1, years=0.5)[0]
    cost = crew["cost_rp_per_year.cooperative_crew"]
    assert cost > 0
    # the ingot line carries none of it: it pays for sending away all the residue it makes, used
    # or not, so it moves only by the residue's timing and its share of the cleaning (a tenth of
    # the crew's cost at most); the paving line carries the crew
    moved = crew["gross_margin_rp_per_year.ingot"] - base["gross_margin_rp_per_year.ingot"]
    assert abs(moved) < 0.1 * cost
    assert crew["gross_margin_rp_per_year.paving"] < base["gross_margin_rp_per_year.paving"]
