"""Whether the model can make the books at all, and which estimates the books can speak to.

A calibration that always answers is worse than none: books whose paid worker-days are five
times anything the model makes were once "fitted" with every draw equally far from them, and
their noise "pinned down" a machine's purchase price. Two checks come before any estimate is
called learnt.

*Misfit* (a prior-predictive check, Box 1980): every draw sets the estimates somewhere in their
ranges, so the draws' monthly means span what the model makes "whatever the estimates". A
column whose books' mean lies outside the draws' 1-99 % range, widened by a quarter of that
range (so the books' own month-to-month chance, which the draws share, cannot raise the alarm on
its own; for a normal spread that is 3.5 standard deviations), is one the model cannot make. It
is named and left out of the fit: the draws nearest to an impossible figure are not evidence.

*Informed*: an estimate is informed by the books when moving it moves a column they fill. The
measure is its squared rank correlation with the column's mean over the draws, the largest over
the usable columns. The draws form a Latin hypercube, so the estimates are drawn independently of
each other and this is the share of the column's spread across the draws the estimate explains
alone (its first-order share for any monotone effect; Saltelli et al. 2008, ch. 1.2.5). Unlike a
joint regression it needs no more draws than estimates (93 estimates, 60 draws), and unlike a
narrow posterior it cannot be produced by chance alone: an estimate is informed only when its
share is at least :data:`INFORMED_SHARE` *and* beyond what chance gives that many draws for that
many estimate-column pairs (a Bonferroni bound at :data:`FALSE_ALARM`). A purchase price, a
maintenance budget or a machine's kWh never moves a monthly ton, piece or worker-day, so monthly
books can never inform them, however narrow their interval happens to come out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import norm, rankdata

from slagsim.calibration.books import column_words
from slagsim.i18n import N_, _, language, number, rupiah

MISFIT_QUANTILES = (0.01, 0.99)  # the draws' range "whatever the estimates"
MISFIT_SLACK = 0.25  # the range widened by this share of its width on each side
MISFIT_RELATIVE_SLACK = 0.02  # and at least this share of its middle (a column the draws barely move)
INFORMED_SHARE = 0.05  # an estimate explaining under 5 % of every usable column's spread is not informed
FALSE_ALARM = 0.05  # chance that some uninformative estimate passes for informed, over all pairs tested
KILOGRAM_RATIO = (300.0, 3000.0)  # books this many times the model's tons: kilograms written as tons?


@dataclass(frozen=True)
class ColumnCheck:
    """One column the books fill: their figures against the draws' (the prior predictive)."""

    column: str
    books_low: float  # the books' smallest and largest month
    books_high: float
    books_mean: float
    model_low: float  # the draws' months, 1-99 %, over every draw
    model_high: float
    mean_low: float  # the draws' means over the books' months, 1-99 %
    mean_high: float
    misfit: bool

    @property
    def ratio(self) -> float:
        """The books' mean over the middle of the model's means (inf when the model makes none)."""
        middle = 0.5 * (self.mean_low + self.mean_high)
        return self.books_mean / middle if middle > 0 else math.inf


def column_checks(columns: list[str], records: np.ndarray, months: np.ndarray, simulated: np.ndarray,
                  observed: np.ndarray) -> list[ColumnCheck]:
    """Each column the books give a figure for, checked against every draw.

    ``records``: months x columns; ``months``: draws x months x columns; ``simulated``: draws x
    columns (each draw's means over the books' months); ``observed``: the books' means."""
    present = np.isfinite(records)
    checks = []
    for index, column in enumerate(columns):
        means = simulated[:, index]
        if not np.isfinite(observed[index]) or not np.isfinite(means).any():
            continue
        means = means[np.isfinite(means)]
        booked = records[present[:, index], index]
        drawn = months[:, present[:, index], index]
        drawn = drawn[np.isfinite(drawn)]
        low, high = np.quantile(means, MISFIT_QUANTILES)
        slack = max(MISFIT_SLACK * (high - low), MISFIT_RELATIVE_SLACK * abs(0.5 * (low + high)))
        misfit = bool(observed[index] < low - slack or observed[index] > high + slack)
        model_low, model_high = np.quantile(drawn, MISFIT_QUANTILES) if drawn.size else (math.nan, math.nan)
        checks.append(ColumnCheck(column, float(booked.min()), float(booked.max()), float(observed[index]),
                                  float(model_low), float(model_high), float(low), float(high), misfit))
    return checks


