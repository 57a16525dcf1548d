"""The appraisal on the terminal: candidates, the selection statement, bundles, the tornado."""

from __future__ import annotations

import math

import click
from rich.table import Table

from slagsim.appraisal.appraise import Appraisal
from slagsim.appraisal.decision import PAYER_WORDS, who_pays
from slagsim.appraisal.session import AppraisalOutcome
from slagsim.cli.console import table_console
from slagsim.i18n import _, number, percent, rupiah
from slagsim.scenario.plain_keys import plain_key

MILLION = 1e6


def _interval(values: tuple[float, float, float], scale: float = 1.0, digits: int = 1) -> str:
    mean, low, high = (v / scale for v in values)
    if math.isnan(low):
        return number(mean, digits)
    return f"{number(mean, digits)} [{number(low, digits)} .. {number(high, digits)}]"


def _table(title: str, appraisals: list[Appraisal], horizon: int, wide: bool = True,
           payers: dict[str, str] | None = None) -> Table:
    """The candidates, ranked; on a narrow terminal without intervals and the grant-free NPV.
    ``payers``: who pays for each candidate (marked when over that payer's budget)."""
    table = Table(title=title)
    columns = ["#", _("candidate"), _("paid by"), _("price Rp m"), _("extra t/yr"),
               _("extra margin Rp m/yr"),
               _("NPV Rp m"), _("NPV without grant Rp m"), _("median payback yr"),
               _("chance of payback within {years} yr").format(years=horizon)]
    if wide:
        columns[4:7] = [_("{column} [95% CI]").format(column=c) for c in columns[4:7]]
    else:
        del columns[7]
    rows = []
    for rank, a in enumerate(appraisals, start=1):
        payback = _payback_cell(a, horizon)
        chance = percent(a.p_payback[0])
        chance += f" [{percent(a.p_payback[1])} .. {percent(a.p_payback[2])}]" if wide else ""
        cells = [str(rank), a.name, (payers or {}).get(a.name, ""), number(a.price_rp / MILLION, 0),
                 _shown(a.extra_t, 1.0, 1, wide), _shown(a.extra_margin_rp, MILLION, 1, wide),
                 _shown(a.npv_rp, MILLION, 0, wide)]
        cells += [number(a.npv_local_rp / MILLION, 0)] if wide else []
        rows.append([*cells, payback, chance])
    for index, column in enumerate(columns):
        _add_column(table, column, [row[index] for row in rows], named=index == 1)
    for row in rows:
        table.add_row(*row)
    return table


def _payback_cell(a: Appraisal, horizon: int) -> str:
    """The median payback as a cell that never contradicts the chance beside it: "no price" for an
    item that costs nothing up front, "> 10" when some futures pay back but the median does not,
    "never" only when none does."""
    if a.price_rp == 0:
        return _("no price")
    if a.p_payback[0] == 0:
        return _("never")
    if math.isinf(a.median_payback) or a.median_payback > horizon:
        return f"> {horizon}"
    return number(a.median_payback, 1)


def _add_column(table: Table, header: str, cells: list[str], named: bool = False) -> None:
    """A column no narrower than its widest number (headers wrap instead), so a narrow terminal
    never squeezes a rank, a name or a figure away; names fold onto a second line. Nothing is ever
    cut: a cell too wide for a terminal folds (in a file or a pipe none is, the console is wide)."""
    widest = max((len(cell) for cell in cells), default=1)
    if named:
        table.add_column(header, justify="left", overflow="fold", min_width=min(max(widest, 8), 20))
    else:
        table.add_column(header, justify="right", overflow="fold", min_width=max(widest, 2))


def _shown(values: tuple[float, float, float], scale: float, digits: int, wide: bool) -> str:
    return _interval(values, scale, digits) if wide else number(values[0] / scale, digits)


def print_appraisal(outcome: AppraisalOutcome) -> None:
    """Print the appraisal's tables and findings."""
    console = table_console()
    wide = console.width >= 150
    horizon = outcome.settings.horizon_years
    for decision in outcome.decisions:  # the answer first: each payer's money, the grant's first
        console.print(decision.statement(horizon), markup=False, highlight=False)
    title = _("Candidates: {years}-year horizon, discount rate {rate}").format(
        years=horizon, rate=percent(outcome.settings.discount_rate))
    payers = _payers(outcome)
    console.print(_table(title, outcome.singles, horizon, wide, payers))
    click.echo(outcome.selection.statement())
    if outcome.bundles:
        budgets = ", ".join(f"{rupiah(amount)} ({_(PAYER_WORDS[payer])})"
                            for payer, amount in (outcome.settings.budgets or {}).items())
        title = _("Best bundles of each payer's items within its budget: {budgets} ({search})").format(
            budgets=budgets, search=outcome.search_method)
        console.print(_table(title, outcome.bundles[:5], horizon, wide, payers))
    if not outcome.uncertainty.empty:
        console.print(_uncertainty_table(outcome))
    if not outcome.tornado.empty:
        top = outcome.tornado.iloc[0]
        click.echo(_("For {candidate}, the estimate that moves the NPV most is {words} ({key}): from {low} "
                     "at its low value to {high} at its high value.").format(
            candidate=outcome.tornado_candidate, words=plain_key(top.input), key=top.input,
            low=rupiah(top.npv_at_low_rp), high=rupiah(top.npv_at_high_rp)))


def _payers(outcome: AppraisalOutcome) -> dict[str, str]:
    """Each candidate's payer in words, "over the budget" added where its price is."""
    found = {}
    for a in [*outcome.singles, *outcome.bundles]:
        words, over = who_pays(outcome.menu, outcome.settings.budgets, a)
        found[a.name] = _("{payer}, over the budget").format(payer=words) if over else words
    return found


def _uncertainty_table(outcome: AppraisalOutcome) -> Table:
    """NPV and payback chance at the estimates' values beside the same over their ranges."""
    horizon = outcome.settings.horizon_years
    draws = int(outcome.uncertainty.draws.iloc[0])
    table = Table(title=_("How sure, with the estimates drawn from their ranges too ({draws} draws)").format(
        draws=draws))
    columns = (_("rank"), _("candidate"), _("NPV Rp m, estimates fixed"),
               _("NPV Rp m, estimates drawn [95% CI]"), _("NPV 10-90 %"),
               _("chance of payback within {years} yr: fixed / drawn").format(years=horizon),
               _("chance of being the best buy"))
    rows = []
    for row in outcome.uncertainty.itertuples():
        fixed = (row.npv_rp, row.npv_ci95_low, row.npv_ci95_high)
        drawn = (row.npv_with_estimates_rp, row.npv_with_estimates_ci95_low, row.npv_with_estimates_ci95_high)
        low, high = row.npv_with_estimates_p10_rp / MILLION, row.npv_with_estimates_p90_rp / MILLION
        paid = f"{percent(row.p_payback_within_horizon)} / {percent(row.p_payback_with_estimates)}"
        rows.append([str(row.rank), row.candidate, _interval(fixed, MILLION, 0), _interval(drawn, MILLION, 0),
                     f"{number(low, 0)} .. {number(high, 0)}", paid, percent(row.p_best_with_estimates)])
    for index, column in enumerate(columns):
        _add_column(table, column, [row[index] for row in rows], named=index == 1)
    for row in rows:
        table.add_row(*row)
    return table
