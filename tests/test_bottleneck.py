"""Bottleneck analysis: scenarios built so that each kind of constraint binds, and the rules."""

from __future__ import annotations

from statistics import mean

import pytest

from slagsim.analysis.bottleneck import find_bottleneck, line_constraint
from slagsim.runs.experiment import RunSettings, run_experiment
from slagsim.scenario.load import load_scenario
from tests.common import BASELINE

BIG_YARD = "curing_yard.pallets=2000"
CASES = {  # scenario changes to the baseline -> expected (kind, resource)
    # a cooperative press crew, so the press line never waits for a firm's five workers
    "machine": ([BIG_YARD, "supply.volume_factor=3", "machines.press.crew=cooperative",
                 "machines.press.cycle_h=1.5"], ("machine", "press")),
    "slag supply": ([BIG_YARD, "supply.volume_factor=0.1", "machines.press.crew=cooperative"],
                    ("slag supply", "slag supply")),
    # a press crew as large as a firm's whole registered workforce: the press waits for a day when all
    # eight come (slow hand sorting no longer does: it limits the slag line, and blocks need little slag)
    "labour": ([BIG_YARD, "machines.press.workers=8"], ("labour", "labour")),
    "curing space": (["curing_yard.pallets=20"], ("curing space", "curing space")),
    "market demand": ([BIG_YARD, "products.blocks.paving.demand.t_per_month=10",
                       "products.blocks.brick.demand.t_per_month=2"], ("market demand", "market demand")),
}


def mean_kpis(overrides: list[str]) -> dict[str, float]:
    scenario = load_scenario(BASELINE, overrides)
    result = run_experiment(scenario, RunSettings(replications=3, years=1, warmup_days=150, seed=5))
    return {k: mean(r.kpis[k] for r in result.replications) for k in result.replications[0].kpis}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
def test_each_kind_of_bottleneck_is_found(case):
    overrides, (kind, resource) = CASES[case]
    found = find_bottleneck(mean_kpis(overrides))
    assert (found.kind, found.resource) == (kind, resource), found.explanation()
    assert found.share > 0.4
    assert resource in found.explanation() or kind in found.explanation()


def test_time_shares_of_each_line_add_up_to_one():
    kpis = mean_kpis([])
    for line in ("slag", "ingot", "blocks"):
        total = sum(v for k, v in kpis.items() if k.startswith(f"time_share.{line}."))
        assert total == pytest.approx(1.0)


def test_a_line_waiting_for_material_takes_the_slag_lines_constraint():
    kpis = {"time_share.blocks.upstream": 0.7, "time_share.blocks.machine.press": 0.3,
            "time_share.slag.labour": 0.6, "time_share.slag.slag_supply": 0.4,
            "product_output_t_per_year": 100.0, "output_t_per_year.ingot": 10.0}
    found = find_bottleneck(kpis)
    assert (found.kind, found.line, found.via_upstream) == ("labour", "blocks", True)
    assert "feeds it" in found.explanation()


def test_the_line_making_most_tons_decides():
    kpis = {"time_share.blocks.curing_space": 0.9, "time_share.ingot.machine.furnace": 0.8,
            "time_share.ingot.upstream": 0.2, "product_output_t_per_year": 100.0,
            "output_t_per_year.ingot": 70.0}
    found = find_bottleneck(kpis)
    assert (found.kind, found.resource, found.line) == ("machine", "furnace", "ingot")
    assert found.label == "furnace (machine)"


def test_no_time_use_means_no_finding():
    assert find_bottleneck({"product_output_t_per_year": 1.0}) is None
    assert line_constraint({"time_share.slag.labour": 0.0}, "slag") is None


def test_two_shares_that_replications_cannot_separate_are_a_near_tie():
    def replication(upstream: float) -> dict[str, float]:
        return {"time_share.blocks.upstream": upstream, "time_share.blocks.machine.press": 1 - upstream,
                "time_share.slag.slag_supply": 1.0, "product_output_t_per_year": 100.0,
                "output_t_per_year.ingot": 10.0}

    close = [replication(u) for u in (0.46, 0.55, 0.49, 0.53)]
    means = {k: mean(r[k] for r in close) for k in close[0]}
    found = find_bottleneck(means, close)
    assert found.label == "slag supply ≈ press (machine)"
    assert "not significantly different" in found.explanation()
    apart = [replication(u) for u in (0.70, 0.72, 0.69, 0.71)]
    means = {k: mean(r[k] for r in apart) for k in apart[0]}
    assert find_bottleneck(means, apart).label == "slag supply"
