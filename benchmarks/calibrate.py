"""How long a planner waits for ``slagsim calibrate`` on the shipped example records (not a test).

The example (22 months simulated from scenarios/records/example-truth.yaml) against the baseline,
fitting the two estimates the example moved and one the books cannot see, 150 draws: once in this
process (``--jobs 1``) and once on 2 processes (``--jobs 2``), in one run, each into its own
temporary folder. The two posteriors must be identical (the answer does not depend on where the
draws ran).

Run: python benchmarks/calibrate.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ESTIMATES = ("process.sorting.rate_t_per_worker_h", "supply.smelters.reach", "machines.press.price_rp",
             "firms.template.attendance")


def timed(jobs: int, out: Path) -> float:
    started = time.perf_counter()
    command = [sys.executable, "-m", "slagsim", "calibrate", "scenarios/records/example-simulated.csv",
               "--scenario", "scenarios/baseline.yaml", "--draws", "150", "--accept", "0.15",
               "--jobs", str(jobs), "--out", str(out), "--quiet"]
    command += [part for key in ESTIMATES for part in ("--estimate", key)]
    subprocess.run(command, cwd=ROOT, check=True)
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        serial, parallel = Path(folder) / "serial", Path(folder) / "parallel"
        one, two = timed(1, serial), timed(2, parallel)
        same = (serial / "posterior.csv").read_bytes() == (parallel / "posterior.csv").read_bytes()
        print(f"calibrate, 150 draws of 22 months: --jobs 1 {one:.1f} s, --jobs 2 {two:.1f} s, "
              f"speed-up {one / two:.2f}; identical posterior: {same}")
        if not same:
            sys.exit(1)


if __name__ == "__main__":
    main()
