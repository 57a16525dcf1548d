"""The firms one by one: what each makes, earns and pays its people, today and with the answer.

A cooperative's board asks who gains from a shared machine; the district asks whose people earn.
The table shows every firm by name (IKM 01 ... unless the scenario names them) with the baseline's
output, margin and wages a year (means over replications), and with an option (the appraisal's
answer, else none) the change in each. Headers come from the KPI registry.
"""

from __future__ import annotations

import pandas as pd

from slagsim.analysis import kpis as K
from slagsim.i18n import _
from slagsim.results.read import ResultSet, RunResult
from slagsim.scenario.schema import firm_names

SHOWN = (K.FIRM_OUTPUT, K.FIRM_MARGIN, K.FIRM_WAGES)


def header(kpi: K.Kpi) -> str:
    """A column's header: the registry's label and unit, in the report's language."""
    return f"{_(kpi.label)} [{_(kpi.unit)}]"


def column(kpi: K.Kpi) -> str:
    """A column's machine name (``firm_margin_rp_per_year``): what the workbook's formats read."""
    return kpi.prefix.rstrip(".")


def headers(table: pd.DataFrame, option: str | None = None) -> dict[str, str]:
    """Each column's planner header: the registry's label and unit; a change says under what."""
    said = _("change with {option}").format(option=option) if option else ""
    found = {"firm": _("Firm")}
    for kpi in SHOWN:
        found[column(kpi)] = header(kpi)
        found[f"d_{column(kpi)}"] = f"{said}: {header(kpi)}"
    return {c: found.get(c, c) for c in table.columns}


def firm_table(results: ResultSet, option: str | None = None) -> pd.DataFrame:
    """One row per firm: the baseline's output, margin and wages, and the change under ``option``
    (``d_`` columns)."""
    runs = {run.name: run for run in results.runs}
    base = runs.get(results.baseline)
    if base is None:
        return pd.DataFrame()
    table = _values(base)
    if table.empty or option not in runs or option == results.baseline:
        return table
    change = _values(runs[option]).drop(columns="firm") - table.drop(columns="firm")
    return table.join(change.rename(columns=lambda c: f"d_{c}"))


def _values(run: RunResult) -> pd.DataFrame:
    means = run.means()
    names = firm_names(run.scenario.get("firms", {}))
    firms = sorted({K.FIRM_OUTPUT.part(k) for k in means if K.FIRM_OUTPUT.matches(k)})
    if not firms or K.FIRM_MARGIN.key(firms[0]) not in means:  # results from before firms had money
        return pd.DataFrame()
    rows = [{"firm": names.get(firm, firm), **{column(k): means.get(k.key(firm), 0.0) for k in SHOWN}}
            for firm in firms]
    return pd.DataFrame(rows)
