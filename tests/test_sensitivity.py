"""``slagsim sensitivity``: an estimate that obviously dominates a KPI ranks first; runs resume,
bad input is one line and writes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.common import BASELINE, invoke

pytestmark = pytest.mark.slow  # runs Morris and Sobol designs through the CLI

RANGES = """ranges:
  - {key: supply.smelters.reach, low: 0.05, high: 0.45, why: test - the supply of dross}
  - {key: curing_yard.pallets, low: 78, high: 82, why: test - a narrow range}
  - {key: materials.sand_rp_per_t, low: 100000, high: 200000, why: test - money only}
"""
MARKED = {"    reach: 0.25": "    reach: 0.25   # estimate", "  pallets: 80": "  pallets: 80   # estimate",
          "  sand_rp_per_t: 150000": "  sand_rp_per_t: 150000   # estimate"}


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    """The baseline with only three estimates marked, short runs, and their ranges beside it."""
    text = BASELINE.read_text(encoding="utf-8").replace("# estimate", "# guess")
    for line in MARKED:
        text = "\n".join(MARKED[line] if raw.split("#")[0].rstrip() == line else raw
                         for raw in text.splitlines())
    text = text.replace("  years: 1\n", "  years: 0.3\n").replace("  warmup_days: 180 ", "  warmup_days: 20 ")
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copytree(BASELINE.parent / "prices", folder / "prices")  # the price series it names
    (folder / "estimates.yaml").write_text(RANGES)
    path = folder / "small.yaml"
    path.write_text(text)
    return path


def test_the_dominant_estimate_ranks_first_and_resume_reuses_everything(scenario, tmp_path):
    out = tmp_path / "out"
    result = invoke(["sensitivity", scenario, "--trajectories", 4, "--reps", 1, "--jobs", 1, "--out", out,
                     "--kpi", "product_output_t_per_year", "--kpi", "cost_rp_per_year.sand"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "sensitivity.csv")
    output = table[table.kpi == "product_output_t_per_year"].sort_values("rank")
    assert output.group.iloc[0] == "supply.smelters.reach"
    assert output.mu_star.iloc[0] > 5 * output.mu_star.iloc[1]
    sand = table[table.kpi == "cost_rp_per_year.sand"].sort_values("rank")
    assert sand.group.iloc[0] in ("materials.sand_rp_per_t", "supply.smelters.reach")
    for file in ("morris-points.csv", "left-out.csv", "sensitivity-meta.json", "figures/morris-ranked.png",
                 "figures/morris-mu-sigma.png"):
        assert (out / file).is_file(), file
    again = invoke(["sensitivity", scenario, "--trajectories", 4, "--reps", 1, "--jobs", 1, "--out", out,
                    "--resume", "--kpi", "product_output_t_per_year", "--kpi", "cost_rp_per_year.sand"])
    assert again.exit_code == 0 and "0 replications run, 16 reused" in again.output
    assert pd.read_csv(out / "sensitivity.csv").equals(table)
    sobol = invoke(["sensitivity", scenario, "--method", "sobol", "--top", 2, "--samples", 8, "--reps", 1,
                    "--jobs", 1, "--out", out, "--kpi", "product_output_t_per_year"])
    assert sobol.exit_code == 0, sobol.output
    both = pd.read_csv(out / "sensitivity.csv")
    assert set(both.method) == {"morris", "sobol"}
    assert set(both[both.method == "sobol"].group) == set(output.group[:2])


def test_a_dry_run_says_how_many_and_writes_nothing(scenario, tmp_path):
    out = tmp_path / "out"
    result = invoke(["sensitivity", scenario, "--dry-run", "--trajectories", 4, "--reps", 1, "--out", out])
    assert result.exit_code == 0
    assert "3 estimates in 3 groups" in result.output and "16 points x 1 replications" in result.output
    assert not out.exists()


@pytest.mark.parametrize("args, message", [
    (["--kpi", "product_ouput_t_per_year"], "is not a KPI; did you mean 'product_output_t_per_year'?"),
    (["--method", "sobol"], "no Morris screening"),
])
def test_bad_input_is_one_line_and_writes_nothing(scenario, tmp_path, args, message):
    out = tmp_path / "out"
    result = invoke(["sensitivity", scenario, *args, "--out", out])
    assert result.exit_code == 2 and message in result.stderr, result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_a_range_with_low_above_high_is_one_line(scenario, tmp_path):
    bad = RANGES.replace("low: 0.05, high: 0.45", "low: 0.5, high: 0.1")
    (scenario.parent / "estimates.yaml").write_text(bad)
    result = invoke(["sensitivity", scenario, "--dry-run"])
    assert result.exit_code == 2 and "low (0.5) is above high (0.1)" in result.stderr


def test_a_run_beside_a_sensitivity_run_keeps_it_and_the_report_shows_it(scenario, tmp_path):
    folder = tmp_path / "results" / "small"
    assert invoke(["sensitivity", scenario, "--trajectories", 2, "--reps", 1, "--jobs", 1, "--out",
                   folder / "sensitivity"]).exit_code == 0
    for _ in range(2):  # the second run replaces the first and must carry the sensitivity run over
        ran = invoke(["run", str(scenario), "--reps", "1", "--out", str(folder), "--quiet"])
        assert ran.exit_code == 0, ran.output
    assert (folder / "sensitivity" / "sensitivity.csv").is_file()
    assert invoke(["report", str(folder)]).exit_code == 0
    assert "Which estimates to measure first" in (folder / "report.html").read_text(encoding="utf-8")


MENU = """name: tiny-menu
baseline: small.yaml
discount_rate: 0.10
horizon_years: 10
run: {replications: 1, years: 0.3, warmup_days: 20, seed: 7}
items:
  more-supply:
    set: {supply.volume_factor: 1.5}
    price_rp: 100000000   # estimate
    life_years: 10
    paid_by: cooperative
  press:
    set: {machines.press.count: 2}
    price_rp: 200000000
    life_years: 10
    paid_by: dak
