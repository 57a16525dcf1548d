"""The aluminium price as a monthly path: today's price times an index that wanders.

A planner's NPV is exposed to the ingot price far more than to anything the centre does (ingot is
~85 % of turnover), so the price is not a constant: each replication draws its own path from
monthly log returns (a moving-block bootstrap of a historical series keeps the autocorrelation of
monthly averages; or independent normal returns of a stated volatility). The returns are centred
so the *expected* price stays at today's: the model takes no view on where aluminium goes, only on
how far it moves. The index is 1 up to the measured window's start (the day a purchase is
decided) and moves month by month after it.

The path has its own stream (``prices.ingot``), drawn in full at the start, so every scenario of a
replication sees the same prices (common random numbers) and the appraisal can extend the same
path over its horizon without running the simulation for ten years.
"""

from __future__ import annotations

import math

import numpy as np

from slagsim.model.streams import Streams
from slagsim.model.workdays import HOURS_PER_YEAR, MONTHS_PER_YEAR
from slagsim.scenario.schema import PricePath

STREAM = "prices.ingot"
MAX_MONTHS = 50 * MONTHS_PER_YEAR  # always drawn in full: a longer run or horizon sees the same start
HOURS_PER_MONTH = HOURS_PER_YEAR / MONTHS_PER_YEAR


def monthly_returns(config: PricePath, rng: np.random.Generator, months: int = MAX_MONTHS) -> np.ndarray:
    """``months`` log returns of the price, centred so that E[exp(return)] is 1."""
    if config.volatility_per_month is not None:
        sigma = config.volatility_per_month
        return rng.normal(-sigma * sigma / 2, sigma, size=months)
    history = np.asarray(config.log_returns, dtype=float)
    history = history - math.log(float(np.mean(np.exp(history))))
    block = min(config.block_months, len(history))
    starts = rng.integers(0, len(history) - block + 1, size=-(-months // block))
    return np.concatenate([history[s:s + block] for s in starts])[:months]


def index_path(config: PricePath, rng: np.random.Generator) -> np.ndarray:
    """The price index for each month after the decision (month 0 is the first measured month)."""
    return np.exp(np.cumsum(monthly_returns(config, rng)))


def path_of(config: PricePath, seed: int, replication: int) -> np.ndarray:
    """The path replication ``replication`` of a run seeded ``seed`` sees (its own stream)."""
    return index_path(config, Streams(seed, replication).get(STREAM))


def yearly_means(path: np.ndarray, years: int) -> list[float]:
    """The mean index of each of the first ``years`` years after the decision."""
    return [float(path[12 * y:12 * (y + 1)].mean()) for y in range(years)]


class PriceYears:
    """The mean index of each horizon year for any replication of a run (cached): what the appraisal
    needs to carry a replication's price path past the simulated year. None for a fixed price."""

    def __init__(self, config: PricePath | None, seed: int, years: int):
        self.config, self.seed, self.years = config, seed, years
        self._cache: dict[int, list[float]] = {}

    def __call__(self, replication: int) -> list[float] | None:
        if self.config is None:
            return None
        if replication not in self._cache:
            self._cache[replication] = yearly_means(path_of(self.config, self.seed, replication), self.years)
        return self._cache[replication]


class PriceIndex:
    """The ingot price relative to today's at any simulated time (1 when prices do not move)."""

    def __init__(self, config: PricePath | None, rng: np.random.Generator | None, start_h: float):
        self.start_h = start_h
        self.path = index_path(config, rng) if config is not None and rng is not None else None
        self.dross_follows = config.dross_follows if config is not None else True  # for the exposure

    def at(self, t: float) -> float:
        """The index during the month containing ``t`` (a sale at a month's end: that month's)."""
        if self.path is None or t <= self.start_h:
            return 1.0
        month = min(int((t - self.start_h - 1e-9) // HOURS_PER_MONTH), len(self.path) - 1)
        return float(self.path[month])

    def dross_at(self, t: float) -> float:
        """The index the metal part of the dross price follows (1 when it does not)."""
        return self.at(t) if self.dross_follows else 1.0
