"""The measured values: one column of a CSV file or a workbook, read within bounds, every cell checked.

A timing sheet is typed by hand, so everything a fit cannot trust is refused in one line naming the
file, the column and the row, before anything is fitted or written: text in a number cell, a
formula whose value was never stored (a workbook written by a program and never opened), inf or
NaN, a negative time or weight, a value above 0 but below a millionth of an hour or a ton, fewer
than 5 values, values that are all equal. Empty cells are left out and counted. A CSV file may
separate its columns with commas, semicolons or tabs; with semicolons (what a spreadsheet set to
Indonesian or European numbers writes) a decimal comma is read as the decimal mark, and a
comma-separated file whose decimal commas split the numbers is refused with the hint to save it
with semicolons. Lines starting with ``#`` above the header are notes (where the values come
from). Files are bounded in bytes, rows and columns (:mod:`slagsim.scenario.limits`) so no file
can make the fit hang.
"""

from __future__ import annotations

import csv
import datetime
import difflib
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from slagsim.errors import ScenarioError, number_hint
from slagsim.i18n import _
from slagsim.scenario.limits import MAX_FILE_BYTES, MAX_JOB_HOURS, MAX_TONS, MAX_WORKBOOK_BYTES
from slagsim.scenario.tables import check_workbook

MIN_VALUES = 5
MAX_VALUES = 5_000  # a week of stopwatch readings is 50-500; the bootstrap refits this many values
MAX_COLUMNS = 50
MAX_DECIMALS = 6  # a resolution finer than a millionth is no rounding
SEPARATORS = {";": "semicolon", "\t": "tab", ",": "comma"}
MINUTES_PER_HOUR = 60.0
# 15:30 or 0:15:30: a stopwatch read as minutes:seconds, which a spreadsheet stores as a time of day
CLOCK = re.compile(r"\d{1,3}:\d{2}(:\d{2}([.,]\d+)?)?")
MAX_MEASURED = max(MAX_JOB_HOURS, MAX_TONS)  # a machine job's hours, a lot's tons
# Below a millionth of an hour (3.6 ms) or a ton (a gram) nothing is measured by hand; such a value is a
# slip, and 1e-300 among ordinary values overflowed the fits (an internal error) before it was refused.
MIN_MEASURED = 1e-6


@dataclass(frozen=True)
class Measured:
    """The values of one column, in the unit they are fitted in (hours when read as minutes)."""

    values: np.ndarray
    file: Path
    column: str  # the column's header as written in the file
    blanks: int  # empty cells left out
    resolution: float | None  # how the measurements were rounded (0.1 for a stopwatch read to tenths)
    minutes: bool  # read as minutes and divided by 60
    separator: str  # "comma", "semicolon", "tab" or "workbook"

    @property
    def n(self) -> int:
        return len(self.values)


