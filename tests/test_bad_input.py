"""Broken scenario files: exit code 2, one line naming the file and the key, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.common import BASELINE, invoke

BROKEN = Path(__file__).parent / "data" / "broken"

# file -> (text the message must contain: the key or the problem, the file it must name)
EXPECTED = {
    "yaml-syntax.yaml": ("YAML syntax error at line", "yaml-syntax.yaml"),
    "empty.yaml": ("the file is empty", "empty.yaml"),
    "not-a-mapping.yaml": ("must be a mapping", "not-a-mapping.yaml"),
    "unknown-key.yaml": ("colour: unknown key", "unknown-key.yaml"),
    "unknown-nested-key.yaml": ("machines.press.speed: unknown key", "unknown-nested-key.yaml"),
    "machine-typo.yaml": ("firms.template.route.forming.paving: unknown machine 'prees'",
                          "machine-typo.yaml"),
    "negative-count.yaml": ("machines.press.count", "negative-count.yaml"),
    "share-above-one.yaml": ("firms.template.attendance", "share-above-one.yaml"),
    "missing-extends.yaml": ("extends: file 'nowhere.yaml' not found", "missing-extends.yaml"),
    "circular-a.yaml": ("circular extends", "circular-a.yaml"),
    "bad-distribution.yaml": ("supply.interarrival_h: needs low <= mode <= high",
                              "bad-distribution.yaml"),
    "unknown-distribution.yaml": ("supply.lot_t: unknown distribution 'poisson'",
                                  "unknown-distribution.yaml"),
    "missing-parameter.yaml": ("supply.lot_t.high: required key is missing", "missing-parameter.yaml"),
    "dross-shares.yaml": ("dross_types shares must add up to 1", "dross-shares.yaml"),
    "recipe-over-limit.yaml": ("products.blocks.paving.recipe: residue share 0.3",
                               "recipe-over-limit.yaml"),
    "unknown-product.yaml": ("firms.template.product_mix.tiles: unknown product", "unknown-product.yaml"),
    "override-missing-firm.yaml": ("firms.overrides.30: firm 30 does not exist",
                                   "override-missing-firm.yaml"),
    "override-bad-value.yaml": ("firms.overrides.4.attendance", "override-bad-value.yaml"),
    "wrong-type.yaml": ("calendar.shift_hours", "wrong-type.yaml"),
    "missing-sections.yaml": ("required key is missing", "missing-sections.yaml"),
    "too-few-workers.yaml": ("firms.template.workers: machine 'press' needs 5 workers",
                             "too-few-workers.yaml"),
    "shifts-past-midnight.yaml": ("calendar: shifts_per_day", "shifts-past-midnight.yaml"),
    "bad-name.yaml": ("name: 'bad name/with slash' cannot name a results folder", "bad-name.yaml"),
}


def test_every_broken_file_has_an_expectation():
    shipped = {p.name for p in BROKEN.glob("*.yaml")} - {"circular-b.yaml"}
    assert shipped == set(EXPECTED)
    assert len(shipped) >= 15


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_run_rejects_broken_file_cleanly(name, tmp_path):
    fragment, file = EXPECTED[name]
    out = tmp_path / "out"
    result = invoke(["run", str(BROKEN / name), "--out", str(out), "--reps", "1"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ")
    assert file in lines[0] and fragment in lines[0], lines[0]
    assert "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize("override, fragment", [
    ("machines.press.cout=2", "--set: machines.press.cout: unknown key"),
    ("machines.press.count=-2", "machines.press.count"),
    ("machines.press", "expected KEY=VALUE"),
    ("calendar.shift_hours.x=1", "calendar.shift_hours is a value"),
    ("curing_yard.stack_t=0.1", "less than one pallet of brick"),  # no pallet could ever leave
])
def test_bad_override_is_rejected_cleanly(override, fragment, tmp_path):
    out = tmp_path / "out"
    args = ["run", str(BASELINE), "--set", override, "--out", str(out)]
    result = invoke(args)
    assert result.exit_code == 2
    assert fragment in result.stderr, result.stderr
    assert not out.exists()


def test_validate_reports_each_bad_file_and_exits_2():
    files = [str(BASELINE), str(BROKEN / "unknown-key.yaml"), str(BROKEN / "empty.yaml")]
    result = invoke(["validate", *files])
    assert result.exit_code == 2
    assert "ok: " in result.stdout
    assert len(result.stderr.strip().splitlines()) == 2


def test_failed_run_keeps_the_previous_results(tmp_path):
    out = tmp_path / "kept"
    out.mkdir()
    (out / "summary.csv").write_text("old\n")
    invoke(["run", str(BROKEN / "unknown-key.yaml"), "--out", str(out)])
    assert (out / "summary.csv").read_text() == "old\n"
