"""Why the answer is what it is, and what would change it: the two sentences after the headline.

*Why* is the answer's extra year in the books (issue 18's split: sales, materials and energy,
disposal, labour, upkeep, summing to the change in margin), set against what the item costs: its
price and its own yearly costs. *What would change it* comes from the tornado (each estimate at its
low and high value, the rest held): the estimate that turns the NPV's sign, or, for a purchase that
pays but does not fit the budget, the budget it needs. A planner then knows what to measure, or to
ask for, before signing.
"""

from __future__ import annotations

import math

import pandas as pd

from slagsim.analysis.books import extra_books, why_text
from slagsim.appraisal.appraise import Appraisal
from slagsim.appraisal.decision import MORE_THAN_HALF, Decision, p_npv_positive
from slagsim.appraisal.evaluate import KpiTable
from slagsim.i18n import _, rupiah
from slagsim.scenario.plain_keys import plain_key

PER_PIECE_FROM_T = 5.0  # fewer extra tons of blocks a year: a piece's cost is mostly noise, not said


def mean_kpis(table: KpiTable, replications: list[int]) -> dict[str, float]:
    """KPI means over ``replications`` (those the baseline and the candidate share: paired)."""
    names = set().union(*(table[r] for r in replications))
    return {k: math.fsum(table[r].get(k, 0.0) for r in replications) / len(replications) for k in names}


def why(answer: Appraisal, base: KpiTable, mine: KpiTable, blocks: dict[str, dict]) -> str:
    """The answer's extra year in the books, against its price and its yearly costs."""
    common = sorted(set(base) & set(mine))
    if not common:
        return ""
    books = extra_books(mean_kpis(base, common), mean_kpis(mine, common), blocks)
    text = _("Why: {books}").format(books=why_text(books, per_piece=books.made_t >= PER_PIECE_FROM_T))
    if answer.price_rp > 0 or answer.yearly_cost_rp > 0:
        text += _("; against its price of {price} and {yearly} a year of its own costs").format(
            price=rupiah(answer.price_rp), yearly=rupiah(answer.yearly_cost_rp))
    return text + "."


def would_change(decision: Decision, tornado: pd.DataFrame, candidate: str) -> str:
    """What would turn the answer: the budget a paying item needs, else the estimate (from the
    tornado of ``candidate``) whose low or high value turns the NPV's sign, else the estimate that
    moves it most."""
    shown = decision.chosen or decision.nearest
    if shown is None:
        return ""
    if decision.do_nothing and shown.price_rp > decision.budget_rp and p_npv_positive(shown) > MORE_THAN_HALF:
        return _("What would change it: a budget of {price}, the price of {name}.").format(
            price=rupiah(shown.price_rp), name=shown.name)
    if tornado.empty or shown.name != candidate:
        return ""
    base = float(tornado.npv_base_rp.iloc[0])
    ends = [(abs(row.swing_rp), row, end, npv) for row in tornado.itertuples()
            for end, npv in ((row.low, row.npv_at_low_rp), (row.high, row.npv_at_high_rp))]
    turning = [e for e in ends if (e[3] > 0) != (base > 0)]
    if turning:
        _swing, row, end, npv = max(turning, key=lambda e: e[0])
        return _("What would change it: {estimate} ({key}) at {end} instead of {value} would make the NPV of "
                 "{name} {npv}; measure it before deciding.").format(
            estimate=plain_key(row.input), key=row.input, end=end, value=row.value, name=shown.name,
            npv=rupiah(npv))
    swing, row, _end, _npv = max(ends, key=lambda e: e[0])
    if swing < 0.01 * abs(base):
        return _("None of the tornado's estimates moves its NPV by more than 1 %.")
    return _("No estimate in the tornado changes it within its range: the one that moves the NPV most, "
             "{estimate} ({key}), takes it from {low} to {high}.").format(
        estimate=plain_key(row.input), key=row.input, low=rupiah(row.npv_at_low_rp),
        high=rupiah(row.npv_at_high_rp))
