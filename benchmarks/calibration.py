"""Does the model still reproduce the seed article's before and after? (not a test: ~2 minutes)

Runs ``baseline.yaml`` and ``pre-2021.yaml`` for several seeds, each with the warm-up its file
asks for, and checks that every mean sits in the middle 80 % of the article's range (issue 13),
workers absorbed included (issue 24); says by how much a mean misses, and the wage bill's share
of turnover:

    python benchmarks/calibration.py              # seeds 1 2 3, 20 replications each
    python benchmarks/calibration.py --seeds 1 --reps 10

Prints one line per scenario, seed and KPI, and exits 1 when any mean is outside its band.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from slagsim.analysis.stats import mean_ci
from slagsim.analysis.warmup import needed_warmup_days
from slagsim.runs.experiment import RunSettings, run_replication
from slagsim.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parent.parent
# (scenario file, KPI, the article's range): seed article (Kemenperin), see ../shared/domain.md
# workers absorbed: "belasan" (a dozen or so: 11-19) before, "sekitar 200" (160-240) today, counted
# by BPS's definition of working (an hour's work in the week); an outcome, never an input.
TARGETS = {
    "baseline.yaml": {"product_output_t_per_year": (400, 700), "turnover_rp_per_year": (1.5e9, 2.0e9),
                      "workers_absorbed": (160, 240)},
    "pre-2021.yaml": {"product_output_t_per_year": (50, 70), "turnover_rp_per_year": (200e6, 300e6),
                      "workers_absorbed": (11, 19)},
}


def middle_80(low: float, high: float) -> tuple[float, float]:
    """The middle 80 % of a range: 10 % of its width in from each end."""
    return low + 0.1 * (high - low), high - 0.1 * (high - low)


def _how_far(mean: float, band: tuple[float, float]) -> str:
    """OUTSIDE, and by how much: the factor to the nearer end of the band."""
    low, high = band
    factor = low / mean if mean < low else mean / high
    return f"OUTSIDE ({factor:.1f}x {'below' if mean < low else 'above'})"


def _one(args: tuple[str, int, int]) -> tuple[dict[str, float], list[float]]:
    file, seed, replication = args
    scenario = load_scenario(ROOT / "scenarios" / file)
    result = run_replication(scenario, RunSettings.from_scenario(scenario, seed=seed), replication)
    return result.kpis, result.daily_output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    options = parser.parse_args()
    failures = 0
    with ProcessPoolExecutor(options.jobs) as pool:
        for file, targets in TARGETS.items():
            warmup = load_scenario(ROOT / "scenarios" / file).run.warmup_days
            for seed in options.seeds:
                jobs = [(file, seed, r) for r in range(options.reps)]
                done = list(pool.map(_one, jobs))
                needed = needed_warmup_days([daily for _, daily in done])
                for kpi, (low, high) in targets.items():
                    mean, ci_low, ci_high = mean_ci([kpis[kpi] for kpis, _ in done])
                    band = middle_80(low, high)
                    inside = band[0] <= mean <= band[1]
                    failures += not inside
                    verdict = "ok" if inside else _how_far(mean, band)
                    print(f"{file:14s} seed {seed}  {kpi:28s} {mean:14,.0f}  95% CI [{ci_low:,.0f}, "
                          f"{ci_high:,.0f}]  band [{band[0]:,.0f}, {band[1]:,.0f}]  {verdict}  "
                          f"(warm-up {warmup:g} d, detector asks {needed:g})")
                wages = mean_ci([k["wage_bill_rp_per_year"] / k["turnover_rp_per_year"] for k, _ in done])[0]
                print(f"{file:14s} seed {seed}  wage bill / turnover {wages:.1%}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
