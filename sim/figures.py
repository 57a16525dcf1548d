"""Comparison figures drawn from result tables (never from a simulation): matplotlib, Agg backend.

Each figure function returns the figure and the data frame it plots, so tests can check the data
behind a figure rather than its pixels.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from sim.metrics import unit_of

BASELINE_COLOUR = "#4d4d4d"
OPTION_COLOUR = "#2b7bba"
KPI_TITLES = {
    "product_output_t_per_year": "Product output (blocks + ingot)",
    "ingot_t_per_year": "Aluminium ingot",
    "turnover_rp_per_year": "Turnover",
    "gross_margin_rp_per_year": "Gross margin",
}


def throughput_comparison(table: pd.DataFrame, baseline: str,
                          kpi: str = "product_output_t_per_year") -> tuple[Figure, pd.DataFrame]:
    """Mean ``kpi`` per scenario with 95 % CI error bars, sorted, the baseline in grey.

    ``table`` has the columns of :func:`sim.comparison.comparison_table`.
    """
    data = table[table.kpi == kpi].sort_values("mean").reset_index(drop=True)
    unit = unit_of(kpi)
    height = 1.2 + 0.38 * len(data)
    figure, axes = plt.subplots(figsize=(8, height), layout="constrained")
    colours = [BASELINE_COLOUR if name == baseline else OPTION_COLOUR for name in data.scenario]
    errors = [(data["mean"] - data.ci95_low).fillna(0), (data.ci95_high - data["mean"]).fillna(0)]
    axes.barh(data.scenario, data["mean"], xerr=errors, color=colours, capsize=3)
    for position, row in enumerate(data.itertuples()):
        label = f"{row.mean:,.0f}" if row.scenario == baseline else (
            f"{row.mean:,.0f}  ({row.diff:+,.0f}{' *' if row.significant else ''})")
        axes.text(row.ci95_high if row.ci95_high == row.ci95_high else row.mean, position,
                  "  " + label, va="center", fontsize=8)
    base_rows = data[data.scenario == baseline]
    if not base_rows.empty:
        axes.axvline(base_rows["mean"].iloc[0], color=BASELINE_COLOUR, linestyle="--", linewidth=1)
    axes.set_xlabel(f"{KPI_TITLES.get(kpi, kpi)} [{unit}], mean with 95% CI")
    axes.set_title(f"{KPI_TITLES.get(kpi, kpi)} by scenario\n(baseline grey; paired difference to the "
                   "baseline in brackets, * = its 95% CI excludes 0)", fontsize=9)
    axes.set_xlim(0, max(data.ci95_high.fillna(data["mean"]).max(), 1) * 1.25)
    axes.grid(axis="x", alpha=0.3)
    return figure, data


def save_figure(figure: Figure, stem: Path) -> list[Path]:
    """Save ``figure`` as ``stem.png`` and ``stem.svg``; return both paths."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    for path in paths:
        temporary = path.with_name(f".{path.stem}.tmp{path.suffix}")
        figure.savefig(temporary, dpi=150)
        os.replace(temporary, path)
    plt.close(figure)
    return paths
