"""The workbook's *inputs* sheet: every scenario value with its source, editable and read back.

A planner who lives in spreadsheets changes a figure in the sheet (the value column) and runs
``slagsim run SCENARIO --set-from report.xlsx``: every row whose value differs from what slagsim
wrote becomes a ``--set`` override, checked like one. The sheet keeps what it wrote in its last
column ("as written"), so an untouched row is never applied and the edit is all that changes.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import yaml

from slagsim.errors import ScenarioError
from slagsim.i18n import N_, in_every_language
from slagsim.scenario.diff import flatten, skipped
from slagsim.scenario.limits import MAX_WORKBOOK_BYTES
from slagsim.scenario.marks import comments_in

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
    """``KEY=VALUE`` for every row of the workbook's inputs sheet that was edited."""
    path = Path(path)
    shown = str(path)
    if not path.is_file():
        raise ScenarioError("file not found", file=shown)
    if path.stat().st_size > MAX_WORKBOOK_BYTES:
        raise ScenarioError(f"the file is larger than {MAX_WORKBOOK_BYTES // 1_000_000} MB; give the "
                            "workbook slagsim wrote (report.xlsx)", file=shown)
    try:
        with pd.ExcelFile(path) as book:
            sheet = pd.read_excel(book, sheet_name=_inputs_sheet(book.sheet_names, shown), dtype=object)
    except (ValueError, KeyError, zipfile.BadZipFile, OSError) as exc:
        raise ScenarioError(f"no readable {LEGACY_SHEET!r} sheet ({exc.__class__.__name__}); give a "
                            "workbook slagsim wrote (report.xlsx)", file=shown) from None
    if len(sheet.columns) != len(COLUMNS):  # read by position: the headers are in the report's language
        raise ScenarioError(f"the {LEGACY_SHEET!r} sheet needs its {len(COLUMNS)} columns as slagsim wrote "
                            "them (key, value, source, set in, as written)", file=shown)
    found = []
    for _, row in sheet.iterrows():
        key, value, written = row.iloc[0], row.iloc[1], row.iloc[4]
        if not isinstance(key, str) or not key.strip():
            continue
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
