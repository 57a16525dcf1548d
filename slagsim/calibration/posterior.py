"""From the simulated draws to what the books say about each estimate.

The books' columns are checked first (:mod:`~slagsim.calibration.checks`): a column the model
cannot make whatever the estimates is a *misfit* and steers nothing. Of the estimates, only those
whose draws move a usable column (*informed*) take part in the distance and the regression
adjustment (:mod:`~slagsim.calibration.abc`); the others keep their prior, because the books
cannot tell their values apart. Each estimate then gets a verdict:

- ``pinned_down``: informed, and its 90 % interval at most half its range;
- ``says_little``: informed, but the interval is still wide;
- ``not_informed``: its draws move no column the books fill;
- ``misfit_only``: only columns the model cannot make would speak to it.

Only ``pinned_down`` estimates are set in the calibrated scenario. Estimates screening left at the
scenario's values are not here but in ``screening.csv`` (:mod:`~slagsim.calibration.screen`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import yaml

from slagsim.calibration import abc, checks
from slagsim.calibration.draws import Result
from slagsim.i18n import N_
from slagsim.scenario.factors import Factor
from slagsim.scenario.plain_keys import plain_key

PINNED, SAYS_LITTLE, NOT_INFORMED, MISFIT_ONLY = "pinned_down", "says_little", "not_informed", "misfit_only"
VERDICT_WORDS = {PINNED: N_("pinned down"), SAYS_LITTLE: N_("the books say little"),
                 NOT_INFORMED: N_("not informed by these books"),
                 MISFIT_ONLY: N_("only columns the model cannot make speak to it")}


@dataclass(frozen=True)
class Posterior:
    """The accepted draws, their weights and adjusted unit values, and the checks behind them."""

    draws: np.ndarray  # draw numbers, in design order
    distances: np.ndarray
    accepted: np.ndarray  # positions in ``draws``
    weights: np.ndarray
    adjusted: np.ndarray  # accepted x factors, unit values after the regression adjustment
    observed: np.ndarray
    simulated: np.ndarray
    columns: list[checks.ColumnCheck]  # every column the books fill, checked
    usable: np.ndarray  # per records column: may steer the fit (the books fill it, the model can make it)
    shares: np.ndarray  # factors x columns: the share of each column's spread each estimate explains
    threshold: float  # the share an estimate must reach on a usable column to count as informed

    @property
    def misfits(self) -> list[checks.ColumnCheck]:
        return [c for c in self.columns if c.misfit]

    @property
    def informed(self) -> np.ndarray:
        return self.usable_shares.max(axis=1, initial=0.0) >= self.threshold

    @property
    def usable_shares(self) -> np.ndarray:
        return np.where(self.usable[None, :], self.shares, 0.0)


def posterior_of(result: Result) -> Posterior:
    """Checks, summaries, distances, the accepted draws and their adjusted values."""
    plan = result.plan
    draws = np.array(sorted(result.months))
    records = plan.records[plan.columns].to_numpy(dtype=float)
    present = np.isfinite(records)
    months = np.stack([result.months[d] for d in draws])
    observed = abc.summaries(records, present)
    simulated = abc.summaries(months, present)
    units = plan.points[draws]
    columns = checks.column_checks(plan.columns, records, months, simulated, observed)
    misfit = {c.column for c in columns if c.misfit}
    varies = np.all(np.isfinite(simulated), axis=0) & (np.nan_to_num(simulated).std(axis=0) > 0)
    usable = np.array([c not in misfit for c in plan.columns]) & np.isfinite(observed) & varies
    shares = checks.informed_shares(units, simulated)
    filled = int((np.isfinite(observed) & varies).sum())
    threshold = checks.informed_threshold(len(draws), units.shape[1], max(1, filled))
    informed = np.where(usable[None, :], shares, 0.0).max(axis=1, initial=0.0) >= threshold
    if not informed.any():  # nothing the books can speak to: every draw is as good as any other
        accepted = np.arange(len(draws))
        return Posterior(draws, np.zeros(len(draws)), accepted, np.ones(len(draws)), units.copy(), observed,
                         simulated, columns, usable, shares, threshold)
    projections, records_projection = abc.projected(simulated, observed, units[:, informed], usable)
    distances = abc.prior_scaled_distances(projections, records_projection, units[:, informed])
    accepted = abc.accepted(distances, plan.accept)
    weights = abc.epanechnikov(distances[accepted])
    adjusted = units[accepted].copy()
    adjusted[:, informed] = abc.regression_adjust(units[accepted][:, informed], projections[accepted],
                                                  records_projection, weights)
    return Posterior(draws, distances, accepted, weights, adjusted, observed, simulated, columns, usable,
                     shares, threshold)


def posterior_table(result: Result, post: Posterior) -> pd.DataFrame:
    """One row per estimate: its range, the posterior median and 90 % interval, how much the books
    speak to it and the verdict."""
    rows = []
    plan = result.plan
    usable_shares, informed = post.usable_shares, post.informed
    misfit_columns = np.array([c in {m.column for m in post.misfits} for c in plan.columns])
    for index, factor in enumerate(plan.factors.factors):
        units = post.adjusted[:, index]
        low, median, high = (abc.weighted_quantile(units, post.weights, q) for q in (0.05, 0.5, 0.95))
        width = (high - low) / 0.9
        best = int(np.argmax(usable_shares[index])) if usable_shares.shape[1] else 0
        misfit_share = np.where(misfit_columns, post.shares[index], 0.0)
        if informed[index]:
            verdict = PINNED if width < abc.IDENTIFIED_WIDTH else SAYS_LITTLE
        else:
            verdict = MISFIT_ONLY if misfit_share.max(initial=0.0) >= post.threshold else NOT_INFORMED
        speaks = plan.columns[best] if informed[index] else (
            plan.columns[int(np.argmax(misfit_share))] if verdict == MISFIT_ONLY else "")
        rows.append({"estimate": plain_key(factor.key), "key": factor.key, "range": factor.range_text,
                     "in_the_file": _shown(factor, factor.base), "posterior_median": _value(factor, median),
                     "posterior_5": _value(factor, low), "posterior_95": _value(factor, high),
                     "median_unit": median, "interval_share_of_range": width,
                     "informed_share": round(float(usable_shares[index].max(initial=0.0)), 4),
                     "informed_by": speaks, "verdict": verdict, "pinned_down": verdict == PINNED})
    return pd.DataFrame(rows)


def _value(factor: Factor, unit: float) -> object:
    """The estimate's value at ``unit`` as a planner reads it: the number, or the factor on the
    file's value for a distribution."""
    entry = factor.entry
    if entry.low is not None:
        return three_digits(factor.value_at(unit))
    return f"x{entry.low_factor + unit * (entry.high_factor - entry.low_factor):.3g}"


def three_digits(value: object) -> object:
    """A fitted number to three significant digits (the books cannot say more); others as they are."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return value if isinstance(value, int) else float(f"{value:.3g}")


def _shown(factor: Factor, value: object) -> object:
    if isinstance(value, int | float | str):
        return three_digits(value) if isinstance(value, float) and value < 1e6 else value
    return yaml.safe_dump(value, default_flow_style=True).strip()
