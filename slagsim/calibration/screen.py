"""Which estimates are worth fitting to these books: Morris screening of the columns they fill.

A hundred estimates drawn at once from a few hundred draws spread so thin that almost none is
learnt, and the draws that happen to lie near the books "pin down" estimates the books never
see. So, unless the estimates to fit are named, the calibration first screens every candidate
the way ``slagsim sensitivity`` does (Morris elementary effects, SALib, the same
:mod:`slagsim.analysis.screening`), on the books' own summaries: each column's mean over the
months the books fill. Every point runs on the same random streams (replication 0: common random
numbers), so a price that moves no ton moves nothing at all, and :data:`TRAJECTORIES`
trajectories are enough to rank; the cost is ``TRAJECTORIES x (candidates + 1)`` simulations
of the books' months, shown in the duration estimate and stored under ``parts/screening`` for
``--resume``.

An estimate's effect is its largest mu* over the columns, each as a share of that column's mean
level ("moving it over its range moves slag received by 40 %"), so columns in tons, pieces,
Rupiah and worker-days compare. A column whose books lie beyond twice (or below half) anything the
screening points make ranks nothing: the points share one set of random streams, so their spread
is the estimates' alone, too narrow for the finer misfit check the draws get later
(:mod:`~slagsim.calibration.checks`), but wide enough to see books five times the model's. The
``top`` estimates with an effect are fitted; the rest stay at the scenario's values and are
listed, with why.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from slagsim.analysis import screening
from slagsim.calibration import abc
from slagsim.i18n import _, percent
from slagsim.scenario.factors import Factors
from slagsim.scenario.plain_keys import plain_key

TRAJECTORIES = 2  # Morris trajectories: with common random numbers, enough to rank
DEFAULT_TOP = 6  # estimates fitted when none are named
MIN_EFFECT = 0.01  # an estimate moving no column by 1 % of its level over its range moves nothing
OUT_OF_REACH = 2.0  # books beyond this factor of every point's mean: the column ranks nothing
SCREENING = "screening"  # its stored parts: parts/screening/
TABLE = "screening.csv"


@dataclass(frozen=True)
class Screening:
    """The Morris design over the candidates, and how many of them are to be fitted."""

    candidates: Factors
    problem: screening.Problem
    points: np.ndarray  # rows x candidates, unit values
    top: int
    seed: int

    def scenario(self, point: int):
        return self.candidates.at(self.points[point], f"screen-{point:05d}")


def design(candidates: Factors, top: int, seed: int) -> Screening:
    """Morris trajectories over every candidate on its own (no groups: each is fitted on its own)."""
    keys = tuple(f.key for f in candidates.factors)
    problem = screening.Problem(keys, keys)
    points = screening.morris_design(problem, TRAJECTORIES, seed)
    return Screening(candidates, problem, points, top, seed)


def ranking(screen: Screening, columns: list[str], records: np.ndarray,
            months: dict[int, np.ndarray]) -> pd.DataFrame:
    """Every candidate ranked by the largest share of a usable column's level it moves, the top
    ones marked ``fitted``, each with why (``months``: point -> months x columns as the books)."""
    present = np.isfinite(records)
    stacked = np.stack([months[p] for p in range(len(screen.points))])
    observed = abc.summaries(records, present)
    means = abc.summaries(stacked, present)
    effects = np.zeros((len(screen.candidates.factors), len(columns)))
    for index in range(len(columns)):
        values = means[:, index]
        level = np.nanmean(np.abs(values)) if np.isfinite(values).any() else 0.0
        if not np.isfinite(observed[index]) or not np.all(np.isfinite(values)) or level <= 0 or (
                _out_of_reach(observed[index], values)):
            continue
        table = screening.morris_indices(screen.problem, screen.points, values, screen.seed)
        by_key = dict(zip(table.group, table.mu_star, strict=True))
        effects[:, index] = [by_key[f.key] / level for f in screen.candidates.factors]
    strongest = effects.max(axis=1)
    order = np.lexsort((np.arange(len(strongest)), -strongest))
    chosen = [i for i in order if strongest[i] >= MIN_EFFECT][:screen.top] or [int(order[0])]
    rows = []
    for rank, index in enumerate(order, start=1):
        factor = screen.candidates.factors[index]
        column = columns[int(np.argmax(effects[index]))] if strongest[index] > 0 else ""
        fitted = index in chosen
        rows.append({"rank": rank, "estimate": plain_key(factor.key), "key": factor.key,
                     "range": factor.range_text, "effect": round(float(strongest[index]), 4),
                     "moves_most": column, "fitted": fitted,
                     "why": _why(fitted, float(strongest[index]), column, screen.top)})
    return pd.DataFrame(rows)


def _out_of_reach(books: float, means: np.ndarray) -> bool:
    """The books' mean beyond twice the most, or under half the least, any point makes."""
    return bool(books > OUT_OF_REACH * means.max() or books < means.min() / OUT_OF_REACH)


def _why(fitted: bool, effect: float, column: str, top: int) -> str:
    if fitted:
        return _("among the {top} that move the books' columns most").format(top=top)
    if effect < MIN_EFFECT:
        return _("moves no column the books fill by {least} of its level over its range").format(
            least=percent(MIN_EFFECT))
    return _("moves {column} by {effect} of its level over its range, less than the {top} fitted; name it "
             "with --estimate to fit it").format(column=column, effect=percent(effect), top=top)
