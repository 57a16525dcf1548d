"""Figures of a sensitivity run: Morris mu* against sigma, ranked mu* bars, Sobol index bars."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.figures.common import OPTION_COLOUR, kpi_title, new_figure, save_figure

SHOWN = 15  # bars per panel: the most influential estimates


def sensitivity_figures(table: pd.DataFrame, folder: Path, method: str) -> list[Path]:
    """Save the method's figures, one panel per KPI; return the PNG paths."""
    kpis = list(dict.fromkeys(table.kpi))
    if method == "morris":
        return [save_figure(_morris_bars(table, kpis), folder / "morris-ranked")[0],
                save_figure(_morris_scatter(table, kpis), folder / "morris-mu-sigma")[0]]
    return [save_figure(_sobol_bars(table, kpis), folder / "sobol-indices")[0]]


def _panels(count: int, height: float):
    figure, axes = new_figure(8, 1.0 + height * count, rows=count, squeeze=False)
    return figure, list(axes[:, 0])


def _morris_bars(table: pd.DataFrame, kpis: list[str]):
    figure, axes = _panels(len(kpis), 4.5)
    for panel, kpi in zip(axes, kpis, strict=True):
        data = table[table.kpi == kpi].nsmallest(SHOWN, "rank").iloc[::-1]
        errors = [(data.mu_star - data.mu_star_ci95_low).clip(lower=0),
                  (data.mu_star_ci95_high - data.mu_star)]
        panel.barh(data.group, data.mu_star, xerr=errors, color=OPTION_COLOUR, capsize=2)
        unit = data.unit.iloc[0] if len(data) else ""
        panel.set_xlabel(f"mu*: mean absolute change of {kpi_title(kpi)} over each estimate's range "
                         f"[{unit}], 95% CI", fontsize=8)
        panel.set_title(f"{kpi_title(kpi)}: the estimates that move it most (Morris screening)", fontsize=9)
        panel.tick_params(axis="y", labelsize=7)
        panel.grid(axis="x", alpha=0.3)
    return figure


def _morris_scatter(table: pd.DataFrame, kpis: list[str]):
    figure, axes = _panels(len(kpis), 4.0)
    for panel, kpi in zip(axes, kpis, strict=True):
        data = table[table.kpi == kpi]
        panel.scatter(data.mu_star, data.sigma, color=OPTION_COLOUR, s=14)
        for row in data.nsmallest(8, "rank").itertuples():
            panel.annotate(row.group, (row.mu_star, row.sigma), fontsize=7, xytext=(3, 2),
                           textcoords="offset points")
        panel.set_xlabel(f"mu* (importance) [{data.unit.iloc[0] if len(data) else ''}]", fontsize=8)
        panel.set_ylabel("sigma (interaction or non-linearity)", fontsize=8)
        panel.set_title(f"{kpi_title(kpi)}: importance against interaction, per estimate", fontsize=9)
        panel.grid(alpha=0.3)
    return figure


def _sobol_bars(table: pd.DataFrame, kpis: list[str]):
    figure, axes = _panels(len(kpis), 3.5)
    for panel, kpi in zip(axes, kpis, strict=True):
        data = table[table.kpi == kpi].nsmallest(SHOWN, "rank").iloc[::-1].reset_index(drop=True)
        positions = range(len(data))
        panel.barh([p + 0.2 for p in positions], data.total, height=0.4, label="total",
                   xerr=[(data.total - data.total_ci95_low).clip(lower=0),
                         (data.total_ci95_high - data.total)])
        panel.barh([p - 0.2 for p in positions], data.first_order, height=0.4, label="first order",
                   xerr=[(data.first_order - data.first_order_ci95_low).clip(lower=0),
                         (data.first_order_ci95_high - data.first_order)])
        panel.set_yticks(list(positions), data.group, fontsize=7)
        panel.set_xlabel("share of the variance of the KPI over the estimates' ranges, 95% CI", fontsize=8)
        panel.set_title(f"{kpi_title(kpi)}: Sobol indices of the top estimates", fontsize=9)
        panel.legend(fontsize=7)
        panel.grid(axis="x", alpha=0.3)
    return figure


def evpi_figure(evpi: pd.DataFrame, folder: Path) -> Path:
    """Expected value of perfect information per estimate group, in Rupiah million: measure first."""
    data = evpi.nsmallest(SHOWN, "rank").iloc[::-1]
    figure, axes = new_figure(8, 1.2 + 0.32 * max(len(data), 1))
    axes.barh(data.group, data.evppi_rp / 1e6, color=OPTION_COLOUR)
    axes.set_xlabel("Expected value of knowing the estimate exactly before choosing [Rp million]", fontsize=8)
    axes.set_title("What to measure first: the value of perfect information per estimate", fontsize=9)
    axes.tick_params(axis="y", labelsize=7)
    axes.grid(axis="x", alpha=0.3)
    return save_figure(figure, folder / "evpi")[0]
