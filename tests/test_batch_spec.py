"""Batch files: expansion into run specs (a pure function), names, and rejected input."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from slagsim.batch.prepare import prepare, read_batch
from slagsim.batch.spec import BatchFile, expand, sweep_labels
from slagsim.errors import ScenarioError
from slagsim.scenario.names import derived_name
from tests.common import SCENARIOS, invoke

BATCHES = SCENARIOS / "batches"
NOWHERE = Path("/nonexistent/folder/batch.yaml")  # expansion must not read the disk


def plan_of(data: dict, source: Path = NOWHERE):
    return expand(BatchFile.model_validate(data), source)


def test_factorial_sweep_gives_every_combination_in_order():
    plan = plan_of({"baseline": "base.yaml", "sweep": {"parameters": {
        "machines.press.count": [1, 2, 3], "calendar.shifts_per_day": [1, 2]}}})
    names = [spec.name for spec in plan.specs]
    assert names[0] == "base"
    assert names[1:] == [f"press.count={p},calendar.shifts_per_day={s}" for p in (1, 2, 3) for s in (1, 2)]
    assert plan.specs[4].values == (("machines.press.count", 2), ("calendar.shifts_per_day", 2))
    assert all(spec.file == Path("/nonexistent/folder/base.yaml") for spec in plan.specs)


def test_zip_sweep_takes_the_ith_values_together():
    plan = plan_of({"baseline": "base.yaml", "sweep": {"mode": "zip", "parameters": {
        "machines.press.count": [1, 2, 3], "supply.volume_factor": [1.0, 1.25, 1.5]}}})
    assert [spec.name for spec in plan.specs[1:]] == [
        "press.count=1,supply.volume_factor=1", "press.count=2,supply.volume_factor=1.25",
        "press.count=3,supply.volume_factor=1.5"]


def test_zip_with_unequal_lengths_is_rejected():
    with pytest.raises(ValueError, match="same number of values"):
        BatchFile.model_validate({"baseline": "b.yaml", "sweep": {"mode": "zip", "parameters": {
            "a.b": [1, 2], "c.d": [1]}}})


def test_labels_name_sweep_points_and_scenario_entries_take_name_and_set():
    plan = plan_of({
        "name": "mine", "baseline": "../baseline.yaml",
        "scenarios": ["../options/add-press.yaml",
                      {"file": "../options/add-press.yaml", "name": "press+shift",
                       "set": {"calendar.shifts_per_day": 2}}],
        "sweep": {"parameters": {"machines.press.count": [2]}, "labels": {"machines.press.count": "presses"}},
    }, Path("scenarios/batches/mine.yaml"))
    assert plan.name == "mine"
    assert [(s.name, s.source_key) for s in plan.specs] == [
        ("baseline", "baseline"), ("add-press", "scenarios[0]"), ("press+shift", "scenarios[1]"),
        ("presses=2", "sweep")]
    assert plan.specs[1].file == Path("scenarios/options/add-press.yaml")
    assert plan.specs[2].values == (("calendar.shifts_per_day", 2),)


def test_expansion_is_deterministic():
    data = {"baseline": "b.yaml", "sweep": {"parameters": {"x.y.z": [3, 1, 2], "x.w": [True, False]}}}
    assert plan_of(data) == plan_of(data)


def test_two_scenarios_with_one_name_are_rejected():
    with pytest.raises(ScenarioError, match="also used by") as caught:
        plan_of({"baseline": "b.yaml", "scenarios": ["other/b.yaml"]})
    assert caught.value.key == "scenarios[0]"


def test_labels_fall_back_to_whole_keys_when_short_ones_clash():
    assert sweep_labels(["machines.press.count", "machines.mill.count"], {}) == {
        "machines.press.count": "press.count", "machines.mill.count": "mill.count"}
    clash = ["a.x.count", "b.x.count"]
    assert sweep_labels(clash, {}) == {"a.x.count": "a.x.count", "b.x.count": "b.x.count"}


def test_names_are_safe_folder_names():
    assert derived_name("press.count=2,shifts=1") == "press.count=2,shifts=1"
    assert derived_name("a/b c") == "a_b_c"
    assert derived_name("..") == ""


def test_shipped_purchase_options_batch_has_the_baseline_and_every_option():
    plan = read_batch(BATCHES / "purchase-options.yaml")
    assert plan.baseline.file.resolve() == (SCENARIOS / "baseline.yaml").resolve()
    option_files = {p.resolve() for p in (SCENARIOS / "options").glob("*.yaml")}
    assert {spec.file.resolve() for spec in plan.specs[1:]} == option_files


def test_shipped_sweep_is_a_full_factorial_of_valid_scenarios():
    batch = prepare(read_batch(BATCHES / "press-shift-sweep.yaml"))
    sweep = [run for run in batch.runs if run.spec.source_key == "sweep"]
    assert len(sweep) == 4 * 2 * 3
    point = next(run for run in sweep if run.name == "presses=3,shifts=2,supply=1.25")
    assert point.scenario.machines["press"].count == 3
    assert point.scenario.calendar.shifts_per_day == 2
    assert point.scenario.supply.volume_factor == 1.25
    assert len({run.fingerprint for run in batch.runs}) == len(batch.runs)


@pytest.mark.slow
def test_dry_run_lists_the_scenarios_and_runs_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke(["batch", str(BATCHES / "press-shift-sweep.yaml"), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "25 scenarios x 10 replications = 250 runs" in result.output
    assert "presses=4,shifts=2,supply=1.5" in result.output
    assert list(tmp_path.iterdir()) == []


def write_batch(folder: Path, data: dict) -> Path:
    path = folder / "batch.yaml"
    data = {"baseline": str(SCENARIOS / "baseline.yaml"), **data}
    path.write_text(yaml.safe_dump(data))
    return path


BAD_BATCHES = [
    ({"sweep": {"parameters": {"machines.pres.count": [2, 3]}}},
     "sweep.parameters.machines.pres.count: not a key of", "did you mean 'machines.press.count'"),
    ({"sweep": {"parameters": {"machines.press.count": [2, -1]}}},
     "machines.press.count:", "scenario 'press.count=-1'"),
    ({"scenarios": [{"file": str(SCENARIOS / "baseline.yaml"), "name": "x",
                     "set": {"calendar.shift_hour": 8}}]},
     "scenarios[0].set.calendar.shift_hour: not a key", "calendar.shift_hours"),
    ({"scenarios": ["no-such-scenario.yaml"]}, "scenarios[0]: scenario file", "not found"),
    ({"sweeps": {}}, "sweeps: unknown key", ""),
    ({"run": {"replications": 0}}, "run.replications:", ""),
    ({"sweep": {"parameters": {"machines.press.count": []}}}, "has no values", ""),
]


@pytest.mark.parametrize(("data", "where", "detail"), BAD_BATCHES)
def test_bad_batch_files_exit_2_naming_file_and_key_before_running(tmp_path, data, where, detail):
    path = write_batch(tmp_path, data)
    out = tmp_path / "out"
    result = invoke(["batch", str(path), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert lines[0].startswith(f"error: {path}: ")
    assert where in lines[0] and detail in lines[0]
    assert not out.exists()


def test_a_missing_batch_file_exits_2(tmp_path):
    result = invoke(["batch", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'nope.yaml'}: file not found"

