"""Figures over simulated time: cumulative output, output per year, B3 store and curing yard."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from slagsim.figures.common import BASELINE_COLOUR, new_figure
from slagsim.i18n import _, decimal
from slagsim.results.read import RunResult

BAND = (0.1, 0.9)  # the band drawn around the median: 10th to 90th percentile of replications


def _bands(runs: list[RunResult], column: str) -> pd.DataFrame:
    """Per scenario and day: median and the 10-90 % band of ``column`` across replications."""
    frames = []
    for run in runs:
        if run.series.empty:
            continue
        grouped = run.series.groupby("day")[column]
        frames.append(pd.DataFrame({
            "scenario": run.name, "day": grouped.median().index,
            "median": grouped.median().to_numpy(), "low": grouped.quantile(BAND[0]).to_numpy(),
            "high": grouped.quantile(BAND[1]).to_numpy()}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["scenario", "day", "median", "low", "high"])


BANDED = 2  # scenarios drawn with their band: the baseline and the one ending highest; the rest as lines


def _draw_bands(axes, data: pd.DataFrame, baseline: str) -> None:
    """Median lines for every scenario; the 10-90 % band only for the baseline and the scenario that
    ends highest, so seven overlapping bands never hide each other."""
    ends = data.sort_values("day").groupby("scenario")["median"].last()
    others = ends.drop(baseline, errors="ignore").sort_values(ascending=False)
    banded = {baseline, *others.index[: BANDED - 1]}
    for name, rows in data.groupby("scenario", sort=False):
        style = {"color": BASELINE_COLOUR, "linewidth": 2} if name == baseline else {"linewidth": 1.2}
        line, = axes.plot(rows.day, rows["median"], label=name, **style)
        if name in banded:
            axes.fill_between(rows.day, rows.low, rows.high, color=line.get_color(), alpha=0.15)


def cumulative_output(runs: list[RunResult], baseline: str) -> tuple[Figure, pd.DataFrame]:
    """Cumulative product output after the warm-up: median line and 10-90 % band per scenario."""
    data = _bands(runs, "output_t")
    figure, axes = new_figure(8, 4.5)
    _draw_bands(axes, data, baseline)
    _label(axes, _("Simulated days after the warm-up"), _("Cumulative product output [t]"),
           _("Cumulative output: medians; 10-90% band for the baseline and the highest"))
    return figure, data


def _label(axes, xlabel: str, ylabel: str, title: str) -> None:
    """Axis labels, a small title, a legend and a light grid."""
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.set_title(title, fontsize=9)
    axes.legend(fontsize=7, ncol=2)
    axes.grid(alpha=0.3)


def yearly_output(runs: list[RunResult], baseline: str) -> tuple[Figure, pd.DataFrame]:
    """Mean output per simulated year (all products) per scenario, for multi-year runs."""
    rows = []
    for run in runs:
        if run.yearly.empty:
            continue
        per_year = run.yearly.groupby(["replication", "year"]).output_t.sum().groupby("year").mean()
        rows += [{"scenario": run.name, "year": int(y), "output_t": t} for y, t in per_year.items()]
    data = pd.DataFrame(rows, columns=["scenario", "year", "output_t"])
    figure, axes = new_figure(8, 4)
    for name, group in data.groupby("scenario", sort=False):
        style = {"color": BASELINE_COLOUR, "linewidth": 2} if name == baseline else {}
        axes.plot(group.year, group.output_t, marker="o", label=name, **style)
    _label(axes, _("Simulated year"), _("Product output [t/yr], mean over replications"),
           _("Output per simulated year"))
    years = sorted(data.year.unique())
    axes.set_xticks(years, [str(y) for y in years])  # whole years, never 1.2 or 1.4
    if years:
        axes.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    return figure, data


def store_and_yard(runs: list[RunResult], baseline: str) -> tuple[Figure, pd.DataFrame]:
    """B3 store level and curing-yard occupancy over time against their capacities."""
    store, yard = _bands(runs, "b3_store_t"), _bands(runs, "curing_yard_pallets")
    figure, (top, bottom) = new_figure(8, 7, rows=2, sharex=True)
    _draw_bands(top, store, baseline)
    _draw_bands(bottom, yard, baseline)
    for axes, key, label in ((top, ("b3_store", "capacity_t"), _("B3 store capacity")),
                             (bottom, ("curing_yard", "pallets"), _("yard capacity"))):
        for capacity in sorted({run.scenario.get(key[0], {}).get(key[1]) for run in runs} - {None}):
            axes.axhline(capacity, color="#b2182b", linestyle="--", linewidth=1)
            axes.annotate(f"{label} {decimal(capacity)}", (0, capacity), fontsize=7, color="#b2182b",
                          xytext=(2, 2), textcoords="offset points")
        axes.grid(alpha=0.3)
    top.set_ylabel(_("B3 store level [t]"))
    bottom.set_ylabel(_("Curing yard [pallets]"))
    bottom.set_xlabel(_("Simulated days after the warm-up"))
    top.set_title(_("B3 store and curing yard: median and 10-90% band across replications"), fontsize=9)
    top.legend(fontsize=7, ncol=2)
    data = pd.concat([store.assign(measure="b3_store_t"), yard.assign(measure="curing_yard_pallets")],
                     ignore_index=True)
    return figure, data
