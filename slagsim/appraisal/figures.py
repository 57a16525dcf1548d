"""Appraisal figures: cost against extra tons with the efficient frontier, payback spread, tornado."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from slagsim.figures.common import BASELINE_COLOUR, OPTION_COLOUR, new_figure
from slagsim.i18n import _
from slagsim.scenario.plain_keys import plain_key

MILLION = 1e6


def efficient(table: pd.DataFrame) -> pd.Series:
    """True for candidates no other beats on both price (lower or equal) and extra tons (higher)."""
    flags = []
    for row in table.itertuples():
        dominated = ((table.price_rp <= row.price_rp) & (table.extra_t_per_year > row.extra_t_per_year)).any()
        flags.append(not dominated)
    return pd.Series(flags, index=table.index)


def frontier_figure(table: pd.DataFrame, horizon_years: int = 10) -> tuple[Figure, pd.DataFrame]:
    """What each candidate and bundle costs over the horizon (price plus the yearly costs the
    simulation does not count, so a supply contract is not free) against its extra tons and,
    beside it, against its NPV (each with its 95 % CI); the efficient frontier joins the ones
    nothing beats on both cost and tons."""
    yearly = table.yearly_cost_rp if "yearly_cost_rp" in table else 0.0
    data = table.assign(cost_rp=table.price_rp + yearly * horizon_years)
    data = data.assign(efficient=efficient(data.assign(price_rp=data.cost_rp))).sort_values("cost_rp")
    money = "npv_rp" in data and "npv_ci95_low" in data
    figure, panels = new_figure(13 if money else 8, 5, columns=2 if money else 1, squeeze=False)
    tons, npv = panels[0][0], panels[0][-1]
    _cost_against(tons, data, "extra_t_per_year", "extra_t_ci95_low", "extra_t_ci95_high", 1.0, horizon_years)
    frontier = data[data.efficient]
    if len(frontier) > 1:  # a frontier of one point is no line: no legend entry for it
        tons.step(frontier.cost_rp / MILLION, frontier.extra_t_per_year, where="post", color=OPTION_COLOUR,
                  linewidth=1, label=_("efficient frontier"))
        tons.legend(fontsize=7)
    tons.set_ylabel(_("Extra product output [t/yr], 95% CI"))
    tons.set_title(_("What it costs against the tons it adds (blue: on the efficient frontier)"), fontsize=9)
    if money:
        _cost_against(npv, data, "npv_rp", "npv_ci95_low", "npv_ci95_high", MILLION, horizon_years)
        npv.set_ylabel(_("NPV over {years} years [Rp million], 95% CI").format(years=horizon_years))
        npv.set_title(_("What it costs against what it earns back"), fontsize=9)
    return figure, data


def _cost_against(axes: Axes, data: pd.DataFrame, column: str, low: str, high: str, divisor: float,
                  years: int) -> None:
    """One point per candidate: its cost over the horizon across, ``column`` up, with its CI."""
    errors = [(data[column] - data[low]) / divisor, (data[high] - data[column]) / divisor]
    colours = [OPTION_COLOUR if e else "#999999" for e in data.efficient]
    axes.errorbar(data.cost_rp / MILLION, data[column] / divisor, yerr=[e.fillna(0) for e in errors],
                  fmt="none", ecolor="#bbbbbb", capsize=2)
    axes.scatter(data.cost_rp / MILLION, data[column] / divisor, c=colours, zorder=3)
    for row in data.itertuples():
        axes.annotate(row.candidate, (row.cost_rp / MILLION, getattr(row, column) / divisor), fontsize=7,
                      xytext=(3, 3), textcoords="offset points")
    axes.axhline(0, color=BASELINE_COLOUR, linewidth=0.8)
    axes.set_xlabel(_("Price plus {years} years of yearly costs [Rp million]").format(years=years))
    axes.grid(alpha=0.3)


def payback_figure(paybacks: dict[str, list[float]], horizon_years: int) -> tuple[Figure, pd.DataFrame]:
    """Payback time across replications per candidate; never-within-horizon drawn past the horizon."""
    cap = horizon_years * 1.1
    rows = [{"candidate": name, "replication": i, "payback_years": p}
            for name, values in paybacks.items() for i, p in enumerate(values)]
    data = pd.DataFrame(rows, columns=["candidate", "replication", "payback_years"])
    names = list(paybacks)
    figure, axes = new_figure(8, 1.2 + 0.4 * max(1, len(names)))
    for position, name in enumerate(names):
        values = np.array([min(p, cap) for p in paybacks[name]])
        jitter = np.linspace(-0.15, 0.15, len(values)) if len(values) > 1 else np.zeros(1)
        never = np.array([math.isinf(p) for p in paybacks[name]])
        axes.scatter(values[~never], position + jitter[~never], s=10, color=OPTION_COLOUR, alpha=0.7)
        axes.scatter(values[never], position + jitter[never], s=14, color="#d73027", marker="x")
    axes.axvline(horizon_years, color=BASELINE_COLOUR, linestyle="--", linewidth=1)
    axes.set_yticks(range(len(names)), names)
    axes.set_xlim(0, cap * 1.02)
    axes.set_xlabel(_("Payback time [years], one point per replication; red x: not within {years} years")
                    .format(years=horizon_years))
    axes.set_title(_("When does it pay back?"), fontsize=9)
    axes.grid(axis="x", alpha=0.3)
    return figure, data


def tornado_figure(table: pd.DataFrame, candidate: str) -> tuple[Figure, pd.DataFrame]:
    """Bars from NPV at each input's low value to its high value, widest first, around the base NPV."""
    data = table.iloc[::-1]
    figure, axes = new_figure(8, 1.2 + 0.6 * max(1, len(data)))
    base = data.npv_base_rp.iloc[0] / MILLION if len(data) else 0.0
    for position, row in enumerate(data.itertuples()):
        low, high = row.npv_at_low_rp / MILLION, row.npv_at_high_rp / MILLION
        axes.barh(position, low - base, left=base, color="#fdae61",
                  label=_("estimate at its low value") if position == 0 else None)
        axes.barh(position, high - base, left=base, color=OPTION_COLOUR,
                  label=_("estimate at its high value") if position == 0 else None)
    axes.set_yticks(range(len(data)), [f"{plain_key(r.input)}\n{r.input}: {r.low} / {_value(r)} / {r.high}"
                                       for r in data.itertuples()], fontsize=7)
    axes.axvline(base, color=BASELINE_COLOUR, linewidth=1)
    axes.set_xlabel(_("NPV of {candidate} [Rp million]").format(candidate=candidate))
    axes.set_title(_("Which estimates move the NPV most (low / today / high, one at a time)"), fontsize=9,
                   wrap=True)
    axes.legend(fontsize=7)
    axes.grid(axis="x", alpha=0.3)
    return figure, table


