"""Scenarios against a baseline: each KPI's mean and CI, and the paired difference to the baseline.

With common random numbers, replication i of every scenario sees the same deliveries, breakdowns
and demand, so the difference ``x_i - baseline_i`` is far less noisy than the two KPIs apart. The
paired 95 % CI is the Student-t interval of those differences over the replications both have.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from slagsim.analysis.kpis import unit_of
from slagsim.analysis.stats import mean_ci

KpiTable = Mapping[int, Mapping[str, float]]  # replication -> kpi -> value
COMPARISON_COLUMNS = [
    "scenario", "kpi", "unit", "mean", "ci95_low", "ci95_high", "n",
    "diff", "diff_ci95_low", "diff_ci95_high", "diff_pct", "significant",
]


def comparison_table(scenarios: Mapping[str, KpiTable], baseline: str, paired: bool = True) -> pd.DataFrame:
    """One row per scenario and KPI (scenarios in the given order, the baseline included).

    ``paired=False`` (runs with different seeds or lengths) gives Welch's unpaired interval.
    """
    base = scenarios.get(baseline, {})
    difference = _paired if paired else _unpaired
    rows = []
    for name, replications in scenarios.items():
        kpis = list(dict.fromkeys(k for values in replications.values() for k in values))
        for kpi in kpis:
            rows.append({"scenario": name, "kpi": kpi, "unit": unit_of(kpi),
                         **_level(replications, kpi), **difference(replications, base, kpi)})
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


def ranked(table: pd.DataFrame, kpi: str) -> pd.DataFrame:
    """The rows of one KPI, best (highest mean) first, with a rank column."""
    rows = table[table.kpi == kpi].sort_values("mean", ascending=False, kind="stable")
    return rows.assign(rank=range(1, len(rows) + 1)).reset_index(drop=True)


def _level(replications: KpiTable, kpi: str) -> dict[str, float]:
    values = [replications[r][kpi] for r in sorted(replications) if kpi in replications[r]]
    mean, low, high = mean_ci(values)
    return {"mean": mean, "ci95_low": low, "ci95_high": high, "n": len(values)}


def _paired(replications: KpiTable, base: KpiTable, kpi: str) -> dict[str, float | bool]:
    common = [r for r in sorted(replications) if r in base and kpi in replications[r] and kpi in base[r]]
    if not common:
        return _difference_row(math.nan, math.nan, math.nan, math.nan)
    diffs = [replications[r][kpi] - base[r][kpi] for r in common]
    diff, low, high = mean_ci(diffs)
    base_mean = math.fsum(base[r][kpi] for r in common) / len(common)
    return _difference_row(diff, low, high, base_mean)


def _difference_row(diff: float, low: float, high: float, base_mean: float) -> dict[str, float | bool]:
    percent = 100 * diff / abs(base_mean) if base_mean and not math.isnan(base_mean) else math.nan
    significant = bool(low > 0 or high < 0) if not math.isnan(low) else False
    return {"diff": diff, "diff_ci95_low": low, "diff_ci95_high": high,
            "diff_pct": percent, "significant": significant}


def _unpaired(replications: KpiTable, base: KpiTable, kpi: str) -> dict[str, float | bool]:
    """Difference of means with Welch's 95 % interval (for runs without common random numbers)."""
    mine = [v[kpi] for v in replications.values() if kpi in v]
    theirs = [v[kpi] for v in base.values() if kpi in v]
    if len(mine) < 2 or len(theirs) < 2:
        return _difference_row(math.nan, math.nan, math.nan, math.nan)
    return _difference_row(*welch_interval(mine, theirs), math.fsum(theirs) / len(theirs))


def welch_interval(a: list[float], b: list[float], level: float = 0.95) -> tuple[float, float, float]:
    """Mean of ``a`` minus mean of ``b`` with Welch's ``level`` confidence interval."""
    from scipy.special import stdtrit

    ma, mb = math.fsum(a) / len(a), math.fsum(b) / len(b)
    va = math.fsum((x - ma) ** 2 for x in a) / (len(a) - 1) / len(a)
    vb = math.fsum((x - mb) ** 2 for x in b) / (len(b) - 1) / len(b)
    diff, spread = ma - mb, math.sqrt(va + vb)
    if spread == 0:
        return diff, diff, diff
    dof = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = float(stdtrit(dof, 0.5 + level / 2)) * spread
    return diff, diff - half, diff + half
