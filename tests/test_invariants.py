"""Invariants on random valid scenarios, and a fuzzed scenario loader (hypothesis, fixed seeds)."""

from __future__ import annotations

import contextlib
import math
import shutil

import pytest
import yaml
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from slagsim.analysis.metrics import mass_balance_error
from slagsim.errors import ScenarioError
from slagsim.model.engine import simulate
from slagsim.runs.experiment import RunSettings, run_replication
from slagsim.scenario.load import load_scenario
from slagsim.scenario.schema import Scenario
from tests.common import BASELINE

SHARE_PREFIXES = ("utilization.", "setup_share.", "down_share.", "blocked_share.", "starved_share.",
                  "availability.", "idle_share.", "offshift_share.", "time_share.")

scenarios = st.fixed_dictionaries({
    "firms.count": st.integers(1, 6),
    "supply.volume_factor": st.floats(0.1, 4.0),
    "supply.allocation": st.sampled_from(["quota", "round_robin", "most_free_storage"]),
    "b3_store.scope": st.sampled_from(["shared", "per_firm"]),
    "b3_store.capacity_t": st.floats(5.0, 200.0),
    "curing_yard.pallets": st.integers(1, 150),
    "calendar.shifts_per_day": st.integers(1, 2),
    "machines.press.count": st.integers(1, 3),
    "machines.press.booking": st.sampled_from(["fcfs", "round_robin", "priority", "campaign"]),
    "machines.press.campaign_h": st.floats(0.5, 30.0),
    "machines.press.crew": st.sampled_from(["firm", "cooperative"]),
    "machines.furnace.melting": st.builds(
        lambda r, f: f"{{metal_recovery: {r}, fume_loss_share: {f}, flux_rp_per_t: 100000}}",
        st.floats(0.5, 1.0), st.floats(0.0, 0.1)),
    "machines.mill.count": st.integers(1, 2),
    "process.sorting.rate_t_per_worker_h": st.floats(0.05, 2.0),
    "b3_store.permit": st.booleans(),
    "supply.max_backlog_t": st.floats(1.0, 200.0),
    "machines.furnace.continuous": st.booleans(),
    "firms.template.attendance": st.floats(0.05, 1.0),
    "labour.short_crew": st.sampled_from(["wait", "borrow"]),
    "process.residue.pooling": st.sampled_from(["firm", "cooperative"]),
    "process.residue.storage_limit_days": st.floats(1.0, 120.0),
    "process.residue.dispose_at_limit": st.booleans(),
    "products.blocks.paving.stock_cap_t": st.floats(1.0, 100.0),
})


def load(values: dict) -> Scenario:
    return load_scenario(BASELINE, [f"{key}={value}" for key, value in values.items()])


@pytest.mark.slow
@seed(20241128)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=scenarios, years=st.floats(0.03, 0.15), warmup=st.floats(0, 10), replication=st.integers(0, 50))
def test_every_random_scenario_keeps_the_invariants(values, years, warmup, replication):
    scenario = load(values)
    outcome = simulate(scenario, 7, replication, years, warmup)
    records = outcome.records
    assert abs(mass_balance_error(outcome)) < 1e-6
    assert all(v >= -1e-9 for v in records.stocks_t.values())
    stores = scenario.firms.count if values["b3_store.scope"] == "per_firm" else 1
    capacity = scenario.b3_store.capacity_t * stores
    assert all(0 <= p.value <= capacity + 1e-9 for p in records.store_level)
    assert all(0 <= p.value <= scenario.curing_yard.pallets for p in records.yard_level)
    residue = scenario.process.residue
    every_firms_cap = residue.stock_cap_t_per_firm * scenario.firms.count
    pooled = residue.pooling == "cooperative"
    residue_cap = (residue.pooled_cap_t or every_firms_cap) if pooled else every_firms_cap
    assert all(0 <= p.value <= residue_cap + 1e-9 for p in records.residue_level)
    if residue.dispose_at_limit:
        assert all(lot.age_h <= residue.storage_limit_days * 24 + 1e-6 for lot in records.residue_ages)
    assert all(job.wait_h >= 0 and job.active_h >= 0 and job.blocked_h >= -1e-9 for job in records.jobs)
    ingot = sum(m.tons for m in records.output if m.product == "ingot")
    received = sum(lot.tons for lot in records.received)
    assert ingot <= received + 1e-9  # no more metal out than slag in
    made = sum(m.tons for m in records.output)
    inputs = sum(v for k, v in records.flows_t.items() if k.startswith("in."))
    assert made <= inputs + 1e-9
    result = run_replication(scenario, RunSettings(1, years, warmup, 7), replication)
    for kpi, value in result.kpis.items():
        if kpi.startswith(SHARE_PREFIXES):
            assert -1e-9 <= value <= 1 + 1e-9, (kpi, value)
    again = run_replication(scenario, RunSettings(1, years, warmup, 7), replication)
    assert again.kpis == result.kpis and again.series == result.series


BASE_TEXT = BASELINE.read_text(encoding="utf-8")
LINES = BASE_TEXT.splitlines()
tokens = st.sampled_from(["", "-1", "0", "1e309", "nan", "abc", "[1, 2", "{", "null", "true", "- x", ": :",
                          "{dist: nope}", "{dist: uniform, low: 5, high: 1}", "\t", "'", "!!python/object x"])


@st.composite
def mutated_yaml(draw) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "value", "insert", "indent", "garbage"]))
        line = lines[index]
        if action == "delete":
            del lines[index]
        elif action == "value" and ":" in line:
            key = line.split(":", 1)[0]
            lines[index] = f"{key}: {draw(tokens)}"
        elif action == "insert":
            lines.insert(index, f"{draw(st.text(min_size=1, max_size=8))}: {draw(tokens)}")
        elif action == "indent":
            lines[index] = " " * draw(st.integers(1, 5)) + line
        else:
            lines[index] = line + draw(st.text(max_size=6))
    return "\n".join(lines)


@pytest.mark.slow
@seed(20241128)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=mutated_yaml())
def test_the_loader_gives_a_scenario_or_a_clean_error(tmp_path, text):
    path = tmp_path / "fuzzed.yaml"
    path.write_text(text, encoding="utf-8")
    shutil.copytree(BASELINE.parent / "prices", tmp_path / "prices", dirs_exist_ok=True)
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        assert str(exc).startswith(str(path)) and "\n" not in str(exc)
        return
    assert isinstance(scenario, Scenario)
    assert not math.isnan(scenario.supply.volume_factor)


@seed(20241128)
@settings(max_examples=60, deadline=None)
@given(data=st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
                         lambda children: st.lists(children, max_size=3)
                         | st.dictionaries(st.text(max_size=6), children, max_size=3), max_leaves=10))
def test_random_documents_never_crash_the_loader(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "random.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with contextlib.suppress(ScenarioError):  # anything else fails the test
        load_scenario(path)
