"""Shared fixtures: the calibration runs, one small batch, and the CLI. Paths and helpers: tests/common.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from slagsim.runs.experiment import RunSettings, run_experiment
from slagsim.scenario.load import load_scenario
from tests.common import BASELINE, PRE_2021, SCENARIOS, SMALL, invoke


@pytest.fixture
def cli():
    """``cli([...])`` runs ``slagsim ...`` in-process and fails on a traceback (tests.common.invoke)."""
    return invoke


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
    out = tmp_path_factory.mktemp("serial") / "small"
    result = invoke(["batch", SMALL, "--jobs", "1", "--out", out])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A test that speaks Indonesian (``--lang id`` sets the language for the process) must not
    leave the next test's words in Indonesian."""
    yield
    from slagsim import i18n

    i18n.use("en")


@pytest.fixture(autouse=True)
def no_terminal_width(monkeypatch):
    """pytest-xdist gives its workers ``COLUMNS=80``, which slagsim reads as a user asking for an
    80-column terminal; tests see what a pipe sees unless they set ``COLUMNS`` themselves."""
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)


@pytest.fixture
def sandbox(tmp_path, monkeypatch) -> Path:
    """A working folder with the shipped scenarios and a results folder holding its README: the
    hostile tests run commands here and check that nothing outside their target changed."""
    shutil.copytree(SCENARIOS, tmp_path / "scenarios")
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "README.md").write_text("outputs go here\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path
