"""Scenarios against a baseline: each KPI's mean and CI, and the paired difference to the baseline.

With common random numbers, replication i of every scenario sees the same deliveries, breakdowns
and demand, so the difference ``x_i - baseline_i`` is far less noisy than the two KPIs apart. The
paired 95 % CI is the Student-t interval of those differences over the replications both have.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from sim.metrics import unit_of
from sim.stats import mean_ci

KpiTable = Mapping[int, Mapping[str, float]]  # replication -> kpi -> value
COMPARISON_COLUMNS = [
    "scenario", "kpi", "unit", "mean", "ci95_low", "ci95_high", "n",
    "diff", "diff_ci95_low", "diff_ci95_high", "diff_pct", "significant",
]


def comparison_table(scenarios: Mapping[str, KpiTable], baseline: str) -> pd.DataFrame:
    """One row per scenario and KPI (scenarios in the given order, the baseline included)."""
    base = scenarios.get(baseline, {})
    rows = []
    for name, replications in scenarios.items():
        kpis = list(dict.fromkeys(k for values in replications.values() for k in values))
        for kpi in kpis:
            rows.append({"scenario": name, "kpi": kpi, "unit": unit_of(kpi),
                         **_level(replications, kpi), **_paired(replications, base, kpi)})
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


def _level(replications: KpiTable, kpi: str) -> dict[str, float]:
    values = [replications[r][kpi] for r in sorted(replications) if kpi in replications[r]]
    mean, low, high = mean_ci(values)
    return {"mean": mean, "ci95_low": low, "ci95_high": high, "n": len(values)}


def _paired(replications: KpiTable, base: KpiTable, kpi: str) -> dict[str, float | bool]:
    common = [r for r in sorted(replications) if r in base and kpi in replications[r] and kpi in base[r]]
    if not common:
        return {"diff": math.nan, "diff_ci95_low": math.nan, "diff_ci95_high": math.nan,
                "diff_pct": math.nan, "significant": False}
    diffs = [replications[r][kpi] - base[r][kpi] for r in common]
    diff, low, high = mean_ci(diffs)
    base_mean = math.fsum(base[r][kpi] for r in common) / len(common)
    percent = 100 * diff / abs(base_mean) if base_mean else math.nan
    significant = bool(low > 0 or high < 0) if not math.isnan(low) else False
    return {"diff": diff, "diff_ci95_low": low, "diff_ci95_high": high,
            "diff_pct": percent, "significant": significant}
