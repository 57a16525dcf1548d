"""slagsim compare: ranked tables from result folders, paired and unpaired, and its input errors."""

from __future__ import annotations

import json
import math
import shutil

import pandas as pd
import pytest

from slagsim.analysis.paired import comparison_table, welch_interval
from slagsim.batch.compare import compare_results
from slagsim.results.read import load_results
from tests.common import BASELINE, SCENARIOS, invoke


@pytest.mark.slow
def test_compare_ranks_a_batch_and_names_bottlenecks(serial_small, tmp_path):
    out = tmp_path / "cmp"
    result = invoke(["compare", serial_small, "--out", out])
    assert result.exit_code == 0, result.output
    assert "4 scenarios against baseline" in result.stdout
    # the bottleneck column (in a file or a pipe) or the sentence below the table (80 columns)
    assert "bottleneck" in result.stdout.lower() and "paired difference" in result.stdout
    ranked = pd.read_csv(out / "ranked.csv")
    output = ranked[ranked.kpi == "product_output_t_per_year"]
    assert list(output["rank"]) == [1, 2, 3, 4]
    assert list(output["mean"]) == sorted(output["mean"], reverse=True)
    assert output.bottleneck.notna().all()
    same = pd.read_csv(out / "comparison.csv")
    batch = pd.read_csv(serial_small / "batch.csv")
    pd.testing.assert_frame_equal(same, batch)  # compare and batch share one code path
    assert len(pd.read_csv(out / "bottlenecks.csv")) == 4
    assert {p.name for p in (out / "figures").glob("*.png")} >= {"throughput.png", "gain.png", "sweep.png"}


def test_compare_takes_run_folders_and_a_chosen_kpi(tmp_path):
    for name, file in (("base", BASELINE), ("press", SCENARIOS / "options" / "add-press.yaml")):
        args = ["run", file, "--reps", "3", "--years", "0.2", "--warmup-days", "5", "--out", tmp_path / name,
                "--quiet"]
        assert invoke(args).exit_code == 0
    result = invoke(["compare", tmp_path / "base", tmp_path / "press", "--kpi", "utilization.press"])
    assert result.exit_code == 0, result.output
    assert "Utilisation (press)" in result.stdout and "2 scenarios against base" in result.stdout
    assert "paired" in result.stdout


def test_runs_with_different_seeds_are_compared_unpaired(tmp_path):
    for name, seed in (("a", 1), ("b", 2)):
        args = ["run", BASELINE, "--reps", "3", "--years", "0.1", "--warmup-days", "5", "--seed", seed,
                "--out", tmp_path / name, "--quiet"]
        assert invoke(args).exit_code == 0
    results = load_results([tmp_path / "a", tmp_path / "b"])
    assert not results.paired
    result = invoke(["compare", tmp_path / "a", tmp_path / "b"])
    assert "unpaired Welch CI" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--kpi", "product_output"], "--kpi: unknown KPI 'product_output'; did you mean"),
    (["--baseline", "nope"], "--baseline: no scenario named 'nope'"),
])
def test_compare_input_errors_exit_2(serial_small, args, message):
    result = invoke(["compare", serial_small, *args])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {message}")


def test_a_folder_that_is_not_a_result_exits_2(tmp_path):
    result = invoke(["compare", tmp_path])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {tmp_path}: not a slagsim result folder (meta.json is missing)"


def test_a_batch_with_a_missing_scenario_folder_compares_the_rest(serial_small, tmp_path):
    copy = tmp_path / "small"
    shutil.copytree(serial_small, copy)
    shutil.rmtree(copy / "add-press")
    results = load_results([copy])
    assert [r.name for r in results.runs] == ["baseline", "calendar.shifts_per_day=1",
                                              "calendar.shifts_per_day=2"]
    assert json.loads((copy / "batch-meta.json").read_text())["baseline"] == results.baseline


@pytest.mark.slow
def test_paired_interval_of_a_technology_change_is_narrower_than_the_unpaired(tmp_path):
    """Common random numbers: the rotary furnace sees the same slag, breakdowns and demand, so the
    ingot it adds varies far less than the ingot itself. (The larger curing yard, used here before,
    gains more in some replications than others since seasonal and public-works demand came in:
    its paired interval is narrower, but by less than half.)"""
    out = tmp_path / "pair"
    batch = tmp_path / "batch.yaml"
    batch.write_text(f"baseline: {BASELINE}\nscenarios: [{SCENARIOS / 'options' / 'rotary-furnace.yaml'}]\n"
                     "run: {replications: 6, years: 0.5, warmup_days: 30, seed: 3}\n")
    assert invoke(["batch", batch, "--jobs", "1", "--out", out, "--quiet"]).exit_code == 0
    results = load_results([out])
    tables = {run.name: run.kpi_table() for run in results.runs}
    kpi = "ingot_t_per_year"
    paired = comparison_table(tables, "baseline", paired=True).set_index(["scenario", "kpi"])
    unpaired = comparison_table(tables, "baseline", paired=False).set_index(["scenario", "kpi"])
    p, u = paired.loc[("rotary-furnace", kpi)], unpaired.loc[("rotary-furnace", kpi)]
    assert p["diff"] == pytest.approx(u["diff"])  # same point estimate
    assert (p.diff_ci95_high - p.diff_ci95_low) < 0.5 * (u.diff_ci95_high - u.diff_ci95_low)
    assert compare_results(results).table.equals(comparison_table(tables, "baseline"))


def test_welch_interval_matches_a_hand_computed_case():
    diff, low, high = welch_interval([1.0, 2.0, 3.0], [1.0, 1.0, 4.0])
    # means 2 and 2; variances of the means 1/3 and 3/3; df = (4/3)^2 / ((1/3)^2/2 + 1/2) = 3.2
    assert diff == 0
    half = high - diff
    assert half == pytest.approx(3.0728 * math.sqrt(4 / 3), rel=1e-4)
    assert low == pytest.approx(-half)


@pytest.mark.slow
def test_compare_and_report_run_without_the_engine(tmp_path, serial_small):
    """Reading results never needs simpy: compare and report import neither it nor the engine."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from slagsim.cli import cli\n"
        f"for args in (['compare', {str(serial_small)!r}], ['report', {str(serial_small)!r}, '--out', "
        f"{str(tmp_path / 'r.html')!r}]):\n"
        "    assert CliRunner().invoke(cli, args).exit_code == 0, args\n"
        "engine = ('simpy', 'slagsim.model.engine', 'slagsim.analysis.metrics', 'slagsim.runs.experiment')\n"
        "heavy = [m for m in engine\n"
        "         if m in sys.modules]\n"
        "print('engine modules:', heavy)\n"
    )
    finished = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert "engine modules: []" in finished.stdout
