"""Figures about machines: where their time goes, and which firms wait for them."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim import kpis as K
from sim.figures.common import new_figure
from sim.results.read import RunResult

STATES = {  # state: (label, colour); shares of calendar time
    "busy": ("operating", "#2b7bba"),
    "setup": ("changeover", "#74add1"),
    "down": ("broken down", "#d73027"),
    "blocked": ("blocked (yard full)", "#fdae61"),
    "starved": ("waiting for workers", "#fee090"),
    "idle": ("idle", "#e0e0e0"),
    "offshift": ("off shift", "#ffffff"),
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
                      label=label)
            left += share
        axis.set_title(machine, fontsize=8, loc="left")
        axis.tick_params(axis="y", labelsize=6 if len(runs) > 6 else 7)
    axes[0, 0].legend(fontsize=7, ncol=3, loc="lower left", bbox_to_anchor=(0, 1.15))
    axes[-1, 0].set_xlabel("Share of working hours (all units of the machine type; off-shift time left out)")
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


def wait_heatmap(runs: list[RunResult]) -> tuple[Figure, pd.DataFrame]:
    """Who waits: mean wait per job at each machine for each firm, one panel per scenario."""
    tables = {run.name: firm_waits(run) for run in runs}
    tables = {name: t for name, t in tables.items() if not t.empty}
    count = max(1, len(tables))
    columns = min(count, 3)
    rows = int(np.ceil(count / columns))
    figure, axes = new_figure(4 * columns, 1 + 4 * rows, rows=rows, columns=columns, squeeze=False)
    top = max((t.to_numpy().max() for t in tables.values()), default=1.0)
    image = None
    for axis, (name, table) in zip(axes.flat, tables.items(), strict=False):
        image = axis.imshow(table.to_numpy(), aspect="auto", cmap="viridis", vmin=0, vmax=top)
        axis.set_xticks(range(table.shape[1]), table.columns, rotation=45, ha="right", fontsize=7)
        axis.set_yticks(range(table.shape[0]), table.index, fontsize=6)
        axis.set_title(name, fontsize=8)
        axis.set_ylabel("firm", fontsize=7)
    for axis in list(axes.flat)[len(tables):]:
        axis.set_visible(False)
    if image is not None:
        figure.colorbar(image, ax=axes, label="mean wait per job [h]", shrink=0.6)
    data = pd.concat({name: t.stack() for name, t in tables.items()}, names=["scenario", "firm", "machine"])
    return figure, data.rename("wait_h").reset_index() if len(data) else pd.DataFrame(
        columns=["scenario", "firm", "machine", "wait_h"])
