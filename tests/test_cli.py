"""The slagsim commands, run through the CLI itself."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from tests.common import BASELINE, SCENARIOS, invoke

REQUIRED_KPIS = [
    "product_output_t_per_year", "output_t_per_year.paving", "output_t_per_year.brick",
    "output_t_per_year.ingot", "pieces_per_year.paving", "ingot_t_per_year",
    "slag_received_t_per_year", "slag_refused_t_per_year", "workers", "turnover_rp_per_year",
    "gross_margin_rp_per_year", "utilization.press", "wait_h.press", "b3_store_peak_t",
    "b3_max_age_days", "curing_yard_peak_pallets", "lost_sales_t_per_year", "mass_balance_error_t",
]


COMMANDS = [[], ["run"], ["batch"], ["compare"], ["report"], ["appraise"], ["validate"], ["show"]]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    result = invoke([*command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


def test_run_writes_the_five_result_files(tmp_path):
    out = tmp_path / "res"
    args = ["run", str(BASELINE), "--reps", "2", "--years", "0.5", "--warmup-days", "10",
            "--out", str(out)]
    result = invoke(args)
    assert result.exit_code == 0, result.output
    assert "Product output" in result.stdout and "t/yr" in result.stdout  # planner labels, not keys
    assert sorted(p.name for p in out.iterdir()) == [
        ".slagsim", "meta.json", "monthly.csv", "replications.csv", "series.csv", "summary.csv", "yearly.csv"]
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary.columns) == ["kpi", "unit", "mean", "ci95_low", "ci95_high", "n"]
    assert set(REQUIRED_KPIS) <= set(summary.kpi)
    assert (summary.n == 2).all()
    replications = pd.read_csv(out / "replications.csv")
    assert set(replications.replication) == {0, 1}
    yearly = pd.read_csv(out / "yearly.csv")
    assert set(yearly["product"]) == {"ingot", "paving", "brick"}
    series = pd.read_csv(out / "series.csv")
    assert set(series.replication) == {0, 1}
    assert series.day.max() == pytest.approx(182, abs=1) and series.day.diff().max() == 1
    for _, one in series.groupby("replication"):  # cumulative output never falls
        assert one.output_t.is_monotonic_increasing
    final = series[series.day == series.day.max()].output_t.mean() * 2  # half a year, per year
    # the series stops at day 182 of 182.5: the last morning's packing of cured pallets is not in it
    assert final == pytest.approx(summary.set_index("kpi").loc["product_output_t_per_year", "mean"], rel=0.04)
    assert series.curing_yard_pallets.max() <= 80
    meta = json.loads((out / "meta.json").read_text())
    assert meta["seed"] == 20240101 and meta["replications"] == 2
    assert meta["simpy_events"] > 0 and meta["wall_time_s"] > 0
    assert meta["scenario"]["name"] == "baseline"
    assert not list(tmp_path.glob(".res*"))  # no temporary folder left behind


def test_multi_year_run_reports_each_year(tmp_path):
    out = tmp_path / "res"
    args = ["run", str(BASELINE), "--reps", "1", "--years", "2", "--out", str(out), "--quiet"]
    assert invoke(args).exit_code == 0
    yearly = pd.read_csv(out / "yearly.csv")
    assert sorted(set(yearly.year)) == [1, 2]
    assert (yearly.groupby("year").output_t.sum() > 300).all()


def test_run_overrides_with_set(tmp_path):
    out = tmp_path / "res"
    args = ["run", str(BASELINE), "--reps", "1", "--years", "0.25", "--out", str(out), "--quiet",
            "--set", "machines.press.count=2", "--set", "name=two-presses"]
    assert invoke(args).exit_code == 0
    meta = json.loads((out / "meta.json").read_text())
    assert meta["scenario"]["machines"]["press"]["count"] == 2
    assert meta["scenario_name"] == "two-presses"  # a name given with --set is the run's name


def test_a_run_of_edited_inputs_has_its_own_name_and_is_compared_with_today(tmp_path, monkeypatch):
    """Edited inputs make another scenario: results/baseline-edited, never over today's
    results/baseline; today's scenario runs beside it with the same seed and replications, and
    the paired differences are printed and kept in against-today.csv."""
    monkeypatch.chdir(tmp_path)
    results = tmp_path / "results"
    base = ["run", str(BASELINE), "--reps", "3", "--years", "0.2", "--warmup-days", "5"]
    assert invoke([*base, "--quiet"]).exit_code == 0
    today = (results / "baseline" / "replications.csv").read_bytes()
    result = invoke([*base, "--set", "machines.press.count=2"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in results.iterdir()) == ["baseline", "baseline-edited"]
    assert (results / "baseline" / "replications.csv").read_bytes() == today  # untouched
    out = results / "baseline-edited"
    assert json.loads((out / "meta.json").read_text())["scenario_name"] == "baseline-edited"
    assert "baseline-edited against today's baseline (edited: machines.press.count)" in result.stdout
    assert "baseline-edited: 6/6 done" in result.stderr  # today's replications counted in the progress
    against = pd.read_csv(out / "against-today.csv").set_index(["scenario", "kpi"])
    summary = pd.read_csv(results / "baseline" / "summary.csv").set_index("kpi")
    for kpi in ("product_output_t_per_year", "gross_margin_rp_per_year", "wait_h.press"):  # paired: today's
        assert against.loc[("baseline", kpi), "mean"] == pytest.approx(summary.loc[kpi, "mean"], rel=1e-12)
    assert against.loc[("baseline-edited", "wait_h.press"), "diff"] < 0  # a second press: shorter waits
    # run settings are not inputs: the same scenario, today's name
    assert invoke([*base, "--set", "run.seed=7", "--quiet"]).exit_code == 0
    assert sorted(p.name for p in results.iterdir()) == ["baseline", "baseline-edited"]
    assert not (results / "baseline" / "against-today.csv").exists()


@pytest.mark.slow
def test_validate_accepts_every_shipped_scenario():
    files = sorted(str(p) for p in SCENARIOS.rglob("*.yaml"))
    result = invoke(["validate", *files])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("ok: ") == len(files) >= 8


def test_show_prints_the_resolved_scenario():
    path = SCENARIOS / "options" / "add-press.yaml"
    result = invoke(["show", str(path), "--set", "calendar.shifts_per_day=2"])
    assert result.exit_code == 0
    assert "name: add-press" in result.stdout
    assert "shifts_per_day: 2" in result.stdout
    assert "count: 2" in result.stdout  # the press count from the option


def test_python_dash_m_sim_works():
    result = subprocess.run([sys.executable, "-m", "slagsim", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "run" in result.stdout


def test_plain_progress_lines_when_not_a_terminal(tmp_path):
    args = ["run", str(BASELINE), "--reps", "2", "--years", "0.25", "--out", str(tmp_path / "r")]
    result = invoke(args)
    assert "baseline: 2/2 done" in result.stderr
