"""Hostile cases of issue 27 on what slagsim keeps: refusals before anything is deleted, the locks of
studies kept in a run's folder, names too long for the disk, ``--out`` links, report sets written
as a unit and result tables cut short.

Each test asserts the exit code, the one line the user sees and that nothing was lost or written.
Commands run in a sandbox (a copy of the scenarios in a temporary working folder).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from slagsim.results.folders import CALIBRATION, RUN, SENSITIVITY, write_marker
from tests.common import BASELINE, SCENARIOS, invoke
from tests.test_hostile import assert_one_line_error, tree, write

EXAMPLE_BOOKS = SCENARIOS / "records" / "example-simulated.csv"
ONE_RANGE = "ranges:\n  - {key: supply.smelters.reach, low: 0.05, high: 0.45, why: test - dross supply}\n"


@pytest.fixture
def sandbox(tmp_path, monkeypatch) -> Path:
    """A working folder with the shipped scenarios, a results folder holding its README, two months
    of books and a scenario with one estimate (``mine/small.yaml``)."""
    shutil.copytree(SCENARIOS, tmp_path / "scenarios")
    write(tmp_path / "results" / "README.md", "outputs go here\n")
    write(tmp_path / "books.csv", "".join(EXAMPLE_BOOKS.read_text().splitlines(keepends=True)[:3]))
    text = BASELINE.read_text(encoding="utf-8").replace("# estimate", "# guess")
    text = text.replace("name: baseline\n", "name: small\n", 1)
    reach = "    reach: 0.25"
    text = "\n".join(f"{reach}   # estimate" if raw.split("#")[0].rstrip() == reach else raw
                     for raw in text.splitlines())
    shutil.copytree(SCENARIOS / "prices", tmp_path / "mine" / "prices")
    write(tmp_path / "mine" / "estimates.yaml", ONE_RANGE)
    write(tmp_path / "mine" / "small.yaml", text + "\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def stored_study(sandbox: Path, kind: str) -> Path:
    """``results/small/<kind>/`` as a finished study leaves it: marked, with stored parts."""
    folder = sandbox / "results" / "small" / kind
    folder.mkdir(parents=True)
    write_marker(folder.parent, RUN)
    write_marker(folder, kind)
    method = "morris/" if kind == SENSITIVITY else ""
    for index in range(3):
        write(folder / "parts" / f"{method}small-p{index:05d}" / "rep-00000.json", '{"stored": true}')
    return folder


CALIBRATE = ["calibrate", "books.csv", "--scenario", "mine/small.yaml", "--draws", "10", "--quiet"]
SENSITIVITY_RUN = ["sensitivity", "mine/small.yaml", "--trajectories", "2", "--reps", "1", "--quiet"]


# ------------------------------------------------------------------ refusals before any deletion


@pytest.mark.parametrize("command, kind", [(CALIBRATE, CALIBRATION), (SENSITIVITY_RUN, SENSITIVITY)])
def test_a_wrong_scheduler_refuses_before_stored_parts_are_deleted(sandbox, command, kind):
    stored_study(sandbox, kind)
    before = tree(sandbox)
    result = invoke([*command, "--scheduler", "nonsense"])
    assert_one_line_error(result, 2, "--scheduler: cannot use a Dask scheduler at 'nonsense': not a "
                                     "scheduler address; give it as tcp://HOST:PORT")
    assert tree(sandbox) == before


@pytest.mark.parametrize("command, kind", [(CALIBRATE, CALIBRATION), (SENSITIVITY_RUN, SENSITIVITY)])
def test_a_run_that_needs_yes_refuses_before_stored_parts_are_deleted(sandbox, monkeypatch, command, kind):
    monkeypatch.setattr("slagsim.runs.duration.RUN_TIME_NEEDS_YES_S", 0.0)  # every run "too long"
    stored_study(sandbox, kind)
    before = tree(sandbox)
    result = invoke([*command, "--jobs", "1"])
    assert_one_line_error(result, 2, "--yes: this ", "add --yes to run it anyway")
    assert tree(sandbox) == before
