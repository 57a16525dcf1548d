"""A cooperative's monthly books as slagsim reads them: the records file.

One row per month (``month``: ``YYYY-MM``), one column per quantity of :mod:`slagsim.analysis.monthly` (slag
received and processed, ingot made and sold, each block product made and sold in tons and pieces,
turnover, paid worker-days). Months may be missing and cells left empty: the books rarely hold
everything. A column's header may be its key (``slag_received_t``), its English or Indonesian
words, or both as the template writes them ("Slag diterima / Slag received [t]").

Anything slagsim cannot trust is refused with the file, the row and the column: a month twice, a
month not written ``YYYY-MM``, negative tons, text in a number column, a column nobody knows, a
formula whose value was never stored, a figure beyond any plant (a slipped decimal point). How the
file itself is read (separators, decimal commas, formulas) is :mod:`~slagsim.calibration.sheet`.
"""

from __future__ import annotations

import difflib
import math
import re
from pathlib import Path

import pandas as pd

from slagsim.analysis.monthly import columns as measured_columns
from slagsim.calibration.sheet import SEPARATOR_WORDS, Table, decimal_comma_text, read_table
from slagsim.errors import ScenarioError, number_hint
from slagsim.i18n import _
from slagsim.scenario.limits import (
    MAX_BOOKED_PIECES,
    MAX_BOOKED_RP,
    MAX_BOOKED_TONS,
    MAX_BOOKED_WORKER_DAYS,
)
from slagsim.scenario.tables import uncalculated_problem

MONTH = "month"
MAX_MONTHS = 600  # fifty years of books
FIXED_WORDS = {  # key: (English, Indonesian)
    MONTH: ("Month (YYYY-MM)", "Bulan (TTTT-BB)"),
    "slag_received_t": ("Slag received [t]", "Slag diterima [t]"),
    "slag_processed_t": ("Slag processed [t]", "Slag diolah [t]"),
    "ingot_made_t": ("Ingot made [t]", "Ingot dibuat [t]"),
    "ingot_sold_t": ("Ingot sold [t]", "Ingot terjual [t]"),
    "turnover_rp": ("Turnover [Rp]", "Omzet [Rp]"),
    "paid_worker_days": ("Paid worker-days", "Hari-orang dibayar"),
}
PRODUCT_WORDS = {  # suffix: (English, Indonesian) with {product}
    "_made_t": ("{product} made [t]", "{product} dibuat [t]"),
    "_made_pieces": ("{product} made [pieces]", "{product} dibuat [buah]"),
    "_sold_t": ("{product} sold [t]", "{product} terjual [t]"),
    "_sold_pieces": ("{product} sold [pieces]", "{product} terjual [buah]"),
}


def column_words(key: str, products: list[str]) -> tuple[str, str]:
    """The English and Indonesian header of a records column."""
    if key in FIXED_WORDS:
        return FIXED_WORDS[key]
    for product in products:
        for suffix, (english, indonesian) in PRODUCT_WORDS.items():
            if key == product + suffix:
                name = product.replace("_", " ").capitalize()
                return english.format(product=name), indonesian.format(product=name)
    return key, key


def header(key: str, products: list[str]) -> str:
    """The template's header: Indonesian first, then English."""
    english, indonesian = column_words(key, products)
    return f"{indonesian} / {english}"


def record_keys(products: list[str]) -> list[str]:
    return [MONTH, *measured_columns(products)]


def read_records(path: Path, products: list[str]) -> pd.DataFrame:
    """The records in ``path`` (CSV or XLSX) as one row per month, sorted, with a column per known
    quantity (empty cells are NaN); a ScenarioError naming row and column for anything else."""
    path = Path(path)
    sheet = read_table(path, MAX_MONTHS + 1, _("more than {most} rows of months; at most {most} months are "
                                                "read").format(most=MAX_MONTHS))
    table = sheet.cells
    keys = _keys_of(path, list(table.columns), products, sheet)
    if sheet.uncalculated is not None:
        row, column, formula = sheet.uncalculated
        name = keys[column - 1] if column <= len(keys) else column
        raise ScenarioError(uncalculated_problem(formula), file=str(path), key=_where(row, name))
    if sheet.failed is not None:
        row, column, error = sheet.failed
        name = keys[column - 1] if column <= len(keys) else column
        raise ScenarioError(_("{error} is a spreadsheet's error, not a figure: correct the formula in Excel "
                              "or LibreOffice, or leave the cell empty when the books do not say").format(
            error=error), file=str(path), key=_where(row, name))
    table = table[~table.map(_blank).all(axis=1)]  # empty rows (a template's unused lines) are no months
    table.columns = keys
    if MONTH not in keys:
        raise ScenarioError(_("no month column; the first column is the month, written YYYY-MM (2024-03)"),
                            file=str(path), key=MONTH)
    if len(table) > MAX_MONTHS:
        raise ScenarioError(_("{rows} rows; at most {most} months are read").format(
            rows=len(table), most=MAX_MONTHS), file=str(path))
    months = [_month(path, row, value) for row, value in _rows(table[MONTH])]
    seen: dict[str, int] = {}
    for (row, _value), month in zip(_rows(table[MONTH]), months, strict=True):
        if month in seen:
            raise ScenarioError(_("{month} appears twice (also in row {row}); keep one row per month").format(
                month=month, row=seen[month]), file=str(path), key=_where(row, MONTH))
        seen[month] = row
    out = pd.DataFrame({MONTH: months})
    for key in keys:
        if key != MONTH:
            out[key] = [_number(path, row, key, value, sheet) for row, value in _rows(table[key])]
    if out.empty:
        raise ScenarioError(_("no months in it: one row per month, the month first (2024-03)"),
                            file=str(path))
    if out.drop(columns=[MONTH]).isna().all().all():
        raise ScenarioError(_("every number cell is empty: fill in at least one month's figures"),
                            file=str(path))
    return out.sort_values(MONTH, kind="stable").reset_index(drop=True)


