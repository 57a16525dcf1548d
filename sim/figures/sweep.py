"""Sweep figures: a line with its CI band for one parameter, heatmaps for two or more."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim import kpis as K
from sim.figures.common import OPTION_COLOUR, kpi_title, new_figure
from sim.kpis import unit_of


def sweep_points(batch_meta: dict, table: pd.DataFrame, kpi: str) -> pd.DataFrame:
    """One row per sweep point: its parameter values, and the KPI's mean and CI."""
    rows = []
    values = table[table.kpi == kpi].set_index("scenario")
    for scenario in batch_meta.get("scenarios", []):
        if scenario.get("role") != "sweep" or scenario["name"] not in values.index:
            continue
        row = values.loc[scenario["name"]]
        rows.append({**scenario["set"], "scenario": scenario["name"], "mean": row["mean"],
                     "ci95_low": row.ci95_low, "ci95_high": row.ci95_high})
    return pd.DataFrame(rows)


def sweep_figure(batch_meta: dict, table: pd.DataFrame,
                 kpi: str = K.PRODUCT_OUTPUT.name) -> tuple[Figure, pd.DataFrame] | None:
    """The sweep's figure, or None when the batch has no sweep."""
    parameters = batch_meta.get("sweep_parameters", [])
    data = sweep_points(batch_meta, table, kpi)
    if not parameters or data.empty:
        return None
    labels = sweep_labels_of(batch_meta, parameters)
    shown = data.rename(columns=labels)
    names = [labels.get(p, p) for p in parameters]
    if len(parameters) == 1:
        return _line(shown, names[0], kpi), data
    return _heatmaps(shown, names, kpi), data


def sweep_labels_of(batch_meta: dict, parameters: list[str]) -> dict[str, str]:
    """The batch's own short label per swept key (its sweep scenarios are named ``label=value,...``
    in the parameters' order), else the key."""
    sweep = next((s for s in batch_meta.get("scenarios", []) if s.get("role") == "sweep"), None)
    parts = str(sweep["name"]).split(",") if sweep else []
    if len(parts) != len(parameters):
        return {}
    return {key: part.split("=", 1)[0] for key, part in zip(parameters, parts, strict=True) if "=" in part}


def _line(data: pd.DataFrame, parameter: str, kpi: str) -> Figure:
    data = data.sort_values(parameter)
    figure, axes = new_figure(7, 4)
    axes.plot(data[parameter], data["mean"], marker="o", color=OPTION_COLOUR)
    axes.fill_between(data[parameter], data.ci95_low, data.ci95_high, color=OPTION_COLOUR, alpha=0.2)
    axes.set_xlabel(parameter)
    axes.set_ylabel(f"{kpi_title(kpi)} [{unit_of(kpi)}]")
    axes.set_title("Sweep: mean with 95% CI band", fontsize=9)
    axes.grid(alpha=0.3)
    return figure


def _heatmaps(data: pd.DataFrame, parameters: list[str], kpi: str) -> Figure:
    """Heatmap of the KPI over the first two parameters; one panel per combination of the rest."""
    x, y, rest = parameters[0], parameters[1], parameters[2:]
    panels = list(data[rest].drop_duplicates().itertuples(index=False, name=None)) if rest else [None]
    columns = min(len(panels), 3)
    rows = int(np.ceil(len(panels) / columns))
    figure, axes = new_figure(4.2 * columns, 0.8 + 3.4 * rows, rows=rows, columns=columns, squeeze=False)
    low, high = data["mean"].min(), data["mean"].max()
    image = None
    for axis, panel in zip(axes.flat, panels, strict=False):
        rows_of = data if panel is None else data[(data[rest] == list(panel)).all(axis=1)]
        grid = rows_of.pivot_table(index=y, columns=x, values="mean")
        image = axis.imshow(grid.to_numpy(), origin="lower", aspect="auto", cmap="viridis",
                            vmin=low, vmax=high)
        axis.set_xticks(range(grid.shape[1]), [f"{v:g}" for v in grid.columns])
        axis.set_yticks(range(grid.shape[0]), [f"{v:g}" for v in grid.index])
        for (i, j), value in np.ndenumerate(grid.to_numpy()):
            axis.text(j, i, f"{value:,.0f}", ha="center", va="center", fontsize=7, color="white")
        axis.set_xlabel(x, fontsize=8)
        axis.set_ylabel(y, fontsize=8)
        if panel is not None:
            axis.set_title(", ".join(f"{k}={v:g}" for k, v in zip(rest, panel, strict=True)), fontsize=8)
    for axis in list(axes.flat)[len(panels):]:
        axis.set_visible(False)
    figure.colorbar(image, ax=axes, label=f"{kpi_title(kpi)} [{unit_of(kpi)}]", shrink=0.7)
    return figure
