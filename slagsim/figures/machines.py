"""Figures about machines: where their time goes, and which firms wait for them."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from slagsim.analysis import kpis as K
from slagsim.figures.common import new_figure
from slagsim.i18n import N_, _, number, thing
from slagsim.results.read import RunResult
from slagsim.scenario.schema import firm_names

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
        axis.set_title(thing(machine), fontsize=8, loc="left")
        axis.tick_params(axis="y", labelsize=6 if len(runs) > 6 else 7)
    axes[0, 0].legend(fontsize=7, ncol=3, loc="lower left", bbox_to_anchor=(0, 1.15))
    axes[-1, 0].set_xlabel(_("Share of working hours (all units of the machine type; off-shift time "
                             "left out)"))
    axes[-1, 0].set_xlim(0, 1)
    return figure, data


def firm_waits(run: RunResult) -> pd.DataFrame:
    """Mean wait in hours per job, firm (by name) x machine, for machines where anyone waited."""
    means = run.means()
    names = firm_names(run.scenario.get("firms", {}))
    rows = []
    for kpi, value in means.items():
        if K.FIRM_WAIT.matches(kpi):
            machine, firm = K.FIRM_WAIT.parts(kpi)
            rows.append({"firm": names.get(firm, firm), "machine": machine, "wait_h": value})
    data = pd.DataFrame(rows, columns=["firm", "machine", "wait_h"])
    table = data.pivot(index="firm", columns="machine", values="wait_h").fillna(0.0)
    return table.loc[:, table.max() > 0]


def wait_heatmap(runs: list[RunResult], baseline: str | None = None) -> tuple[Figure, pd.DataFrame]:
    """Who waits, firm by firm: one panel per machine, firms (by name) down, scenarios across
    (the baseline first), every cell the firm's mean wait per job in hours.

    One colour scale for every panel, with its bar: 0.3 h looks like 0.3 h beside 185 h, so the
    machine people really wait for stands out, and no firm is hidden in a range."""
    tables = {run.name: firm_waits(run) for run in runs}
    frames = {name: t.stack() for name, t in tables.items() if not t.empty}
    if not frames:
        return _no_waits(), pd.DataFrame(columns=["scenario", "firm", "machine", "wait_h"])
    data = pd.concat(frames, names=["scenario", "firm", "machine"]).rename("wait_h").reset_index()
    order = sorted(frames, key=lambda name: name != baseline)
    machines = list(dict.fromkeys(data.machine))
    firms = sorted(set(data.firm))
    top = float(data.wait_h.max()) or 1.0
    width = 1.6 + len(machines) * (0.9 + 0.42 * len(order))
    figure, axes = new_figure(min(width, 18.0), 1.8 + 0.2 * len(firms), columns=len(machines),
                              squeeze=False, sharey=True)
    for axis, machine in zip(axes[0], machines, strict=True):
        grid = (data[data.machine == machine].pivot(index="firm", columns="scenario", values="wait_h")
                .reindex(index=firms, columns=order))
        image = axis.imshow(grid.to_numpy(), aspect="auto", cmap="Blues", vmin=0, vmax=top)
        _write_hours(axis, grid.to_numpy(), top, small=len(firms) * len(order) > 150)
        axis.set_xticks(range(len(order)), order, rotation=60, ha="right", fontsize=6)
        axis.set_title(thing(machine), fontsize=8)
    axes[0, 0].set_yticks(range(len(firms)), firms, fontsize=6)
    bar = figure.colorbar(image, ax=list(axes[0]), shrink=0.8)
    bar.set_label(_("Mean wait per job [h]"), fontsize=7)
    figure.suptitle(_("Mean wait per job in hours, firm by firm (one colour scale)"), fontsize=9)
    return figure, data


def _write_hours(axis: object, values: np.ndarray, top: float, small: bool) -> None:
    """Each cell's hours, white on the dark cells."""
    for (i, j), value in np.ndenumerate(values):
        if not np.isnan(value):
            axis.text(j, i, number(value, 0 if value >= 10 else 1), ha="center", va="center",
                      fontsize=4 if small else 6, color="white" if value > 0.6 * top else "black")


def _no_waits() -> Figure:
    figure, axes = new_figure(5, 1.2)
    axes.axis("off")
    axes.text(0.5, 0.5, _("No firm waited for a machine in any scenario."), ha="center", va="center")
    return figure
