"""Running batches: identical numbers on every executor, resume after a kill, failure isolation."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pandas as pd
import pytest

from slagsim.figures.scenarios import throughput_comparison
from slagsim.runs.dask_connect import CONNECT_TIMEOUT_KEY
from tests.common import BATCH_DATA, LONGER, ROOT, SMALL, invoke, start_batch, wait_for_parts

pytestmark = pytest.mark.slow  # runs batches on processes and Dask, kills and resumes them

SMALL_SCENARIOS = ["baseline", "add-press", "calendar.shifts_per_day=1", "calendar.shifts_per_day=2"]


def result_files(out: Path) -> dict[str, bytes]:
    """Every file whose numbers must not depend on how the batch was run."""
    files = {"batch.csv": (out / "batch.csv").read_bytes()}
    for folder in sorted(p for p in out.iterdir() if (p / "summary.csv").is_file()):
        for name in ("summary.csv", "replications.csv", "yearly.csv", "monthly.csv"):
            files[f"{folder.name}/{name}"] = (folder / name).read_bytes()
    return files


def test_batch_writes_a_folder_per_scenario_and_the_batch_files(serial_small):
    names = sorted(p.name for p in serial_small.iterdir())
    assert names == sorted([*SMALL_SCENARIOS, ".slagsim", "batch.csv", "batch-meta.json", "figures", "parts",
                            "comparison.csv", "ranked.csv", "bottlenecks.csv"])
    for scenario in SMALL_SCENARIOS:
        summary = pd.read_csv(serial_small / scenario / "summary.csv")
        assert (summary.n == 3).all()
        assert len(list((serial_small / "parts" / scenario).glob("rep-*.json"))) == 3
    meta = json.loads((serial_small / "batch-meta.json").read_text())
    assert meta["status"] == "complete" and meta["failures"] == []
    assert meta["seed"] == 7 and meta["replications"] == 3 and meta["executor"] == "serial"
    assert {"python", "slagsim", "simpy", "numpy", "dask"} <= set(meta["versions"])
    assert [s["name"] for s in meta["scenarios"]] == SMALL_SCENARIOS
    assert (serial_small / "figures" / "throughput.png").read_bytes()[:4] == b"\x89PNG"


def test_batch_csv_holds_paired_differences_to_the_baseline(serial_small):
    table = pd.read_csv(serial_small / "batch.csv")
    assert set(table.scenario) == set(SMALL_SCENARIOS)
    kpi = "product_output_t_per_year"
    reps = {}
    for name in SMALL_SCENARIOS:
        table_of_name = pd.read_csv(serial_small / name / "replications.csv")
        reps[name] = table_of_name[table_of_name.kpi == kpi].sort_values("replication").value.to_numpy()
    row = table[(table.scenario == "add-press") & (table.kpi == kpi)].iloc[0]
    assert row["diff"] == pytest.approx((reps["add-press"] - reps["baseline"]).mean())
    assert row["diff_pct"] == pytest.approx(100 * row["diff"] / reps["baseline"].mean())
    baseline = table[table.scenario == "baseline"]
    assert (baseline["diff"] == 0).all()
    # common random numbers: the sweep point equal to the baseline reproduces it exactly
    same = table[table.scenario == "calendar.shifts_per_day=1"]
    assert (same["diff"] == 0).all() and (same.diff_ci95_high == 0).all()


def test_throughput_figure_shows_every_scenario_sorted(serial_small):
    table = pd.read_csv(serial_small / "batch.csv")
    figure, data = throughput_comparison(table, "baseline")
    assert sorted(data.scenario) == sorted(SMALL_SCENARIOS)
    assert list(data["mean"]) == sorted(data["mean"])
    assert len(figure.axes[0].patches) == len(SMALL_SCENARIOS)


def test_process_pool_gives_bit_identical_results(serial_small, tmp_path):
    out = tmp_path / "small"
    result = invoke(["batch", SMALL, "--jobs", "2", "--out", out])
    assert result.exit_code == 0, result.output
    assert "2 local processes" in result.output
    assert result_files(out) == result_files(serial_small)


def test_dask_cluster_gives_bit_identical_results(serial_small, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        out = tmp_path / "small"
        result = invoke(["batch", SMALL, "--scheduler", cluster.scheduler_address, "--out", out])
    assert result.exit_code == 0, result.output
    assert "Dask scheduler" in result.output
    assert result_files(out) == result_files(serial_small)


def test_an_unreachable_scheduler_is_a_clean_error(tmp_path):
    dask = pytest.importorskip("dask")
    with dask.config.set({CONNECT_TIMEOUT_KEY: "1s"}):
        result = invoke(["batch", SMALL, "--scheduler", "tcp://127.0.0.1:9", "--out", tmp_path / "x"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --scheduler: cannot use a Dask scheduler")
    assert not (tmp_path / "x").exists()


def test_progress_lines_appear_when_output_is_not_a_terminal(serial_small):
    result = invoke(["batch", SMALL, "--jobs", "1", "--out", serial_small.parent / "again"])
    assert "batch small: 12/12 done" in result.stderr
    assert "s elapsed" in result.stderr and "s left" in result.stderr


def test_a_failing_scenario_does_not_stop_the_others(tmp_path):
    out = tmp_path / "failing"
    result = invoke(["batch", BATCH_DATA / "failing.yaml", "--jobs", "2", "--out", out])
    assert result.exit_code == 1
    assert "failed: scenario 'stalls'" in result.stderr and "SimulationStalled" in result.stderr
    meta = json.loads((out / "batch-meta.json").read_text())
    assert meta["status"] == "failed"
    assert [f["scenario"] for f in meta["failures"]] == ["stalls"]
    assert "clock stopped" in meta["failures"][0]["error"]
    for scenario in ("baseline", "add-press"):
        assert (pd.read_csv(out / scenario / "summary.csv").n == 2).all()
    assert not (out / "stalls").exists()
    assert set(pd.read_csv(out / "batch.csv").scenario) == {"baseline", "add-press"}


def test_more_replications_with_resume_run_only_the_new_ones(tmp_path, serial_small):
    out = tmp_path / "small"
    assert invoke(["batch", SMALL, "--jobs", "1", "--out", out, "--reps", "2"]).exit_code == 0
    result = invoke(["batch", SMALL, "--jobs", "1", "--out", out, "--resume"])
    assert result.exit_code == 0
    assert "resuming: 8 replications already done, 4 to run" in result.stderr
    assert result_files(out) == result_files(serial_small)


def test_without_resume_a_batch_starts_afresh(tmp_path):
    out = tmp_path / "small"
    assert invoke(["batch", SMALL, "--jobs", "1", "--out", out, "--reps", "1"]).exit_code == 0
    result = invoke(["batch", SMALL, "--jobs", "1", "--out", out, "--reps", "1"])
    assert "4 replications run, 0 reused" in result.output


def test_a_changed_scenario_is_not_resumed_from_stale_replications(tmp_path):
    batch = tmp_path / "batch.yaml"
    text = SMALL.read_text().replace("../../../scenarios", str(ROOT / "scenarios"))
    batch.write_text(text)
    out = tmp_path / "out"
    assert invoke(["batch", batch, "--jobs", "1", "--out", out, "--reps", "1"]).exit_code == 0
    batch.write_text(text.replace("seed: 7", "seed: 8"))
    result = invoke(["batch", batch, "--jobs", "1", "--out", out, "--reps", "1", "--resume"])
    assert "resuming: 0 replications already done, 4 to run" in result.stderr


@pytest.fixture(scope="module")
def clean_longer(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("clean") / "longer"
    assert invoke(["batch", LONGER, "--jobs", "1", "--out", out]).exit_code == 0
    return out


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_batch_killed_part_way_and_resumed_equals_a_clean_run(tmp_path, clean_longer, jobs):
    out = tmp_path / "longer"
    process = start_batch(out, "--jobs", jobs)
    wait_for_parts(out, 3, process)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    kept = len(list((out / "parts").glob("*/rep-*.json")))
    assert 3 <= kept < 18 and not (out / "batch.csv").exists()
    result = invoke(["batch", LONGER, "--jobs", jobs, "--out", out, "--resume"])
    assert result.exit_code == 0, result.output
    assert f"resuming: {kept} replications already done, {18 - kept} to run" in result.stderr
    assert f"{18 - kept} replications run, {kept} reused" in result.output
    assert result_files(out) == result_files(clean_longer)
    assert not list(out.rglob(".*tmp*"))


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_an_interrupted_batch_says_how_to_resume(tmp_path, clean_longer, stop):
    out = tmp_path / "longer"
    process = start_batch(out, "--jobs", "2")
    wait_for_parts(out, 2, process)
    os.killpg(process.pid, stop)  # Ctrl-C reaches the whole process group
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert b"continue with: slagsim batch" in stderr and b"--resume" in stderr
    assert b"Traceback" not in stderr
    assert invoke(["batch", LONGER, "--jobs", "1", "--out", out, "--resume"]).exit_code == 0
    assert result_files(out) == result_files(clean_longer)


def test_replications_made_by_other_code_are_run_again(tmp_path, monkeypatch):
    out = tmp_path / "small"
    assert invoke(["batch", SMALL, "--jobs", "1", "--out", out, "--reps", "1"]).exit_code == 0
    monkeypatch.setattr("slagsim.runs.parts.code_fingerprint", lambda: "other code")
    result = invoke(["batch", SMALL, "--jobs", "1", "--out", out, "--reps", "1", "--resume"])
    assert "resuming: 0 replications already done, 4 to run" in result.stderr


def test_the_code_fingerprint_covers_the_model_and_nothing_else(tmp_path):
    """Editing a figure caption keeps stored replications; editing the engine does not."""
    import shutil

    from slagsim.runs.parts import code_fingerprint

    package = tmp_path / "slagsim"
    shutil.copytree(ROOT / "slagsim", package, ignore=shutil.ignore_patterns("__pycache__"))
    before = code_fingerprint(package)
    assert before == code_fingerprint(ROOT / "slagsim")
    for outside in ("figures/common.py", "report/html.py", "cli/tables.py", "scenario/names.py"):
        (package / outside).write_text((package / outside).read_text() + "\n# a caption changed\n")
    assert code_fingerprint(package) == before
    for inside in ("model/machines.py", "analysis/metrics.py", "scenario/distributions.py"):
        copy = tmp_path / "copy"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(package, copy)
        (copy / inside).write_text((copy / inside).read_text() + "\n# the engine changed\n")
        assert code_fingerprint(copy) != before, inside
