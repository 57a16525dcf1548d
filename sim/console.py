"""Tables printed on the terminal: a run's headline KPIs, a batch's comparison with the baseline."""

from __future__ import annotations

import math

import pandas as pd
from rich.console import Console
from rich.table import Table

HEADLINE_KPIS = [
    "product_output_t_per_year",
    "ingot_t_per_year",
    "slag_received_t_per_year",
    "slag_refused_t_per_year",
    "workers",
    "worker_days_per_year",
    "turnover_rp_per_year",
    "gross_margin_rp_per_year",
    "b3_store_peak_t",
    "b3_max_age_days",
    "curing_yard_peak_pallets",
    "lost_sales_t_per_year",
    "mass_balance_error_t",
]
HEADLINE_PREFIXES = ("output_t_per_year.", "utilization.", "wait_h.")
COMPARED_KPIS = {  # kpi: (column label, divisor)
    "product_output_t_per_year": ("output t/yr", 1),
    "ingot_t_per_year": ("ingot t/yr", 1),
    "gross_margin_rp_per_year": ("gross margin Rp m/yr", 1e6),
}
SCALED_COLUMNS = ["mean", "diff", "diff_ci95_low", "diff_ci95_high"]


def print_summary(summary: pd.DataFrame, title: str) -> None:
    """Print the headline KPIs of a summary table."""
    table = Table(title=title)
    for column in ("KPI", "unit", "mean", "95% CI", "n"):
        table.add_column(column, justify="left" if column in ("KPI", "unit") else "right")
    shown = summary[summary.kpi.isin(HEADLINE_KPIS) | summary.kpi.str.startswith(HEADLINE_PREFIXES)]
    for row in shown.itertuples():
        table.add_row(row.kpi, row.unit, fmt(row.mean), interval(row.ci95_low, row.ci95_high), str(row.n))
    Console(width=120).print(table)


def print_comparison(comparison: pd.DataFrame, baseline: str, title: str) -> None:
    """Per scenario, sorted by output: each compared KPI and its paired difference to the baseline."""
    table = Table(title=title, caption="Δ = paired difference to the baseline (common random numbers); "
                  "* = its 95% CI excludes 0")
    longest = max((len(name) for name in comparison.scenario), default=8)
    table.add_column("scenario", no_wrap=True, min_width=min(longest, 60))
    for label, _ in COMPARED_KPIS.values():
        table.add_column(label, justify="right", no_wrap=True)
        table.add_column("Δ [95% CI]", justify="right", no_wrap=True)
    wide = comparison.set_index(["scenario", "kpi"])
    order = (comparison[comparison.kpi == "product_output_t_per_year"]
             .sort_values("mean", ascending=False).scenario)
    for scenario in order:
        cells = [scenario if scenario != baseline or "baseline" in scenario else f"{scenario} (baseline)"]
        for kpi, (_, divisor) in COMPARED_KPIS.items():
            row = wide.loc[(scenario, kpi)].copy()
            row[SCALED_COLUMNS] = row[SCALED_COLUMNS].astype(float) / divisor
            cells += [fmt(row["mean"]), "" if scenario == baseline else difference(row)]
        table.add_row(*cells)
    Console(width=max(150, longest + 135)).print(table)


def difference(row: pd.Series) -> str:
    """``+52.1 [40.3 .. 63.9] *`` for a comparison row, to the precision of the KPI's mean."""
    scale = abs(row["mean"])
    star = " *" if row["significant"] else ""
    low, high = row["diff_ci95_low"], row["diff_ci95_high"]
    spread = "-" if math.isnan(low) else f"{fmt(low, scale=scale)} .. {fmt(high, scale=scale)}"
    return f"{fmt(row['diff'], signed=True, scale=scale)} [{spread}]{star}"


def interval(low: float, high: float) -> str:
    """``low .. high``, or ``-`` when there is no interval (one replication)."""
    return "-" if math.isnan(low) else f"{fmt(low)} .. {fmt(high)}"


def fmt(value: float, signed: bool = False, scale: float | None = None) -> str:
    """A number with as many digits as a reader needs; ``scale`` sets them for a difference."""
    sign = "+" if signed else ""
    size = abs(value) if scale is None else scale
    if size >= 1000:
        return f"{value:{sign},.0f}"
    if size >= 1:
        return f"{value:{sign},.1f}"
    return f"{value:{sign}.3g}" if scale is None else f"{value:{sign}.3f}"
