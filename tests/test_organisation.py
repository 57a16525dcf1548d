"""How the cooperative organises its shared machines: campaign booking and a cooperative crew.

Each effect is a paired difference over common random numbers with its 95 % CI.
"""

from __future__ import annotations

import pytest

from slagsim.analysis.stats import mean_ci
from tests.common import BASELINE, run_kpis

REPS, YEARS = 5, 0.5


@pytest.fixture(scope="module")
def campaign_and_crew():
    base = run_kpis(BASELINE, reps=REPS, years=YEARS)  # the baseline books the press by campaign
    round_robin = run_kpis(BASELINE, ["machines.press.booking=round_robin"], reps=REPS, years=YEARS)
    crew = run_kpis(BASELINE, ["machines.press.crew=cooperative"], reps=REPS, years=YEARS)
    return base, round_robin, crew


def diff(a: list[dict], b: list[dict], kpi: str) -> tuple[float, float, float]:
    return mean_ci([x[kpi] - y[kpi] for x, y in zip(a, b, strict=True)])


@pytest.mark.slow
def test_campaign_booking_lowers_the_press_changeover_share(campaign_and_crew):
    campaign, round_robin, _ = campaign_and_crew
    mean, low, high = diff(campaign, round_robin, "setup_share.press")
    assert high < 0, (mean, low, high)
    assert round_robin[0]["setup_share.press"] > 0


@pytest.mark.slow
def test_a_cooperative_crew_frees_the_firms_and_is_paid_every_shift(campaign_and_crew):
    base, _, crew = campaign_and_crew
    assert all(r["starved_share.press"] == 0 for r in crew)
    assert all(r["cost_rp_per_year.cooperative_crew"] > 0 for r in crew)
    assert crew[0]["workers"] == base[0]["workers"] + 5  # the press crew of 5, one shift
    mean, _, high = diff(crew, base, "starved_share.press")
    assert high <= 0 and mean < 0
