"""Excel number formats for the workbook's numbers: whole Rupiah, tons, shares as %, years, counts.

A planner reads Rp 1.056.034.126, not 1.056.034.126,253: money is never shown below one Rupiah.
A column's format comes from its unit when the table says it (a KPI's unit in the registry,
:mod:`slagsim.analysis.kpis`), else from its name (``*_rp``, ``*_rp_per_year``, ``p_*``, ...). The
cell keeps its full value; only what is shown is rounded.
"""

from __future__ import annotations

from functools import lru_cache

from slagsim.analysis import kpis as K
from slagsim.analysis.kpis import find

RUPIAH = '"Rp" #,##0'
TONS = "#,##0.0"
SHARE = "0.0%"  # a KPI share (utilisation 59.3 %), and a difference of shares
PERCENT = "0%"  # a probability or a share of a whole (chance of paying back)
YEARS = "0.0"
COUNT = "0"
WHOLE = "#,##0"
DECIMAL = "#,##0.0"

UNIT_FORMATS = {"Rp/yr": RUPIAH, "Rp/month": RUPIAH, "Rp": RUPIAH, "t/yr": TONS, "t": TONS, "share": SHARE,
                "h": DECIMAL, K.EVENTS.unit: WHOLE}
# columns that hold a value of the row's KPI: their format is the KPI's unit's
VALUE_COLUMNS = frozenset({"mean", "ci95_low", "ci95_high", "diff", "diff_ci95_low", "diff_ci95_high",
                           "mu_star", "mu_star_ci95_low", "mu_star_ci95_high", "sigma"})
COUNTS = frozenset({"rank", "n", "replications", "draws", "line", "items", "replication", "draw", "points"})


def unit_format(unit: str) -> str:
    """The format of a KPI unit; every other unit (workers, days, pallets) one decimal."""
    return UNIT_FORMATS.get(unit, DECIMAL)


@lru_cache(maxsize=4096)  # a long sheet asks for the same few thousand times
def column_format(column: str, unit: str | None = None) -> str | None:
    """The format of a column: by ``unit`` for a value column of a KPI, else by its name; None
    leaves the cell as Excel shows it (a tornado's low and high values, an input's value)."""
    name = str(column).lower()
    if unit is not None and name in VALUE_COLUMNS:
        return unit_format(unit)
    if name == "diff_pct":
        return SHARE  # written as a share of the baseline, so Excel shows 4.5 %
    if name.endswith(("_rp", "_rp_per_year")) or "_rp_" in name or name.startswith(("npv", "extra_margin")):
        return RUPIAH
    if name.startswith("p_") or name == "share" or name.endswith("_share") or name.startswith("share_"):
        return PERCENT
    if "years" in name:
        return YEARS
    if name in COUNTS:
        return COUNT
    if "_t_" in name or name.endswith("_t") or name.startswith("extra_t") or name in ("tons", "output_t"):
        return TONS
    if name.endswith("_h") or "_h_" in name:
        return DECIMAL
    kpi = find(str(column))
    return unit_format(kpi.unit) if kpi else None
