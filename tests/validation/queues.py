"""Small queueing systems built from the project's own MachinePool, and their textbook answers."""

from __future__ import annotations

import math
from collections.abc import Generator

import numpy as np
import simpy

from slagsim.model.machines import MachinePool
from slagsim.model.records import Records
from slagsim.model.streams import Streams
from slagsim.model.workdays import Calendar
from slagsim.scenario.schema import MachineConfig

ALWAYS_OPEN = Calendar([(0.0, math.inf)])


def erlang_c_wait(servers: int, arrival_rate: float, service_rate: float) -> float:
    """Mean wait in queue W_q of an M/M/c queue (Erlang C; Kleinrock 1975, Queueing Systems I)."""
    load = arrival_rate / service_rate
    rho = load / servers
    top = load**servers / math.factorial(servers) / (1 - rho)
    waiting = top / (sum(load**k / math.factorial(k) for k in range(servers)) + top)
    return waiting / (servers * service_rate - arrival_rate)


def machine_pool(env: simpy.Environment, name: str, servers: int, service_rate: float,
                 streams: Streams, records: Records) -> MachinePool:
    """A pool of ``servers`` always-open machines with exponential service, no setups or failures."""
    config = MachineConfig(count=servers, capacity_t_per_cycle=1.0, scales_with_load=False,
                           cycle_h={"dist": "exponential", "mean": 1 / service_rate})
    return MachinePool(env, name, config, ALWAYS_OPEN, streams.get(f"{name}.service"),
                       [None] * servers, records, firm_priorities=[0])


def poisson_source(env: simpy.Environment, rate: float, rng: np.random.Generator, route: list[MachinePool],
                   sojourns: list[tuple[float, float]]) -> Generator[simpy.Event, object, None]:
    """Customers arriving at ``rate`` who visit every pool of ``route`` in turn."""
    def customer() -> Generator[simpy.Event, object, None]:
        arrived = env.now
        for pool in route:
            yield from pool.use(0, 1.0)
        sojourns.append((arrived, env.now))

    while True:
        yield env.timeout(rng.exponential(1 / rate))
        env.process(customer())


def run_network(service_rates: list[float], servers: list[int], arrival_rate: float, horizon_h: float,
                seed: int, replication: int) -> tuple[Records, list[tuple[float, float]]]:
    """Run pools in series fed by Poisson arrivals; return the job records and customer sojourns."""
    env = simpy.Environment()
    streams, records, sojourns = Streams(seed, replication), Records(), []
    route = [machine_pool(env, f"station{i}", c, mu, streams, records)
             for i, (mu, c) in enumerate(zip(service_rates, servers, strict=True))]
    env.process(poisson_source(env, arrival_rate, streams.get("arrivals"), route, sojourns))
    env.run(until=horizon_h)
    return records, sojourns
