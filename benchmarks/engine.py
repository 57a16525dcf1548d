"""The model's SimPy event rate as a share of a bare SimPy loop's, measured in one process.

(a) a bare loop: one process yielding timeouts, as many events as (b) schedules;
(b) one replication-year of scenarios/baseline.yaml (no warm-up).
Target: ratio >= 0.5, and one baseline replication-year well under a second.

Run: python benchmarks/engine.py [--reps 5]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import simpy

from sim.model import simulate
from sim.scenario import load_scenario

BASELINE = Path(__file__).resolve().parent.parent / "scenarios" / "baseline.yaml"


def bare_loop(events: int) -> float:
    """Seconds for SimPy to process ``events`` timeouts from one process."""
    env = simpy.Environment()

    def ticker():
        for _ in range(events):
            yield env.timeout(1.0)

    env.process(ticker())
    started = time.perf_counter()
    env.run()
    return time.perf_counter() - started


def main() -> None:
    """Print both event rates and their ratio (best of ``--reps`` runs each)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    scenario = load_scenario(BASELINE)
    runs = []  # (seconds, events) per replication
    for replication in range(args.reps):
        started = time.perf_counter()
        outcome = simulate(scenario, 1, replication, years=1.0, warmup_days=0)
        runs.append((time.perf_counter() - started, outcome.records.events))
    seconds, events = min(runs, key=lambda run: run[0] / run[1])  # the replication with the best rate
    bare = min(bare_loop(events) for _ in range(args.reps))
    model_rate, bare_rate = events / seconds, events / bare
    mean = sum(run[0] for run in runs) / len(runs)
    print(f"baseline replication-year: mean {mean:.3f} s over {len(runs)} replications; best rate "
          f"{events:,} events in {seconds:.3f} s -> {model_rate:,.0f} events/s")
    print(f"bare SimPy loop, the same {events:,} events: best {bare:.3f} s -> {bare_rate:,.0f} events/s")
    print(f"model / bare event rate: {model_rate / bare_rate:.3f} (target >= 0.5)")

if __name__ == "__main__":
    main()
