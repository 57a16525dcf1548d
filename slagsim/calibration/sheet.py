"""A records file as a table of cells, read the way a bookkeeper's software writes it.

A CSV may separate its columns with commas (slagsim's own files), semicolons (what Excel writes
where the decimal mark is a comma, as in Indonesia) or tabs; the separator is read from the
header line. In a semicolon file the numbers follow the comma-decimal convention: ``12,5`` is
twelve and a half and ``157.075.979`` is Rupiah grouped by thousands; a lone point before three
digits (``22.987``) could be either, so it is refused rather than guessed.

A workbook's first sheet is read with the values Excel or LibreOffice stored beside each
formula. A formula whose value was never stored (a file written by a script, or saved by a tool
that does not calculate) reads as an empty cell; that would silently turn a whole column into
"the books do not say", so such a cell is refused with its row and column. A workbook is read through
:mod:`slagsim.scenario.tables` (its kind told from its bytes, streamed, rows counted), so a
million rows stop at the bound and an .ods or encrypted file is one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from slagsim.errors import ScenarioError
from slagsim.i18n import N_, _
from slagsim.scenario.limits import MAX_FILE_BYTES
from slagsim.scenario.tables import Uncalculated, check_workbook, reading, stored_rows

COMMA, SEMICOLON, TAB = ",", ";", "\t"
SEPARATOR_WORDS = {COMMA: N_("commas (,)"), SEMICOLON: N_("semicolons (;)"), TAB: N_("tabs")}
GROUPED = re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?")  # 157.075.979 or 1.234,5: points group thousands
# Only an empty cell is empty: pandas reads "NA", "NULL", "#N/A" and the like as missing by default,
# and a column of failed lookups would silently become "the books do not say".
ONLY_EMPTY_IS_EMPTY = {"keep_default_na": False, "na_values": [""]}
# What a spreadsheet stores for a formula that failed (openpyxl gives it as this text)
SPREADSHEET_ERRORS = frozenset({"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!",
                                "#SPILL!", "#CALC!", "#GETTING_DATA"})
AMBIGUOUS = re.compile(r"[+-]?\d{1,3}\.\d{3}")  # 22.987: 22987 grouped, or 22.987 with a decimal point


@dataclass(frozen=True)
class Table:
    """The cells (the header row as column names, every cell as written) and the CSV separator."""

    cells: pd.DataFrame
    separator: str = COMMA
    uncalculated: tuple[int, int, str] | None = None  # a formula without a stored value: row, column, formula
    failed: tuple[int, int, str] | None = None  # a formula whose stored value is an error: row, column, #N/A

    @property
    def decimal_comma(self) -> bool:
        return self.separator == SEMICOLON


def read_table(path: Path, most_rows: int, too_many: str) -> Table:
    """The first sheet of a workbook or a CSV file as text cells; a ScenarioError for anything else
    (``too_many``: what is said of a workbook with more than ``most_rows`` rows that hold something,
    found while it streams)."""
    if not path.is_file():
        raise ScenarioError(_("records file not found"), file=str(path))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ScenarioError(_("larger than {mb} MB; books of months are far smaller").format(
            mb=MAX_FILE_BYTES // 1_000_000), file=str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _workbook_table(path, most_rows, too_many)
    if suffix == ".csv":
        with reading(path):
            separator = _separator(path)
            return Table(pd.read_csv(path, dtype=object, skip_blank_lines=True, sep=separator,
                                     encoding="utf-8-sig", **ONLY_EMPTY_IS_EMPTY), separator)
    if suffix in (".ods", ".xls"):
        check_workbook(path)  # says what the file is and how to save it as .xlsx
    raise ScenarioError(_("records must be a .csv or .xlsx file"), file=str(path))


def _workbook_table(path: Path, most_rows: int, too_many: str) -> Table:
    """The first sheet's cells under its first filled row (the header), indexed so that a row's
    number in the sheet is its index + 2, as for a CSV file; the first formula without a stored
    value is kept aside (row, column, formula) and its cell left empty. Streamed: a sheet of a
    million rows stops at the bound, not after it is loaded."""
    rows = [(number, cells) for number, cells in stored_rows(path, most_filled=most_rows, too_many=too_many)
            if any(_filled(cell) for cell in cells)]
    if not rows:
        return Table(pd.DataFrame())
    width = max(max((i for i, cell in enumerate(cells, 1) if _filled(cell)), default=0) for _n, cells in rows)
    uncalculated = next(((number, column, cell.formula) for number, cells in rows
                         for column, cell in enumerate(cells[:width], start=1)
                         if isinstance(cell, Uncalculated)), None)
    (_first, header), body = rows[0], rows[1:]
    failed = next(((number, column, cell) for number, cells in body
                   for column, cell in enumerate(cells[:width], start=1) if cell in SPREADSHEET_ERRORS), None)
    names = ["" if cell is None or isinstance(cell, Uncalculated) else str(cell) for cell in header[:width]]
    data = [[None if isinstance(cell, Uncalculated) else cell for cell in cells[:width]]
            for _number, cells in body]
    index = [number - 2 for number, _cells in body]  # as for a CSV file: the sheet's row is the index + 2
    return Table(pd.DataFrame(data, columns=names, index=index, dtype=object), uncalculated=uncalculated,
                 failed=failed)


def _filled(cell: object) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _separator(path: Path) -> str:
    """The separator of the header line: the one of comma, semicolon and tab it holds most of."""
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        first = next((line for line in handle if line.strip()), "")
    counts = {separator: first.count(separator) for separator in (COMMA, SEMICOLON, TAB)}
    best = max(counts, key=lambda separator: counts[separator])
    return best if counts[best] > 0 else COMMA


def decimal_comma_text(text: str) -> str | None:
    """A semicolon file's number as Python reads it (``1.234,5`` -> ``1234.5``, ``12,5`` -> ``12.5``);
    None when it is ambiguous (``22.987``: a thousands point, or a decimal point)."""
    if GROUPED.fullmatch(text) and ("," in text or text.count(".") > 1):
        return text.replace(".", "").replace(",", ".")
    if AMBIGUOUS.fullmatch(text):
        return None
    if text.count(",") == 1 and "." not in text:
        return text.replace(",", ".")
    return text