def informed_shares(units: np.ndarray, simulated: np.ndarray) -> np.ndarray:
    """Estimates x columns: the squared rank correlation of each estimate's draws with each
    column's means (0 where a column never varies or is missing in some draw)."""
    shares = np.zeros((units.shape[1], simulated.shape[1]))
    if len(units) < 3:
        return shares
    ranked_units = _standardised(np.column_stack([rankdata(u) for u in units.T]))
    for column in range(simulated.shape[1]):
        values = simulated[:, column]
        if not np.all(np.isfinite(values)) or values.std() == 0:
            continue
        ranked = _standardised(rankdata(values)[:, None])[:, 0]
        shares[:, column] = (ranked_units.T @ ranked / len(values)) ** 2
    return shares


def chance_share(draws: int, tests: int) -> float:
    """The share a correlation with no effect behind it stays under, for ``tests`` estimate-column
    pairs at once, with probability 1 - FALSE_ALARM (a rank correlation of independent draws is
    about normal with variance 1 / (draws - 1))."""
    if draws < 3:
        return 1.0
    z = norm.isf(FALSE_ALARM / (2 * max(1, tests)))
    return float(min(1.0, z * z / (draws - 1)))


def informed_threshold(draws: int, estimates: int, columns: int) -> float:
    """The share an estimate must reach on some usable column to count as informed."""
    return max(INFORMED_SHARE, chance_share(draws, estimates * columns))


def _standardised(values: np.ndarray) -> np.ndarray:
    spread = values.std(axis=0)
    return (values - values.mean(axis=0)) / np.where(spread > 0, spread, 1.0)


CAUSES = {  # what differs when a column is out of the model's reach, by the column's kind
    "slag_received_t": N_("the smelters' supply in the model or the books' unit differ"),
    "slag_processed_t": N_("the model's processing or the books' definition differ"),
    "ingot": N_("the model's metal recovery or the books' definition of ingot differ"),
    "turnover_rp": N_("the model's prices and sales or the books' definition of turnover differ"),
    "paid_worker_days": N_("the model's labour or the books' definition differ"),
    "blocks": N_("the model's block making and sales or the books' definition differ"),
}


def misfit_line(check: ColumnCheck, products: list[str]) -> str:
    """One line a planner reads: the column, the books' months, the model's, and what may differ."""
    english, indonesian = column_words(check.column, products)
    words = (indonesian if language() == "id" else english).split(" [")[0]
    kind = check.column if check.column in CAUSES else "ingot" if check.column.startswith("ingot") else (
        "blocks")
    cause = _(CAUSES[kind])
    low, high = KILOGRAM_RATIO
    if check.column.endswith("_t") and low <= check.ratio <= high:
        cause += _("; are the books in kilograms rather than tons?")
    return _("{column}: the books hold {books_low} to {books_high} a month (mean {books_mean}), the model "
             "makes {model_low} to {model_high} (means {mean_low} to {mean_high}) whatever the estimates; "
             "{cause}").format(column=words, books_low=shown(check.column, check.books_low),
                               books_high=shown(check.column, check.books_high),
                               books_mean=shown(check.column, check.books_mean),
                               model_low=shown(check.column, check.model_low),
                               model_high=shown(check.column, check.model_high),
                               mean_low=shown(check.column, check.mean_low),
                               mean_high=shown(check.column, check.mean_high), cause=cause)


def shown(column: str, value: float) -> str:
    """A column's figure as the books would write it: Rupiah in words, others to 3 figures or so."""
    if column.endswith("_rp"):
        return rupiah(value)
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return number(value, digits)
