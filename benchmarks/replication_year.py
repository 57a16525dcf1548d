"""Time one baseline replication-year (wall time per replication and SimPy events per second).

Run: python benchmarks/replication_year.py [--reps 10]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from sim.model import simulate
from sim.scenario import load_scenario

BASELINE = Path(__file__).resolve().parent.parent / "scenarios" / "baseline.yaml"


def main() -> None:
    """Print the mean and best wall time of one baseline replication-year."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=10)
    args = parser.parse_args()
    scenario = load_scenario(BASELINE)
    times, events = [], 0
    for replication in range(args.reps):
        started = time.perf_counter()
        outcome = simulate(scenario, 1, replication, years=1.0, warmup_days=0)
        times.append(time.perf_counter() - started)
        events += outcome.records.events
    mean = sum(times) / len(times)
    print(f"baseline replication-year: mean {mean:.3f} s, best {min(times):.3f} s "
          f"over {args.reps} replications; {events / sum(times):,.0f} SimPy events/s")


if __name__ == "__main__":
    main()
