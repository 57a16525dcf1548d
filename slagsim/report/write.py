"""Write a report: the HTML file, the Excel workbook beside it, and the figures they use.

The three are written as a unit (:func:`~slagsim.results.sets.atomic_set`): a disk that fills up
midway leaves the old report whole, never the new figures beside the old HTML and workbook.

A report never replaces a file slagsim did not write: an existing HTML file must carry slagsim's
generator tag, an existing workbook slagsim as its creator, an existing figures folder the marker.
Every text cell of the workbook is stored as text, so a scenario description such as
``=HYPERLINK(...)`` can never become a live formula.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from slagsim.batch.compare import Comparison
from slagsim.errors import ScenarioError
from slagsim.figures.catalogue import save_plots
from slagsim.i18n import _
from slagsim.report.content import ReportContent, build_content
from slagsim.report.formats import column_format
from slagsim.report.html import render_html
from slagsim.report.labels import column_label
from slagsim.report.sheets import SHEET_NAME_LIMIT, Sheet, workbook_sheets
from slagsim.results.files import atomic_write
from slagsim.results.folders import FIGURES, marker_kind, write_marker
from slagsim.results.paths import check_lengths, temporaries
from slagsim.results.reports import CREATOR, our_html, our_workbook
from slagsim.results.sets import atomic_set

HEADER_WIDTH = 24  # a longer header wraps rather than widening its column


def report_files(html_path: Path) -> tuple[Path, Path, Path]:
    """The HTML file, the workbook and the figures folder of a report at ``html_path``."""
    html_path = Path(html_path)
    return html_path, html_path.with_suffix(".xlsx"), html_path.with_name(f"{html_path.stem}-figures")


def check_report_path(html_path: Path, option: str = "--out") -> Path:
    """Refuse a report path that is not ``.html`` or whose files exist and are not slagsim's; return
    the HTML file to write: ``html_path``, or the file it links to (a link is followed, never
    replaced; the workbook and figures go beside the file it links to)."""
    html_path = _followed(Path(html_path), option)
    if html_path.suffix.lower() not in (".html", ".htm"):
        raise ScenarioError(f"{html_path} does not end in .html; the report is an HTML file (the workbook "
                            "goes beside it as .xlsx), e.g. --out report.html", file=option)
    html_file, workbook, figures = report_files(html_path)
    for path in (workbook, figures):
        if path.is_symlink():
            raise ScenarioError(f"{path} is a link; slagsim replaces a report's workbook and figures "
                                "whole and would replace the link: remove it or choose another name",
                                file=option)
    check_lengths(html_path, [workbook.name, figures.name, *temporaries(html_path.stem)], option,
                  inside=len(figures.name) + 80,  # the set is written in .STEM.tmp-PID/STEM-figures/
                  example=f"{option} report.html")
    legacy = html_file.is_file() and our_html(html_file)  # a report from before these checks
    for path, ours in ((html_file, our_html), (workbook, our_workbook), (figures, _our_figures)):
        if path.exists() and not ours(path) and not (legacy and path != html_file):
            raise ScenarioError(f"{path} exists and was not written by slagsim; choose another name",
                                file=option)
    existing = html_path.parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise ScenarioError(f"{html_path} lies under {existing}, which is a file", file=option)
    return html_path


def _followed(html_path: Path, option: str) -> Path:
    """``html_path``, or the file it links to; a link to nothing, to a folder or in a loop is refused."""
    if not html_path.is_symlink():
        return html_path
    try:
        target = html_path.resolve(strict=True)
    except FileNotFoundError:
        raise ScenarioError(f"{html_path} is a link to {os.readlink(html_path)}, which does not exist; "
                            "give a file name, e.g. --out report.html", file=option) from None
    except (OSError, RuntimeError):  # a loop of links
        raise ScenarioError(f"{html_path} is a link that leads round in a circle; give a file name, "
                            "e.g. --out report.html", file=option) from None
    if target.is_dir():
        raise ScenarioError(f"{html_path} links to the folder {target}; the report is a file: give "
                            "its name, e.g. --out report.html", file=option)
    return target


def _our_figures(path: Path) -> bool:
    return path.is_dir() and marker_kind(path) == FIGURES


def write_report(comparison: Comparison, html_path: Path, kpis: list[str]) -> tuple[Path, Path]:
    """Write ``html_path`` and ``html_path`` with ``.xlsx``; figures go to ``<stem>-figures/``."""
    html_path = check_report_path(html_path)
    targets = report_files(html_path)
    content = build_content(comparison, kpis)
    with atomic_set(list(targets)) as folder:  # all three replaced, or (disk full) none
        html_file, workbook, figures = (folder / target.name for target in targets)
        save_plots(content.plots, figures)
        write_marker(figures, FIGURES)
        html_file.write_text(render_html(content, comparison.baseline), encoding="utf-8")
        write_workbook(content, workbook)
    return targets[0], targets[1]


def write_workbook(content: ReportContent, path: Path) -> None:
    """The summary sheet first, then one sheet per table (:mod:`slagsim.report.sheets`), written
    through a temporary file.

    Headers are the planner's labels (in the report's language), frozen, with filters; numbers
    carry formats (whole Rupiah, tons, shares as %, years: :mod:`slagsim.report.formats`) and
    columns a width that fits; an endless payback reads "never"; text stays text (never a formula)."""
    book = Workbook()
    book.remove(book.active)
    book.properties.creator = CREATOR
    _summary_sheet(book, content)
    for found in workbook_sheets(content):
        sheet = book.create_sheet(found.name)
        columns = [str(column) for column in found.table.columns]
        sheet.append([found.headers.get(column) or column_label(column) for column in columns])
        for row in found.table.itertuples(index=False):
            sheet.append([_cell(value) for value in row])
        _dress(sheet, columns, found)
    atomic_write(path, book.save)


def _summary_sheet(book: Workbook, content: ReportContent) -> None:
    """The answer in plain sentences, one per row, before any table."""
    sheet = book.create_sheet(_("Summary")[:SHEET_NAME_LIMIT])
    sheet.append([content.title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    for sentence in content.decision or [_("(no options to compare)")]:
        sheet.append([sentence])
    sheet.column_dimensions["A"].width = 140
    for cells in sheet.iter_rows(min_row=3):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.data_type = "s"


def _dress(sheet, columns: list[str], found: Sheet) -> None:
    """Frozen bold header that wraps, filters, number formats by column (by each row's unit where
    the sheet has one measure per row) and widths that fit."""
    sheet.freeze_panes = found.freeze
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(columns, start=1):
        fixed = column_format(column)
        width = min(len(str(sheet.cell(1, index).value or "")), HEADER_WIDTH)
        for offset, (cell,) in enumerate(sheet.iter_rows(min_row=2, min_col=index, max_col=index)):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            elif isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                style = column_format(column, found.units[offset]) if found.units else fixed
                if style:
                    cell.number_format = style
            width = max(width, min(len(str(cell.value or "")), 60))
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 62)


def _cell(value: object) -> object:
    """A value openpyxl can store: numbers stay numbers, missing values are empty, an endless payback
    reads "never", the rest text."""
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None if value != value else (_("never") if value > 0 else "-inf")
    if isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return _cell(value.item())
    return str(value)
