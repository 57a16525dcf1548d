"""The workbook's sheets: what each holds, its name in the report's language, and its units.

The HTML report and the workbook show the same content, but a workbook is read differently: a
planner looks for a sheet by its tab ("Ranked by product output", "Peringkat menurut produksi"),
compares scenarios across a row (the comparison is wide: one row per scenario, one column per
measure, headed by the measure's label and unit from the KPI registry), and never opens an empty
sheet. The long table of every figure with its intervals stays, last, for pivot tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from slagsim.analysis.kpis import find, is_headline, unit_of
from slagsim.i18n import N_, _
from slagsim.report.content import ReportContent
from slagsim.report.firms import headers as firm_headers
from slagsim.report.inputs import SHEET as INPUTS

SHEET_NAME_LIMIT = 31  # Excel's limit
NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet's name
APPRAISAL_SHEETS = {"candidates": N_("Candidates"), "uncertainty": N_("With estimates drawn"),
                    "bundles": N_("Bundles within budget"), "fairness": N_("Effect per firm"),
                    "tornado": N_("Tornado")}


@dataclass
class Sheet:
    """One sheet: its name, its table (machine column names), and how to show it.

    ``units`` gives each row's KPI unit where the value columns (mean, CI, difference) hold one
    measure per row; ``headers`` replaces the planner label of a column (the wide comparison's
    measures, the long table's key)."""

    name: str
    table: pd.DataFrame
    units: list[str] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    freeze: str = "A2"


def workbook_sheets(content: ReportContent) -> list[Sheet]:
    """Every sheet after the summary, in order, with unique names Excel accepts; no empty one."""
    sheets = [_sheet(_("Ranked by {measure}").format(measure=kpi_label(kpi).lower()), table)
              for kpi, table in content.ranked.items()]
    if content.appraisal is not None:
        sheets += [_sheet(_(APPRAISAL_SHEETS.get(name, name)), table)
                   for name, table in content.appraisal.tables.items()]
    for name, table in ((N_("Attribution"), content.attribution), (N_("Sensitivity"), content.sensitivity),
                        (N_("Calibration"), content.calibration)):
        if table is not None:
            sheets.append(_sheet(_(name), table))
    sheets.append(wide_comparison(content.comparison))
    sheets += [_sheet(_("Bottlenecks"), content.bottlenecks), _sheet(_("Assumptions"), content.assumptions)]
    sheets.append(_sheet(_("The firms"), content.firms, firm_headers(content.firms, content.firms_option)))
    sheets += [_sheet(_("Fig. {title}").format(title=_(plot.title)), plot.data) for plot in content.plots]
    if content.inputs is not None:
        sheets.append(_sheet(_(INPUTS), content.inputs))
    sheets += [_sheet(_("What was run"), content.run), _sheet(_("Scenarios"), content.scenarios)]
    sheets.append(long_comparison(content.comparison))
    return _named([sheet for sheet in sheets if not sheet.table.empty])


def wide_comparison(table: pd.DataFrame) -> Sheet:
    """One row per scenario (the baseline first, as compared), one column per measure holding its
    mean; headline measures first. Headers are the registry's labels and units, never spelled here."""
    scenarios = list(dict.fromkeys(table.scenario))
    kpis = sorted(dict.fromkeys(table.kpi), key=lambda kpi: not is_headline(kpi))  # stable: table order
    wide = table.pivot(index="scenario", columns="kpi", values="mean").reindex(index=scenarios, columns=kpis)
    wide = wide.rename_axis(index="scenario", columns=None).reset_index()
    return Sheet(_("Comparison"), wide, headers={kpi: kpi_header(kpi) for kpi in kpis}, freeze="B2")


def long_comparison(table: pd.DataFrame) -> Sheet:
    """Every scenario's every measure on its own row, with its intervals and paired difference: the
    table to filter or pivot (the CSV's columns, with the measure's label beside its key)."""
    frame = table.copy()
    frame.insert(frame.columns.get_loc("kpi") + 1, "measure", [kpi_label(kpi) for kpi in frame.kpi])
    return _sheet(_("Data, one row per figure"), frame, headers={"kpi": _("Key"), "measure": _("Measure")})


def kpi_label(kpi: str) -> str:
    """A measure's planner label in the report's language: ``Utilisation (press)``."""
    found = find(kpi)
    if found is None:
        return kpi
    return f"{_(found.label)} ({', '.join(found.parts(kpi))})" if found.is_pattern else _(found.label)


def kpi_header(kpi: str) -> str:
    """A measure's column header: its label and unit, ``Product output [t/yr]``."""
    unit = unit_text(unit_of(kpi))
    return f"{kpi_label(kpi)} [{unit}]" if unit else kpi_label(kpi)


def unit_text(unit: str) -> str:
    """A unit as shown beside numbers formatted for Excel (a share is shown as a percentage)."""
    return "%" if unit == "share" else _(unit) if unit else ""


def _sheet(name: str, table: pd.DataFrame, headers: dict[str, str] | None = None) -> Sheet:
    """A sheet of ``table`` as a planner reads it: each row's unit kept for the formats, the unit
    shown in the report's language, and a difference in % stored as a share (Excel's percentages)."""
    units = None
    if "unit" in table.columns:
        units = [str(unit) if isinstance(unit, str) else "" for unit in table.unit]
    elif "kpi" in table.columns:
        units = [unit_of(str(kpi)) for kpi in table.kpi]
    shown = table.copy()
    if "unit" in shown.columns:
        shown["unit"] = [unit_text(unit) for unit in units or []]
    if "diff_pct" in shown.columns:
        shown["diff_pct"] = pd.to_numeric(shown.diff_pct, errors="coerce") / 100
    return Sheet(name, shown, units, headers or {})


def _named(sheets: list[Sheet]) -> list[Sheet]:
    """Names Excel accepts: no ``[]:*?/\\``, at most 31 characters, unique whatever the case."""
    taken: set[str] = {_("Summary").lower()}
    for sheet in sheets:
        name = NOT_IN_SHEET_NAMES.sub("-", sheet.name).strip().strip("'") or "-"
        if len(name) > SHEET_NAME_LIMIT:
            name = name[: SHEET_NAME_LIMIT - 1].rstrip() + "…"
        base, count = name, 2
        while name.lower() in taken:
            suffix = f" ({count})"
            name, count = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix, count + 1
        taken.add(name.lower())
        sheet.name = name
    return sheets
