"""How the cooperative organises its shared machines: campaign booking and a cooperative crew.

Each effect is a paired difference over common random numbers with its 95 % CI.
"""

from __future__ import annotations

import pytest

from slagsim.analysis.stats import mean_ci
from tests.common import BASELINE, run_kpis

REPS, YEARS = 25, 1.0  # paired output differences have sd ~70 t: 25 make the CI +-30 t


@pytest.fixture(scope="module")
def campaign_and_crew():
    base = run_kpis(BASELINE, reps=REPS, years=YEARS)  # the baseline books the press by campaign
    round_robin = run_kpis(BASELINE, ["machines.press.booking=round_robin"], reps=REPS, years=YEARS)
    crew = run_kpis(BASELINE, ["machines.press.crew=cooperative"], reps=REPS, years=YEARS)
    fcfs = run_kpis(BASELINE, ["machines.press.booking=fcfs"], reps=REPS, years=YEARS)
    return base, round_robin, crew, fcfs


def diff(a: list[dict], b: list[dict], kpi: str) -> tuple[float, float, float]:
    return mean_ci([x[kpi] - y[kpi] for x, y in zip(a, b, strict=True)])


@pytest.mark.slow
def test_campaign_booking_lowers_the_press_changeover_share(campaign_and_crew):
    campaign, round_robin, _, _ = campaign_and_crew
    mean, low, high = diff(campaign, round_robin, "setup_share.press")
    assert high < 0, (mean, low, high)
    assert round_robin[0]["setup_share.press"] > 0


@pytest.mark.slow
def test_a_cooperative_crew_frees_the_firms_and_is_paid_every_shift(campaign_and_crew):
    base, _, crew, _ = campaign_and_crew
    assert all(r["starved_share.press"] == 0 for r in crew)
    assert all(r["cost_rp_per_year.cooperative_crew"] > 0 for r in crew)
    assert crew[0]["workers"] == base[0]["workers"] + 5  # the press crew of 5, one shift
    mean, _, high = diff(crew, base, "time_share.blocks.labour")  # no wait for a firm's own five
    assert high < 0 and mean < 0


@pytest.mark.slow
def test_booking_is_organisation_not_capacity(campaign_and_crew):
    """Changing only the press's booking rule once cut output by 40 % (the press was handed to a
    firm and held idle until its crew came). A job now gets the press only with its crew there, so
    first come first served or round robin stays within 10 % of campaign booking (paired 95 % CI)."""
    base, round_robin, _, fcfs = campaign_and_crew
    output = sum(r["product_output_t_per_year"] for r in base) / len(base)
    for other in (round_robin, fcfs):
        _, low, high = diff(other, base, "product_output_t_per_year")
        assert -0.1 * output < low and high < 0.1 * output, (low, high, output)


@pytest.mark.slow
def test_the_press_is_never_held_for_absent_people(campaign_and_crew):
    """Under every booking rule the press waits for a granted job's crew at most 10 % of its hours
    (it was 48 % when the machine was handed over before the crew came)."""
    base, round_robin, _, fcfs = campaign_and_crew
    assert all(r["starved_share.press"] <= 0.10 for r in base + round_robin + fcfs)
