"""The engine's speed against SimPy's own, measured in one process.

(a) a bare loop: one process yielding timeouts, as many events as (b) schedules;
(b) one replication-year of scenarios/baseline.yaml (no warm-up);
(c) SimPy alone with (b)'s event mix: the same numbers of container gets and puts, plain events,
    timeouts and processes, replayed with no model code in between: the ceiling any model with
    this event mix could reach;
(d) the machine pool as an M/M/3 queue at rho = 0.9 against a bare ``simpy.Resource`` script
    serving the same pre-drawn arrivals and service times;
(e) the peak memory of a process that runs one 10-year baseline replication;
(f) building (b)'s records alone (the typed records its KPIs are computed from, from their
    field values, no simulation), and (g) making (b)'s working-calendar look-ups alone (the same
    calls with the same arguments, replayed): with (c) these bound the ratio (b)/(c) of any model
    that keeps those records and works to those calendars, whatever else it does:
    (c)'s time / ((c)'s time + (f) + (g)).
Targets (issue 16): (b)/(c) >= 0.5; a replication-year <= 0.15 s best-of; (d) pool speed >= 0.8 of
the bare Resource's; (e) < 150 MB. Runs are interleaved and the best of each kept, so a noisy
machine hurts all alike.

Run: python benchmarks/engine.py [--reps 5]
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Generator
from pathlib import Path
from unittest import mock

import simpy

from slagsim.model.engine import cyclic_collector_paused, simulate
from slagsim.model.records import Records
from slagsim.model.workdays import Calendar
from slagsim.scenario.load import Scenario, load_scenario

BASELINE = Path(__file__).resolve().parent.parent / "scenarios" / "baseline.yaml"
KINDS = ("ContainerGet", "ContainerPut", "Timeout", "Event", "Initialize")  # Process ends follow


def bare_loop(events: int) -> tuple[float, int]:
    """Seconds and events for SimPy to process ``events`` timeouts from one process."""
    env = simpy.Environment()

    def ticker() -> Generator[simpy.Event, object, None]:
        for _ in range(events - 1):  # the process's start is an event too
            yield env.timeout(1.0)

    env.process(ticker())
    started = time.perf_counter()
    env.run()
    return time.perf_counter() - started, next(env._eid)


def event_mix(scenario: Scenario) -> Counter[str]:
    """How many events of each SimPy type one replication-year schedules."""
    mix: Counter[str] = Counter()
    schedule = simpy.Environment.schedule

    def counting(env: simpy.Environment, event: simpy.Event, priority: int = 1,
                 delay: float = 0) -> None:
        mix[type(event).__name__] += 1
        schedule(env, event, priority, delay)

    with mock.patch.object(simpy.Environment, "schedule", counting):
        simulate(scenario, 1, 0, years=1.0, warmup_days=0)
    return mix


def replay_order(mix: Counter[str]) -> list[str]:
    """The kinds of ``mix`` interleaved evenly, as in the model."""
    total = sum(mix[kind] for kind in KINDS)
    return [kind for step in range(total) for kind in KINDS
            if math.floor((step + 1) * mix[kind] / total) > math.floor(step * mix[kind] / total)]


def simpy_alone(order: list[str]) -> tuple[float, int]:
    """Seconds and events for SimPy to process ``order`` with no model code around it."""
    env = simpy.Environment()
    store = simpy.Container(env, capacity=math.inf, init=1e12)

    def nothing() -> Generator[simpy.Event, object, None]:
        return
        yield

    def replay() -> Generator[simpy.Event, object, None]:
        for kind in order:
            if kind == "ContainerGet":
                yield store.get(1)
            elif kind == "ContainerPut":
                store.put(1)
            elif kind == "Timeout":
                yield env.timeout(1.0)
            elif kind == "Event":
                event = env.event()
                event.succeed()
                yield event
            else:
                env.process(nothing())

    env.process(replay())
    started = time.perf_counter()
    env.run()
    return time.perf_counter() - started, next(env._eid)


def mm3_inputs(customers: int, rho: float = 0.9, servers: int = 3, seed: int = 7) -> tuple[list, list]:
    """Pre-drawn interarrival and service times (hours) of an M/M/``servers`` queue at ``rho``."""
    import numpy as np

    rng = np.random.default_rng(seed)
    service_rate = 1.0
    arrival_rate = rho * servers * service_rate
    return (rng.exponential(1 / arrival_rate, customers).tolist(),
            rng.exponential(1 / service_rate, customers).tolist())


def resource_mm3(arrivals: list[float], services: list[float]) -> float:
    """Seconds for a bare simpy.Resource(3) to serve the customers."""
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=3)

    def customer(service: float) -> Generator[simpy.Event, object, None]:
        with servers.request() as granted:
            yield granted
            yield env.timeout(service)

    def source() -> Generator[simpy.Event, object, None]:
        for gap, service in zip(arrivals, services, strict=True):
            yield env.timeout(gap)
            env.process(customer(service))

    env.process(source())
    started = time.perf_counter()
    env.run()
    return time.perf_counter() - started


def pool_mm3(arrivals: list[float], services: list[float]) -> float:
    """Seconds for the model's MachinePool (3 always-open machines) to serve the same customers,
    each job's operating hours set to the pre-drawn service time."""
    from slagsim.model.machines import MachinePool
    from slagsim.model.records import Records
    from slagsim.model.streams import Streams
    from slagsim.scenario.schema import MachineConfig

    env = simpy.Environment()
    config = MachineConfig(count=3, capacity_t_per_cycle=1.0, scales_with_load=True,
                           cycle_h={"dist": "constant", "value": 1.0})
    pool = MachinePool(env, "m", config, Calendar([(0.0, math.inf)]), Streams(1, 0).get("m"), [None] * 3,
                       Records(), firm_priorities=[0])

    def customer(service: float) -> Generator[simpy.Event, object, None]:
        yield from pool.use(0, service)  # 1 t per 1-hour cycle

    def source() -> Generator[simpy.Event, object, None]:
        for gap, service in zip(arrivals, services, strict=True):
            yield env.timeout(gap)
            env.process(customer(service))  # scaled with load: busy hours = tons

    env.process(source())
    started = time.perf_counter()
    env.run()
    return time.perf_counter() - started


