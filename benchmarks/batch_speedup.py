"""Speed-up of a batch on local processes: the purchase-options batch serially, then with --jobs N.

Both runs happen in this one process, one after the other, on the same machine, so the ratio is
meaningful even where absolute times are not. Wall times include everything a user waits for:
starting the worker processes, writing every replication, the tables and the figure.

Run: python benchmarks/batch_speedup.py [--reps 20] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from slagsim.batch.session import plan, run_batch_file
from slagsim.results.meta import COMPLETE

BATCH = Path(__file__).resolve().parent.parent / "scenarios" / "batches" / "purchase-options.yaml"


def timed_batch(jobs: int, reps: int | None, out: Path) -> float:
    """Wall seconds of one quiet batch run."""
    started = time.perf_counter()
    result = run_batch_file(plan(BATCH, reps), out, jobs=jobs)
    if result.status != COMPLETE:
        raise SystemExit(f"the batch ended {result.status}")
    return time.perf_counter() - started


def main() -> None:
    """Print serial and parallel wall times, the speed-up and the parallel efficiency."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=None, help="replications [the batch file's]")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        serial = timed_batch(1, args.reps, Path(folder) / "serial")
        parallel = timed_batch(args.jobs, args.reps, Path(folder) / "parallel")
        same = (Path(folder) / "serial" / "batch.csv").read_bytes() == (
            Path(folder) / "parallel" / "batch.csv").read_bytes()
    speedup = serial / parallel
    print(f"purchase-options batch on {os.cpu_count()} cores: serial {serial:.1f} s, "
          f"--jobs {args.jobs} {parallel:.1f} s")
    print(f"speed-up {speedup:.2f}, parallel efficiency {speedup / args.jobs:.0%} "
          f"(target >= 90 %); identical batch.csv: {same}")


if __name__ == "__main__":
    main()
