"""Named probability distributions that scenario files can use.

Each distribution is written in YAML as a mapping with a ``dist`` key and its parameters, for
example ``{dist: triangular, low: 3, mode: 3.5, high: 4}``. A bare number is a constant. Every
distribution knows its analytic ``mean`` and draws with ``sample(rng)`` from an explicit
``numpy.random.Generator`` (never global randomness).
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from slagsim.i18n import _

__all__ = [
    "Constant",
    "Distribution",
    "Draws",
    "Empirical",
    "Exponential",
    "Gamma",
    "Lognormal",
    "Normal",
    "Triangular",
    "Uniform",
    "Weibull",
]


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    def sample(self, rng: np.random.Generator) -> float:
        raise NotImplementedError

    def sample_block(self, rng: np.random.Generator, count: int) -> list[float]:
        """The next draws of :meth:`sample` from ``rng``, in order (at least one; a truncated
        distribution may give fewer than ``count``). Subclasses override this with one numpy
        call where numpy's vector holds exactly the numbers its one-at-a-time calls would."""
        return [self.sample(rng) for _ in range(count)]


class Constant(_Dist):
    """Always the same value."""

    dist: Literal["constant"] = "constant"
    value: float = Field(ge=0)

    @property
    def mean(self) -> float:
        return self.value

    def sample(self, rng: np.random.Generator) -> float:
        return self.value

    def sample_block(self, rng: np.random.Generator, count: int) -> list[float]:
        return [self.value] * count


class Uniform(_Dist):
    """Uniform between ``low`` and ``high``."""

    dist: Literal["uniform"]
    low: float = Field(ge=0)
    high: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError(_("high ({high}) must be >= low ({low})").format(high=self.high, low=self.low))
        return self

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.uniform(self.low, self.high))

    def sample_block(self, rng: np.random.Generator, count: int) -> list[float]:
        return rng.uniform(self.low, self.high, count).tolist()


class Triangular(_Dist):
    """Triangular with minimum ``low``, most likely ``mode`` and maximum ``high``."""

    dist: Literal["triangular"]
    low: float = Field(ge=0)
    mode: float = Field(ge=0)
    high: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError(_("needs low <= mode <= high (got {low}, {mode}, {high})").format(
                low=self.low, mode=self.mode, high=self.high))
        return self

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3

    def sample(self, rng: np.random.Generator) -> float:
        if self.low == self.high:
            return self.low
        return float(rng.triangular(self.low, self.mode, self.high))

    def sample_block(self, rng: np.random.Generator, count: int) -> list[float]:
        if self.low == self.high:
            return [self.low] * count
        return rng.triangular(self.low, self.mode, self.high, count).tolist()


class Exponential(_Dist):
    """Exponential with the given ``mean``."""

    dist: Literal["exponential"]
    mean_value: float = Field(gt=0, alias="mean")

    @property
    def mean(self) -> float:
        return self.mean_value

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.exponential(self.mean_value))

    def sample_block(self, rng: np.random.Generator, count: int) -> list[float]:
        return rng.exponential(self.mean_value, count).tolist()


class Normal(_Dist):
    """Normal with ``mean`` and ``sd``, truncated at zero (negative draws are redrawn).

    ``mean`` reports the mean of the truncated distribution.
    """

    dist: Literal["normal"]
    mu: float = Field(alias="mean")
    sd: float = Field(ge=0)

    @model_validator(mode="after")
    def _mostly_positive(self) -> Normal:
        if self.sd > 0 and self.mu / self.sd < -3:
            raise ValueError(_("mean is more than 3 sd below zero: almost every draw would be cut"))
        if self.sd == 0 and self.mu < 0:
            raise ValueError(_("mean must be >= 0 when sd is 0"))
        return self

    @property
    def mean(self) -> float:
        if self.sd == 0:
            return self.mu
        alpha = -self.mu / self.sd
        phi = math.exp(-alpha * alpha / 2) / math.sqrt(2 * math.pi)
        tail = 0.5 * math.erfc(alpha / math.sqrt(2))
        return self.mu + self.sd * phi / tail

    def sample(self, rng: np.random.Generator) -> float:
        while True:
            x = float(rng.normal(self.mu, self.sd))
            if x >= 0:
                return x

    def sample_block(self, rng: np.random.Generator, count: int) -> list[float]:
        """Negative draws dropped, as :meth:`sample` redraws them: the same numbers in order."""
        while True:
            kept = [x for x in rng.normal(self.mu, self.sd, count).tolist() if x >= 0]
            if kept:
                return kept


