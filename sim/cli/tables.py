"""Tables printed on the terminal: a run's headline KPIs, a batch's comparison with the baseline."""

from __future__ import annotations

import math

import pandas as pd
from rich.console import Console
from rich.table import Table

from sim.compare import Comparison
from sim.kpis import is_headline, label_of, unit_of

SCALED_COLUMNS = ["mean", "diff", "diff_ci95_low", "diff_ci95_high"]


def print_summary(summary: pd.DataFrame, title: str) -> None:
    """Print the headline KPIs of a summary table."""
    table = Table(title=title)
    for column in ("KPI", "unit", "mean", "95% CI", "n"):
        table.add_column(column, justify="left" if column in ("KPI", "unit") else "right")
    shown = summary[summary.kpi.map(is_headline)]
    for row in shown.itertuples():
        table.add_row(row.kpi, row.unit, fmt(row.mean), interval(row.ci95_low, row.ci95_high), str(row.n))
    Console(width=120).print(table)


def print_decision(comparison: Comparison) -> None:
    """The answer first, in plain sentences wrapped to the terminal: one per option."""
    from sim.decision import options, sentence

    found = options(comparison)
    if not found:
        return
    console = Console()
    console.print("[bold]The answer[/bold] (each option against the baseline, 95 % CIs):", highlight=False)
    for option in found:
        console.print(f"- {sentence(option)}", highlight=False, markup=False)
    console.print()


def print_comparison(comparison: Comparison, kpis: list[str], title: str) -> None:
    """Scenarios ranked by the first KPI: each KPI's mean and difference to the baseline, bottleneck."""
    paired = comparison.results.paired
    caption = ("Δ = paired difference to the baseline (common random numbers)" if paired else
               "Δ = difference to the baseline, unpaired Welch CI (runs differ in seed or length)")
    table = Table(title=title, caption=caption + "; * = its 95% CI excludes 0")
    names = list(comparison.ranked(kpis[0]).scenario)
    longest = max((len(name) for name in names), default=8)
    table.add_column("#", justify="right", min_width=2, no_wrap=True)
    table.add_column("scenario", no_wrap=True, min_width=min(longest, 60))
    for kpi in kpis:
        label = column_label(kpi)
        table.add_column(label, justify="right", no_wrap=True, min_width=max(map(len, label.splitlines())))
        table.add_column("Δ [95% CI]", justify="right", no_wrap=True)
    table.add_column("bottleneck", no_wrap=True)
    wide = comparison.table.set_index(["scenario", "kpi"])
    for rank, scenario in enumerate(names, start=1):
        baseline = scenario == comparison.baseline
        cells = [str(rank), f"{scenario} (baseline)" if baseline and "baseline" not in scenario else scenario]
        for kpi in kpis:
            row = wide.loc[(scenario, kpi)].copy() if (scenario, kpi) in wide.index else None
            cells += ["", ""] if row is None else _kpi_cells(row, kpi, baseline)
        cells.append(comparison.bottleneck_label(scenario))
        table.add_row(*cells)
    Console(width=max(150, longest + 45 * len(kpis) + 30)).print(table)


def column_label(kpi: str) -> str:
    """The KPI's planner label over its unit (Rupiah shown in millions): two short lines."""
    unit = unit_of(kpi).replace("Rp/yr", "Rp m/yr") if _divisor(kpi) != 1 else unit_of(kpi)
    return f"{label_of(kpi)}\n{unit}".strip()


def _divisor(kpi: str) -> float:
    return 1e6 if unit_of(kpi).startswith("Rp") else 1


def _kpi_cells(row: pd.Series, kpi: str, baseline: bool) -> list[str]:
    row[SCALED_COLUMNS] = row[SCALED_COLUMNS].astype(float) / _divisor(kpi)
    return [fmt(row["mean"]), "" if baseline else difference(row)]


def difference(row: pd.Series) -> str:
    """``+52.1 [40.3 .. 63.9] *`` for a comparison row, to the precision of the KPI's mean."""
    scale = abs(row["mean"])
    star = " *" if row["significant"] else ""
    low, high = row["diff_ci95_low"], row["diff_ci95_high"]
    spread = "-" if math.isnan(low) else f"{fmt(low, scale=scale)} .. {fmt(high, scale=scale)}"
    return f"{fmt(row['diff'], signed=True, scale=scale)} [{spread}]{star}"


def interval(low: float, high: float) -> str:
    """``low .. high``, or ``-`` when there is no interval (one replication)."""
    return "-" if math.isnan(low) else f"{fmt(low)} .. {fmt(high)}"


def fmt(value: float, signed: bool = False, scale: float | None = None) -> str:
    """A number with as many digits as a reader needs; ``scale`` sets them for a difference."""
    sign = "+" if signed else ""
    size = abs(value) if scale is None else scale
    if size >= 1000:
        return f"{value:{sign},.0f}"
    if size >= 1:
        return f"{value:{sign},.1f}"
    return f"{value:{sign}.3g}" if scale is None else f"{value:{sign}.3f}"
