"""Model behaviour: the B3 store, allocation and refusals, invariants of a run."""

from __future__ import annotations

import pytest
import simpy

from slagsim.analysis.metrics import mass_balance_error
from slagsim.model.engine import SimulationStalled, run_watching_the_clock, simulate
from slagsim.scenario.load import load_scenario
from tests.common import BASELINE, run_kpis


def test_small_store_refuses_deliveries_and_never_overflows():
    scenario = load_scenario(BASELINE, ["b3_store.capacity_t=6", "machines.mill.count=1",
                                        "supply.volume_factor=8"])
    outcome = simulate(scenario, seed=1, replication=0, years=0.5, warmup_days=0)
    assert outcome.records.refused
    assert max(p.value for p in outcome.records.store_level) <= 6 + 1e-9
    assert abs(mass_balance_error(outcome)) < 1e-6


def test_per_firm_store_with_most_free_storage_allocation_closes_mass():
    kpis = run_kpis(BASELINE, ["b3_store.scope=per_firm", "b3_store.capacity_t=5",
                               "supply.allocation=most_free_storage"], reps=2, years=0.5)
    for k in kpis:
        assert abs(k["mass_balance_error_t"]) < 1e-6
        assert k["slag_received_t_per_year"] > 0


def test_round_robin_allocation_spreads_slag_evenly():
    """Round robin hands lots out in turn: every firm's count of lots is within one of every other's
    (the tons differ only by the lots' random sizes), where quota allocation, which fills shares by
    tons, does not keep the counts that even."""
    def lots_per_firm(rule: str) -> list[int]:
        outcome = simulate(load_scenario(BASELINE, [f"supply.allocation={rule}"]), seed=3, replication=0,
                           years=1.0, warmup_days=0)
        counts = [0] * 25
        for lot in outcome.records.received:
            counts[lot.firm] += 1
        return counts

    even = lots_per_firm("round_robin")
    assert sum(even) >= 50 and max(even) - min(even) <= 1, even
    by_tons = lots_per_firm("quota")
    assert max(by_tons) - min(by_tons) > 1, by_tons


def test_utilisations_are_shares_and_yard_respects_capacity():
    for k in run_kpis(BASELINE, reps=2, years=0.5):
        for name, value in k.items():
            if name.startswith(("utilization.", "availability.", "down_share.", "blocked_share.")):
                assert 0 <= value <= 1, (name, value)
        assert k["curing_yard_peak_pallets"] <= 80


