"""The appraisal on the terminal: candidates, the selection statement, bundles, the tornado."""

from __future__ import annotations

import math

import click
from rich.console import Console
from rich.table import Table

from sim.appraisal.appraise import Appraisal
from sim.appraisal.session import AppraisalOutcome

MILLION = 1e6


def _interval(values: tuple[float, float, float], scale: float = 1.0, digits: int = 1) -> str:
    mean, low, high = (v / scale for v in values)
    if math.isnan(low):
        return f"{mean:,.{digits}f}"
    return f"{mean:,.{digits}f} [{low:,.{digits}f} .. {high:,.{digits}f}]"


def _table(title: str, appraisals: list[Appraisal], horizon: int, wide: bool = True) -> Table:
    """The candidates, ranked; on a narrow terminal without intervals and the grant-free NPV."""
    table = Table(title=title)
    columns = ["#", "candidate", "price Rp m", "extra t/yr", "extra margin Rp m/yr", "NPV Rp m",
               "NPV local Rp m", "median payback yr", f"P(payback <= {horizon} yr)"]
    if wide:
        columns[3:6] = [f"{c} [95% CI]" for c in columns[3:6]]
    else:
        columns.remove("NPV local Rp m")
    for column in columns:
        table.add_column(column, justify="left" if column == "candidate" else "right",
                         no_wrap=column != "candidate", overflow="fold")
    for rank, a in enumerate(appraisals, start=1):
        payback = "never" if math.isinf(a.median_payback) else f"{a.median_payback:.1f}"
        chance = f"{a.p_payback[0]:.0%}"
        chance += f" [{a.p_payback[1]:.0%} .. {a.p_payback[2]:.0%}]" if wide else ""
        cells = [str(rank), a.name, f"{a.price_rp / MILLION:,.0f}", _shown(a.extra_t, 1.0, 1, wide),
                 _shown(a.extra_margin_rp, MILLION, 1, wide), _shown(a.npv_rp, MILLION, 0, wide)]
        cells += [f"{a.npv_local_rp / MILLION:,.0f}"] if wide else []
        table.add_row(*cells, payback, chance)
    return table


def _shown(values: tuple[float, float, float], scale: float, digits: int, wide: bool) -> str:
    return _interval(values, scale, digits) if wide else f"{values[0] / scale:,.{digits}f}"


def print_appraisal(outcome: AppraisalOutcome) -> None:
    """Print the appraisal's tables and findings."""
    console = Console()
    wide = console.width >= 150
    horizon = outcome.settings.horizon_years
    console.print(_table(f"Candidates: {horizon}-year horizon, discount rate "
                         f"{outcome.settings.discount_rate:.0%}", outcome.singles, horizon, wide))
    click.echo(outcome.selection.statement())
    if outcome.bundles:
        console.print(_table(f"Best bundles within Rp {outcome.settings.budget_rp / MILLION:,.0f} m "
                             f"({outcome.search_method})", outcome.bundles[:5], horizon, wide))
    if not outcome.uncertainty.empty:
        console.print(_uncertainty_table(outcome))
    if not outcome.tornado.empty:
        top = outcome.tornado.iloc[0]
        click.echo(f"Tornado for {outcome.tornado_candidate}: {top.input} moves its NPV most "
                   f"(Rp {top.npv_at_low_rp / MILLION:,.0f} m to {top.npv_at_high_rp / MILLION:,.0f} m).")


def _uncertainty_table(outcome: AppraisalOutcome) -> Table:
    """NPV and payback chance at the estimates' values beside the same over their ranges."""
    horizon = outcome.settings.horizon_years
    draws = int(outcome.uncertainty.draws.iloc[0])
    table = Table(title=f"How sure, with the estimates drawn from their ranges too ({draws} draws)")
    for column in ("rank", "candidate", "NPV Rp m, estimates fixed", "NPV Rp m, estimates drawn [95% CI]",
                   "NPV 10-90 %", f"P(payback <= {horizon} yr): fixed / drawn", "P(best buy)"):
        table.add_column(column, justify="left" if column == "candidate" else "right", no_wrap=True)
    for row in outcome.uncertainty.itertuples():
        fixed = (row.npv_rp, row.npv_ci95_low, row.npv_ci95_high)
        drawn = (row.npv_with_estimates_rp, row.npv_with_estimates_ci95_low, row.npv_with_estimates_ci95_high)
        low, high = row.npv_with_estimates_p10_rp / MILLION, row.npv_with_estimates_p90_rp / MILLION
        paid = f"{row.p_payback_within_horizon:.0%} / {row.p_payback_with_estimates:.0%}"
        table.add_row(str(row.rank), row.candidate, _interval(fixed, MILLION, 0),
                      _interval(drawn, MILLION, 0), f"{low:,.0f} .. {high:,.0f}", paid,
                      f"{row.p_best_with_estimates:.0%}")
    return table
