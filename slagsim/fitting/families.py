"""The families a scenario can write, each fitted to measured values by maximum likelihood.

Only the families of :mod:`slagsim.scenario.distributions` are fitted, so whatever is recommended
can be written into a scenario as it is: exponential (``mean``), lognormal and gamma (``mean`` and
``sd`` of the value itself), Weibull (``shape`` and ``scale``), normal truncated at zero (``mean``
and ``sd`` before the cut, as the engine draws it: negative draws are drawn again), triangular
(``low``, ``mode``, ``high``) and uniform (``low``, ``high``). The measured values themselves
(``empirical``) are no fit and are left to :mod:`slagsim.fitting.recommend`. A family a scenario
cannot write would be a recommendation nobody can use, so each one here has its ``dist:`` in the
scenario schema.

Each fit keeps scipy's distribution at the unrounded estimates (for the log-likelihood, the tests of
fit and the figures) and the YAML mapping a scenario gets, rounded to three significant digits (like
a calibrated scenario: a few hundred values cannot say more), checked by the scenario's own schema.
Three digits of the spread, not of the value: bags weighed at 0.0500-0.0503 t would otherwise be
written as the uniform from 0.05 to 0.05, a constant. A family whose estimate fails on the values
(gamma's shape solver on values equal to seven digits) is left out with why, never an error.
AIC counts each family's parameters; for triangular and uniform, whose range depends on the
parameters, AIC is an approximation (the usual regularity conditions fail), which is one reason the
goodness-of-fit tests are reported beside it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from pydantic import TypeAdapter, ValidationError
from scipy import optimize, special, stats

from slagsim.i18n import N_
from slagsim.scenario.distributions import Distribution

EMPIRICAL = "empirical"
SIGNIFICANT = 3  # digits of a written parameter
MAX_EXTRA_DIGITS = 9  # the reader refuses values equal to seven digits; a float holds 15-17
UNFITTABLE = N_("its fit did not converge on these values")
MIN_STANDARDISED_MEAN = -2.99  # a normal's mean/sd; the schema refuses below -3 (almost every draw cut)
_SCHEMA = TypeAdapter(Distribution)

Model = stats.rv_continuous  # scipy's frozen distributions share its methods (pdf, cdf, ppf, rvs)


@dataclass(frozen=True)
class Family:
    """One family a scenario can write: its ``dist`` name, its number of parameters, its maximum
    likelihood estimate (scipy's distribution and the scenario's parameters, unrounded) and, when
    some values rule it out, why (in English, marked for translation where it is shown)."""

    name: str
    parameters: int
    estimate: Callable[[np.ndarray], tuple[object, dict[str, float]]]
    unsuitable: Callable[[np.ndarray], str | None] = lambda values: None


@dataclass(frozen=True)
class Fit:
    """A family fitted to the values: scipy's distribution, the scenario's mapping, the likelihood."""

    family: str
    model: object  # scipy's frozen distribution at the unrounded estimates
    spec: dict[str, object]  # what a scenario gets: {dist: lognormal, mean: 0.251, sd: 0.0797}
    log_likelihood: float
    parameters: int

    @property
    def aic(self) -> float:
        return 2 * self.parameters - 2 * self.log_likelihood

    @property
    def mean(self) -> float:
        """The mean of the distribution as written (rounded), as the engine will draw it."""
        return float(_SCHEMA.validate_python(self.spec).mean)

    @property
    def sd(self) -> float:
        return float(self.model.std())


def rounded(value: float, digits: int = SIGNIFICANT) -> float:
    """``value`` to ``digits`` significant digits (0 stays 0)."""
    return float(f"{value:.{digits}g}") if value else 0.0


def written_digits(values: np.ndarray) -> int:
    """Significant digits that keep three of the values' spread: 3 when the spread is as large as
    the values, one more for each factor of ten they sit above it (15.01-15.03 min: 5 digits)."""
    spread, largest = float(np.ptp(values)), float(np.abs(values).max())
    if spread <= 0 or largest <= 0:
        return SIGNIFICANT
    return SIGNIFICANT + min(MAX_EXTRA_DIGITS, max(0, math.floor(math.log10(largest / spread))))


def _exponential(values: np.ndarray) -> tuple[object, dict[str, float]]:
    mean = float(values.mean())
    return stats.expon(scale=mean), {"mean": mean}


def _lognormal(values: np.ndarray) -> tuple[object, dict[str, float]]:
    logs = np.log(values)
    mu, sigma = float(logs.mean()), float(logs.std())
    mean = math.exp(mu + sigma**2 / 2)
    sd = mean * math.sqrt(math.expm1(sigma**2))
    return stats.lognorm(s=sigma, scale=math.exp(mu)), {"mean": mean, "sd": sd}


def _positive_only(values: np.ndarray) -> str | None:
    return None if values.min() > 0 else N_("its values are never 0, and the data hold a 0")


def _gamma(values: np.ndarray) -> tuple[object, dict[str, float]]:
    """scipy's maximum likelihood with the origin at 0 (the shape solves a one-line equation)."""
    shape, _origin, scale = stats.gamma.fit(values, floc=0)
    return stats.gamma(shape, scale=scale), {"mean": shape * scale, "sd": math.sqrt(shape) * scale}


