"""Figures about machines: where their time goes, and which firms wait for them."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from slagsim.analysis import kpis as K
from slagsim.figures.common import new_figure
from slagsim.i18n import N_, _, number
from slagsim.results.read import RunResult

STATES = {  # state: (label, colour); shares of calendar time
    "busy": (N_("operating"), "#2b7bba"),
    "setup": (N_("changeover"), "#74add1"),
    "down": (N_("broken down"), "#d73027"),
    "blocked": (N_("blocked (yard full)"), "#fdae61"),
    "starved": (N_("waiting for workers"), "#fee090"),
    "idle": (N_("idle"), "#e0e0e0"),
    "offshift": (N_("off shift"), "#ffffff"),
}
KPI_OF_STATE = {"busy": K.UTILIZATION, "setup": K.SETUP_SHARE, "down": K.DOWN_SHARE,
                "blocked": K.BLOCKED_SHARE, "starved": K.STARVED_SHARE, "idle": K.IDLE_SHARE}


def machine_states(runs: list[RunResult]) -> pd.DataFrame:
    """Share of calendar time per state, per scenario and machine type (rows sum to 1)."""
    rows = []
    for run in runs:
        means = run.means()
        machines = sorted(K.UTILIZATION.part(k) for k in means if K.UTILIZATION.matches(k))
        for machine in machines:
            open_share = 1.0 - means.get(K.OFFSHIFT_SHARE.key(machine), 0.0)
            row = {"scenario": run.name, "machine": machine, "offshift": 1.0 - open_share}
            for state, kpi in KPI_OF_STATE.items():
                row[state] = means.get(kpi.key(machine), 0.0) * open_share
            rows.append(row)
    return pd.DataFrame(rows, columns=["scenario", "machine", *STATES])


def utilization_states(runs: list[RunResult]) -> tuple[Figure, pd.DataFrame]:
    """Stacked bars of each machine type's working time by state, one bar per scenario.

    Bars show shares of the working hours (off-shift time, three quarters of the calendar on one
    shift, would otherwise fill every bar); the data keeps calendar shares with the off-shift one.
    The figure stays a readable height however many scenarios there are."""
    data = machine_states(runs)
    machines = list(dict.fromkeys(data.machine))
    height = min(14.0, 1.2 + len(machines) * (0.35 + 0.16 * max(1, len(runs))))
    figure, axes = new_figure(9, height, rows=len(machines), squeeze=False, sharex=True)
    working = [state for state in STATES if state != "offshift"]
    for axis, machine in zip(axes[:, 0], machines, strict=True):
        rows = data[data.machine == machine]
        open_share = (1.0 - rows["offshift"]).replace(0.0, 1.0).to_numpy()
        left = np.zeros(len(rows))
        for state in working:
            label, colour = STATES[state]
            share = rows[state].to_numpy() / open_share
            axis.barh(rows.scenario, share, left=left, color=colour, edgecolor="#999999", linewidth=0.3,
                      label=_(label))
            left += share
        axis.set_title(machine, fontsize=8, loc="left")
        axis.tick_params(axis="y", labelsize=6 if len(runs) > 6 else 7)
    axes[0, 0].legend(fontsize=7, ncol=3, loc="lower left", bbox_to_anchor=(0, 1.15))
    axes[-1, 0].set_xlabel(_("Share of working hours (all units of the machine type; off-shift time "
                             "left out)"))
    axes[-1, 0].set_xlim(0, 1)
    return figure, data


def firm_waits(run: RunResult) -> pd.DataFrame:
    """Mean wait in hours per job, firm x machine, for machines where anyone waited."""
    means = run.means()
    rows = []
    for kpi, value in means.items():
        if K.FIRM_WAIT.matches(kpi):
            machine, firm = K.FIRM_WAIT.parts(kpi)
            rows.append({"firm": firm, "machine": machine, "wait_h": value})
    data = pd.DataFrame(rows, columns=["firm", "machine", "wait_h"])
    table = data.pivot(index="firm", columns="machine", values="wait_h").fillna(0.0)
    return table.loc[:, table.max() > 0]


def wait_heatmap(runs: list[RunResult], baseline: str | None = None) -> tuple[Figure, pd.DataFrame]:
    """Who waits: scenarios down, machines across; each cell the mean wait per job over the firms
    and the range from the firm waiting least to the one waiting most.

    Colour is relative within each machine (its longest wait is darkest), so a machine with short
    queues still shows which option relieves it; the numbers carry the hours."""
    tables = {run.name: firm_waits(run) for run in runs}
    frames = {name: t.stack() for name, t in tables.items() if not t.empty}
    if not frames:
        return _no_waits(), pd.DataFrame(columns=["scenario", "firm", "machine", "wait_h"])
    data = pd.concat(frames, names=["scenario", "firm", "machine"]).rename("wait_h").reset_index()
    by = data.groupby(["scenario", "machine"]).wait_h
    order = sorted((name for name in tables if name in frames), key=lambda name: name != baseline)
    mean, low, high = (frame.unstack("machine").reindex(order) for frame in (by.mean(), by.min(), by.max()))
    shade = mean / mean.max().replace(0.0, 1.0)
    figure, axes = new_figure(1.8 + 1.25 * mean.shape[1], 1.2 + 0.42 * len(order))
    axes.imshow(shade.fillna(0.0).to_numpy(), aspect="auto", cmap="Blues", vmin=0, vmax=1.15)
    for (i, j), value in np.ndenumerate(mean.to_numpy()):
        if not np.isnan(value):
            spread = f"{number(low.iat[i, j], 0)}-{number(high.iat[i, j], 0)}"
            axes.text(j, i, f"{number(value, 1)}\n({spread})", ha="center", va="center", fontsize=7,
                      color="white" if shade.iat[i, j] > 0.7 else "black")
    axes.set_xticks(range(mean.shape[1]), mean.columns, fontsize=8)
    axes.set_yticks(range(len(order)), order, fontsize=8)
    axes.xaxis.tick_top()
    axes.set_title(_("Mean wait per job in hours, over the firms (the firm waiting least - most); darker = "
                     "longer for that machine"), fontsize=8)
    return figure, data


def _no_waits() -> Figure:
    figure, axes = new_figure(5, 1.2)
    axes.axis("off")
    axes.text(0.5, 0.5, _("No firm waited for a machine in any scenario."), ha="center", va="center")
    return figure