def read_measured(path: Path, column: str | None, minutes: bool = False) -> Measured:
    """The values of ``column`` in ``path`` (the only column when None); a ScenarioError naming
    the file, the column and the row for anything a fit cannot use."""
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(_("file not found"), file=str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows, separator = _workbook_rows(path), "workbook"
    elif suffix in (".csv", ".txt"):
        rows, separator = _csv_rows(path)
    else:
        raise ScenarioError(_("measurements must be a .csv or .xlsx file"), file=str(path))
    filled = [(number, cells) for number, cells in rows if any(_filled(cell) for cell in cells)]
    if not filled:
        raise ScenarioError(_("no header row: the first row names the columns"), file=str(path))
    first, header_cells = filled[0]
    header = [("" if cell is None else str(cell)).strip() for cell in header_cells]
    position = _column_of(path, header, column)
    name = header[position]
    if separator == "comma":
        _check_field_counts(path, name, filled, len(header))
    kept = {number for number, _cells in filled[1:]}  # rows with something in them
    data = [(number, cells[position] if position < len(cells) else None) for number, cells in rows
            if number > first]
    if separator == "workbook" and any(cell is None for _row, cell in data):
        formulas = _formulas_without_values(path, position)  # an unknown value reads as an empty cell
        data = [(number, _FormulaWithoutValue() if number in formulas and cell is None else cell)
                for number, cell in data]
        kept |= formulas
    data = [(number, cell) for number, cell in data if number in kept]
    numbers, blanks = [], 0
    for row_number, cell in data:
        value = _number(path, name, row_number, cell, separator, minutes)
        if value is None:
            blanks += 1
            continue
        numbers.append(value)
        if len(numbers) > MAX_VALUES:
            raise ScenarioError(_("more than {most} values; a fit needs a few hundred at most").format(
                most=f"{MAX_VALUES:,}"), file=str(path), key=name)
    values = np.array(numbers, dtype=float)
    _check_values(path, name, values)
    resolution = _resolution(values)
    if minutes:
        values = values / MINUTES_PER_HOUR
        resolution = resolution / MINUTES_PER_HOUR if resolution else None
    return Measured(values, path, name, blanks, resolution, minutes, separator)


Rows = list[tuple[int, list[object]]]  # (the row's number in the file, its cells)


def _csv_rows(path: Path) -> tuple[Rows, str]:
    """The rows of a CSV file numbered by their line in it, and the separator's name."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ScenarioError(_("larger than {mb} MB; a sheet of measurements is far smaller").format(
            mb=MAX_FILE_BYTES // 1_000_000), file=str(path))
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # what Excel on Windows saves as "CSV"
    lines = text.splitlines()
    notes = 0
    while notes < len(lines) and (not lines[notes].strip() or lines[notes].lstrip().startswith("#")):
        notes += 1  # notes above the header: where the values come from
    if notes == len(lines):
        return [], "comma"
    separator = next((mark for mark in SEPARATORS if mark in lines[notes]), ",")
    reader = csv.reader(io.StringIO("\n".join(lines[notes:])), delimiter=separator)
    rows = []
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((notes + reader.line_num, list(cells)))
    except csv.Error as exc:  # a cell longer than the csv module reads (128 kB): no sheet of numbers
        raise ScenarioError(_("cannot be read as a table ({why}): save it as .csv or .xlsx").format(
            why=exc), file=str(path)) from None
    return rows, SEPARATORS[separator]


def _workbook_rows(path: Path) -> Rows:
    """The first sheet's rows as stored, numbered as the spreadsheet numbers them, empty ones too
    (a formula whose value was never stored reads as an empty cell)."""
    if path.stat().st_size > MAX_WORKBOOK_BYTES:
        raise ScenarioError(_("larger than {mb} MB; a sheet of measurements is far smaller").format(
            mb=MAX_WORKBOOK_BYTES // 1_000_000), file=str(path))
    check_workbook(path)
    return _sheet_rows(path, values=True, columns=(1, MAX_COLUMNS))


def _formulas_without_values(path: Path, position: int) -> set[int]:
    """The rows whose cell in the column holds a formula: where the stored value is empty, the
    workbook was written by a program and never saved by a spreadsheet, and the value is unknown."""
    rows = _sheet_rows(path, values=False, columns=(position + 1, position + 1))
    return {number for number, (cell, *_rest) in rows if isinstance(cell, str) and cell.startswith("=")}


class _FormulaWithoutValue:
    """A formula cell whose value the workbook does not hold."""


def _sheet_rows(path: Path, values: bool, columns: tuple[int, int]) -> Rows:
    """The first sheet's rows (``values``: as stored, else as written, formulas as text), every row
    numbered, empty ones too; read through the one door for users' tables (bounded in bytes
    unpacked and rows, a file that is no workbook or that no library reads is one line)."""
    from slagsim.scenario.tables import sheet_rows

    return [(number, list(cells)) for number, cells in sheet_rows(path, values=values, columns=columns,
                                                                   beyond_ignored=True)]


def _filled(cell: object) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def _column_of(path: Path, header: list[str], column: str | None) -> int:
    """The position of the column named ``column``: its whole header, or one of the parts of a
    header written "Indonesian / English" (the template's), in any case."""
    shown = ", ".join(repr(h) for h in header if h)
    if column is None:
        if len([h for h in header if h]) == 1:
            return next(i for i, h in enumerate(header) if h)
        raise ScenarioError(_("which column? name it with --column; the columns: {columns}").format(
            columns=shown), file=str(path))
    wanted = _plain(column)
    for position, text in enumerate(header):
        if wanted == _plain(text) or wanted in (_plain(part) for part in text.split("/")):
            return position
    names = [_plain(part) for text in header for part in (text, *text.split("/")) if text]
    close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.6)
    hint = (_("did you mean {column!r}?").format(column=close[0]) if close
            else _("the columns: {columns}").format(columns=shown))
    raise ScenarioError(_("no column {column!r}; {hint}").format(column=column, hint=hint), file=str(path))


def _check_field_counts(path: Path, name: str, rows: Rows, columns: int) -> None:
    """A comma-separated row with more fields than the header: decimal commas split its numbers."""
    for row_number, row in rows[1:]:
        if len(row) > columns and any(str(cell).strip() for cell in row[columns:]):
            raise ScenarioError(_("row {row} has {fields} fields but the header has {columns}: decimal "
                                  "commas split the numbers. Save the file with semicolons (;) between "
                                  "the columns, or write decimal points (15.3)").format(
                row=row_number, fields=len(row), columns=columns), file=str(path), key=name)


