"""How well an appraisal keeps the cores busy, and a batch's own overhead.

Efficiency = the simulation time held in the stored replications (each part records how long its
replication took) / (wall time x processes). 1.0 would mean every core simulated all the time;
what is lost is waiting for a phase's slowest task, starting processes, reading and writing.

    python benchmarks/appraisal.py                       # the small test menu, --reps 6 --jobs 2
    python benchmarks/appraisal.py scenarios/purchases/menu.yaml --reps 6
    python benchmarks/appraisal.py --batch               # also: the purchase-options batch, serially

Run it on a quiet machine: other work on the cores lowers the efficiency it measures.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def simulated_seconds(folder: Path) -> tuple[float, int]:
    """The replications' own time, summed over every part stored below ``folder``, and their count."""
    parts = list(folder.rglob("rep-*.json"))
    return sum(float(json.loads(p.read_text())["wall_s"]) for p in parts), len(parts)


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def appraisal(menu: str, reps: int, jobs: int, budget: str, out: Path) -> None:
    reps_option = ["--reps", str(reps)] if reps else []  # 0: the menu's own replications
    command = [sys.executable, "-m", "slagsim", "appraise", menu, *reps_option, "--jobs", str(jobs),
               "--budget", budget, "--out", str(out), "--yes"]
    wall = timed(command)
    simulated, count = simulated_seconds(out)
    print(f"appraisal {menu} --reps {reps} --jobs {jobs}: {count} replications holding {simulated:.1f} s "
          f"of simulation in {wall:.1f} s wall: efficiency {simulated / (wall * jobs):.2f}")


def batch_overhead(batch: str, out: Path) -> None:
    wall = timed([sys.executable, "-m", "slagsim", "batch", batch, "--jobs", "1", "--out", str(out)])
    simulated, count = simulated_seconds(out)
    print(f"batch {batch} --jobs 1: {count} replications, {simulated:.1f} s simulating, {wall:.1f} s wall: "
          f"overhead {(wall - simulated) / wall:.1%} of the serial time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("menu", nargs="?", default="tests/data/menus/small.yaml")
    parser.add_argument("--reps", type=int, default=6, help="0: the menu's own (the default appraisal)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--budget", default="400000000")
    parser.add_argument("--batch", action="store_true", help="also measure the purchase-options batch")
    parser.add_argument("--no-appraisal", action="store_true", help="measure the batch only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_appraisal:
            appraisal(args.menu, args.reps, args.jobs, args.budget, Path(tmp) / "appraisal")
        if args.batch:
            batch_overhead("scenarios/batches/purchase-options.yaml", Path(tmp) / "batch")


if __name__ == "__main__":
    main()