def _weibull(values: np.ndarray) -> tuple[object, dict[str, float]]:
    """scipy's maximum likelihood with the origin at 0, the shape kept within the schema's bounds."""
    shape, _origin, scale = stats.weibull_min.fit(values, floc=0)
    shape = min(max(float(shape), 0.2), 50.0)
    return stats.weibull_min(shape, scale=scale), {"shape": shape, "scale": scale}


def _normal_truncated(values: np.ndarray) -> tuple[object, dict[str, float]]:
    """The normal cut at 0 whose likelihood is highest. Written with t = mean/sd and u = 1/sd the
    negative log-likelihood is ½·Σ(x·u - t)² - n·log u + n·log Φ(t); for each t its best u solves
    a quadratic, so only t is searched (Brent, within the schema's bound t >= -3): a fit takes a
    millisecond, which the bootstrap's hundreds of refits need."""
    n = len(values)
    total, squares = float(values.sum()), float(np.dot(values, values))

    def best_inverse_sd(ratio: float) -> float:
        return (ratio * total + math.sqrt((ratio * total) ** 2 + 4 * n * squares)) / (2 * squares)

    def negative_log_likelihood(ratio: float) -> float:
        inverse_sd = best_inverse_sd(ratio)
        z = values * inverse_sd - ratio
        return float(0.5 * np.dot(z, z) - n * math.log(inverse_sd) + n * special.log_ndtr(ratio))

    plain = float(values.mean()) / (float(values.std()) or 1.0)
    found = optimize.minimize_scalar(negative_log_likelihood, bounds=(MIN_STANDARDISED_MEAN, 2 * plain + 5),
                                     method="bounded", options={"xatol": 1e-6})
    ratio = float(found.x)
    sd = 1 / best_inverse_sd(ratio)
    mu = ratio * sd
    return stats.truncnorm(a=-ratio, b=np.inf, loc=mu, scale=sd), {"mean": mu, "sd": sd}


def _triangular(values: np.ndarray) -> tuple[object, dict[str, float]]:
    """The triangle of highest likelihood. For given ends the best mode is one of the values
    (Oliver 1972), found for all of them at once from cumulative sums; the ends' distances
    beyond the smallest and largest value are searched with Nelder-Mead on a log scale, bounded
    so that ``low`` stays >= 0 (the schema's bound) and the search cannot wander off to infinity
    when the best triangle has its mode at an end."""
    unique, counts = np.unique(values, return_counts=True)
    low_value, high_value = float(unique[0]), float(unique[-1])
    spread = high_value - low_value
    tiny = math.log(spread * 1e-6)

    def ends(point: np.ndarray) -> tuple[float, float]:
        below = math.exp(point[0]) if low_value > 0 else 0.0
        return max(low_value - below, 0.0), high_value + math.exp(point[1])

    def negative_log_likelihood(point: np.ndarray) -> float:
        low, high = ends(point)
        return -_best_mode(unique, counts, low, high)[0]

    start = math.log(spread * 0.05)
    below_most = math.log(low_value) if low_value > 0 else tiny + 1
    bounds = [(min(tiny, below_most - 14), below_most), (tiny, math.log(spread * 100))]
    start_point = np.array([min(start, bounds[0][1]), start])
    best = optimize.minimize(negative_log_likelihood, start_point, method="Nelder-Mead", bounds=bounds,
                             options={"xatol": 1e-3, "fatol": 1e-6, "maxiter": 300})
    low, high = ends(best.x)
    mode = _best_mode(unique, counts, low, high)[1]
    return (stats.triang(c=(mode - low) / (high - low), loc=low, scale=high - low),
            {"low": low, "mode": mode, "high": high})


