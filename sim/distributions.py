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

__all__ = [
    "Constant",
    "Distribution",
    "Empirical",
    "Exponential",
    "Lognormal",
    "Normal",
    "Triangular",
    "Uniform",
]


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Constant(_Dist):
    """Always the same value."""

    dist: Literal["constant"] = "constant"
    value: float = Field(ge=0)

    @property
    def mean(self) -> float:
        return self.value

    def sample(self, rng: np.random.Generator) -> float:
        return self.value


class Uniform(_Dist):
    """Uniform between ``low`` and ``high``."""

    dist: Literal["uniform"]
    low: float = Field(ge=0)
    high: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) must be >= low ({self.low})")
        return self

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.uniform(self.low, self.high))


class Triangular(_Dist):
    """Triangular with minimum ``low``, most likely ``mode`` and maximum ``high``."""

    dist: Literal["triangular"]
    low: float = Field(ge=0)
    mode: float = Field(ge=0)
    high: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError(f"needs low <= mode <= high (got {self.low}, {self.mode}, {self.high})")
        return self

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3

    def sample(self, rng: np.random.Generator) -> float:
        if self.low == self.high:
            return self.low
        return float(rng.triangular(self.low, self.mode, self.high))


class Exponential(_Dist):
    """Exponential with the given ``mean``."""

    dist: Literal["exponential"]
    mean_value: float = Field(gt=0, alias="mean")

    @property
    def mean(self) -> float:
        return self.mean_value

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.exponential(self.mean_value))


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
            raise ValueError("mean is more than 3 sd below zero: almost every draw would be cut")
        if self.sd == 0 and self.mu < 0:
            raise ValueError("mean must be >= 0 when sd is 0")
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


class Empirical(_Dist):
    """Draws one of the measured ``values``, optionally with ``weights``."""

    dist: Literal["empirical"]
    values: list[float] = Field(min_length=1)
    weights: list[float] | None = None

    @model_validator(mode="after")
    def _check(self) -> Empirical:
        if any(v < 0 for v in self.values):
            raise ValueError("values must be >= 0")
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError("weights must have as many entries as values")
            if any(w < 0 for w in self.weights) or sum(self.weights) <= 0:
                raise ValueError("weights must be >= 0 and not all zero")
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
    Constant | Uniform | Triangular | Exponential | Normal | Lognormal | Empirical,
    Field(discriminator="dist"),
    BeforeValidator(_number_is_constant),
]
