"""How long a planner waits for ``slagsim sensitivity scenarios/baseline.yaml`` (not a test).

Morris over every estimate of the baseline with 10 trajectories and 2 replications per point,
once in this process (``--jobs 1``) and once on 2 processes (``--jobs 2``), in one run, each
into its own temporary folder; everything the user waits for is included. The two rankings
must be identical (the numbers do not depend on where they ran).

Run: python benchmarks/sensitivity.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent


def timed(jobs: int, out: Path) -> float:
    started = time.perf_counter()
    command = [sys.executable, "-m", "slagsim", "sensitivity", "scenarios/baseline.yaml",
               "--trajectories", "10", "--reps", "2", "--jobs", str(jobs), "--out", str(out), "--quiet"]
    subprocess.run(command, cwd=ROOT, check=True)
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        parallel = timed(2, Path(folder) / "two")
        serial = timed(1, Path(folder) / "one")
        same = pd.read_csv(Path(folder) / "one" / "sensitivity.csv").equals(
            pd.read_csv(Path(folder) / "two" / "sensitivity.csv"))
    print(f"Morris, baseline, 10 trajectories x 2 replications: serial {serial:.1f} s, --jobs 2 "
          f"{parallel:.1f} s, speed-up {serial / parallel:.2f}; identical sensitivity.csv: {same}")


if __name__ == "__main__":
    main()
