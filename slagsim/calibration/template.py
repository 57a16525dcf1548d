"""Records files slagsim writes: an empty template for the books, or a simulated run's months.

The template is a workbook a cooperative's bookkeeper fills in: one row per month, headers in
Indonesian and English, a sheet that says what each column means. A run's ``monthly.csv`` can be
written as records too (one replication, months dated from a chosen first year): that is how the
shipped example under ``scenarios/records/`` was made, and how a planner sees what the model's
books would look like.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from slagsim.calibration.books import MONTH, column_words, header, record_keys
from slagsim.errors import ScenarioError
from slagsim.i18n import _
from slagsim.results.files import atomic_write, write_csv
from slagsim.scenario.limits import MAX_REPLICATIONS, MAX_WARMUP_DAYS, MAX_YEARS
from slagsim.scenario.tables import reading

EXPLANATION = {  # key: (English, Indonesian) what to write
    MONTH: ("The month, written YYYY-MM (2024-03). One row per month; leave out months you have no "
            "books for.",
            "Bulan, ditulis TTTT-BB (2024-03). Satu baris per bulan; lewati bulan tanpa catatan."),
    "turnover_rp": ("Everything sold that month: ingot, blocks, scrap iron, in Rupiah.",
                    "Semua penjualan bulan itu: ingot, batako/paving, besi tua, dalam Rupiah."),
    "paid_worker_days": ("Worker-days paid that month, the firms' and the cooperative's crews'.",
                         "Hari-orang yang dibayar bulan itu, dari IKM dan regu koperasi."),
}
RUN_KEYS = ("replication", "year", "month")  # the columns of monthly.csv that say whose month it is
MONTHS_PER_YEAR = 12
MAX_RUN_YEAR = math.ceil((MAX_YEARS * 365 + MAX_WARMUP_DAYS) / 365)  # the warm-up's years count too
DEFAULT_EXPLANATION = ("Leave a cell empty when the books do not say.",
                       "Biarkan sel kosong bila catatan tidak menyebutkannya.")


def write_template(path: Path, products: list[str]) -> Path:
    """An empty records workbook: the records sheet first, then what each column means; for a
    ``.csv`` name, the header row alone (a CSV has one sheet: the words are the workbook's)."""
    keys = record_keys(products)
    if Path(path).suffix.lower() == ".csv":
        return write_csv(pd.DataFrame(columns=[header(key, products) for key in keys]), Path(path))
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "records"
    sheet.append([header(key, products) for key in keys])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, key in enumerate(keys, start=1):
        letter = sheet.cell(row=1, column=column).column_letter
        sheet.column_dimensions[letter].width = 16 if key != MONTH else 14
        for row in range(2, 2 + 36):  # three years of rows, formatted for what goes in them
            sheet.cell(row=row, column=column).number_format = "@" if key == MONTH else "#,##0.0"
    sheet.freeze_panes = "B2"
    about = book.create_sheet("about - keterangan")
    about.append(["column / kolom", "English", "Bahasa Indonesia", "what to write", "yang ditulis"])
    for key in keys:
        english, indonesian = column_words(key, products)
        what = EXPLANATION.get(key, DEFAULT_EXPLANATION)
        about.append([key, english, indonesian, *what])
    for letter, width in zip("ABCDE", (22, 26, 26, 60, 60), strict=True):
        about.column_dimensions[letter].width = width
    return atomic_write(Path(path), lambda temporary: book.save(temporary))


def records_from_run(folder: Path, replication: int, first_year: int) -> pd.DataFrame:
    """One replication of a run folder's ``monthly.csv`` as a records table, simulated year 1
    dated ``first_year``."""
    monthly_file = Path(folder) / "monthly.csv"
    if not monthly_file.is_file():
        raise ScenarioError("no monthly.csv here: run the scenario again with this version of slagsim",
                            file=str(folder))
    months = _run_months(monthly_file)
    if months.empty:
        raise ScenarioError(_("the run holds no whole month (it simulated less than a month): run it "
                              "again with --years 0.1 or more"), file=str(monthly_file))
    rows = months[months.replication == replication]
    if rows.empty:
        reps = sorted(int(rep) for rep in months.replication.unique())
        raise ScenarioError(f"replication {replication} is not in the run (it has {reps[0]}-{reps[-1]})",
                            file=str(monthly_file), key="replication")
    dated = [f"{first_year + int(year) - 1:04d}-{int(month):02d}"
             for year, month in zip(rows.year, rows.month, strict=True)]
    figures = rows.drop(columns=list(RUN_KEYS)).reset_index(drop=True)
    return pd.concat([pd.DataFrame({MONTH: dated}), figures.apply(_as_booked)], axis=1)


def _run_months(monthly_file: Path) -> pd.DataFrame:
    """A run's ``monthly.csv`` as numbers, checked as slagsim writes it: whole replications, years
    and months (1-12), figures finite and not negative (or empty). An edited or damaged file is
    one line naming the first cell that is not what slagsim wrote."""
    with reading(monthly_file):
        text = pd.read_csv(monthly_file, dtype=str, keep_default_na=False)
    for key in RUN_KEYS:
        if key not in text.columns:
            raise ScenarioError(_("no column {column}: not the monthly.csv slagsim writes; run the scenario "
                                  "again").format(column=key), file=str(monthly_file))
    numbers = text.apply(lambda column: pd.to_numeric(column.str.strip(), errors="coerce")).astype(float)
    wrong = (numbers.isna() & (text.map(str.strip) != "")) | np.isinf(numbers) | (numbers < 0)
    keys = list(RUN_KEYS)
    wrong[keys] |= numbers[keys].isna() | (numbers[keys] % 1 != 0) | (numbers[keys[1:]] < 1)
    wrong["replication"] |= numbers["replication"] >= MAX_REPLICATIONS
    wrong["year"] |= numbers["year"] > MAX_RUN_YEAR
    wrong["month"] |= numbers["month"] > MONTHS_PER_YEAR
    if wrong.to_numpy().any():
        index, column = next((i, c) for i in wrong.index for c in wrong.columns if wrong.at[i, c])
        raise ScenarioError(_("{value!r} is not what slagsim wrote: the file was edited or damaged; run the "
                              "scenario again").format(value=text.at[index, column]), file=str(monthly_file),
                            key=_("row {row}, column {column}").format(row=index + 2, column=column))
    return numbers


def _as_booked(column: pd.Series) -> pd.Series:
    """A column rounded as books keep it: kilograms, whole pieces and Rupiah, tenths of a day."""
    name = str(column.name)
    digits = 3 if name.endswith("_t") else 1 if name == "paid_worker_days" else 0
    return column.round(digits)