def records_alone(records: Records) -> tuple[float, int]:
    """Seconds (best of three) to build ``records``' typed records again from their field values,
    and how many."""
    made = [(type(record), tuple(getattr(record, name) for name in record.__slots__))
            for field in dataclasses.fields(records) if isinstance(kept := getattr(records, field.name), list)
            for record in kept]
    best = math.inf
    for _ in range(3):
        with cyclic_collector_paused():  # as in a replication
            started = time.perf_counter()
            built = [kind(*values) for kind, values in made]
            best = min(best, time.perf_counter() - started)
    return best, len(built)


CALENDAR_LOOKUPS = ("open_time", "at_open_time", "fitting_start", "day_starts")


def calendar_alone(scenario: Scenario) -> tuple[float, int]:
    """Seconds (best of three) to replay one replication-year's calendar look-ups, less what the
    replay loop itself costs (the same calls to a function doing nothing), and how many."""
    calls: list[tuple[Callable[..., object], Calendar, tuple[object, ...]]] = []

    def recording(method: Callable[..., object]) -> Callable[..., object]:
        def record(calendar: Calendar, *args: object) -> object:
            calls.append((method, calendar, args))
            return method(calendar, *args)
        return record

    patches = [mock.patch.object(Calendar, name, recording(getattr(Calendar, name)))
               for name in CALENDAR_LOOKUPS]
    for patch in patches:
        patch.start()
    try:
        simulate(scenario, 1, 0, years=1.0, warmup_days=0)
    finally:
        for patch in patches:
            patch.stop()
    def nothing(calendar: Calendar, *args: object) -> None:
        return None

    def replay(through_nothing: bool) -> float:
        best = math.inf
        for _ in range(3):
            with cyclic_collector_paused():
                started = time.perf_counter()
                for method, calendar, args in calls:
                    (nothing if through_nothing else method)(calendar, *args)
                best = min(best, time.perf_counter() - started)
        return best

    return max(0.0, replay(False) - replay(True)), len(calls)  # the replay loop's own cost taken off


