"""Loading scenarios: extends, overrides, firm templates."""

from __future__ import annotations

import pytest

from slagsim.errors import ScenarioError
from slagsim.scenario.load import load_scenario
from tests.common import BASELINE, PRE_2021, SCENARIOS


def test_option_changes_only_what_it_names():
    base = load_scenario(BASELINE)
    option = load_scenario(SCENARIOS / "options" / "add-press.yaml")
    assert option.machines["press"].count == 2
    assert option.machines["press"].cycle_h == base.machines["press"].cycle_h
    assert option.supply == base.supply


def test_distribution_in_a_child_replaces_the_inherited_one_whole():
    scenario = load_scenario(PRE_2021)  # history/market-access.yaml gives paving a new demand
    demand = scenario.products.blocks["paving"].demand.t_per_month
    assert demand.dist == "normal" and demand.mu == 4.0 and demand.sd == 1.5


def test_override_parses_yaml_values():
    scenario = load_scenario(BASELINE, ["machines.press.cycle_h={dist: constant, value: 2}",
                                        "b3_store.scope=per_firm"])
    assert scenario.machines["press"].cycle_h.mean == 2
    assert scenario.b3_store.scope == "per_firm"


def test_firm_overrides_apply_to_one_firm():
    scenario = load_scenario(BASELINE, ["firms.overrides={3: {workers: 12}}"])
    firms = scenario.firms.resolved
    assert [f.workers for f in firms].count(12) == 1 and firms[3].workers == 12
    assert firms[3].route == firms[0].route


def test_error_names_the_file_that_set_the_bad_key(tmp_path):
    child = tmp_path / "child.yaml"
    child.write_text(f"extends: {BASELINE}\nmachines:\n  press:\n    count: -3\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(child)
    assert caught.value.file == str(child)
    assert caught.value.key == "machines.press.count"
