"""Every value marked # estimate has a plausible range in estimates.yaml, and the range holds it."""

from __future__ import annotations

from pathlib import Path

import pytest

from slagsim.scenario.ranges import check_estimates, load_ranges
from tests.common import BASELINE, SCENARIOS, invoke

RANGES = SCENARIOS / "estimates.yaml"


@pytest.mark.slow
def test_every_shipped_estimate_has_a_range_that_holds_it():
    files = [p for p in sorted(SCENARIOS.rglob("*.yaml")) if p.name != "estimates.yaml"]
    checked = sum(check_estimates(file) for file in files)
    assert checked > 1000  # baseline's ~100 again with every file that extends it
    assert all(entry.why for entry in load_ranges(RANGES).ranges)


def write(folder: Path, ranges: str, scenario: str) -> Path:
    (folder / "estimates.yaml").write_text(ranges)
    path = folder / "mine.yaml"
    path.write_text(f"extends: {BASELINE}\nname: mine\n" + scenario)
    return path


def test_an_estimate_without_a_range_is_one_line_and_exit_2(tmp_path):
    path = write(tmp_path, "ranges:\n  - {key: curing_yard.pallets, low: 60, high: 120, why: counted}\n",
                 "curing_yard:\n  pallets: 90   # estimate\nb3_store:\n  capacity_t: 80   # estimate\n")
    result = invoke(["validate", path])
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert "\n" not in line and "b3_store.capacity_t: marked # estimate but has no range" in line
    assert "estimates.yaml" in line and "low: ..., high: ..." in line


def test_a_range_that_does_not_hold_its_value_is_refused(tmp_path):
    path = write(tmp_path, "ranges:\n  - {key: curing_yard.pallets, low: 100, high: 120, why: counted}\n",
                 "curing_yard:\n  pallets: 90   # estimate\n")
    result = invoke(["validate", path])
    assert result.exit_code == 2 and "90 is outside its range 100 to 120" in result.stderr


@pytest.mark.parametrize("entry, message", [
    ("{key: curing_yard.pallets, low: 120, high: 60, why: counted}", "low (120) is above high (60)"),
    ("{key: curing_yard.pallets, low: 60, why: counted}", "give both ends of the range"),
    ("{key: curing_yard.pallets, low_factor: 1.2, high_factor: 2, why: counted}",
     "low_factor <= 1 <= high_factor"),
    ("{key: curing_yard.pallets, low: 60, high: 120}", "why"),
])
def test_a_bad_range_is_one_line(tmp_path, entry, message):
    path = write(tmp_path, f"ranges:\n  - {entry}\n", "curing_yard:\n  pallets: 90   # estimate\n")
    result = invoke(["validate", path])
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert "Traceback" not in result.output


def test_a_distribution_needs_a_relative_range(tmp_path):
    path = write(tmp_path, "ranges:\n  - {key: supply.lot_t, low: 1, high: 9, why: trucks}\n",
                 "supply:\n  lot_t: {dist: uniform, low: 2, high: 8}   # estimate\n")
    result = invoke(["validate", path])
    assert result.exit_code == 2 and "give low_factor and high_factor" in result.stderr


def test_choices_and_patterns(tmp_path):
    path = write(tmp_path, "ranges:\n"
                 "  - {key: machines.*.booking, choices: [fcfs, campaign], why: practice}\n"
                 "  - {key: machines.*.price_rp, low_factor: 0.5, high_factor: 2, why: quotes}\n",
                 "machines:\n  press:\n    booking: fcfs   # estimate\n    price_rp: 1   # estimate\n")
    assert invoke(["validate", path]).exit_code == 0
