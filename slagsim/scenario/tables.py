"""Every table a user gives slagsim, read behind one door: within bounds, any failure one line.

Records, measurements, an edited inputs sheet (``--set-from``) and a run's ``monthly.csv`` are
files a planner chose, saved by whatever program they had. Each reader used to catch the
exceptions it had met, and every other kind reached the planner as a traceback or an "internal
error": pandas asks for odfpy to read an OpenDocument file renamed ``.xlsx``, an encrypted
workbook is an OLE container no zip reader opens, a zip that is no workbook lacks the part
openpyxl looks for. Here a workbook's kind is told from its first bytes before any library reads
it, and whatever a library raises while reading (:func:`reading`) becomes a ScenarioError naming
the file and saying what to do.

Bounds, checked before the expensive step: the bytes once unzipped (a small zip can hold
gigabytes) before a workbook is opened, then rows and columns counted while the sheet streams
(openpyxl's read-only mode), so reading stops at the bound instead of after a million rows.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from slagsim.errors import ScenarioError
from slagsim.i18n import _
from slagsim.scenario.limits import MAX_TABLE_COLUMNS, MAX_TABLE_ROWS_SCANNED, MAX_WORKBOOK_UNZIPPED_BYTES

OLE = bytes.fromhex("D0CF11E0A1B11AE1")  # the container of .xls files and of encrypted .xlsx files
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # the stream an encrypted workbook keeps its sheets in
OPENDOCUMENT = b"application/vnd.oasis.opendocument"

Rows = list[tuple[int, tuple[object, ...]]]  # (the row's number in the sheet, its cells)


@dataclass(frozen=True)
class Uncalculated:
    """A formula cell whose value was never stored (a file written by a program, never saved by a
    spreadsheet): its value is unknown, not empty."""

    formula: str


def uncalculated_problem(formula: str) -> str:
    """What is wrong with a formula without a stored value, and what to do (records and inputs sheets)."""
    return _("{formula} is a formula whose value was never stored: open and save the file in Excel or "
             "LibreOffice so its values are stored").format(formula=formula)


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """The error boundary: anything raised while reading ``path`` is one ScenarioError naming it."""
    try:
        yield
    except ScenarioError:
        raise
    except Exception as exc:  # a library meeting a file it does not expect raises any kind
        raise ScenarioError(_("cannot be read ({why}): open it and save it again as .xlsx (Excel "
                              "workbook)").format(why=type(exc).__name__), file=str(path)) from None


def check_size(path: Path, most_bytes: int, hint: str) -> None:
    """The file exists and is at most ``most_bytes`` (``hint``: what such a file usually weighs)."""
    if not path.is_file():
        raise ScenarioError(_("file not found"), file=str(path))
    if path.stat().st_size > most_bytes:
        raise ScenarioError(_("larger than {mb} MB; {hint}").format(mb=most_bytes // 1_000_000, hint=hint),
                            file=str(path))


def check_workbook(path: Path) -> None:
    """An Excel workbook (.xlsx) that unpacks within the bound, told from its bytes, not its name."""
    with reading(path), path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE:
        with reading(path):
            encrypted = ENCRYPTED in path.read_bytes()
        raise ScenarioError(_("protected by a password, so slagsim cannot read it: save a copy without the "
                              "password") if encrypted else
                            _("an Excel 97-2003 workbook (.xls): open it and save it as .xlsx (Excel "
                              "workbook)"), file=str(path))
    if not head.startswith(b"PK"):
        raise ScenarioError(_("not an Excel workbook, though named like one: open it in a spreadsheet and "
                              "save it as .xlsx (Excel workbook)"), file=str(path))
    with reading(path), zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        kind = archive.read("mimetype")[:200] if "mimetype" in names else b""
        unpacked = sum(member.file_size for member in archive.infolist())
    if kind.startswith(OPENDOCUMENT):
        raise ScenarioError(_("an OpenDocument spreadsheet (.ods), not an Excel workbook: save it as .xlsx "
                              "(Excel workbook)"), file=str(path))
    if "xl/workbook.xml" not in names:
        raise ScenarioError(_("a zip archive but not an Excel workbook: save the sheet as .xlsx (Excel "
                              "workbook)"), file=str(path))
    if unpacked > MAX_WORKBOOK_UNZIPPED_BYTES:
        raise ScenarioError(_("unpacks to more than {mb} MB; a sheet slagsim reads is far smaller").format(
            mb=MAX_WORKBOOK_UNZIPPED_BYTES // 1_000_000), file=str(path))


def sheet_names(path: Path) -> list[str]:
    """The names of the workbook's sheets, in order."""
    from openpyxl import load_workbook

    check_workbook(path)
    with reading(path):
        book = load_workbook(path, read_only=True)
        try:
            return list(book.sheetnames)
        finally:
            book.close()


