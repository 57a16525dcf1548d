"""Wall time and peak memory against the number of firms and simulated years; fitted exponents.

Cost should grow linearly (exponent ~1). Peak memory is measured with tracemalloc in the same
process, one simulation at a time.

Run: python benchmarks/scaling.py [--firms 25 50 100 200] [--years 1 5 10]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from pathlib import Path

import numpy as np

from slagsim.model.engine import simulate
from slagsim.scenario.load import load_scenario

BASELINE = Path(__file__).resolve().parent.parent / "scenarios" / "baseline.yaml"


def measure(firms: int, years: float) -> tuple[float, float, int]:
    """Seconds, peak MiB and SimPy events of one replication with ``firms`` firms over ``years``.

    Supply (offers and the backlog the cooperative accepts), every shared machine, the yard, the
    store and the market grow with the firm count, so every firm stays as busy (events grow with
    firms; before campaigns were per machine, one firm's campaign held all eight presses of the
    200-firm plant and events grew as firms^0.5). Time is measured in a run of its own; memory in
    a second run under tracemalloc (which slows it).
    """
    scale = firms / 25
    machines = load_scenario(BASELINE).machines
    overrides = [f"firms.count={firms}", f"supply.volume_factor={scale}",
                 f"supply.max_backlog_t={60 * scale}",
                 *[f"machines.{name}.count={max(1, round(machine.count * scale))}"
                   for name, machine in machines.items() if machine.count > 0],
                 f"curing_yard.pallets={round(80 * scale)}",
                 f"b3_store.capacity_t={100 * scale}",
                 f"products.blocks.paving.demand.t_per_month.mean={45 * scale}",
                 f"products.blocks.paving.demand.t_per_month.sd={10 * scale}",
                 f"products.blocks.brick.demand.t_per_month.mean={6 * scale}",
                 f"products.blocks.brick.demand.t_per_month.sd={2 * scale}",
                 f"products.blocks.paving.stock_cap_t={60 * scale}",
                 f"products.blocks.brick.stock_cap_t={15 * scale}"]
    scenario = load_scenario(BASELINE, overrides)
    started = time.perf_counter()
    outcome = simulate(scenario, 1, 0, years=years, warmup_days=0)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    simulate(scenario, 1, 0, years=years, warmup_days=0)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, outcome.records.events


def exponent(sizes: list[float], costs: list[float]) -> float:
    """Slope of log(cost) against log(size): 1 means linear."""
    return float(np.polyfit(np.log(sizes), np.log(costs), 1)[0])


def main() -> None:
    """Print a table per axis and the fitted exponents of time and memory."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--firms", type=int, nargs="+", default=[25, 50, 100, 200])
    parser.add_argument("--years", type=float, nargs="+", default=[1, 5, 10])
    args = parser.parse_args()
    for label, sizes, run in (("firms (1 year)", args.firms, lambda n: measure(n, 1.0)),
                              ("years (25 firms)", args.years, lambda y: measure(25, y))):
        results = [run(size) for size in sizes]
        print(f"{label}:")
        for size, (seconds, peak, events) in zip(sizes, results, strict=True):
            print(f"  {size:>6g}: {seconds:7.2f} s, peak {peak:7.1f} MiB, {events:>10,} events, "
                  f"{seconds / events * 1e6:5.1f} us/event")
        times, peaks, events = ([r[i] for r in results] for i in range(3))
        print(f"  fitted exponent against {label.split()[0]}: time {exponent(sizes, times):.2f}, "
              f"memory {exponent(sizes, peaks):.2f}, events {exponent(sizes, events):.2f}; "
              f"time against events {exponent(events, times):.2f}")


if __name__ == "__main__":
    main()
