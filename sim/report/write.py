"""Write a report: the HTML file, the Excel workbook beside it, and the figures they use."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from sim.compare import Comparison
from sim.figures.catalogue import save_plots
from sim.report.content import ReportContent, build_content
from sim.report.html import render_html
from sim.results import atomic_write_text

SHEET_NAME_LIMIT = 31  # Excel's limit


def write_report(comparison: Comparison, html_path: Path, kpis: list[str]) -> tuple[Path, Path]:
    """Write ``html_path`` and ``html_path`` with ``.xlsx``; figures go to ``<stem>-figures/``."""
    html_path = Path(html_path)
    content = build_content(comparison, kpis)
    save_plots(content.plots, html_path.with_name(f"{html_path.stem}-figures"))
    atomic_write_text(html_path, render_html(content, comparison.baseline))
    workbook = html_path.with_suffix(".xlsx")
    write_workbook(content, workbook)
    return html_path, workbook


def write_workbook(content: ReportContent, path: Path) -> None:
    """One sheet per table, written through a temporary file."""
    temporary = path.with_name(f".{path.stem}.tmp{path.suffix}")
    with pd.ExcelWriter(temporary, engine="openpyxl") as writer:
        for name, table in sheet_tables(content).items():
            table.to_excel(writer, sheet_name=name, index=False)
    os.replace(temporary, path)


def sheet_tables(content: ReportContent) -> dict[str, pd.DataFrame]:
    """The workbook's sheets with names Excel accepts (unique, at most 31 characters)."""
    sheets: dict[str, pd.DataFrame] = {}
    for name, table in content.tables().items():
        short = name[:SHEET_NAME_LIMIT]
        while short in sheets:
            short = short[: SHEET_NAME_LIMIT - 2] + f"_{len(sheets)}"
        sheets[short] = table
    return sheets
