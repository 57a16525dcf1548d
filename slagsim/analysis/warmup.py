"""How long a run must warm up before its output counts: MSER-5 on the daily output series.

The plant starts empty: no slag in store, no pallets curing, no stock. Until it fills, output is
lower than it will be (and a stock that fills up counts as output that is never sold). MSER-5
(White 1997; Hoad, Robinson and Davies 2010, the method they recommend) averages the series in
batches of 5 days and picks the truncation point ``d`` that minimises the squared standard error
of the mean of what is left, ``sum((y_i - mean)^2) / (n - d)^2``, searching the first half only.
Applied to the mean daily output over the replications, from the first simulated day.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

BATCH_DAYS = 5


def mser5_days(daily: Sequence[float]) -> float:
    """Days to cut from the start of ``daily`` (output per day from day 0) by MSER-5."""
    batches = [math.fsum(daily[i:i + BATCH_DAYS]) / BATCH_DAYS
               for i in range(0, len(daily) - BATCH_DAYS + 1, BATCH_DAYS)]
    n = len(batches)
    if n < 4:
        return 0.0
    best, best_cut = math.inf, 0
    total = math.fsum(batches)
    squares = math.fsum(y * y for y in batches)
    for cut in range(n // 2 + 1):
        kept = n - cut
        mean = total / kept
        statistic = max(0.0, squares - kept * mean * mean) / (kept * kept)
        if statistic < best:
            best, best_cut = statistic, cut
        total -= batches[cut]
        squares -= batches[cut] * batches[cut]
    return float(best_cut * BATCH_DAYS)


def mean_series(series: Sequence[Sequence[float]]) -> list[float]:
    """The mean of several series, day by day, over the days they all have."""
    if not series:
        return []
    days = min(len(s) for s in series)
    return [math.fsum(s[day] for s in series) / len(series) for day in range(days)]


def needed_warmup_days(daily_by_replication: Sequence[Sequence[float]]) -> float:
    """MSER-5 on the mean daily output of the replications."""
    return mser5_days(mean_series(daily_by_replication))
