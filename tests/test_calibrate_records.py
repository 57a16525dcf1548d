"""Records slagsim must not misread (issue 26): a formula whose value was never stored is refused
with its row and column, a figure beyond any plant is refused in one line, a semicolon file with
decimal commas (what Excel writes in Indonesia) is read, and an ambiguous point in it is refused
with a hint naming the separator. Every refusal: one line, exit 2, nothing written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from slagsim.calibration.books import read_records
from slagsim.errors import ScenarioError
from tests.common import BASELINE, invoke

PRODUCTS = ["paving", "brick"]


def _workbook(path: Path, cached: str | None) -> Path:
    """A records workbook whose March worker-days are ``=C2*2``; ``cached``: the value a spreadsheet
    program would have stored beside the formula (None: never calculated, as a script writes it)."""
    book = Workbook()
    sheet = book.active
    sheet.append(["month", "slag_received_t", "paid_worker_days"])
    sheet.append(["2024-02", 30.5, 150])
    sheet.append(["2024-03", 28.0, "=C2*2"])
    book.save(path)
    if cached is not None:  # what Excel or LibreOffice write on saving: the value beside the formula
        with zipfile.ZipFile(path) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
        name = "xl/worksheets/sheet1.xml"
        members[name] = members[name].replace(b"<v />", f"<v>{cached}</v>".encode())
        with zipfile.ZipFile(path, "w") as archive:
            for member, data in members.items():
                archive.writestr(member, data)
    return path


def _refused(books: Path, tmp_path: Path, expected: str) -> None:
    out = tmp_path / "out"
    result = invoke(["calibrate", books, "--scenario", BASELINE, "--out", out])
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert str(books) in lines[0] and expected in lines[0], lines[0]
    assert not out.exists()


def test_a_formula_without_a_stored_value_is_refused_with_its_row_and_column(tmp_path):
    books = _workbook(tmp_path / "books.xlsx", cached=None)
    _refused(books, tmp_path, "row 3, column paid_worker_days: =C2*2 is a formula whose value was never "
                              "stored: open and save the file in Excel or LibreOffice")


def test_a_formula_with_its_stored_value_is_read(tmp_path):
    records = read_records(_workbook(tmp_path / "books.xlsx", cached="300"), PRODUCTS)
    assert records.paid_worker_days.tolist() == [150.0, 300.0]


@pytest.mark.parametrize(("rows", "expected"), [
    ("month,slag_received_t\n2024-01,1e12\n",
     "row 2, column slag_received_t: 1e+12 t in a month is beyond any plant"),
    ("month,turnover_rp\n2024-01,5e18\n",
     "row 2, column turnover_rp: 5e+18 Rp in a month is beyond any plant"),
    ("month,paid_worker_days\n2024-01,2e7\n", "2e+07 worker-days in a month is beyond any plant"),
    ("month;slag_received_t\n2024-01;22.987\n",
     "'22.987' is ambiguous in a file whose columns are separated by semicolons (;): write 22987 without "
     "the point, or 22,987"),
])
def test_absurd_and_ambiguous_figures_are_one_line(tmp_path, rows, expected):
    books = tmp_path / "books.csv"
    books.write_text(rows, encoding="utf-8")
    _refused(books, tmp_path, expected)


def test_a_semicolon_file_with_decimal_commas_is_read(tmp_path):
    """Excel in an Indonesian locale separates columns with ';', decimals with ',' and may group
    thousands with '.'; it also starts the file with a byte-order mark."""
    books = tmp_path / "books.csv"
    books.write_text("\ufeffmonth;slag_received_t;turnover_rp;paid_worker_days\n"
                     "2024-02;22,987;157.075.979;180,5\n2024-03;48;1.234,5;\n", encoding="utf-8")
    records = read_records(books, PRODUCTS)
    assert records.slag_received_t.tolist() == [22.987, 48.0]
    assert records.turnover_rp.tolist() == [157075979.0, 1234.5]
    assert records.paid_worker_days.iloc[0] == 180.5 and records.paid_worker_days.isna().iloc[1]


def test_a_comma_file_is_read_as_before(tmp_path):
    books = tmp_path / "books.csv"
    books.write_text("month,slag_received_t\n2024-02,22.987\n", encoding="utf-8")
    assert read_records(books, PRODUCTS).slag_received_t.tolist() == [22.987]


@pytest.mark.parametrize(("written", "fragment"), [
    ("#N/A", "'#N/A' is not a number: a spreadsheet's error: correct the formula"),
    ("#DIV/0!", "'#DIV/0!' is not a number: a spreadsheet's error"),
    ("nan", "'nan' is not a finite number"),
    ("NA", "'NA' is not a number"),
])
def test_a_spreadsheet_error_or_na_text_is_refused_not_read_as_empty(tmp_path, written, fragment):
    """pandas read '#N/A', 'NA', 'NULL' and 'nan' as empty cells: a column of failed lookups silently
    became "the books do not say"."""
    path = tmp_path / "books.csv"
    path.write_text(f"month,slag_received_t\n2024-01,20\n2024-02,{written}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="row 3, column slag_received_t") as caught:
        read_records(path, PRODUCTS)
    assert fragment in str(caught.value)


def test_an_error_cell_of_a_workbook_is_refused_with_its_row_and_column(tmp_path):
    """In a workbook Excel stores a failed formula's value as an error cell, which pandas reads as empty."""
    book = Workbook()
    book.active.append(["month", "slag_received_t"])
    book.active.append(["2024-01", 20])
    book.active.append(["2024-02", "#N/A"])
    book.active["B3"].data_type = "e"  # as Excel stores a failed VLOOKUP
    path = tmp_path / "books.xlsx"
    book.save(path)
    with pytest.raises(ScenarioError, match="row 3, column slag_received_t: #N/A is a spreadsheet's error"):
        read_records(path, PRODUCTS)
