"""Bottleneck analysis: scenarios built so that each kind of constraint binds, and the rules."""

from __future__ import annotations

from statistics import mean

import pytest

from slagsim.analysis.bottleneck import find_bottleneck, line_constraint, line_kind
from slagsim.runs.experiment import RunSettings, run_experiment
from slagsim.scenario.load import load_scenario
from tests.common import BASELINE

BIG_YARD = "curing_yard.pallets=2000"
BUSY_HANDS = ["supply.volume_factor=3", "process.sorting.rate_t_per_worker_h=0.03", "labour.village_people=0",
              "firms.template.workers=5"]
BUYERS = "products.blocks.paving.demand.t_per_month=120"
CASES = {  # scenario changes to the baseline -> the line it binds, and expected (kind, resource) there
    # a cooperative press crew and a slow press: the press limits the blocks
    "machine": ([BIG_YARD, "supply.volume_factor=3", "machines.press.crew=cooperative",
                 "machines.press.cycle_h=1.5"], "blocks", ("machine", "press")),
    "slag supply": ([BIG_YARD, "supply.volume_factor=0.1", "machines.press.crew=cooperative"], "ingot",
                    ("slag supply", "slag supply")),
    # no village to call, five own people each, kept busy by slow hand sorting of three times the slag:
    # the blocks wait for people who are busy (utilisation >= 50 %)
    "labour": ([BIG_YARD, *BUSY_HANDS], "blocks", ("labour", "labour")),
    # a village with four people to call: the blocks wait for people while those present are
    # mostly idle, waiting for machines: who is called, and when, not a shortage
    "crew organisation": ([BIG_YARD, "labour.village_people=4"], "blocks",
                          ("crew organisation", "crew organisation")),
    # buyers for more than the centre makes (else the stock cap, counting blocks curing, paces the
    # block lines before any yard fills)
    "curing space": (["curing_yard.pallets=12", BUYERS], "blocks", ("curing space", "curing space")),
    # a small stacking area: pallets wait on the yard for stack room, the yard fills, the press waits
    "curing stack": (["curing_yard.stack_t=10", BUYERS], "blocks", ("curing space", "curing space")),
    "market demand": ([BIG_YARD, "products.blocks.paving.demand.t_per_month=10",
                       "products.blocks.brick.demand.t_per_month=2"], "blocks",
                      ("market demand", "market demand")),
}


def mean_kpis(overrides: list[str]) -> dict[str, float]:
    scenario = load_scenario(BASELINE, overrides)
    result = run_experiment(scenario, RunSettings(replications=3, years=1, warmup_days=150, seed=5))
    return {k: mean(r.kpis[k] for r in result.replications) for k in result.replications[0].kpis}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
def test_each_kind_of_constraint_is_found_on_the_line_it_binds(case):
    overrides, line, expected = CASES[case]
    kpis = mean_kpis(overrides)
    found = find_bottleneck(kpis)
    assert line_kind(kpis, line) == expected, found.per_line()
    assert line_constraint(kpis, line).share > 0.3
    if expected[0] == "labour":  # named labour only when the people there are busy
        assert kpis["worker_utilisation"] >= 0.5


@pytest.mark.slow
def test_the_headline_follows_the_money_and_the_furnace_shows_its_melts():
    """Three times the dross: the furnace binds the ingot line, which earns most of the margin, so
    it is the headline although the blocks make most tons; the evidence gives the melts a
    furnace-day against the whole melts that fit in one."""
    kpis = mean_kpis([BIG_YARD, "supply.volume_factor=3"])
    found = find_bottleneck(kpis)
    assert (found.kind, found.resource, found.line) == ("machine", "furnace", "ingot")
    assert found.weighed_by == "margin"
    assert kpis["product_output_t_per_year"] - kpis["ingot_t_per_year"] > kpis["ingot_t_per_year"]
    assert "melts a furnace-day of 2 that fit" in found.per_line()
    assert 0.5 < kpis["melts_per_furnace_day"] <= kpis["melt_capacity_per_furnace_day"] == 2


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


def test_the_line_earning_most_decides_and_without_margins_the_one_making_most_tons():
    kpis = {"time_share.blocks.curing_space": 0.9, "time_share.ingot.machine.furnace": 0.8,
            "time_share.ingot.upstream": 0.2, "product_output_t_per_year": 100.0,
            "output_t_per_year.ingot": 10.0, "gross_margin_rp_per_year.ingot": 5e8,
            "gross_margin_rp_per_year.paving": -1e7}
    found = find_bottleneck(kpis)  # the blocks make 90 t but lose money: the ingot line decides
    assert (found.resource, found.line, found.weighed_by) == ("furnace", "ingot", "margin")
    kpis |= {"gross_margin_rp_per_year.paving": 6e8}
    assert find_bottleneck(kpis).line == "blocks"


def test_waiting_for_people_who_are_mostly_idle_is_crew_organisation_not_labour():
    kpis = {"time_share.blocks.labour": 0.6, "time_share.blocks.machine.press": 0.4,
            "product_output_t_per_year": 100.0, "output_t_per_year.ingot": 10.0}
    assert find_bottleneck(kpis | {"worker_utilisation": 0.7}).kind == "labour"
    found = find_bottleneck(kpis | {"worker_utilisation": 0.2})
    assert found.kind == "crew organisation"
    assert "busy 20 % of their hours" in found.explanation()  # the report's number style (id: 20%)


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


def test_the_evidence_speaks_indonesian_and_names_machines_by_their_labels():
    """An Indonesian planner reads the evidence in Indonesian, shares as percentages with a decimal
    comma, machines by the label the scenario gives them; the CSV's label keeps the key."""
    from slagsim import i18n
    from slagsim.analysis.bottleneck import translated

    try:
        i18n.use("id")
        i18n.learn_things({"press": ("press", "mesin press")})
        kpis = {"time_share.blocks.machine.press": 0.56, "time_share.blocks.upstream": 0.40,
                "time_share.slag.slag_supply": 0.9, "product_output_t_per_year": 100.0,
                "output_t_per_year.ingot": 0.0, "active_period_h.press": 2.5}
        found = find_bottleneck(kpis)
        assert found.label == "press (machine)" and translated(found.label) == "mesin press"
        text = found.explanation()
        assert text.startswith("lini batako/paving menghabiskan 56% waktunya untuk mesin press"), text
        assert "(2,5 jam kerja)" in text and " the " not in text
        assert "slag: pasokan slag (90%)" in found.per_line()
    finally:
        i18n.use("en")