def test_priority_booking_favours_the_priority_firm():
    overrides = ["machines.press.booking=priority", "firms.overrides={0: {priority: -1}}",
                 "curing_yard.pallets=400"]
    k = run_kpis(BASELINE, overrides, reps=1)[0]
    others = [v for n, v in k.items() if n.startswith("firm_wait_h.press.") and n[-2:] != "00"]
    others.sort()
    assert k["firm_wait_h.press.00"] < 0.25 * others[len(others) // 2]


@pytest.mark.slow
def test_second_shift_raises_working_time_based_output():
    # space, buyers for all, and room for the blocks curing (the stock cap counts them)
    roomy = ["curing_yard.pallets=400", "products.blocks.paving.demand=",
             "products.blocks.paving.stock_cap_t=1000"]
    base = run_kpis(BASELINE, roomy, reps=2)
    two = run_kpis(BASELINE, [*roomy, "calendar.shifts_per_day=2"], reps=2)
    for b, t in zip(base, two, strict=True):
        # twice the hours, but the firms' crews (five for the press) and the residue the
        # supply-bound slag line makes do not double: +10 % or more, and the blocks then wait
        # for residue (the slag line) more than before
        assert t["output_t_per_year.paving"] > 1.1 * b["output_t_per_year.paving"]
        assert t["time_share.blocks.upstream"] > b["time_share.blocks.upstream"] + 0.1


def test_paying_for_attendance_costs_more_than_paying_for_work_done():
    work_done = run_kpis(BASELINE, reps=1, years=0.5)[0]
    attendance = run_kpis(BASELINE, ["labour.pay_basis=attendance"], reps=1, years=0.5)[0]
    # every day present is paid, not only the hours worked (people called wait for machines)
    assert attendance["cost_rp_per_year.wages"] > 2 * work_done["cost_rp_per_year.wages"]
    # Paying differently changes money only, never the physical run (same random numbers).
    assert attendance["product_output_t_per_year"] == work_done["product_output_t_per_year"]


def test_outages_take_working_hours_from_powered_machines_only():
    outcome = simulate(load_scenario(BASELINE, ["calendar.outages.per_quarter=20"]),
                       seed=1, replication=0, years=1, warmup_days=0)
    quiet = simulate(load_scenario(BASELINE, ["calendar.outages.per_quarter=0"]),
                     seed=1, replication=0, years=1, warmup_days=0)
    assert outcome.machine_hours_available["press"] < quiet.machine_hours_available["press"]
    assert outcome.machine_hours_available["furnace"] == quiet.machine_hours_available["furnace"]


def _ticker(env: simpy.Environment, gap: float, seen: list[float]):
    while True:
        seen.append(env.now)
        yield env.timeout(gap)


def test_run_stops_before_events_due_at_the_end_like_simpy():
    env = simpy.Environment()
    seen: list[float] = []
    env.process(_ticker(env, 1.0, seen))
    run_watching_the_clock(env, 5.0, limit=3)
    assert env.now == 5.0 and seen == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_a_clock_that_stops_raises_instead_of_hanging():
    env = simpy.Environment()
    seen: list[float] = []
    env.process(_ticker(env, 1.0, seen))
    env.run(until=2.5)
    env.process(_ticker(env, 0.0, []))
    with pytest.raises(SimulationStalled, match=r"stopped at hour 2\.5"):
        run_watching_the_clock(env, 10.0, limit=50)


def test_curing_times_come_in_blocks_only_when_a_firms_products_cure_alike():
    """A firm's curing stream feeds every product it makes: drawn in blocks (the same numbers)
    when they all cure alike, one at a time when they differ, so no draw goes to the wrong one."""
    from slagsim.model.engine import Window, _Builder
    from slagsim.model.streams import Streams

    def firms(overrides):
        scenario = load_scenario(BASELINE, overrides)
        return _Builder(scenario, Streams(1, 0), Window(0.0, 100.0)).firms

    assert all(firm._curing_days is not None for firm in firms([]) if len(firm._mix) > 1)
    unlike = ["products.blocks.brick.curing_days={dist: triangular, low: 5, mode: 10, high: 20}"]
    assert all(firm._curing_days is None for firm in firms(unlike) if len(firm._mix) > 1)
    assert any(len(firm._mix) > 1 for firm in firms(unlike))


def test_a_replication_leaves_the_garbage_collector_as_it_found_it(monkeypatch):
    """The cyclic collector is paused while a replication runs (speed), never left off after it,
    even when the run fails; and a caller's own choice to keep it off is kept."""
    import gc

    scenario = load_scenario(BASELINE)
    assert gc.isenabled()
    simulate(scenario, 1, 0, years=0.05, warmup_days=0)
    assert gc.isenabled()
    with monkeypatch.context() as patch:
        def stalls(env, until):
            assert not gc.isenabled()  # paused while the events run
            raise SimulationStalled("the clock stopped")

        patch.setattr("slagsim.model.engine.run_watching_the_clock", stalls)
        with pytest.raises(SimulationStalled):
            simulate(scenario, 1, 0, years=0.05, warmup_days=0)
    assert gc.isenabled()
    gc.disable()
    try:
        simulate(scenario, 1, 0, years=0.05, warmup_days=0)
        assert not gc.isenabled()
    finally:
        gc.enable()