def sheet_rows(path: Path, sheet: str | None = None, values: bool = True,
               columns: tuple[int, int] = (1, MAX_TABLE_COLUMNS), beyond_ignored: bool = False) -> Rows:
    """A sheet's rows (the first sheet when None), every one numbered as the spreadsheet numbers
    it, empty ones too; ``values``: as stored, else as written (formulas as text). A cell right of
    ``columns`` is refused unless ``beyond_ignored``; at most MAX_TABLE_ROWS_SCANNED rows are read."""
    return list(_stream(path, sheet, values, columns, beyond_ignored))


def stored_rows(path: Path, sheet: str | None = None, columns: tuple[int, int] = (1, MAX_TABLE_COLUMNS),
                most_filled: int | None = None, too_many: str = "") -> Rows:
    """A sheet's rows as stored, a formula without a stored value as :class:`Uncalculated`;
    reading stops with ``too_many`` (one line) at the first row beyond ``most_filled`` rows that
    hold something. openpyxl reads either the formulas or their stored values, so both are
    streamed side by side."""
    rows, filled = [], 0
    formulas = _stream(path, sheet, False, columns)
    for (number, stored), (_number, written) in zip(_stream(path, sheet, True, columns), formulas,
                                                    strict=False):
        cells = tuple(Uncalculated(str(text)) if value is None and _formula(text) else value
                      for value, text in zip(stored, written, strict=False))
        if any(_filled(cell) for cell in cells):
            filled += 1
            if most_filled is not None and filled > most_filled:
                raise ScenarioError(too_many, file=str(path))
        rows.append((number, cells))
    return rows


def _stream(path: Path, sheet: str | None, values: bool, columns: tuple[int, int],
            beyond_ignored: bool = False) -> Iterator[tuple[int, tuple]]:
    """The rows of one sheet, streamed, within the bounds (a cell right of ``columns`` refused
    unless ``beyond_ignored``: a reader of one column of many)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    check_workbook(path)
    first, last = columns
    with reading(path):
        book = load_workbook(path, read_only=True, data_only=values)
        try:
            if sheet is not None and sheet not in book.sheetnames:
                raise ScenarioError(_("no sheet {sheet!r}").format(sheet=sheet), file=str(path))
            cells = (book[sheet] if sheet is not None else book.worksheets[0]).iter_rows(
                min_col=first, max_col=last + 1, max_row=MAX_TABLE_ROWS_SCANNED + 1, values_only=True)
            for number, row in enumerate(cells, start=1):
                if number > MAX_TABLE_ROWS_SCANNED:
                    raise ScenarioError(_("more than {most} rows, empty ones included: delete the rows below "
                                          "the table and save it").format(most=f"{MAX_TABLE_ROWS_SCANNED:,}"),
                                        file=str(path))
                if not beyond_ignored and len(row) > last - first + 1 and _filled(row[-1]):
                    raise ScenarioError(_("cell {cell} is beyond the {most} columns slagsim reads: delete "
                                          "what is right of them").format(
                        cell=f"{get_column_letter(last + 1)}{number}", most=last - first + 1), file=str(path))
                yield number, tuple(row[: last - first + 1])
        finally:
            book.close()


def _formula(text: object) -> bool:
    return isinstance(text, str) and text.startswith("=")


def _filled(cell: object) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())
