"""How long `slagsim --help` takes in a fresh interpreter (target: under 0.5 s).

Run: python benchmarks/startup.py [--reps 5]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

HEAVY = ("pandas", "matplotlib", "dask", "distributed", "scipy", "simpy", "pydantic")


def main() -> None:
    """Print the best and mean start-up time, and which heavy modules the start-up imports."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    times = []
    for _ in range(args.reps):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "slagsim", "--help"], check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    probe = f"import sys, slagsim.cli; print(' '.join(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    print(f"slagsim --help: best {min(times):.3f} s, mean {sum(times) / len(times):.3f} s (target < 0.5 s)")
    print(f"heavy modules imported at start-up: {loaded.stdout.strip() or 'none'}")


if __name__ == "__main__":
    main()