def peak_memory_mb(years: float = 10.0) -> float:
    """Peak resident memory (MB) of a fresh process running one baseline replication of ``years``."""
    code = ("import resource; from slagsim.model.engine import simulate; "
            "from slagsim.scenario.load import load_scenario; "
            f"simulate(load_scenario({str(BASELINE)!r}), 1, 0, years={years}, warmup_days=180); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return int(output.strip()) / 1024  # ru_maxrss is in KiB on Linux


def best_rate(runs: list[tuple[float, int]]) -> float:
    """Events per second of the fastest run."""
    return max(events / seconds for seconds, events in runs)


def main() -> None:
    """Print the three event rates and their ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    scenario = load_scenario(BASELINE)
    mix = event_mix(scenario)
    order = replay_order(mix)
    arrivals, services = mm3_inputs(20_000)
    model, bare, alone, resource, pool, records = [], [], [], [], [], []
    for replication in range(args.reps):
        started = time.perf_counter()
        outcome = simulate(scenario, 1, replication, years=1.0, warmup_days=0)
        model.append((time.perf_counter() - started, outcome.records.events))
        records.append(records_alone(outcome.records))
        bare.append(bare_loop(outcome.records.events))
        alone.append(simpy_alone(order))
        resource.append(resource_mm3(arrivals, services))
        pool.append(pool_mm3(arrivals, services))
    model_rate, bare_rate, alone_rate = best_rate(model), best_rate(bare), best_rate(alone)
    mean_s = sum(seconds for seconds, _ in model) / len(model)
    print(f"baseline replication-year: mean {mean_s:.3f} s, best {min(s for s, _ in model):.3f} s "
          f"over {len(model)} replications; {model[0][1]:,} events; best rate {model_rate:,.0f} events/s")
    print(f"bare SimPy loop of timeouts, as many events: {bare_rate:,.0f} events/s")
    mix_text = ", ".join(f"{mix[kind]:,} {kind}" for kind in KINDS)
    print(f"SimPy alone with the model's event mix ({mix_text}): {alone_rate:,.0f} events/s")
    print(f"model / SimPy alone with its event mix: {model_rate / alone_rate:.3f} (target >= 0.5)")
    print(f"model / bare event rate: {model_rate / bare_rate:.3f}; SimPy alone / bare: "
          f"{alone_rate / bare_rate:.3f} (the most this event mix allows)")
    print(f"model code's share of a replication's time: {1 - model_rate / alone_rate:.0%}")
    alone_s, records_s = model[0][1] / alone_rate, min(seconds for seconds, _ in records)
    calendar_s, lookups = calendar_alone(scenario)
    floor_s = records_s + calendar_s
    print(f"building its {records[0][1]:,} records alone, no simulation: {records_s:.4f} s; its "
          f"{lookups:,} calendar look-ups alone: {calendar_s:.4f} s; together {floor_s / alone_s:.2f}"
          f" x SimPy alone's {alone_s:.4f} s for its event mix: a model that keeps these records and "
          f"works to these calendars reaches at most {alone_s / (alone_s + floor_s):.2f} "
          "of SimPy alone, with no other code at all")
    print(f"M/M/3 at rho 0.9, {len(arrivals):,} customers: bare simpy.Resource best {min(resource):.3f} s, "
          f"MachinePool best {min(pool):.3f} s: pool speed {min(resource) / min(pool):.2f} of the "
          "Resource's (target >= 0.8)")
    print(f"peak memory of a process running one 10-year replication: {peak_memory_mb():.0f} MB "
          "(target < 150)")


if __name__ == "__main__":
    main()