def _value(row: object) -> object:
    """Today's value of a tornado input ("?" in a table written before it had one)."""
    value = getattr(row, "value", None)
    return "?" if value is None or value != value else value


def uncertainty_figure(draws: pd.DataFrame, singles: list) -> tuple[Figure, pd.DataFrame]:
    """Each candidate's NPV spread: over the simulation's randomness only (estimates at their values)
    and over the estimates' ranges too; boxes hold the middle half, whiskers 10-90 %."""
    names = list(draws.groupby("candidate").npv_rp.mean().sort_values(ascending=False).index)  # best on top
    usual = {a.name: np.asarray(a.npvs) / MILLION for a in singles}
    figure, axes = new_figure(8, 1.4 + 0.55 * max(1, len(names)))
    for position, name in enumerate(reversed(names)):
        spread = draws[draws.candidate == name].npv_rp.to_numpy() / MILLION
        for offset, values, colour in ((0.18, usual.get(name, np.array([])), "#999999"),
                                       (-0.18, spread, OPTION_COLOUR)):
            if len(values):
                axes.boxplot(values, positions=[position + offset], orientation="horizontal", widths=0.3,
                             whis=(10, 90), showfliers=False, patch_artist=True,
                             boxprops={"facecolor": colour, "alpha": 0.6}, medianprops={"color": "black"})
    axes.set_yticks(range(len(names)), list(reversed(names)))
    axes.axvline(0, color=BASELINE_COLOUR, linewidth=1)
    axes.set_xlabel(_("NPV [Rp million]; grey: estimates at their values; blue: estimates drawn from their "
                      "ranges too"))
    axes.set_title(_("How sure is the NPV? The simulation's randomness, then the estimates' too"), fontsize=9)
    axes.grid(axis="x", alpha=0.3)
    return figure, draws


def cash_figure(candidates: list, horizon_years: int, shown: int = 4) -> tuple[Figure, pd.DataFrame]:
    """Cumulative discounted cash over the years for the first ``shown`` candidates (the decision's
    first): the median with the 10-90 % band of the futures. Where a line crosses zero it has paid
    back with interest; a band straddling zero at the horizon is a gamble, not an investment."""
    chosen = [a for a in candidates if a.cash][:shown]
    rows = [{"candidate": a.name, "year": year, "cash_p10_rp": low, "cash_median_rp": middle,
             "cash_p90_rp": high} for a in chosen for year, low, middle, high in a.cash_band()]
    data = pd.DataFrame(rows, columns=["candidate", "year", "cash_p10_rp", "cash_median_rp", "cash_p90_rp"])
    figure, axes = new_figure(8, 4.5)
    colours = [OPTION_COLOUR, "#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#66a61e"]
    for index, (name, rows_of) in enumerate(data.groupby("candidate", sort=False)):
        colour = colours[index % len(colours)]
        axes.fill_between(rows_of.year, rows_of.cash_p10_rp / MILLION, rows_of.cash_p90_rp / MILLION,
                          color=colour, alpha=0.15, linewidth=0)
        axes.plot(rows_of.year, rows_of.cash_median_rp / MILLION, color=colour, marker="o", markersize=3,
                  label=name)
    axes.axhline(0, color=BASELINE_COLOUR, linewidth=1)
    axes.set_xlim(0, horizon_years)
    axes.set_xlabel(_("Years after the purchase"))
    axes.set_ylabel(_("Cumulative discounted cash [Rp million]"))
    axes.set_title(_("Money over the years: median and the 10-90% band of the futures"), fontsize=9)
    if len(chosen):
        axes.legend(fontsize=7, loc="upper left")
    axes.grid(alpha=0.3)
    return figure, data
