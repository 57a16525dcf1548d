"""How slagsim knows a report as its own: the HTML file, the workbook and the figures folder.

``slagsim report`` writes ``report.html``, ``report.xlsx`` and ``report-figures/`` into a result
folder by default. They are slagsim's by their content, whatever their name: the HTML carries
slagsim's generator tag, the workbook slagsim as its creator, the figures folder slagsim's marker.
A run folder holding them is still slagsim's; a report of another origin is never taken for one.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from slagsim.i18n import _

GENERATOR = '<meta name="generator" content="slagsim">'
CREATOR = "slagsim"
HTML_SUFFIXES = (".html", ".htm")


def our_html(path: Path) -> bool:
    """Whether ``path`` is a report's HTML file slagsim wrote."""
    try:
        with Path(path).open(encoding="utf-8", errors="replace") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return GENERATOR in head or "<title>slagsim report" in head  # the second: reports before the tag


def our_workbook(path: Path) -> bool:
    """Whether ``path`` is a report's workbook slagsim wrote (slagsim is its creator)."""
    try:
        with zipfile.ZipFile(path) as archive:
            core = archive.read("docProps/core.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return f"<dc:creator>{CREATOR}</dc:creator>" in core


def our_report_file(path: Path) -> bool:
    """Whether the file ``path`` is a report's HTML or workbook slagsim wrote (a link never is: it
    is the user's, whatever it points to). Its figures folder is known by its marker
    (:func:`slagsim.results.folders.report_entry`)."""
    path = Path(path)
    if path.is_symlink() or not path.is_file():
        return False
    suffix = path.suffix.lower()
    return (suffix in HTML_SUFFIXES and our_html(path)) or (suffix == ".xlsx" and our_workbook(path))


def old_report_note(folder: Path, names: list[str]) -> str:
    """What a run says of a report it kept in its folder: it shows the earlier results."""
    return _("{names} in {folder} show the earlier results; write the report again: slagsim report "
             "{folder}").format(names=", ".join(names), folder=folder)
