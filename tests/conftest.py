"""Shared fixtures: paths and small, fast runs."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.experiment import RunSettings, run_experiment
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
BASELINE = SCENARIOS / "baseline.yaml"
PRE_2021 = SCENARIOS / "pre-2021.yaml"
BATCH_DATA = ROOT / "tests" / "data" / "batches"
SMALL = BATCH_DATA / "small.yaml"
LONGER = BATCH_DATA / "longer.yaml"


def run_kpis(path: Path, overrides: list[str] | None = None, reps: int = 4, years: float = 1.0,
             seed: int = 7) -> list[dict[str, float]]:
    """KPI dicts of ``reps`` replications of a scenario file."""
    scenario = load_scenario(path, overrides or [])
    settings = RunSettings(replications=reps, years=years, warmup_days=30, seed=seed)
    return [r.kpis for r in run_experiment(scenario, settings).replications]


@pytest.fixture(scope="session")
def baseline_20():
    """The calibration run: 20 replications of the baseline with its own seed."""
    scenario = load_scenario(BASELINE)
    return run_experiment(scenario, RunSettings.from_scenario(scenario))


@pytest.fixture(scope="session")
def pre_2021_20():
    """The calibration run: 20 replications of the pre-2021 scenario with its own seed."""
    scenario = load_scenario(PRE_2021)
    return run_experiment(scenario, RunSettings.from_scenario(scenario))


@pytest.fixture(scope="session")
def serial_small(tmp_path_factory) -> Path:
    """tests/data/batches/small.yaml run serially: 4 scenarios x 3 replications of 0.1 year."""
    from click.testing import CliRunner

    from sim.cli import cli

    out = tmp_path_factory.mktemp("serial") / "small"
    result = CliRunner().invoke(cli, ["batch", str(SMALL), "--jobs", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def start_batch(out: Path, *extra: str, batch: Path = LONGER) -> subprocess.Popen:
    """``slagsim batch`` in its own process group (so a test can interrupt it like Ctrl-C)."""
    command = [sys.executable, "-m", "sim", "batch", str(batch), "--out", str(out), *extra]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, preexec_fn=_default_interrupts)


def _default_interrupts() -> None:
    """A shell running in the background ignores Ctrl-C for its children; undo that here."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_for_parts(out: Path, count: int, process: subprocess.Popen, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while len(list((out / "parts").glob("*/rep-*.json"))) < count:
        assert process.poll() is None, "the batch ended before it could be interrupted"
        assert time.monotonic() < deadline, "no replication finished in time"
        time.sleep(0.05)
