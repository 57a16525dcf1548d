"""Issue 27, hostile files and misleading messages: every file a user gives is read behind one door.

An .ods, an old .xls, an encrypted workbook or a zip named ``.xlsx`` gave a 63-line traceback to
``--set-from`` and "internal error" to ``calibrate``; ``records-template --from-run`` crashed on a
run shorter than a month or an edited ``monthly.csv``; ranges valid alone but not together were
blamed on the scenario file; a header holding a semicolon got "did you mean"; a formula in the
inputs sheet became ``null``. Each test asserts the exit code, the exact line, and that nothing
was written.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.common import SCENARIOS, invoke
from tests.test_hostile import (
    QUICK,
    assert_one_line_error,
    tree,
)

OLE = bytes.fromhex("D0CF11E0A1B11AE1")  # the container of .xls and of encrypted .xlsx files
HELP = " (see cli {command} --help)"  # what click adds to an option's error; in-process the program is cli


def ods(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")


def zip_of_text(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")


KINDS = {  # name: (how the file is made, what is said)
    "sheet.ods": (ods, "an OpenDocument spreadsheet (.ods), not an Excel workbook: save it as .xlsx (Excel "
                       "workbook)"),
    "ods-renamed.xlsx": (ods, "an OpenDocument spreadsheet (.ods), not an Excel workbook: save it as .xlsx "
                              "(Excel workbook)"),
    "old.xls": (lambda p: p.write_bytes(OLE + bytes(1024)),
                "an Excel 97-2003 workbook (.xls): open it and save it as .xlsx (Excel workbook)"),
    "old-renamed.xlsx": (lambda p: p.write_bytes(OLE + bytes(1024)),
                         "an Excel 97-2003 workbook (.xls): open it and save it as .xlsx (Excel workbook)"),
    "encrypted.xlsx": (lambda p: p.write_bytes(OLE + bytes(512) + "EncryptedPackage".encode("utf-16-le")),
                       "protected by a password, so slagsim cannot read it: save a copy without the "
                       "password"),
    "archive.xlsx": (zip_of_text, "a zip archive but not an Excel workbook: save the sheet as .xlsx (Excel "
                                  "workbook)"),
    "text.xlsx": (lambda p: p.write_text("month,slag_received_t\n2024-01,3\n"),
                  "not an Excel workbook, though named like one: open it in a spreadsheet and save it as "
                  ".xlsx (Excel workbook)"),
    "cut-short.xlsx": (lambda p: p.write_bytes(b"PK\x03\x04" + bytes(100)),
                       "cannot be read (BadZipFile): open it and save it again as .xlsx (Excel workbook)"),
}


# -------------------------------------------------------------- case 3: one door for every file


@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_file_that_is_no_workbook_is_one_line_for_set_from(sandbox, name):
    make, said = KINDS[name]
    make(sandbox / name)
    before = tree(sandbox)
    result = invoke(["run", "scenarios/baseline.yaml", "--set-from", name, *QUICK])
    line = assert_one_line_error(result, 2)
    assert line == f"error: --set-from: {name}: {said}" + HELP.format(command="run")
    assert tree(sandbox) == before


@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_file_that_is_no_workbook_is_one_line_for_calibrate(sandbox, name):
    make, said = KINDS[name]
    make(sandbox / name)
    before = tree(sandbox)
    result = invoke(["calibrate", name, "--scenario", "scenarios/baseline.yaml", "--draws", "10"])
    line = assert_one_line_error(result, 2)
    assert line == f"error: {name}: {said}"
    assert tree(sandbox) == before


@pytest.mark.parametrize("name", sorted(name for name in KINDS if name.endswith(".xlsx")))
def test_a_file_that_is_no_workbook_is_one_line_for_fit(sandbox, name):
    make, said = KINDS[name]
    make(sandbox / name)
    before = tree(sandbox)
    line = assert_one_line_error(invoke(["fit", name]), 2)
    assert line == f"error: {name}: {said}"
    assert tree(sandbox) == before


def test_records_of_absurd_tons_leave_no_posterior_behind(sandbox):
    books = sandbox / "books.csv"
    books.write_text("month,slag_received_t\n2024-01,1e300\n2024-02,30\n")
    out = sandbox / "results" / "cal"
    result = invoke(["calibrate", books, "--scenario", "scenarios/baseline.yaml", "--out", out])
    line = assert_one_line_error(result, 2)
    assert line == (f"error: {books}: row 2, column slag_received_t: 1e+300 t in a month is beyond any plant "
                    "(at most 1e+06): check the unit and the decimal point")
    assert not out.exists()


@pytest.fixture(scope="module")
def short_run(tmp_path_factory) -> Path:
    """A run of 18 days: monthly.csv holds its header and no month."""
    out = tmp_path_factory.mktemp("short") / "run"
    result = invoke(["run", SCENARIOS / "baseline.yaml", *QUICK, "--out", out, "--quiet"])
    assert result.exit_code == 0, result.output
    return out


LONGER_MONTHS = ("replication,year,month,slag_received_t,turnover_rp\n"
                 "0,1,2,28.1,122939872.9\n0,1,3,30.5,130000000.0\n")


@pytest.mark.parametrize("edit, said", [
    (None, "monthly.csv: the run holds no whole month (it simulated less than a month): run it again with "
           "--years 0.1 or more"),
    (("0,1,2,", "0,x,2,"), "monthly.csv: row 2, column year: 'x' is not what slagsim wrote: the file was "
                           "edited or damaged; run the scenario again"),
    (("0,1,2,", "0,1e300,2,"), "monthly.csv: row 2, column year: '1e300' is not what slagsim wrote: the "
                               "file was edited or damaged; run the scenario again"),
    (("0,1,2,", "0,1,,"), "monthly.csv: row 2, column month: '' is not what slagsim wrote: the file was "
                          "edited or damaged; run the scenario again"),
    (("28.1", "abc"), "monthly.csv: row 2, column slag_received_t: 'abc' is not what slagsim wrote: the file "
                      "was edited or damaged; run the scenario again"),
    (("replication,", "rep,"), "monthly.csv: no column replication: not the monthly.csv slagsim writes; run "
                               "the scenario again"),
])
def test_records_from_a_short_or_edited_run_are_one_line(sandbox, short_run, edit, said):
    run = sandbox / "run"
    shutil.copytree(short_run, run)
    if edit is not None:
        (run / "monthly.csv").write_text(LONGER_MONTHS.replace(*edit, 1))
    before = tree(sandbox)
    result = invoke(["records-template", "--out", "books.csv", "--from-run", run])
    line = assert_one_line_error(result, 2)
    assert line == f"error: {run}/{said}"
    assert tree(sandbox) == before


def test_records_from_an_untouched_run_are_written(sandbox, short_run):
    run = sandbox / "run"
    shutil.copytree(short_run, run)
    (run / "monthly.csv").write_text(LONGER_MONTHS)
    result = invoke(["records-template", "--out", "books.csv", "--from-run", run])
    assert result.exit_code == 0, result.output
    assert (sandbox / "books.csv").read_text().splitlines()[1:] == ["2024-02,28.1,122939873.0",
                                                                     "2024-03,30.5,130000000.0"]


# ------------------------------------------------------------------ case 5: misleading messages


COMBO = "extends: baseline.yaml\nname: combo\ncalendar:\n  shift_hours: 8.5\n"  # 2 shifts from 8: past 24 h
COMBINED = ("error: scenarios/estimates.yaml: calendar.shifts_per_day, calendar.first_shift_start_hour: "
            "drawn together (calendar.shifts_per_day=2, calendar.first_shift_start_hour=8) they make "
            "{scenario} invalid (calendar: shifts_per_day x shift_hours after first_shift_start_hour runs "
            "past midnight), though each range is valid alone: narrow these ranges so that every combination "
            "is valid")


def test_ranges_valid_alone_but_not_together_are_blamed_on_the_ranges_by_calibrate(sandbox):
    (sandbox / "scenarios" / "combo.yaml").write_text(COMBO)
    out = sandbox / "results" / "cal"
    result = invoke(["calibrate", "scenarios/records/example-simulated.csv", "--scenario",
                     "scenarios/combo.yaml", "--estimate", "calendar.shifts_per_day", "--estimate",
                     "calendar.first_shift_start_hour", "--draws", "10", "--out", out])
    assert assert_one_line_error(result, 2) == COMBINED.format(scenario="scenarios/combo.yaml")
    assert not out.exists()


def test_ranges_valid_alone_but_not_together_are_blamed_on_the_ranges_by_appraise(sandbox):
    (sandbox / "scenarios" / "combo.yaml").write_text(COMBO)
    menu = sandbox / "scenarios" / "purchases" / "combo-menu.yaml"
    menu.write_text("name: combo-menu\nbaseline: ../combo.yaml\ndiscount_rate: 0.1\nhorizon_years: 10\n"
                    "items:\n  press:\n    set: {machines.press.count: 2}\n    price_rp: 200000000\n"
                    "    life_years: 10\n    paid_by: dak\n")
    before = tree(sandbox)
    result = invoke(["appraise", "scenarios/purchases/combo-menu.yaml", "--uncertainty", "estimates",
                     "--draws", "20", "--reps", "2"])
    line = assert_one_line_error(result, 2)
    assert line == COMBINED.format(scenario="scenarios/purchases/../combo.yaml")
    assert tree(sandbox) == before


@pytest.mark.parametrize("name, text, said", [
    ("books.csv", "month,slag_received_t;turnover_rp\n2024-01,12;5\n",
     "row 1, column 2: unknown column 'slag_received_t;turnover_rp': it holds semicolons (;), but the "
     "columns of this file are separated by commas (,) (read from its header line); separate every column "
     "the same way"),
    ("books.xlsx", None,
     "row 1, column 1: unknown column 'month;slag_received_t': it holds semicolons (;), as a line of a CSV "
     "file pasted into one cell; split it into columns (Data > Text to Columns) or save the file as .csv"),
])
def test_a_header_holding_another_separator_names_the_separator(sandbox, name, text, said):
    books = sandbox / name
    if text is None:
        book = Workbook()
        book.active.append(["month;slag_received_t"])
        book.active.append(["2024-01;3"])
        book.save(books)
    else:
        books.write_text(text)
    result = invoke(["calibrate", name, "--scenario", "scenarios/baseline.yaml", "--dry-run"])
    assert assert_one_line_error(result, 2) == f"error: {name}: {said}"


def test_a_price_series_separated_by_semicolons_says_so(sandbox):
    prices = sandbox / "scenarios" / "prices"
    original = (prices / "aluminium-imf-usd.csv").read_text().splitlines()
    (prices / "semi.csv").write_text("\n".join(line if line.startswith("#") else line.replace(",", ";")
                                               for line in original) + "\n")
    result = invoke(["validate", "scenarios/baseline.yaml", "--set",
                     "products.ingot.price_path.series=scenarios/prices/semi.csv"])
    assert assert_one_line_error(result, 2) == (
        "error: --set: products.ingot.price_path.series: semi.csv: the first row (after # comments) must be "
        "the header month,price separated by a comma, not a semicolon (;): write every row like "
        "2024-10,2595.58")


def test_a_formula_without_its_value_in_the_inputs_sheet_names_the_sheet_and_cell(sandbox):
    book = Workbook()
    sheet = book.active
    sheet.title = "Inputs"
    sheet.append(["key", "value", "source", "set in", "as written"])
    sheet.append(["curing_yard.pallets", "=40*2", "", "", "80"])  # written by a script: no value stored
    book.save(sandbox / "edited.xlsx")
    before = tree(sandbox)
    result = invoke(["run", "scenarios/baseline.yaml", "--set-from", "edited.xlsx", *QUICK])
    line = assert_one_line_error(result, 2)
    assert line == ("error: --set-from: edited.xlsx: sheet Inputs, cell B2 (curing_yard.pallets): =40*2 is a "
                    "formula whose value was never stored: open and save the file in Excel or LibreOffice so "
                    "its values are stored" + HELP.format(command="run"))
    assert tree(sandbox) == before
