"""Approximate Bayesian computation by rejection with a local-linear regression adjustment.

Every draw sets the estimates from a space-filling design over their ranges (the prior: uniform on
each range) and simulates the months the records cover. A draw is summarised like the records: the
mean of each column over the months the records give a figure for. Those means are projected onto
one summary per estimate (its value as a linear regression over all draws predicts it from the
means: semi-automatic ABC). Draws whose projections lie closest to the records' are accepted, and their
values are moved along the local-linear relation between values and summaries to where the
records are (Beaumont, Zhang and Balding 2002, *Genetics* 162: 2025-2035), with Epanechnikov
weights. Values live on the unit interval of each range; the adjustment works on their logits so
nothing leaves the range.

An estimate whose 90 % posterior interval is nearly as wide as the prior's is one the records
cannot pin down: it is flagged, not reported as learnt. Which columns may steer the fit at all,
and which estimates they can speak to, is decided before (:mod:`~slagsim.calibration.checks`).
"""

from __future__ import annotations

import math

import numpy as np

# learnt: a 90 % posterior interval at most half the prior's (20 uninformed draws often span 0.6-0.8)
IDENTIFIED_WIDTH = 0.5
DRAWS_PER_PREDICTOR = 5  # accepted draws needed per summary for the regression adjustment
EDGE = 1e-3  # unit values are kept this far from 0 and 1 before taking logits


def summaries(months: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Each column's mean over the months the records have a value for (``present``), NaN when none.

    ``months``: draws x months x columns (or months x columns for the records themselves)."""
    counts = present.sum(axis=0)
    masked = np.where(present, months, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return masked.sum(axis=-2) / np.where(counts > 0, counts, np.nan)


def scaled_distances(simulated: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """Euclidean distance of each draw's summaries to the records', each summary divided by its
    median absolute deviation over the draws (its standard deviation when that is 0); summaries
    that never vary or that the records lack are left out."""
    usable = np.isfinite(observed) & np.all(np.isfinite(simulated), axis=0)
    simulated, observed = simulated[:, usable], observed[usable]
    centre = np.median(simulated, axis=0)
    scale = 1.4826 * np.median(np.abs(simulated - centre), axis=0)
    scale = np.where(scale > 0, scale, simulated.std(axis=0))
    varies = scale > 0
    if not varies.any():
        return np.zeros(len(simulated))
    return np.sqrt((((simulated[:, varies] - observed[varies]) / scale[varies]) ** 2).sum(axis=1))


def projected(stats: np.ndarray, observed: np.ndarray, units: np.ndarray,
              columns: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Summaries reduced to one per estimate: each estimate's (logit) value as the linear
    regression on all draws' summaries predicts it (semi-automatic ABC, Fearnhead and Prangle 2012,
    *JRSS B* 74: 419-474), for the draws and for the records.

    Thirteen monthly means say overlapping things (ingot sold follows ingot made, pieces follow
    tons); the projection keeps what each says about each estimate and weighs them by it, so an
    estimate that moves only one column (the smelters' reach: slag received) is not drowned by
    the many columns another moves. ``columns``: the summaries allowed to steer (a column the
    model cannot make is left out)."""
    usable = np.isfinite(observed) & np.all(np.isfinite(stats), axis=0) & (stats.std(axis=0) > 0)
    if columns is not None:
        usable &= columns
    centre, spread = stats[:, usable].mean(axis=0), stats[:, usable].std(axis=0)
    x = (stats[:, usable] - centre) / spread
    design = np.hstack([np.ones((len(x), 1)), x])
    coefficients, *_ = np.linalg.lstsq(design, _logit(units), rcond=None)
    observed_design = np.concatenate([[1.0], (observed[usable] - centre) / spread])
    return design @ coefficients, observed_design @ coefficients


def prior_scaled_distances(projected_draws: np.ndarray, projected_records: np.ndarray,
                           units: np.ndarray) -> np.ndarray:
    """Distance on the projected summaries, each in units of its estimate's spread over the prior,
    so an estimate the summaries cannot predict (a near-constant projection) adds almost nothing."""
    scale = _logit(units).std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    return np.sqrt((((projected_draws - projected_records) / scale) ** 2).sum(axis=1))


def accepted(distances: np.ndarray, fraction: float) -> np.ndarray:
    """Indices of the closest ``fraction`` of the draws (at least 2), closest first; ties broken by
    the draw's number so the choice never depends on the order results came back in."""
    count = max(2, math.ceil(fraction * len(distances)))
    order = np.lexsort((np.arange(len(distances)), distances))
    return order[:count]


def epanechnikov(distances: np.ndarray) -> np.ndarray:
    """Kernel weights of the accepted draws: 1 at the records, 0 just beyond the farthest."""
    bandwidth = distances.max() * (1 + 1e-9) if distances.max() > 0 else 1.0
    return 1.0 - (distances / bandwidth) ** 2


def regression_adjust(units: np.ndarray, stats: np.ndarray, observed: np.ndarray,
                      weights: np.ndarray) -> np.ndarray:
    """The accepted draws' unit values moved to where the records' summaries are (Beaumont et al.).

    Falls back to the unadjusted values (plain rejection) when there are fewer than five accepted
    draws per summary: fitted on fewer, the line follows the noise and narrows the posterior
    without cause."""
    usable = np.isfinite(observed) & np.all(np.isfinite(stats), axis=0) & (stats.std(axis=0) > 0)
    x = stats[:, usable] - observed[usable]
    if len(units) < DRAWS_PER_PREDICTOR * (x.shape[1] + 1):  # too few to fit: an overfitted line
        return units  # would shrink the posterior for nothing; plain rejection stays honest
    x = x / x.std(axis=0)
    logits = _logit(units)
    design = np.hstack([np.ones((len(x), 1)), x])
    root = np.sqrt(weights)[:, None]
    coefficients, *_ = np.linalg.lstsq(design * root, logits * root, rcond=None)
    adjusted = logits - x @ coefficients[1:]
    return _expit(adjusted)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, share: float) -> float:
    """The ``share`` quantile of ``values`` under ``weights`` (interpolated between sorted values)."""
    order = np.argsort(values, kind="stable")
    values, weights = values[order], weights[order]
    cumulative = (np.cumsum(weights) - 0.5 * weights) / weights.sum()
    return float(np.interp(share, cumulative, values))


def _logit(units: np.ndarray) -> np.ndarray:
    clipped = np.clip(units, EDGE, 1 - EDGE)
    return np.log(clipped / (1 - clipped))


def _expit(logits: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-logits))
