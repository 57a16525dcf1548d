"""The workbook's *inputs* sheet: every scenario value with its source, editable and read back.

A planner who lives in spreadsheets changes a figure in the sheet (the value column) and runs
``slagsim run SCENARIO --set-from report.xlsx``: every row whose value differs from what slagsim
wrote becomes a ``--set`` override, checked like one. The sheet keeps what it wrote in its last
column ("as written"), so an untouched row is never applied and the edit is all that changes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from slagsim.errors import ScenarioError
from slagsim.i18n import N_, _, in_every_language
from slagsim.scenario.diff import flatten, skipped
from slagsim.scenario.limits import MAX_WORKBOOK_BYTES
from slagsim.scenario.marks import comments_in
from slagsim.scenario.tables import Uncalculated, check_size, sheet_names, stored_rows, uncalculated_problem

SHEET = N_("Inputs")  # the sheet's name, in the report's language
LEGACY_SHEET = "inputs"  # its name in workbooks written before sheet names were translated
COLUMNS = ["key", "value", "source", "set in", "as written"]


def inputs_table(scenario: dict, scenario_file: Path | None) -> pd.DataFrame:
    """One row per scenario value: its key, value, the comment of the line that sets it (a source
    or ``# estimate``), where that line is, and the value as written (for reading back)."""
    comments = comments_in(scenario_file) if scenario_file and Path(scenario_file).is_file() else {}
    rows = []
    for key, value in flatten(scenario).items():
        if skipped(key) or key.startswith("run."):
            continue
        where = comments.get(key, ("", 0, ""))
        text = _written(value)
        rows.append({"key": key, "value": value if _plain(value) else text, "source": where[2],
                     "set in": f"{where[0]}:{where[1]}" if where[0] else "", "as written": text})
    return pd.DataFrame(rows, columns=COLUMNS)


def _plain(value: object) -> bool:
    return isinstance(value, bool | int | float | str) or value is None


def _written(value: object) -> str:
    """The value as YAML on one line (what --set would read)."""
    return yaml.safe_dump(value, default_flow_style=True, width=10_000, allow_unicode=True).strip() \
        .removesuffix("...").strip()


def overrides_from(path: Path) -> list[str]:
    """``KEY=VALUE`` for every row of the workbook's inputs sheet that was edited.

    Read through :mod:`slagsim.scenario.tables`: a file that is no workbook (.ods, .xls, encrypted,
    any zip) is one line, the sheet streams within its bounds, and a formula whose value was never
    stored is refused with its sheet and cell (read as empty, it would become ``null``)."""
    path = Path(path)
    shown = str(path)
    check_size(path, MAX_WORKBOOK_BYTES, _("give the workbook slagsim wrote (report.xlsx)"))
    sheet = _inputs_sheet(sheet_names(path), shown)
    rows = [(number, cells) for number, cells in stored_rows(path, sheet, (1, len(COLUMNS)))
            if any(cell not in (None, "") for cell in cells)]
    if not rows or any(cell in (None, "") for cell in rows[0][1]):  # read by position: headers are translated
        raise ScenarioError(f"the {LEGACY_SHEET!r} sheet needs its {len(COLUMNS)} columns as slagsim wrote "
                            "them (key, value, source, set in, as written)", file=shown)
    found = []
    for number, (key, value, _source, _set_in, written) in rows[1:]:
        if not isinstance(key, str) or not key.strip():
            continue
        if isinstance(value, Uncalculated):
            raise ScenarioError(uncalculated_problem(value.formula), file=shown,
                                key=_("sheet {sheet}, cell B{row} ({key})").format(sheet=sheet, row=number,
                                                                                   key=key.strip()))
        if _same(value, written):
            continue
        text = "null" if value is None or (isinstance(value, float) and value != value) else _cell_text(value)
        found.append(f"{key.strip()}={text}")
    return found


def _inputs_sheet(names: list[str], shown: str) -> str:
    """The inputs sheet's name in this workbook, in whichever language the report was written."""
    wanted = list(dict.fromkeys(name.lower() for name in (*in_every_language(SHEET), LEGACY_SHEET)))
    found = next((name for name in names if name.lower() in wanted), None)
    if found is None:
        raise ScenarioError(f"no inputs sheet (named {' or '.join(map(repr, wanted))}); give a workbook "
                            "slagsim wrote (report.xlsx)", file=shown)
    return found


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _same(value: object, written: object) -> bool:
    """Whether a cell still holds what slagsim wrote (numbers compared as numbers)."""
    if not isinstance(written, str):
        written = "" if written is None else str(written)
    try:
        original = yaml.safe_load(written)
    except yaml.YAMLError:
        original = written
    if isinstance(value, str):
        try:
            value = yaml.safe_load(value)
        except yaml.YAMLError:
            return value == written
    if value is None or (isinstance(value, float) and value != value):
        return original in (None, "")  # an empty cell: nothing, or the empty text slagsim wrote
    if isinstance(value, int | float) and isinstance(original, int | float) and not isinstance(value, bool):
        return abs(float(value) - float(original)) <= 1e-12 * max(1.0, abs(float(original)))
    return value == original