def _best_mode(unique: np.ndarray, counts: np.ndarray, low: float, high: float) -> tuple[float, float]:
    """The highest log-likelihood of a triangle from ``low`` to ``high`` over modes at each value,
    and that mode. Values below the mode add log(x - low) - log(mode - low), those above
    log(high - x) - log(high - mode), those at it nothing (the density there is 2/(high - low))."""
    n = counts.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        to_low, to_high = np.log(unique - low), np.log(high - unique)
        below = np.concatenate([[0], np.cumsum(counts)[:-1]])
        above = n - below - counts
        below_sum = np.concatenate([[0.0], np.cumsum(counts * to_low)[:-1]])
        above_sum = np.concatenate([np.cumsum((counts * to_high)[::-1])[::-1][1:], [0.0]])
        total = (n * math.log(2 / (high - low)) + below_sum - np.where(below > 0, below * to_low, 0.0)
                 + above_sum - np.where(above > 0, above * to_high, 0.0))
    total = np.where(np.isnan(total), -np.inf, total)
    best = int(np.argmax(total))
    return float(total[best]), float(unique[best])


def _uniform(values: np.ndarray) -> tuple[object, dict[str, float]]:
    low, high = float(values.min()), float(values.max())
    return stats.uniform(loc=low, scale=high - low), {"low": low, "high": high}


FAMILIES = (
    Family("lognormal", 2, _lognormal, _positive_only),
    Family("gamma", 2, _gamma, _positive_only),
    Family("weibull", 2, _weibull, _positive_only),
    Family("exponential", 1, _exponential),
    Family("normal", 2, _normal_truncated),
    Family("triangular", 3, _triangular),
    Family("uniform", 2, _uniform),
)
BY_NAME = {family.name: family for family in FAMILIES}
NAMES = (*BY_NAME, EMPIRICAL)


def fit(family: Family, values: np.ndarray) -> Fit:
    """``family`` fitted to ``values`` (finite, >= 0, not all equal; checked by the reader)."""
    model, parameters = family.estimate(values)
    digits = written_digits(values)
    spec = {"dist": family.name, **{key: rounded(value, digits) for key, value in parameters.items()}}
    _SCHEMA.validate_python(spec)  # the fit is one a scenario accepts, or a slagsim bug
    with np.errstate(divide="ignore"):
        log_likelihood = float(np.sum(model.logpdf(values)))
    return Fit(family.name, model, spec, log_likelihood, family.parameters)


def fit_all(values: np.ndarray) -> tuple[list[Fit], dict[str, str]]:
    """Every family that can describe ``values``, fitted; and why each other one was left out."""
    fits, left_out = [], {}
    for family in FAMILIES:
        reason = family.unsuitable(values)
        if not reason:
            try:
                fits.append(fit(family, values))
                continue
            except ValidationError:
                raise  # a fit the scenario refuses is a slagsim bug, never hidden
            except (ValueError, FloatingPointError, ZeroDivisionError, OverflowError):
                reason = UNFITTABLE  # a solver that cannot cope with these values; the others still can
        left_out[family.name] = reason
    return fits, left_out


def empirical_spec(values: np.ndarray) -> dict[str, object]:
    """The measured values as a scenario's ``empirical`` distribution: each distinct value once,
    with how often it was measured as its weight when some repeat."""
    distinct, counts = np.unique(np.asarray(values, dtype=float), return_counts=True)
    spec: dict[str, object] = {"dist": EMPIRICAL, "values": [float(f"{v:.6g}") for v in distinct]}
    if (counts > 1).any():
        spec["weights"] = [int(c) for c in counts]
    return spec
