"""Figures comparing scenarios' KPIs: throughput with CIs, gain over the baseline, spread."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from slagsim.analysis import kpis as K
from slagsim.analysis.kpis import unit_of
from slagsim.figures.common import BASELINE_COLOUR, OPTION_COLOUR, kpi_title, new_figure
from slagsim.i18n import _, number, signed


def throughput_comparison(table: pd.DataFrame, baseline: str,
                          kpi: str = K.PRODUCT_OUTPUT.name) -> tuple[Figure, pd.DataFrame]:
    """Mean ``kpi`` per scenario with 95 % CI error bars, sorted, the baseline in grey.

    ``table`` has the columns of :func:`slagsim.analysis.paired.comparison_table`.
    """
    data = table[table.kpi == kpi].sort_values("mean").reset_index(drop=True)
    unit = _(unit_of(kpi))
    height = 1.2 + 0.38 * len(data)
    figure, axes = new_figure(8, height)
    colours = [BASELINE_COLOUR if name == baseline else OPTION_COLOUR for name in data.scenario]
    errors = [(data["mean"] - data.ci95_low).fillna(0), (data.ci95_high - data["mean"]).fillna(0)]
    axes.barh(data.scenario, data["mean"], xerr=errors, color=colours, capsize=3)
    for position, row in enumerate(data.itertuples()):
        label = number(row.mean, 0) if row.scenario == baseline else (
            f"{number(row.mean, 0)}  ({signed(row.diff, 0)}{' *' if row.significant else ''})")
        axes.text(row.ci95_high if row.ci95_high == row.ci95_high else row.mean, position,
                  "  " + label, va="center", fontsize=8)
    base_rows = data[data.scenario == baseline]
    if not base_rows.empty:
        axes.axvline(base_rows["mean"].iloc[0], color=BASELINE_COLOUR, linestyle="--", linewidth=1)
    axes.set_xlabel(_("{kpi} [{unit}], mean with 95% CI").format(kpi=kpi_title(kpi), unit=unit))
    axes.set_title(_("{kpi} by scenario\n(baseline grey; paired difference to the baseline in brackets, "
                     "* = its 95% CI excludes 0)").format(kpi=kpi_title(kpi)), fontsize=9)
    axes.set_xlim(0, max(data.ci95_high.fillna(data["mean"]).max(), 1) * 1.25)
    axes.grid(axis="x", alpha=0.3)
    return figure, data




def gain_forest(table: pd.DataFrame, baseline: str,
                kpi: str = K.PRODUCT_OUTPUT.name) -> tuple[Figure, pd.DataFrame]:
    """Paired difference to the baseline with its 95 % CI per scenario (a forest plot)."""
    data = (table[(table.kpi == kpi) & (table.scenario != baseline)]
            .sort_values("diff").reset_index(drop=True))
    figure, axes = new_figure(8, 1.2 + 0.38 * max(len(data), 1))
    low = (data["diff"] - data.diff_ci95_low).fillna(0)
    high = (data.diff_ci95_high - data["diff"]).fillna(0)
    for position, row in enumerate(data.itertuples()):
        colour = OPTION_COLOUR if row.significant else "#999999"
        axes.errorbar(row.diff, position, xerr=[[low[position]], [high[position]]], fmt="o",
                      color=colour, ecolor=colour, capsize=3)
    axes.set_yticks(range(len(data)), data.scenario)
    axes.axvline(0, color=BASELINE_COLOUR, linewidth=1)
    axes.set_xlabel(_("Gain over {baseline}: {kpi} [{unit}], paired 95% CI").format(
        baseline=baseline, kpi=kpi_title(kpi), unit=_(unit_of(kpi))))
    named = "" if baseline == "baseline" else f" ({baseline})"  # never "the baseline (baseline)"
    axes.set_title(_("Gain over the baseline{named}; blue = CI excludes 0").format(named=named), fontsize=9)
    axes.grid(axis="x", alpha=0.3)
    return figure, data


def replication_spread(values: pd.DataFrame, baseline: str,
                       kpi: str = K.PRODUCT_OUTPUT.name) -> tuple[Figure, pd.DataFrame]:
    """Box plot of a KPI across replications per scenario.

    ``values`` has columns ``scenario, replication, value`` for ``kpi``.
    """
    order = values.groupby("scenario")["value"].median().sort_values().index.tolist()
    figure, axes = new_figure(8, 1.2 + 0.38 * max(len(order), 1))
    groups = [values[values.scenario == name]["value"].to_numpy() for name in order]
    boxes = axes.boxplot(groups, orientation="horizontal", patch_artist=True, widths=0.6)
    axes.set_yticks(range(1, len(order) + 1), order)
    for box, name in zip(boxes["boxes"], order, strict=True):
        box.set_facecolor(BASELINE_COLOUR if name == baseline else OPTION_COLOUR)
        box.set_alpha(0.6)
    axes.set_xlabel(_("{kpi} [{unit}], one point per replication").format(kpi=kpi_title(kpi),
                                                                         unit=_(unit_of(kpi))))
    axes.set_title(_("Spread across replications (box: quartiles; whiskers: 1.5 IQR)"), fontsize=9)
    axes.grid(axis="x", alpha=0.3)
    return figure, values[values.scenario.isin(order)]
