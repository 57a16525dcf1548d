"""Where an option's money comes from: a margin waterfall from the baseline to the option.

Starting from the baseline's gross margin, each bar is the paired mean change of turnover (up when
sales grow) or of one cost line (down when it costs more), ending at the option's margin. It says
*why* an option that makes more tons earns less: which cost line ate the extra sales.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from slagsim.analysis import kpis as K
from slagsim.figures.common import BASELINE_COLOUR, OPTION_COLOUR, new_figure
from slagsim.i18n import N_, _, number, signed
from slagsim.model.vocabulary import Cost

MILLION = 1e6
SHOWN = 6  # cost lines drawn one by one; the rest are summed as "other costs"
GAIN, LOSS = OPTION_COLOUR, "#d73027"
COST_WORDS = {Cost.cement: N_("cement"), Cost.sand: N_("sand"), Cost.flux: N_("flux"),
              Cost.energy: N_("energy"), Cost.running: N_("fuel and consumables"),
              Cost.residue_disposal: N_("residue disposal"), Cost.slag: N_("slag bought"),
              Cost.slag_disposal: N_("slag sent away"),
              Cost.wages: N_("wages"), Cost.cooperative_crew: N_("cooperative crews"),
              Cost.maintenance: N_("maintenance")}


def waterfall_steps(table: pd.DataFrame, baseline: str, option: str) -> pd.DataFrame:
    """The steps from the baseline's margin to the option's: turnover, then each cost line changed
    most, then the rest (Rp/yr, paired mean differences from the comparison table)."""
    rows = table.set_index(["scenario", "kpi"])
    base = rows.loc[(baseline, K.GROSS_MARGIN.name), "mean"]
    end = rows.loc[(option, K.GROSS_MARGIN.name), "mean"]
    steps = [(N_("turnover"), rows.loc[(option, K.TURNOVER.name), "diff"])]
    prefix = K.COST.name.split("<")[0]
    costs = table[(table.scenario == option) & table.kpi.str.startswith(prefix)]
    costs = costs.assign(change=-costs["diff"]).sort_values("change", key=abs, ascending=False)
    steps += [(COST_WORDS.get(kpi.removeprefix(prefix), kpi.removeprefix(prefix).replace("_", " ")), change)
              for kpi, change in zip(costs.kpi[:SHOWN], costs.change[:SHOWN], strict=True)]
    rest = float(costs.change[SHOWN:].sum())
    if abs(rest) > 0:
        steps.append((N_("other costs"), rest))
    data = pd.DataFrame(steps, columns=["step", "change_rp_per_year"])
    return pd.concat([pd.DataFrame([{"step": baseline, "change_rp_per_year": base}]), data,
                      pd.DataFrame([{"step": option, "change_rp_per_year": end}])], ignore_index=True)


def margin_waterfall(table: pd.DataFrame, baseline: str, options: list[str]) -> tuple[Figure, pd.DataFrame]:
    """One waterfall per option (side by side, one scale so panels compare), gross margin in Rp
    million a year, every step labelled with its value."""
    figure, axes = new_figure(4.2 * len(options), 4.6, columns=len(options), sharey=True)
    axes = axes if len(options) > 1 else [axes]
    frames = [waterfall_steps(table, baseline, option).assign(option=option) for option in options]
    levels = [level for steps in frames for level in _levels(steps.change_rp_per_year / MILLION)]
    low, high = min(levels), max(levels)
    pad = max(0.18 * (high - low), 0.02 * abs(high), 1.0)
    for ax, steps in zip(axes, frames, strict=True):
        _draw_steps(ax, steps)
        ax.set_title(_("{option}: from today's margin to the option's").format(option=steps.option.iloc[0]),
                     fontsize=8, wrap=True)
        ax.axhline(0, color="#999999", linewidth=0.6)
        ax.grid(axis="y", alpha=0.3)
    axes[0].set_ylim(max(0.0, low - pad) if low >= 0 else low - pad, high + pad)  # zoomed on the changes
    axes[0].set_ylabel(_("Gross margin [Rp million/yr] (axis zoomed)"))
    return figure, pd.concat(frames, ignore_index=True)


def _levels(values: pd.Series) -> list[float]:
    """The top of every bar: the two margins themselves, and the running level after each step."""
    values = list(values)
    running = [values[0]]
    for change in values[1:-1]:
        running.append(running[-1] + change)
    return [*running, values[-1]]


def _draw_steps(ax: object, steps: pd.DataFrame) -> None:
    """The bars of one waterfall, each with its value written on it."""
    values = list(steps.change_rp_per_year / MILLION)
    level, last = 0.0, len(values) - 1
    for index, value in enumerate(values):
        if index in (0, last):  # the two margins themselves
            ax.bar(index, value, color=BASELINE_COLOUR if index == 0 else OPTION_COLOUR)
            ax.annotate(number(value, 0), (index, value), ha="center", va="bottom", fontsize=7)
            level = value
            continue
        ax.bar(index, value, bottom=level, color=GAIN if value >= 0 else LOSS)
        top = level + max(value, 0.0)
        ax.annotate(signed(value, 1 if abs(value) < 10 else 0), (index, top), ha="center", va="bottom",
                    fontsize=6)
        level += value
    labels = [row.step if index in (0, last) else _(row.step) for index, row in enumerate(steps.itertuples())]
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=7)
