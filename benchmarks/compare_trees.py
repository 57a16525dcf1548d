"""Before and after, interleaved: one baseline replication-year from two source trees (not a test).

Check out the old code beside the new (``git worktree add /tmp/old main``), then

    python benchmarks/compare_trees.py /tmp/old . [--rounds 4] [--reps 5]

Each round runs ``--reps`` replication-years in a fresh process of each tree in turn, so a noisy
machine slows both alike; prints each tree's best and mean seconds and its SimPy events.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

CODE = """
import json, sys, time
sys.path.insert(0, {tree!r})
from slagsim.model.engine import simulate
from slagsim.scenario.load import load_scenario
scenario = load_scenario({scenario!r})
simulate(scenario, 1, 99, years=0.2, warmup_days=0)  # imports and caches warmed
rows = []
for replication in range({reps}):
    started = time.perf_counter()
    outcome = simulate(scenario, 1, replication, years=1.0, warmup_days=0)
    rows.append((time.perf_counter() - started, outcome.records.events))
print(json.dumps(rows))
"""


def run(tree: Path, reps: int) -> list[tuple[float, int]]:
    code = CODE.format(tree=str(tree), scenario=str(tree / "scenarios" / "baseline.yaml"), reps=reps)
    return json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                     check=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    rows: dict[str, list[tuple[float, int]]] = {name: [] for name in trees}
    for _ in range(args.rounds):
        for name, tree in trees.items():
            rows[name] += run(tree, args.reps)
    for name, runs in rows.items():
        seconds = [s for s, _ in runs]
        events = sum(e for _, e in runs) / len(runs)
        print(f"{name}: best {min(seconds):.3f} s, mean {sum(seconds) / len(seconds):.3f} s over "
              f"{len(runs)} replication-years; {events:,.0f} SimPy events each")


if __name__ == "__main__":
    main()
