"""Tables that fit a page: a value and its 95 % CI in one cell, columns a reader does not need.

The report's tables came with three columns per figure (mean, CI low, CI high) and scrolled
sideways at 1,400 px and printed cut. In the page a figure and its interval share one cell,
``12.3 [8.1 .. 16.5]``, headed "label, 95 % CI"; the workbook keeps every column apart for
sums and charts.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

CI = "|ci"  # a folded column's name ends with this; its header says "95 % CI"
LOW, HIGH = "ci95_low", "ci95_high"
LEFT_OUT = ("items", "extra_t_significant", "replications", "significant", "unit")  # in the workbook


def fold_intervals(frame: pd.DataFrame, shown: Callable[[str, object], str]) -> pd.DataFrame:
    """``frame`` with each (value, CI low, CI high) triple as one text cell, and the columns only
    the workbook needs left out. ``shown(column, value)`` writes one number."""
    columns = list(frame.columns)
    out: dict[str, object] = {}
    skip: set[str] = set()
    for index, column in enumerate(columns):
        if column in skip or column in LEFT_OUT:
            continue
        low, high = ([*columns[index + 1:index + 3], "", ""])[:2]
        if str(low).endswith(LOW) and str(high).endswith(HIGH):
            out[f"{column}{CI}"] = [_interval(column, v, lo, hi, shown)
                                    for v, lo, hi in zip(frame[column], frame[low], frame[high], strict=True)]
            skip |= {low, high}
        else:
            out[column] = frame[column]
    return pd.DataFrame(out, index=frame.index)


def _interval(column: str, value: object, low: object, high: object, shown: Callable[[str, object], str]
              ) -> str:
    if _missing(low) or _missing(high):
        return shown(column, value)
    return f"{shown(column, value)} [{shown(column, low)} .. {shown(column, high)}]"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)
