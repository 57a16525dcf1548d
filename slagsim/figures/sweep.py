"""Sweep figures: a line with its CI band for one parameter, heatmaps for two or more."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from slagsim.analysis import kpis as K
from slagsim.analysis.kpis import unit_of
from slagsim.figures.common import OPTION_COLOUR, kpi_title, new_figure, wrapped
from slagsim.i18n import _, decimal, number


def sweep_points(batch_meta: dict, table: pd.DataFrame, kpi: str, change: bool = False) -> pd.DataFrame:
    """One row per sweep point: its parameter values, and the KPI's mean and CI (``change``: its
    difference to the baseline and the paired CI of that, which is much narrower for money)."""
    rows = []
    columns = ("diff", "diff_ci95_low", "diff_ci95_high") if change else ("mean", "ci95_low", "ci95_high")
    values = table[table.kpi == kpi].set_index("scenario")
    for scenario in batch_meta.get("scenarios", []):
        if scenario.get("role") != "sweep" or scenario["name"] not in values.index:
            continue
        row = values.loc[scenario["name"]]
        mean, low, high = (float(row[column]) for column in columns)
        rows.append({**scenario["set"], "scenario": scenario["name"], "mean": mean, "ci95_low": low,
                     "ci95_high": high, "change": change})
    return pd.DataFrame(rows)


def sweep_figure(batch_meta: dict, table: pd.DataFrame,
                 kpi: str = K.PRODUCT_OUTPUT.name) -> tuple[Figure, pd.DataFrame] | None:
    """The sweep's figure, or None when the batch has no sweep: the KPI and, beside it, the change in
    gross margin against the baseline (paired), since more tons can cost more than they earn."""
    parameters = batch_meta.get("sweep_parameters", [])
    kpis = list(dict.fromkeys([kpi, K.GROSS_MARGIN.name]))
    data = pd.concat([sweep_points(batch_meta, table, k, change=k == K.GROSS_MARGIN.name).assign(kpi=k)
                      for k in kpis], ignore_index=True)
    if not parameters or data.empty:
        return None
    kpis = [k for k in kpis if (data.kpi == k).any()]
    labels = sweep_labels_of(batch_meta, parameters)
    shown = data.rename(columns=labels)
    names = [labels.get(p, p) for p in parameters]
    if len(parameters) == 1:
        return _lines(shown, names[0], kpis), data
    return _heatmaps(shown, names, kpis), data


def _scale(kpi: str) -> tuple[float, str]:
    """Money in millions of Rupiah, everything else as registered."""
    unit = unit_of(kpi)
    return (1e6, _("Rp million/yr")) if unit.startswith("Rp") else (1.0, _(unit))


def _title(data: pd.DataFrame, kpi: str) -> str:
    """The KPI's label, or "Change in …" when the values are differences to the baseline."""
    if data[data.kpi == kpi].change.any():
        return _("Change in {kpi} against the baseline").format(kpi=kpi_title(kpi).lower())
    return kpi_title(kpi)


def sweep_labels_of(batch_meta: dict, parameters: list[str]) -> dict[str, str]:
    """The batch's own short label per swept key (its sweep scenarios are named ``label=value,...``
    in the parameters' order), else the key."""
    sweep = next((s for s in batch_meta.get("scenarios", []) if s.get("role") == "sweep"), None)
    parts = str(sweep["name"]).split(",") if sweep else []
    if len(parts) != len(parameters):
        return {}
    return {key: part.split("=", 1)[0] for key, part in zip(parameters, parts, strict=True) if "=" in part}


def _lines(data: pd.DataFrame, parameter: str, kpis: list[str]) -> Figure:
    figure, axes = new_figure(5 * len(kpis), 4, columns=len(kpis), squeeze=False)
    for axis, kpi in zip(axes[0], kpis, strict=True):
        divisor, unit = _scale(kpi)
        rows = data[data.kpi == kpi].sort_values(parameter)
        axis.plot(rows[parameter], rows["mean"] / divisor, marker="o", color=OPTION_COLOUR)
        axis.fill_between(rows[parameter], rows.ci95_low / divisor, rows.ci95_high / divisor,
                          color=OPTION_COLOUR, alpha=0.2)
        axis.set_xlabel(parameter)
        axis.set_ylabel(wrapped(f"{_title(data, kpi)} [{unit}]", 36))
        axis.grid(alpha=0.3)
    figure.suptitle(_("Mean with its 95% CI band"), fontsize=9)
    return figure


def _ink(value: float, low: float, high: float, diverging: bool) -> str:
    """White on the dark end of the colour map, black elsewhere."""
    if diverging:
        return "white" if abs(value) > 0.6 * high else "black"
    return "white" if value < (low + high) / 2 else "black"


def _heatmaps(data: pd.DataFrame, parameters: list[str], kpis: list[str]) -> Figure:
    """One row of heatmaps per KPI over the first two parameters; one column per combination of the
    rest. Each cell: the mean, and under it the half-width of its 95% CI."""
    x, y, rest = parameters[0], parameters[1], parameters[2:]
    panels = list(data[rest].drop_duplicates().itertuples(index=False, name=None)) if rest else [None]
    figure, axes = new_figure(0.8 + 3.6 * len(panels), 0.6 + 3.2 * len(kpis), rows=len(kpis),
                              columns=len(panels), squeeze=False)
    for row, kpi in enumerate(kpis):
        divisor, unit = _scale(kpi)
        values = data[data.kpi == kpi]
        values = values.assign(half=(values.ci95_high - values.ci95_low) / 2 / divisor,
                               shown=values["mean"] / divisor)
        low, high = values.shown.min(), values.shown.max()
        if values.change.any():  # differences: white at zero, red for a loss, blue for a gain
            high = max(abs(low), abs(high), 1e-9)
            low = -high
        image = None
        for axis, panel in zip(axes[row], panels, strict=True):
            rows_of = values if panel is None else values[(values[rest] == list(panel)).all(axis=1)]
            grid = rows_of.pivot_table(index=y, columns=x, values="shown")
            half = rows_of.pivot_table(index=y, columns=x, values="half")
            colours = "RdBu" if values.change.any() else "viridis"
            image = axis.imshow(grid.to_numpy(), origin="lower", aspect="auto", cmap=colours,
                                vmin=low, vmax=high)
            axis.set_xticks(range(grid.shape[1]), [decimal(v) for v in grid.columns])
            axis.set_yticks(range(grid.shape[0]), [decimal(v) for v in grid.index])
            for (i, j), value in np.ndenumerate(grid.to_numpy()):
                axis.text(j, i, f"{number(value, 0)}\n±{number(half.iat[i, j], 0)}", ha="center", va="center",
                          fontsize=7, color=_ink(value, low, high, values.change.any()))
            axis.set_xlabel(x, fontsize=8)
            axis.set_ylabel(y, fontsize=8)
            if panel is not None:
                where = ", ".join(f"{k}={decimal(v)}" for k, v in zip(rest, panel, strict=True))
                axis.set_title(where, fontsize=8)
        figure.colorbar(image, ax=axes[row], label=wrapped(f"{_title(data, kpi)} [{unit}]", 30), shrink=0.8)
    figure.suptitle(_("Each cell: the mean and ± the half-width of its 95% CI"), fontsize=9)
    return figure
