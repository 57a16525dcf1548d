"""The model's SimPy event rate as a share of a bare SimPy loop's, measured in one process.

(a) a bare loop: one process yielding timeouts, as many events as (b) schedules;
(b) one replication-year of scenarios/baseline.yaml (no warm-up);
(c) SimPy alone with (b)'s event mix: the same numbers of container gets and puts, plain events,
    timeouts and processes, replayed with no model code in between. Its rate is the ceiling any
    model with this event mix could reach, so (c)/(a) says what the ratio target can mean.
Target: ratio (b)/(a) >= 0.5, and one baseline replication-year well under a second.
Runs are interleaved and the best rate of each kept, so a noisy machine hurts all three alike.

Run: python benchmarks/engine.py [--reps 5]
"""

from __future__ import annotations

import argparse
import math
import time
from collections import Counter
from collections.abc import Generator
from pathlib import Path
from unittest import mock

import simpy

from sim.model import simulate
from sim.scenario import Scenario, load_scenario

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
    model, bare, alone = [], [], []
    for replication in range(args.reps):
        started = time.perf_counter()
        outcome = simulate(scenario, 1, replication, years=1.0, warmup_days=0)
        model.append((time.perf_counter() - started, outcome.records.events))
        bare.append(bare_loop(outcome.records.events))
        alone.append(simpy_alone(order))
    model_rate, bare_rate, alone_rate = best_rate(model), best_rate(bare), best_rate(alone)
    mean_s = sum(seconds for seconds, _ in model) / len(model)
    print(f"baseline replication-year: mean {mean_s:.3f} s, best {min(s for s, _ in model):.3f} s "
          f"over {len(model)} replications; {model[0][1]:,} events; best rate {model_rate:,.0f} events/s")
    print(f"bare SimPy loop of timeouts, as many events: {bare_rate:,.0f} events/s")
    mix_text = ", ".join(f"{mix[kind]:,} {kind}" for kind in KINDS)
    print(f"SimPy alone with the model's event mix ({mix_text}): {alone_rate:,.0f} events/s")
    print(f"model / bare event rate: {model_rate / bare_rate:.3f} (target >= 0.5)")
    print(f"SimPy alone / bare: {alone_rate / bare_rate:.3f} (the most this event mix allows)")
    print(f"model code's share of a replication's time: {1 - model_rate / alone_rate:.0%}")


if __name__ == "__main__":
    main()
