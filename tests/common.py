"""What the tests share: the project's paths, quick runs of a scenario, and the one way to call the CLI.

Every test that drives the command line in-process goes through :func:`invoke` (or the ``cli``
fixture, the same function), which fails the test when a traceback reaches the user: a traceback
shown to a planner is a bug wherever it appears.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner, Result

from slagsim.cli import cli
from slagsim.runs.experiment import RunSettings, run_experiment
from slagsim.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "slagsim"
SCENARIOS = ROOT / "scenarios"
BASELINE = SCENARIOS / "baseline.yaml"
PRE_2021 = SCENARIOS / "pre-2021.yaml"
DATA = ROOT / "tests" / "data"
BATCH_DATA = DATA / "batches"
BROKEN = DATA / "broken"
SMALL = BATCH_DATA / "small.yaml"
LONGER = BATCH_DATA / "longer.yaml"


def invoke(args: list[object], **kwargs: object) -> Result:
    """``slagsim ARGS`` in this process; fails the test if a traceback reached the output.

    Arguments are turned into text, so paths can be passed as they are. Keyword arguments go to
    :meth:`click.testing.CliRunner.invoke` (``env``, ``input``, ``catch_exceptions``).
    """
    result = CliRunner().invoke(cli, [str(a) for a in args], **kwargs)
    assert "Traceback (most recent call last)" not in result.output, result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # the command let an exception through: a user would see a traceback
    return result


def run_kpis(path: Path, overrides: list[str] | None = None, reps: int = 4, years: float = 1.0,
             seed: int = 7) -> list[dict[str, float]]:
    """KPI dicts of ``reps`` replications of a scenario file."""
    scenario = load_scenario(path, overrides or [])
    settings = RunSettings(replications=reps, years=years, warmup_days=30, seed=seed)
    return [r.kpis for r in run_experiment(scenario, settings).replications]


def start_batch(out: Path, *extra: str, batch: Path = LONGER) -> subprocess.Popen:
    """``slagsim batch`` in its own process group (so a test can interrupt it like Ctrl-C)."""
    command = [sys.executable, "-m", "slagsim", "batch", str(batch), "--out", str(out), *extra]
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
