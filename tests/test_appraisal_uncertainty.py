"""``slagsim appraise --uncertainty estimates``: the estimates drawn from their ranges across
replications, common random numbers kept between candidates within a draw, reported beside the
usual figures; stored draws are reused; a menu with nothing to draw is one line and writes nothing."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from slagsim.appraisal.uncertainty import BASELINE, plan_draws
from slagsim.runs.experiment import RunSettings
from tests.browser import first_screen_summary
from tests.common import ROOT, SCENARIOS, invoke

pytestmark = pytest.mark.slow  # appraises a menu with every estimate drawn from its range

SMALL_MENU = ROOT / "tests" / "data" / "menus" / "small.yaml"
SHORT = RunSettings(replications=2, years=0.3, warmup_days=20, seed=11)


@pytest.fixture(scope="module")
def drawn(tmp_path_factory) -> tuple:
    out = tmp_path_factory.mktemp("unc") / "out"
    result = invoke(["appraise", SMALL_MENU, "--reps", 2, "--max-reps", 2, "--no-tornado", "--uncertainty",
                     "estimates", "--draws", 3, "--jobs", 1, "--out", out, "--quiet", "--yes"])
    return result, out


def test_the_table_puts_both_sources_beside_the_usual_figures(drawn):
    result, out = drawn
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "appraisal" / "uncertainty.csv")
    usual = pd.read_csv(out / "appraisal" / "candidates.csv").set_index("candidate")
    assert sorted(table.candidate) == ["mill", "press", "supply-contract"]
    assert (table.draws == 3).all()
    for row in table.itertuples():  # the fixed-estimate figures are the usual appraisal's
        assert row.npv_rp == pytest.approx(usual.loc[row.candidate, "npv_rp"])
    assert table.p_best_with_estimates.sum() <= 1.0 + 1e-9
    per_draw = pd.read_csv(out / "appraisal" / "uncertainty-draws.csv")
    assert len(per_draw) == 9 and per_draw.npv_rp.notna().all()
    assert (out / "appraisal" / "figures" / "uncertainty.png").is_file()
    assert "How sure, with every estimate drawn" in (out / "report.html").read_text(encoding="utf-8")


def test_within_a_draw_every_candidate_sees_the_same_estimates_and_numbers():
    """Common random numbers: draw i's scenarios differ only by the item, and run replication i."""
    draws = plan_draws(SMALL_MENU, 3, SHORT)
    scenarios = draws.design.scenarios
    for index in range(3):
        base = scenarios[(index, BASELINE)]
        mill = scenarios[(index, "mill")]
        assert base.supply == mill.supply and base.labour == mill.labour and base.products == mill.products
        assert mill.machines["mill"].count == 2 and base.machines["mill"].count == 1
    assert scenarios[(0, BASELINE)].supply != scenarios[(1, BASELINE)].supply  # draws differ
    units = draws.design.points
    for column in range(units.shape[1]):  # a Latin hypercube: one draw in each third of every range
        assert sorted(np.floor(units[:, column] * 3).astype(int)) == [0, 1, 2]


def test_a_second_run_reuses_every_stored_draw(drawn, tmp_path):
    _, out = drawn
    copy = tmp_path / "again"
    shutil.copytree(out, copy)
    result = invoke(["appraise", SMALL_MENU, "--reps", 2, "--max-reps", 2, "--no-tornado", "--uncertainty",
                     "estimates", "--draws", 3, "--jobs", 1, "--out", copy, "--yes"])
    assert result.exit_code == 0, result.output
    assert "estimate draws: 12 runs reused, 0 to run" in result.output
    first = pd.read_csv(out / "appraisal" / "uncertainty.csv")
    again = pd.read_csv(copy / "appraisal" / "uncertainty.csv")
    pd.testing.assert_frame_equal(first, again)


def test_a_menu_without_estimates_to_draw_is_one_line_and_writes_nothing(tmp_path):
    text = (SCENARIOS / "baseline.yaml").read_text(encoding="utf-8").replace("# estimate", "# guess")
    (tmp_path / "base.yaml").write_text(text, encoding="utf-8")
    shutil.copytree(SCENARIOS / "prices", tmp_path / "prices")
    menu = SMALL_MENU.read_text(encoding="utf-8").replace("../../../scenarios/baseline.yaml", "base.yaml")
    menu = menu[:menu.index("tornado:")]  # its tornado would name an input no longer estimated
    (tmp_path / "menu.yaml").write_text(menu, encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(["appraise", tmp_path / "menu.yaml", "--uncertainty", "estimates", "--no-tornado",
                     "--out", out, "--yes"])
    lines = result.stderr.strip().splitlines() if result.stderr else result.output.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1, result.output
    assert lines[0].startswith("error: ") and "no estimate with a range" in lines[0]
    assert not out.exists()


def test_the_appraisal_report_opens_with_each_candidates_payback(drawn):
    """At 1400 x 900 the appraisal report's first screen holds the decision summary: every candidate
    with its NPV and payback, and the ranking with the estimates drawn too."""
    _, out = drawn
    top, screen, text = first_screen_summary(out / "report.html")
    assert 0 <= top < screen <= 900
    for candidate in ("supply-contract", "mill", "press"):
        line = next(line for line in text.splitlines() if line.startswith(f"{candidate}:"))
        # its payback, or for an item with no price what it earns net a year (issue 25)
        assert "NPV" in line and ("pays back" in line or "nothing to pay up front" in line), line
    assert "With every estimate drawn from its plausible range too (3 draws)" in text


def test_phases_side_by_side_on_two_processes_give_the_serial_numbers(tmp_path):
    """With two processes the tornado's points run side by side and the estimate draws beside
    every other phase, on one pool: the order replications finish in must not change a number."""
    common = ["appraise", SMALL_MENU, "--reps", 2, "--max-reps", 2, "--uncertainty", "estimates",
              "--draws", 3, "--budget", "dak=360000000", "--quiet", "--yes"]
    for jobs in (1, 2):
        result = invoke([*common, "--jobs", jobs, "--out", tmp_path / f"jobs{jobs}"])
        assert result.exit_code == 0, result.output
    for name in ("candidates.csv", "bundles.csv", "tornado.csv", "uncertainty.csv", "uncertainty-draws.csv",
                 "decision.json"):
        serial = (tmp_path / "jobs1" / "appraisal" / name).read_bytes()
        assert serial == (tmp_path / "jobs2" / "appraisal" / name).read_bytes(), name
