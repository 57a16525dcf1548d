"""Which family to use, and how sure: AIC ranks, the tests of fit veto, few values fall back.

AIC weights (Burnham and Anderson 2002) say how much more likely each family is than the others
given the values; two families less than 2 AIC apart are equally supported ("AIC-equivalent"), and
then either serves. A family a test of fit rejects (:mod:`~slagsim.fitting.goodness`) is not
recommended whatever its AIC: AIC only compares the families offered, and the best of several
wrong ones is still wrong. How sure the choice is, is its AIC weight among the families the tests
keep (a rejected family is no rival): 0.9 or more clear, 0.6 or more probable, below that uncertain. When
every family is rejected, or with fewer than 30 values (too few for the tests and AIC to tell the
families apart: a lognormal and a normal of 20 values look alike), the measured values themselves
are recommended (``empirical``), with the fitted triangle as the alternative when values beyond
the measured ones can happen.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from slagsim.fitting.families import BY_NAME, EMPIRICAL, FAMILIES, Fit, empirical_spec, fit_all
from slagsim.fitting.goodness import RESAMPLES, Goodness, goodness

MIN_VALUES_FOR_FAMILIES = 30
EQUIVALENT_AIC = 2.0  # AIC differences below this: equally supported
CLEAR_WEIGHT, PROBABLE_WEIGHT = 0.9, 0.6


@dataclass(frozen=True)
class Ranked:
    """A fitted family with its tests of fit and its place among the others by AIC."""

    fit: Fit
    goodness: Goodness
    delta_aic: float
    weight: float  # AIC weight: the probability the family is the best of those offered

    @property
    def family(self) -> str:
        return self.fit.family


@dataclass(frozen=True)
class Recommendation:
    """The family to use, the mapping a scenario gets, and how sure the choice is."""

    family: str
    spec: dict[str, object]
    mean: float
    weight: float | None  # its AIC weight among the families the tests keep (None: the values themselves)
    certainty: str  # "clear", "probable", "uncertain", "few values", "none fits"
    equivalent: tuple[str, ...]  # other families within 2 AIC that the tests do not reject


@dataclass(frozen=True)
class Analysis:
    """Everything a fit found: the families ranked, those left out and why, the recommendation."""

    table: list[Ranked]
    left_out: dict[str, str]
    recommendation: Recommendation

    def row(self, family: str) -> Ranked | None:
        return next((row for row in self.table if row.family == family), None)


def analyse(values: np.ndarray, resolution: float | None = None, resamples: int = RESAMPLES,
            seed: int = 1) -> Analysis:
    """Fit every family to ``values``, test each fit and recommend one. Each family's bootstrap
    draws from its own stream of ``seed``, so its p-values do not depend on which other families
    could be fitted. The solvers' warnings (a log of 0 while they search) are silenced: what they
    return is checked, and a planner's terminal is no place for scipy's RuntimeWarning lines."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        fits, left_out = fit_all(values)
        position = {family.name: index for index, family in enumerate(FAMILIES)}
        tests = {f.family: goodness(BY_NAME[f.family], f, values,
                                    np.random.default_rng([seed, position[f.family]]),
                                    resamples, resolution)
                 for f in fits}
    table = ranked(fits, tests)
    return Analysis(table, left_out, recommend(table, values))


def ranked(fits: list[Fit], goodness: dict[str, Goodness]) -> list[Ranked]:
    """The fits ordered by AIC, each with its difference to the best and its AIC weight."""
    if not fits:  # every family left out: the measured values themselves are recommended
        return []
    ordered = sorted(fits, key=lambda f: f.aic)
    best = ordered[0].aic
    likelihoods = np.array([math.exp(-(f.aic - best) / 2) for f in ordered])
    weights = likelihoods / likelihoods.sum()
    return [Ranked(f, goodness[f.family], f.aic - best, float(w))
            for f, w in zip(ordered, weights, strict=True)]


def recommend(table: list[Ranked], values: np.ndarray) -> Recommendation:
    """The recommended family (see the module's docstring for the rules)."""
    n = len(values)
    if n < MIN_VALUES_FOR_FAMILIES:
        return _measured(values, "few values")
    kept = [row for row in table if not row.goodness.rejected]
    if not kept:
        return _measured(values, "none fits")
    best = kept[0]
    weight = 1 / sum(math.exp(-(row.fit.aic - best.fit.aic) / 2) for row in kept)
    equivalent = tuple(row.family for row in kept[1:] if row.fit.aic - best.fit.aic < EQUIVALENT_AIC)
    certainty = ("clear" if weight >= CLEAR_WEIGHT else "probable" if weight >= PROBABLE_WEIGHT
                 else "uncertain")
    return Recommendation(best.family, best.fit.spec, best.fit.mean, weight, certainty, equivalent)


def _measured(values: np.ndarray, certainty: str) -> Recommendation:
    return Recommendation(EMPIRICAL, empirical_spec(values), float(np.mean(values)), None, certainty, ())
