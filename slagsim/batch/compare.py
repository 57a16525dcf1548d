"""Compare scenarios from their result folders: the table, the bottlenecks, the figures.

``slagsim compare`` and the end of ``slagsim batch`` both use :func:`compare_results` and
:func:`write_comparison`, so a batch's printed table and a later ``compare`` agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from slagsim.analysis.bottleneck import Bottleneck, find_bottleneck
from slagsim.analysis.kpis import DEFAULT_RANKING, suggestions
from slagsim.analysis.paired import comparison_table, ranked
from slagsim.errors import ScenarioError
from slagsim.figures.catalogue import make_figures, save_plots
from slagsim.results.files import write_csv
from slagsim.results.read import ResultSet

DEFAULT_KPIS = tuple(kpi.name for kpi in DEFAULT_RANKING)
BATCH_FIGURES = ("throughput", "gain")  # drawn at the end of every batch; `report` draws them all


@dataclass
class Comparison:
    """Scenarios against a baseline: the full table and each scenario's bottleneck."""

    results: ResultSet
    table: pd.DataFrame
    bottlenecks: dict[str, Bottleneck | None]

    @property
    def baseline(self) -> str:
        return self.results.baseline

    def ranked(self, kpi: str) -> pd.DataFrame:
        """One KPI, best first, with each scenario's bottleneck."""
        rows = ranked(self.table, kpi)
        return rows.assign(bottleneck=[self.bottleneck_label(name) for name in rows.scenario])

    def bottleneck_label(self, scenario: str) -> str:
        found = self.bottlenecks.get(scenario)
        return found.label if found else ""

    def bottleneck_table(self) -> pd.DataFrame:
        """Per scenario: the bottleneck, the line it was found on, its share, and the evidence."""
        rows = []
        for name, found in self.bottlenecks.items():
            if found is None:
                continue
            per_line = {f"{c.line}_line": f"{c.reason} ({c.share:.0%})" for c in found.lines}
            rows.append({"scenario": name, "bottleneck": found.label, "kind": found.kind,
                         "near_tie_with": found.tied_with,
                         "line": found.line, "share": found.share, **per_line,
                         "longest_active_machine": found.longest_active_machine,
                         "longest_active_period_h": found.longest_active_period_h,
                         "evidence": found.explanation(), "each_line": found.per_line()})
        return pd.DataFrame(rows)


def compare_results(results: ResultSet) -> Comparison:
    """The comparison table (paired when every run shares seed and length) and bottlenecks."""
    tables = {run.name: run.kpi_table() for run in results.runs}
    table = comparison_table(tables, results.baseline, paired=results.paired)
    bottlenecks = {run.name: find_bottleneck(run.means(), tables[run.name].values()) for run in results.runs}
    return Comparison(results, table, bottlenecks)


def check_kpis(comparison: Comparison, kpis: list[str]) -> None:
    """Raise a ScenarioError for a KPI name the results do not have, with the closest ones."""
    known = sorted(set(comparison.table.kpi))
    for kpi in kpis:
        if kpi not in known:
            close = suggestions(kpi, known)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise ScenarioError(f"unknown KPI {kpi!r}{hint}", file="--kpi")


def write_comparison(comparison: Comparison, out: Path, kpis: list[str],
                     figures: tuple[str, ...] | None = None) -> list:
    """Write comparison.csv, ranked.csv, bottlenecks.csv and figures/ under ``out``.

    ``figures`` names the figures to draw (see slagsim.figures.catalogue); None draws every one.
    """
    out = Path(out)
    write_csv(comparison.table, out / "comparison.csv")
    ranked_rows = pd.concat([comparison.ranked(kpi) for kpi in kpis], ignore_index=True)
    write_csv(ranked_rows, out / "ranked.csv")
    write_csv(comparison.bottleneck_table(), out / "bottlenecks.csv")
    plots = make_figures(comparison.results, comparison.table, kpis[0], only=figures)
    return save_plots(plots, out / "figures")