class Lognormal(_Dist):
    """Lognormal given by the ``mean`` and ``sd`` of the variable itself (not of its log)."""

    dist: Literal["lognormal"]
    mean_value: float = Field(gt=0, alias="mean")
    sd: float = Field(gt=0)

    @property
    def mean(self) -> float:
        return self.mean_value

    def _log_params(self) -> tuple[float, float]:
        sigma2 = math.log(1 + (self.sd / self.mean_value) ** 2)
        return math.log(self.mean_value) - sigma2 / 2, math.sqrt(sigma2)

    def sample(self, rng: np.random.Generator) -> float:
        mu, sigma = self._log_params()
        return float(rng.lognormal(mu, sigma))

    def sample_block(self, rng: np.random.Generator, count: int) -> list[float]:
        mu, sigma = self._log_params()
        return rng.lognormal(mu, sigma, count).tolist()


class Gamma(_Dist):
    """Gamma given by the ``mean`` and ``sd`` of the variable itself (shape (mean/sd)², scale
    sd²/mean): a positive time whose tail is lighter than a lognormal's, what a stopwatch's cycle
    times often fit as well (``slagsim fit`` offers it)."""

    dist: Literal["gamma"]
    mean_value: float = Field(gt=0, alias="mean")
    sd: float = Field(gt=0)

    @model_validator(mode="after")
    def _not_wild(self) -> Gamma:
        if self.sd > 10 * self.mean_value:
            raise ValueError("sd is more than 10 times the mean: almost every draw would be near 0")
        return self

    @property
    def mean(self) -> float:
        return self.mean_value

    def _shape_scale(self) -> tuple[float, float]:
        return (self.mean_value / self.sd) ** 2, self.sd**2 / self.mean_value

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.gamma(*self._shape_scale()))

    def sample_block(self, rng: np.random.Generator, count: int) -> list[float]:
        return rng.gamma(*self._shape_scale(), count).tolist()


class Weibull(_Dist):
    """Weibull with ``shape`` k and ``scale`` λ: times to failure (k < 1: early failures, k = 1:
    exponential, k > 1: wear-out), as reliability data are usually reported."""

    dist: Literal["weibull"]
    shape: float = Field(ge=0.2, le=50)  # below 0.2 a few draws are thousands of times the mean
    scale: float = Field(gt=0)

    @property
    def mean(self) -> float:
        return self.scale * math.gamma(1 + 1 / self.shape)

    def sample(self, rng: np.random.Generator) -> float:
        return self.scale * float(rng.weibull(self.shape))

    def sample_block(self, rng: np.random.Generator, count: int) -> list[float]:
        return (self.scale * rng.weibull(self.shape, count)).tolist()


class Empirical(_Dist):
    """Draws one of the measured ``values``, optionally with ``weights``."""

    dist: Literal["empirical"]
    values: list[float] = Field(min_length=1)
    weights: list[float] | None = None

    @model_validator(mode="after")
    def _check(self) -> Empirical:
        if any(v < 0 for v in self.values):
            raise ValueError(_("values must be >= 0"))
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError(_("weights must have as many entries as values"))
            if any(w < 0 for w in self.weights) or sum(self.weights) <= 0:
                raise ValueError(_("weights must be >= 0 and not all zero"))
        return self

    def _probabilities(self) -> np.ndarray:
        if self.weights is None:
            return np.full(len(self.values), 1 / len(self.values))
        w = np.asarray(self.weights, dtype=float)
        return w / w.sum()

    @property
    def mean(self) -> float:
        return float(np.dot(self.values, self._probabilities()))

    def sample(self, rng: np.random.Generator) -> float:
        index = rng.choice(len(self.values), p=self._probabilities())
        return float(self.values[index])


def _number_is_constant(value: Any) -> Any:
    """Let a scenario write ``3.5`` for ``{dist: constant, value: 3.5}``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"dist": "constant", "value": value}
    return value


Distribution = Annotated[
    Constant | Uniform | Triangular | Exponential | Normal | Lognormal | Gamma | Weibull | Empirical,
    Field(discriminator="dist"),
    BeforeValidator(_number_is_constant),
]


class Draws:
    """Draws of one distribution from a stream that nothing else draws from, made in blocks.

    A job's cycle time costs a numpy call of ~1 µs when drawn alone; numpy fills a vector element
    by element with the same algorithm, so a block holds exactly the numbers one-at-a-time calls
    would give, in order, for a fraction of that. Blocks start small (a machine used five times a
    year wastes little) and double up to ``largest``. Only for a stream with this one consumer:
    the block reads ahead of what has been used.
    """

    __slots__ = ("_ahead", "_block", "_dist", "_largest", "_rng")

    def __init__(self, dist: _Dist, rng: np.random.Generator, first: int = 16, largest: int = 512):
        self._dist, self._rng = dist, rng
        self._block, self._largest = first, largest
        self._ahead: list[float] = []  # the next draws, last one first (pop() is the cheap end)

    def __call__(self) -> float:
        """The next draw."""
        if not self._ahead:
            self._ahead = self._dist.sample_block(self._rng, self._block)[::-1]
            self._block = min(2 * self._block, self._largest)
        return self._ahead.pop()
