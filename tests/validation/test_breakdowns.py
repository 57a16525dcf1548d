"""A machine that fails has lower availability, close to MTBF / (MTBF + MTTR)."""

from __future__ import annotations

import simpy

from slagsim.analysis.stats import mean_ci
from slagsim.model.machines import MachinePool
from slagsim.model.records import Records
from slagsim.model.streams import Streams
from slagsim.model.workdays import Calendar
from slagsim.scenario.schema import MachineConfig

MTBF, MTTR = 50.0, 10.0


def _availability(failures: dict | None, replication: int, horizon_h: float = 20_000) -> float:
    config = MachineConfig.model_validate({
        "count": 1, "capacity_t_per_cycle": 1.0,
        "cycle_h": {"dist": "exponential", "mean": 2.0},
        "failures": failures,
    })
    env = simpy.Environment()
    streams = Streams(seed=3, replication=replication)
    records = Records()
    pool = MachinePool(env, "m", config, Calendar([(0.0, 10 * horizon_h)]),
                       streams.get("cycle"), [streams.get("failures")], records, [0])

    def feeder():
        while True:
            yield from pool.use(0, 1.0)

    env.process(feeder())
    env.run(until=horizon_h)
    busy = sum(j.busy_h for j in records.jobs)
    down = sum(j.down_h for j in records.jobs)
    return busy / (busy + down)


def test_machine_without_failures_is_always_available():
    assert _availability(None, 0) == 1.0


def test_availability_matches_mtbf_over_mtbf_plus_mttr():
    failures = {"time_between_h": {"dist": "exponential", "mean": MTBF},
                "repair_h": {"dist": "exponential", "mean": MTTR}}
    values = [_availability(failures, r) for r in range(10)]
    mean, low, high = mean_ci(values)
    expected = MTBF / (MTBF + MTTR)
    assert mean < 1.0
    assert low <= expected <= high, (mean, low, high, expected)
