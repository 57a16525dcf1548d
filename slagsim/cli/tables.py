"""Tables printed on the terminal: a run's headline KPIs, a batch's comparison with the baseline."""

from __future__ import annotations

import math

import pandas as pd
from rich.console import Console
from rich.table import Table

from slagsim.analysis.bottleneck import translated
from slagsim.analysis.kpis import is_headline, label_of, unit_of
from slagsim.batch.compare import Comparison
from slagsim.cli.console import table_console, unbounded
from slagsim.i18n import _, language, minus, number, percent

SCALED_COLUMNS = ["mean", "diff", "diff_ci95_low", "diff_ci95_high"]


def print_summary(summary: pd.DataFrame, title: str) -> None:
    """Print the headline KPIs of a summary table."""
    table = Table(title=title)
    for column in (_("Measure"), _("Unit"), _("Mean"), _("95 % CI"), _("Replications")):
        table.add_column(column, justify="left" if column in (_("Measure"), _("Unit")) else "right",
                         overflow="fold")
    shown = summary[summary.kpi.map(is_headline)]
    for row in shown.itertuples():
        if row.unit == "share":  # a share reads as a percentage: 24.5 %, not 0.245
            mean, spread = percent(row.mean, 1), f"{percent(row.ci95_low, 1)} .. {percent(row.ci95_high, 1)}"
        else:
            mean, spread = fmt(row.mean), interval(row.ci95_low, row.ci95_high)
        table.add_row(_(label_of(row.kpi)), _(row.unit), mean, spread, str(row.n))
    table_console().print(table)


def print_decision(comparison: Comparison) -> None:
    """The answer first, in plain sentences wrapped to the terminal: one per option."""
    from slagsim.report.decision import options, sentence

    found = options(comparison)
    if not found:
        return
    console = table_console()
    answer, heading = _("The answer"), _("(each option against the baseline, 95 % CIs):")
    console.print(f"[bold]{answer}[/bold] {heading}", highlight=False)
    for option in found:
        console.print(f"- {sentence(option)}", highlight=False, markup=False)
    console.print()


def print_comparison(comparison: Comparison, kpis: list[str], title: str) -> None:
    """Scenarios ranked by the first KPI: each KPI's mean and difference to the baseline, bottleneck.

    The table fits the terminal: on a narrow one the differences lose their intervals (the star
    still says which are significant) and the bottleneck wraps. In a file or a pipe every column
    takes its natural width: names and bottlenecks whole, one line per scenario."""
    paired = comparison.results.paired
    caption = (_("Δ = paired difference to the baseline (common random numbers)") if paired else
               _("Δ = difference to the baseline, unpaired Welch CI (runs differ in seed or length)"))
    names = list(comparison.ranked(kpis[0]).scenario)
    longest = max((len(name) for name in names), default=8)
    console = table_console()
    whole = unbounded(console)
    wide = console.width >= min(longest, 30) + 42 * len(kpis) + 24
    caption += (_("; [95% CI]") if wide else "") + _("; * = its 95% CI excludes 0")
    table = Table(title=title, caption=caption, pad_edge=not tight_width(console))
    table.add_column("#", justify="right", min_width=2, no_wrap=True)
    capped = 10 if tight_width(console) else max(12, min(longest, 30))
    table.add_column(_("Scenario"), overflow="fold", min_width=10, max_width=None if whole else capped)
    for kpi in kpis:
        label = column_label(kpi)
        # narrow: the header wraps between words, never inside one
        fitted = max(map(len, label.splitlines())) if wide else max(6, *map(len, label.split()))
        table.add_column(label, justify="right", no_wrap=wide, min_width=fitted, overflow="fold",
                         max_width=None if wide else max(8, fitted))
        table.add_column(_("Δ [95% CI]") if wide else "Δ", justify="right", no_wrap=True)
    tight = tight_width(console)  # then the bottlenecks follow the table as a sentence
    if not tight:
        table.add_column(_("Bottleneck"), overflow="fold", min_width=8, max_width=None if whole else 16)
    rows = comparison.table.set_index(["scenario", "kpi"])
    for rank, scenario in enumerate(names, start=1):
        baseline = scenario == comparison.baseline
        named = _("{scenario} (baseline)").format(scenario=scenario)
        cells = [str(rank), named if baseline and "baseline" not in scenario else scenario]
        for kpi in kpis:
            row = rows.loc[(scenario, kpi)].copy() if (scenario, kpi) in rows.index else None
            cells += ["", ""] if row is None else _kpi_cells(row, kpi, baseline, wide)
        if not tight:
            cells.append(translated(comparison.bottleneck_label(scenario)))
        table.add_row(*cells)
    console.print(table)
    if tight:
        limits = "; ".join(f"{name}: {translated(comparison.bottleneck_label(name))}" for name in names
                           if comparison.bottleneck_label(name))
        console.print(_("What limits each (its bottleneck): {limits}.").format(limits=limits),
                      highlight=False)


def tight_width(console: Console) -> bool:
    """A terminal too narrow for every column: differences lose their intervals, bottlenecks move
    below the table."""
    return console.width < 90


def column_label(kpi: str) -> str:
    """The KPI's planner label over its unit (Rupiah shown in millions): two short lines."""
    unit = _("Rp m/yr") if unit_of(kpi) == "Rp/yr" else _(unit_of(kpi))
    return f"{_(label_of(kpi))}\n{unit}".strip()


def _divisor(kpi: str) -> float:
    return 1e6 if unit_of(kpi).startswith("Rp") else 1


def _kpi_cells(row: pd.Series, kpi: str, baseline: bool, wide: bool = True) -> list[str]:
    row[SCALED_COLUMNS] = row[SCALED_COLUMNS].astype(float) / _divisor(kpi)
    return [fmt(row["mean"]), "" if baseline else difference(row, wide)]


def difference(row: pd.Series, wide: bool = True) -> str:
    """``+52.1 [40.3 .. 63.9] *`` for a comparison row, to the precision of the KPI's mean
    (``+52.1 *`` where the terminal is narrow)."""
    scale = abs(row["mean"])
    star = " *" if row["significant"] else ""
    if not wide:
        return f"{fmt(row['diff'], signed=True, scale=scale)}{star}"
    low, high = row["diff_ci95_low"], row["diff_ci95_high"]
    spread = "-" if math.isnan(low) else f"{fmt(low, scale=scale)} .. {fmt(high, scale=scale)}"
    return f"{fmt(row['diff'], signed=True, scale=scale)} [{spread}]{star}"


def interval(low: float, high: float) -> str:
    """``low .. high``, or ``-`` when there is no interval (one replication)."""
    return "-" if math.isnan(low) else f"{fmt(low)} .. {fmt(high)}"


def fmt(value: float, signed: bool = False, scale: float | None = None) -> str:
    """A number with as many digits as a reader needs, in the language's format; ``scale`` sets
    them for a difference."""
    sign = minus() if value < 0 else ("+" if signed else "")
    size = abs(value) if scale is None else scale
    if size >= 1:
        return sign + number(abs(value), 0 if size >= 1000 else 1)
    text = f"{abs(value):.3g}" if scale is None else f"{abs(value):.3f}"
    return sign + (text.replace(".", ",") if language() == "id" else text)
