"""Same scenario and seed give bit-identical results; another seed gives other numbers."""

from __future__ import annotations

import pytest

from tests.common import BASELINE, invoke


def _summary(tmp_path, name: str, seed: int) -> bytes:
    out = tmp_path / name
    args = ["run", str(BASELINE), "--reps", "2", "--years", "0.5", "--seed", str(seed),
            "--out", str(out), "--quiet"]
    result = invoke(args)
    assert result.exit_code == 0, result.output
    return (out / "summary.csv").read_bytes()


@pytest.mark.slow
def test_same_seed_gives_identical_summary(tmp_path):
    assert _summary(tmp_path, "a", 11) == _summary(tmp_path, "b", 11)


@pytest.mark.slow
def test_different_seed_gives_different_summary(tmp_path):
    assert _summary(tmp_path, "a", 11) != _summary(tmp_path, "b", 12)


def test_adding_a_machine_keeps_the_slag_deliveries(tmp_path):
    from tests.common import run_kpis

    base = run_kpis(BASELINE, reps=2, years=0.5)
    more = run_kpis(BASELINE, ["machines.mill.count=2"], reps=2, years=0.5)
    for b, m in zip(base, more, strict=True):
        assert b["slag_received_t_per_year"] == m["slag_received_t_per_year"]
