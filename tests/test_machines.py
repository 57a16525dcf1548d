"""Who gets a shared machine, and when: event logs, as SimPy's own tests assert them.

One press, always open, a constant 1-hour cycle. Firms ask for it at chosen times; each test
asserts the exact log of ``(firm, granted at, job started, job ended)`` that a booking rule must
give, so a change in the booking code shows up as a changed log.
"""

from __future__ import annotations

import numpy as np
import simpy

from slagsim.model.machines import MachinePool
from slagsim.model.records import Records
from slagsim.model.workdays import build_calendar
from slagsim.scenario.schema import CalendarConfig, MachineConfig

ALWAYS_OPEN = CalendarConfig(days_per_week=7, shift_hours=24, shifts_per_day=1, first_shift_start_hour=0)


def pool(env: simpy.Environment, booking: str, priorities: list[int], setup_h: float = 0.0,
         count: int = 1) -> MachinePool:
    config = MachineConfig(count=count, capacity_t_per_cycle=1.0, cycle_h=1.0, setup_h=setup_h,
                           powered=False, booking=booking, campaign_h=3.0)
    rng = np.random.default_rng(0)
    return MachinePool(env, "press", config, build_calendar(ALWAYS_OPEN, 100), rng, [rng] * count,
                       Records(), priorities)


def replay(booking: str, asks: list[tuple[float, int]], priorities: list[int] | None = None,
           setup_h: float = 0.0, count: int = 1) -> list[tuple[int, float, float, float]]:
    """Firms ask at the given times for a 1-ton job; the log of (firm, granted, started, ended)."""
    env = simpy.Environment()
    firms = max(firm for _, firm in asks) + 1
    machines = pool(env, booking, priorities or [0] * firms, setup_h, count)
    log: list[tuple[int, float, float, float]] = []

    def firm_asks(at: float, firm: int):
        yield env.timeout(at)
        job = yield from machines.use(firm, 1.0)
        log.append((firm, job.asked + job.wait_h, job.start, job.end))

    for at, firm in asks:
        env.process(firm_asks(at, firm))
    env.run(until=50)
    return log


def test_first_come_first_served_serves_in_order_of_asking():
    asks = [(0.0, 0), (0.1, 2), (0.2, 1), (0.3, 0)]
    assert replay("fcfs", asks) == [(0, 0.0, 0.0, 1.0), (2, 1.0, 1.0, 2.0), (1, 2.0, 2.0, 3.0),
                                    (0, 3.0, 3.0, 4.0)]


def test_round_robin_serves_the_next_firm_after_the_last_one_served():
    # firm 0 holds the press; 2, 0 and 1 queue. After 0 comes 1, then 2, then 0 again.
    asks = [(0.0, 0), (0.1, 2), (0.2, 0), (0.3, 1)]
    assert [entry[0] for entry in replay("round_robin", asks)] == [0, 1, 2, 0]


def test_priority_serves_the_lowest_priority_number_first_and_ties_in_order():
    asks = [(0.0, 0), (0.1, 1), (0.2, 2), (0.3, 3)]
    log = replay("priority", asks, priorities=[5, 2, 9, 2])
    assert [entry[0] for entry in log] == [0, 1, 3, 2]
    assert [entry[1] for entry in log] == [0.0, 1.0, 2.0, 3.0]


def test_a_changeover_is_paid_only_when_the_next_job_is_another_firms():
    asks = [(0.0, 0), (0.1, 0), (0.2, 1), (0.3, 1)]
    log = replay("fcfs", asks, setup_h=0.5)
    # firm 0 twice (no changeover), then firm 1: half an hour of changeover, then none
    assert log == [(0, 0.0, 0.0, 1.0), (0, 1.0, 1.0, 2.0), (1, 2.0, 2.0, 3.5), (1, 3.5, 3.5, 4.5)]


def test_a_free_unit_that_last_served_the_firm_is_given_back_to_it():
    # two units: firm 1 used unit 1 last, so when both are free it gets unit 1 again (no changeover)
    asks = [(0.0, 0), (0.0, 1), (2.0, 1), (2.0, 0)]
    log = replay("fcfs", asks, setup_h=0.5, count=2)
    assert sorted(log) == [(0, 0.0, 0.0, 1.0), (0, 2.0, 2.0, 3.0), (1, 0.0, 0.0, 1.0), (1, 2.0, 2.0, 3.0)]


def test_campaign_booking_lets_the_holder_go_first_until_its_campaign_ends():
    # firm 0 starts a 3-hour campaign at 0; firm 1 asks at 0.1, firm 0 again at 0.2 and 0.3:
    # firm 0's jobs go first while its campaign runs (no changeover), then firm 1 gets its turn
    asks = [(0.0, 0), (0.1, 1), (0.2, 0), (0.3, 0), (3.5, 0)]
    log = replay("campaign", asks, setup_h=0.5)
    assert [entry[0] for entry in log] == [0, 0, 0, 1, 0]
    assert log[3] == (1, 3.0, 3.0, 4.5)  # one changeover, when the campaign changes hands


def test_each_press_of_a_pool_carries_its_own_campaign():
    # two presses: firm 0 starts a 3-hour campaign on one at 0, firm 1 one on the other at 0.1.
    # Firm 1 asks again at 0.5, firm 2 at 0.6. When firm 1's press is freed (1.1), its campaign
    # serves firm 1 at once; firm 0's campaign holds only its own press (a pool-wide campaign
    # would keep both waiting until 3.0). The lone request left is then served at once.
    asks = [(0.0, 0), (0.1, 1), (0.5, 1), (0.6, 2)]
    assert replay("campaign", asks, count=2) == [(0, 0.0, 0.0, 1.0), (1, 0.1, 0.1, 1.1),
                                                 (1, 1.1, 1.1, 2.1), (2, 1.1, 1.1, 2.1)]
