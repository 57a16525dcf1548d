"""Summary statistics over replications: mean and a Student-t 95 % confidence interval."""

from __future__ import annotations

import math
from collections.abc import Sequence

from scipy.special import stdtrit  # the t quantile, without scipy.stats' 1 s import


def mean_ci(values: Sequence[float], level: float = 0.95) -> tuple[float, float, float]:
    """Mean and the two ends of its ``level`` confidence interval (NaN ends when n < 2)."""
    n = len(values)
    if n == 0:
        return math.nan, math.nan, math.nan
    mean = math.fsum(values) / n
    if n < 2:
        return mean, math.nan, math.nan
    variance = math.fsum((v - mean) ** 2 for v in values) / (n - 1)
    half = stdtrit(n - 1, 0.5 + level / 2) * math.sqrt(variance / n)
    return mean, mean - half, mean + half
