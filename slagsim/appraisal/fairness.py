"""Who gains from a shared machine: per firm, the change in output and in waiting at that machine."""

from __future__ import annotations

import pandas as pd

from slagsim.analysis import kpis as K
from slagsim.analysis.stats import mean_ci
from slagsim.appraisal.evaluate import KpiTable


def per_firm_effect(candidate: str, machines: list[str], base: KpiTable, mine: KpiTable,
                    names: list[str] | None = None) -> pd.DataFrame:
    """One row per firm (by ``names``, else its number): paired change in output (t/yr) and in mean
    wait per job at each machine."""
    common = sorted(set(base) & set(mine))
    firms = sorted(K.FIRM_OUTPUT.part(k) for k in base[common[0]] if K.FIRM_OUTPUT.matches(k))
    rows = []
    for firm in firms:
        shown = names[int(firm)] if names and int(firm) < len(names) else firm
        row: dict[str, object] = {"candidate": candidate, "firm": shown}
        row |= _change(base, mine, common, K.FIRM_OUTPUT.key(firm), "output_t_per_year")
        for machine in machines:
            row |= _change(base, mine, common, K.FIRM_WAIT.key(machine, firm), f"wait_h_{machine}")
        rows.append(row)
    return pd.DataFrame(rows)


def _change(base: KpiTable, mine: KpiTable, common: list[int], kpi: str, label: str) -> dict[str, float]:
    mean, low, high = mean_ci([mine[r].get(kpi, 0.0) - base[r].get(kpi, 0.0) for r in common])
    return {f"d_{label}": mean, f"d_{label}_ci95_low": low, f"d_{label}_ci95_high": high}