"""


def test_a_menu_gets_the_flip_probability_and_the_value_of_information(scenario, tmp_path):
    (scenario.parent / "estimates.yaml").write_text(
        RANGES + "  - {key: items.*.price_rp, low_factor: 0.5, high_factor: 2, why: test - quotes}\n")
    menu = scenario.parent / "menu.yaml"
    menu.write_text(MENU)
    out = tmp_path / "menu-out"
    result = invoke(["sensitivity", menu, "--trajectories", 3, "--reps", 1, "--jobs", 1, "--out", out])
    assert result.exit_code == 0, result.output
    assert "Best on average over the estimates' ranges:" in result.output
    evpi = pd.read_csv(out / "evpi.csv")
    assert set(evpi.group) == {"supply.smelters.reach", "curing_yard.pallets", "materials.sand_rp_per_t",
                               "items.*.price_rp"}
    assert (evpi.evppi_rp >= 0).all()
    table = pd.read_csv(out / "sensitivity.csv")
    assert set(table.kpi) == {"npv_rp.more-supply", "npv_rp.press"}
    npvs = pd.read_csv(out / "morris-npv-points.csv")
    assert (npvs.nothing == 0).all() and len(npvs) == 3 * 5
    assert (out / "figures" / "evpi.png").is_file()
    evpi_before = evpi.copy()
    sobol = invoke(["sensitivity", menu, "--method", "sobol", "--top", 2, "--samples", 8, "--reps", 1,
                    "--jobs", 1, "--out", out])
    assert sobol.exit_code == 0, sobol.output
    both = pd.read_csv(out / "sensitivity.csv")
    split = both[both.method == "sobol"]
    assert set(split.kpi) == {"npv_rp.more-supply", "npv_rp.press"}
    assert set(split.group) == set(evpi_before.sort_values("rank").group[:2])  # worth most to know
    assert {"first_order", "total"} <= set(split.columns)
    pd.testing.assert_frame_equal(pd.read_csv(out / "evpi.csv"), evpi_before)  # Morris's EVPI stays
    assert len(pd.read_csv(out / "sobol-npv-points.csv")) == 8 * (2 + 2)
