"""A records file as a table of cells, read the way a bookkeeper's software writes it.

A CSV may separate its columns with commas (slagsim's own files), semicolons (what Excel writes
where the decimal mark is a comma, as in Indonesia) or tabs; the separator is read from the
header line. In a semicolon file the numbers follow the comma-decimal convention: ``12,5`` is
twelve and a half and ``157.075.979`` is Rupiah grouped by thousands; a lone point before three
digits (``22.987``) could be either, so it is refused rather than guessed.

A workbook's first sheet is read with the values Excel or LibreOffice stored beside each
formula. A formula whose value was never stored (a file written by a script, or saved by a tool
that does not calculate) reads as an empty cell; that would silently turn a whole column into
"the books do not say", so such a cell is refused with its row and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from slagsim.errors import ScenarioError
from slagsim.i18n import N_, _
from slagsim.scenario.limits import MAX_FILE_BYTES
from slagsim.scenario.workbooks import check_unpacked_size

COMMA, SEMICOLON, TAB = ",", ";", "\t"
SEPARATOR_WORDS = {COMMA: N_("commas (,)"), SEMICOLON: N_("semicolons (;)"), TAB: N_("tabs")}
GROUPED = re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?")  # 157.075.979 or 1.234,5: points group thousands
# Only an empty cell is empty: pandas would also read "NA", "NULL", "nan" and a spreadsheet's "#N/A" as
# empty, and a column of failed lookups would silently become "the books do not say".
ONLY_EMPTY_IS_EMPTY = {"keep_default_na": False, "na_values": [""]}
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


def read_table(path: Path) -> Table:
    """The first sheet of a workbook or a CSV file as text cells; a ScenarioError for anything else."""
    if not path.is_file():
        raise ScenarioError(_("records file not found"), file=str(path))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ScenarioError(_("larger than {mb} MB; books of months are far smaller").format(
            mb=MAX_FILE_BYTES // 1_000_000), file=str(path))
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            check_unpacked_size(path)
            uncalculated, failed = _formula_problems(path)
            return Table(pd.read_excel(path, sheet_name=0, dtype=object, **ONLY_EMPTY_IS_EMPTY),
                         uncalculated=uncalculated, failed=failed)
        if suffix == ".csv":
            separator = _separator(path)
            return Table(pd.read_csv(path, dtype=object, skip_blank_lines=True, sep=separator,
                                     encoding="utf-8-sig", **ONLY_EMPTY_IS_EMPTY), separator)
    except (OSError, ValueError, KeyError) as exc:
        raise ScenarioError(_("cannot be read as a table ({why}): save it as .csv or .xlsx").format(
            why=type(exc).__name__), file=str(path)) from None
    raise ScenarioError(_("records must be a .csv or .xlsx file"), file=str(path))


def _separator(path: Path) -> str:
    """The separator of the header line: the one of comma, semicolon and tab it holds most of."""
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        first = next((line for line in handle if line.strip()), "")
    counts = {separator: first.count(separator) for separator in (COMMA, SEMICOLON, TAB)}
    best = max(counts, key=lambda separator: counts[separator])
    return best if counts[best] > 0 else COMMA


def _formula_problems(path: Path) -> tuple[tuple[int, int, str] | None, tuple[int, int, str] | None]:
    """The first cell of the first sheet (row, column, both from 1) holding a formula but no value,
    and the first whose stored value is a spreadsheet's error (``#N/A``, ``#DIV/0!``).

    openpyxl reads either the formulas or the values Excel stored with them, never both; a cell
    is a formula without a value when the formula reading says ``f`` and the value reading None.
    pandas reads an error as an empty cell, so a failed lookup would be "the books do not say"."""
    from openpyxl import load_workbook

    formulas = load_workbook(path, read_only=True, data_only=False)
    values = load_workbook(path, read_only=True, data_only=True)
    uncalculated = failed = None
    try:
        rows = zip(formulas.worksheets[0].iter_rows(), values.worksheets[0].iter_rows(), strict=False)
        for row_number, (row_f, row_v) in enumerate(rows, start=1):
            for column, (cell_f, cell_v) in enumerate(zip(row_f, row_v, strict=False), start=1):
                formula = getattr(cell_f, "data_type", None) == "f"
                if uncalculated is None and formula and cell_v.value is None:
                    uncalculated = row_number, column, str(cell_f.value)
                if failed is None and getattr(cell_v, "data_type", None) == "e":
                    failed = row_number, column, str(cell_v.value)
            if uncalculated is not None and failed is not None:
                break
        return uncalculated, failed
    finally:
        formulas.close()
        values.close()


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