def _number(path: Path, name: str, row: int, cell: object, separator: str, minutes: bool) -> float | None:
    """The cell's number, None when it is empty; anything else that is no number is refused."""
    where = {"file": str(path), "key": name}
    if isinstance(cell, _FormulaWithoutValue):
        raise ScenarioError(_("row {row} holds a formula whose value is not stored: open the file in "
                              "Excel or LibreOffice and save it, so its values are stored").format(row=row),
                            **where)
    if cell is None:
        return None
    if isinstance(cell, datetime.time | datetime.timedelta) or (
            isinstance(cell, str) and CLOCK.fullmatch(cell.strip())):
        raise ScenarioError(_("row {row} holds {value}, a time on a clock, not a number: type the minutes as "
                              "a plain number (15.5 for 15 minutes 30 seconds)").format(
            row=row, value=str(cell).strip()), **where)
    if isinstance(cell, bool) or not isinstance(cell, int | float | str):
        raise ScenarioError(_("row {row} holds {value!r}, not a number: write the measured number, or leave "
                              "the cell empty").format(row=row, value=str(cell)), **where)
    if isinstance(cell, int | float):
        number = float(cell)
    else:
        text = cell.strip()
        if not text:
            return None
        number = _parse(text, separator, row, where)
    if not math.isfinite(number):
        raise ScenarioError(_("row {row} holds {value}, not a finite number: write the measured number, or "
                              "leave the cell empty").format(row=row, value=str(cell).strip()), **where)
    if number < 0:
        raise ScenarioError(_("row {row} holds {value}: a time or a weight cannot be negative; correct or "
                              "delete it").format(row=row, value=f"{number:g}"), **where)
    fitted = number / (MINUTES_PER_HOUR if minutes else 1.0)
    if 0 < fitted < MIN_MEASURED:
        raise ScenarioError(_("row {row} holds {value}: smaller than anything timed or weighed by hand (a "
                              "millionth of an hour or of a ton, 3.6 ms or a gram); correct it, or leave "
                              "the cell empty").format(row=row, value=f"{number:g}"), **where)
    if fitted > MAX_MEASURED:
        raise ScenarioError(_("row {row} holds {value}: beyond anything slagsim simulates (at most {most} "
                              "hours or tons); correct or delete it").format(
            row=row, value=f"{number:g}", most=f"{MAX_MEASURED:,.0f}"), **where)
    return number


def _parse(text: str, separator: str, row: int, where: dict[str, str]) -> float:
    if separator == "semicolon" and re.fullmatch(r"[+-]?\d*,\d+", text):
        text = text.replace(",", ".")  # the decimal comma of a semicolon-separated file
    try:
        return float(text)
    except ValueError:
        pass
    if re.fullmatch(r"[+-]?\d+,\d+", text) and separator == "comma":
        hint = _("write {number}, or save the file with semicolons (;) between the columns so the "
                 "decimal comma can stay").format(number=text.replace(",", "."))
    else:
        hint = number_hint(text) or _("write the measured number, or leave the cell empty")
    raise ScenarioError(_("row {row} holds {value!r}, not a number: {hint}").format(
        row=row, value=text, hint=hint), **where)


def _check_values(path: Path, name: str, values: np.ndarray) -> None:
    where = {"file": str(path), "key": name}
    if len(values) < MIN_VALUES:
        raise ScenarioError(_("only {n} values; a fit needs at least {least} (30 or more to tell the "
                              "families apart)").format(n=len(values), least=MIN_VALUES), **where)
    if np.ptp(values) <= 1e-9 * np.abs(values).max():  # beyond a float's last digits: equal
        raise ScenarioError(_("all {n} values are {value}: nothing varies, so there is no distribution to "
                              "fit; write the constant {value} in the scenario").format(
            n=len(values), value=f"{values[0]:g}"), **where)


def _resolution(values: np.ndarray) -> float | None:
    """The step the measurements were rounded to: the largest number every value is a whole
    multiple of, in decimals (0.1, 0.5, 5); None when they are not rounded at all."""
    for decimals in range(MAX_DECIMALS + 1):
        scaled = values * 10**decimals
        if np.abs(scaled).max() > 1e15:  # beyond whole numbers a float holds exactly
            return None
        whole = np.round(scaled)
        if np.all(np.abs(scaled - whole) <= 1e-6 * np.maximum(1.0, np.abs(scaled))):
            step = int(np.gcd.reduce(whole.astype(np.int64)))
            return step / 10**decimals if step else None
    return None