def _keys_of(path: Path, headers: list[object], products: list[str], sheet: Table) -> list[str]:
    """Each header's key; an unknown header is refused with the nearest known one, or, when it
    holds a separator, with what went wrong with the separators (not a near miss of its first part)."""
    known = {}
    for key in record_keys(products):
        english, indonesian = column_words(key, products)
        for text in (key, english, indonesian, f"{indonesian} / {english}"):
            known[_plain(text)] = key
    keys = []
    for position, text in enumerate(headers, start=1):
        key = known.get(_plain(str(text)))
        if key is None and (problem := _separator_problem(path, str(text), sheet)):
            raise ScenarioError(problem, file=str(path), key=_where(1, position))
        if key is None:
            close = difflib.get_close_matches(_plain(str(text)), list(known), n=1, cutoff=0.6)
            hint = _("did you mean {key!r}?").format(key=known[close[0]]) if close else (
                _("known columns: {keys}").format(keys=", ".join(record_keys(products))))
            raise ScenarioError(_("unknown column {column!r}; {hint}").format(column=str(text), hint=hint),
                                file=str(path), key=_where(1, position))
        if key in keys:
            raise ScenarioError(_("column {key!r} appears twice").format(key=key), file=str(path),
                                key=_where(1, position))
        keys.append(key)
    return keys


def _separator_problem(path: Path, header: str, sheet: Table) -> str | None:
    """Why a header holds a separator: a file that mixes them, or a CSV line pasted into one cell."""
    marks = [mark for mark in SEPARATOR_WORDS if mark in header and mark != sheet.separator]
    if not marks:
        return None
    held = ", ".join(_(SEPARATOR_WORDS[mark]) for mark in marks)
    if path.suffix.lower() != ".csv":
        return _("unknown column {column!r}: it holds {marks}, as a line of a CSV file pasted into one cell; "
                 "split it into columns (Data > Text to Columns) or save the file as .csv").format(
            column=header, marks=held)
    return _("unknown column {column!r}: it holds {marks}, but the columns of this file are separated by "
             "{separator} (read from its header line); separate every column the same way").format(
        column=header, marks=held, separator=_(SEPARATOR_WORDS[sheet.separator]))


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def _rows(column: pd.Series):
    """(spreadsheet row number, value): the header is row 1, so the first data row is 2."""
    return ((int(index) + 2, value) for index, value in column.items())


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def _month(path: Path, row: int, value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return f"{value.year:04d}-{value.month:02d}"
    text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})(-\d{1,2}( 00:00:00)?)?", text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ScenarioError(_("{text!r} is not a month: write it YYYY-MM, like 2024-03").format(text=text),
                            file=str(path), key=_where(row, MONTH))
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"


def _where(row: int, column: object) -> str:
    """Where in the sheet: ``row 3, column slag_received_t`` (the header is row 1)."""
    return _("row {row}, column {column}").format(row=row, column=column)


def _number(path: Path, row: int, key: str, value: object, sheet: Table) -> float:
    """A cell's number (NaN when empty); text, negatives, endless and absurd numbers are refused."""
    if _blank(value):
        return math.nan
    where = _where(row, key)
    text = str(value).strip()
    if sheet.decimal_comma and isinstance(value, str):
        read = decimal_comma_text(text)
        if read is None:
            raise ScenarioError(_("{value!r} is ambiguous in a file whose columns are separated by "
                                  "{separator}: write {grouped} without the point, or {decimal} for a "
                                  "decimal").format(
                value=text, separator=_(SEPARATOR_WORDS[sheet.separator]), grouped=text.replace(".", ""),
                decimal=text.replace(".", ",")), file=str(path), key=where)
        text = read
    try:
        number = float(text)
    except ValueError:
        hint = number_hint(text) or _("write a plain number, or leave the cell empty")
        raise ScenarioError(_("{value!r} is not a number: {hint}").format(value=str(value), hint=hint),
                            file=str(path), key=where) from None
    if not math.isfinite(number):
        raise ScenarioError(_("{value!r} is not a finite number: write the month's figure or leave the cell "
                              "empty").format(value=str(value).strip()), file=str(path), key=where)
    if number < 0:
        raise ScenarioError(_("{number} cannot be negative: tons, pieces, Rupiah and worker-days are 0 or "
                              "more").format(number=f"{number:g}"), file=str(path), key=where)
    most, unit = _bound(key)
    if number > most:
        raise ScenarioError(_("{number:g} {unit} in a month is beyond any plant (at most {most:g}): check "
                              "the unit and the decimal point").format(number=number, unit=unit, most=most),
                            file=str(path), key=where)
    return number


def _bound(key: str) -> tuple[float, str]:
    """The most a month of the books can hold in ``key``'s column, and its unit."""
    if key == "turnover_rp":
        return MAX_BOOKED_RP, "Rp"
    if key == "paid_worker_days":
        return MAX_BOOKED_WORKER_DAYS, _("worker-days")
    if key.endswith("_pieces"):
        return MAX_BOOKED_PIECES, _("pieces")
    return MAX_BOOKED_TONS, "t"
