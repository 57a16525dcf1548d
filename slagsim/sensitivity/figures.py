"""Figures of a sensitivity run: Morris mu* against sigma, ranked mu* bars, Sobol index bars."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from slagsim.figures.common import OPTION_COLOUR, kpi_title, new_figure, save_figure
from slagsim.i18n import _
from slagsim.scenario.plain_keys import plain_key

SHOWN = 15  # bars per panel: the most influential estimates


def _named(groups: pd.Series) -> list[str]:
    """Each estimate group in a planner's words, its key under it."""
    return [f"{plain_key(group)}\n{group}" for group in groups]


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
    figure, axes = _panels(len(kpis), 6.5)
    for panel, kpi in zip(axes, kpis, strict=True):
        data = table[table.kpi == kpi].nsmallest(SHOWN, "rank").iloc[::-1]
        errors = [(data.mu_star - data.mu_star_ci95_low).clip(lower=0),
                  (data.mu_star_ci95_high - data.mu_star)]
        panel.barh(_named(data.group), data.mu_star, xerr=errors, color=OPTION_COLOUR, capsize=2)
        unit = data.unit.iloc[0] if len(data) else ""
        panel.set_xlabel(_("mu*: mean absolute change of {kpi} over each estimate's range [{unit}], 95% CI")
                         .format(kpi=kpi_title(kpi), unit=unit), fontsize=8)
        panel.set_title(_("{kpi}: the estimates that move it most (Morris screening)").format(
            kpi=kpi_title(kpi)), fontsize=9)
        panel.tick_params(axis="y", labelsize=7)
        panel.grid(axis="x", alpha=0.3)
    return figure


def _morris_scatter(table: pd.DataFrame, kpis: list[str]):
    figure, axes = _panels(len(kpis), 4.0)
    for panel, kpi in zip(axes, kpis, strict=True):
        data = table[table.kpi == kpi]
        panel.scatter(data.mu_star, data.sigma, color=OPTION_COLOUR, s=14)
        for row in data.nsmallest(8, "rank").itertuples():
            panel.annotate(plain_key(row.group), (row.mu_star, row.sigma), fontsize=7, xytext=(3, 2),
                           textcoords="offset points")
        panel.set_xlabel(_("mu* (importance) [{unit}]").format(unit=data.unit.iloc[0] if len(data) else ""),
                         fontsize=8)
        panel.set_ylabel(_("sigma (interaction or non-linearity)"), fontsize=8)
        panel.set_title(_("{kpi}: importance against interaction, per estimate").format(kpi=kpi_title(kpi)),
                        fontsize=9)
        panel.grid(alpha=0.3)
    return figure


def _sobol_bars(table: pd.DataFrame, kpis: list[str]):
    figure, axes = _panels(len(kpis), 5.0)
    for panel, kpi in zip(axes, kpis, strict=True):
        data = table[table.kpi == kpi].nsmallest(SHOWN, "rank").iloc[::-1].reset_index(drop=True)
        positions = range(len(data))
        panel.barh([p + 0.2 for p in positions], data.total, height=0.4, label=_("with the others (total)"),
                   xerr=[(data.total - data.total_ci95_low).clip(lower=0),
                         (data.total_ci95_high - data.total)])
        panel.barh([p - 0.2 for p in positions], data.first_order, height=0.4, label=_("alone (first order)"),
                   xerr=[(data.first_order - data.first_order_ci95_low).clip(lower=0),
                         (data.first_order_ci95_high - data.first_order)])
        panel.set_yticks(list(positions), _named(data.group), fontsize=7)
        panel.set_xlabel(_("share of the variance of the KPI over the estimates' ranges, 95% CI"), fontsize=8)
        panel.set_title(_("{kpi}: Sobol indices of the top estimates").format(kpi=kpi_title(kpi)), fontsize=9)
        panel.legend(fontsize=7)
        panel.grid(axis="x", alpha=0.3)
    return figure


def evpi_figure(evpi: pd.DataFrame, folder: Path) -> Path:
    """Expected value of perfect information per estimate group, in Rupiah million: measure first."""
    data = evpi.nsmallest(SHOWN, "rank").iloc[::-1]
    figure, axes = new_figure(8, 1.2 + 0.45 * max(len(data), 1))
    axes.barh(_named(data.group), data.evppi_rp / 1e6, color=OPTION_COLOUR)
    axes.set_xlabel(_("Expected value of knowing the estimate exactly before choosing [Rp million]"),
                    fontsize=8)
    axes.set_title(_("What to measure first: the value of perfect information per estimate"), fontsize=9)
    axes.tick_params(axis="y", labelsize=7)
    axes.grid(axis="x", alpha=0.3)
    return save_figure(figure, folder / "evpi")[0]
