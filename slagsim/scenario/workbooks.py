"""A workbook's size once unpacked, checked before a reader opens it.

An ``.xlsx`` file is a zip of XML, and XML packs a thousand to one: a 120 kB workbook whose shared
strings unpack to 48 MB took half a gigabyte and 35 seconds to open, so the bound on the file's size
on disk (:mod:`slagsim.scenario.limits`) bounds nothing. The zip's directory says how large each
part unpacks to, and Python's zip reader never reads past it, so summing it is a cheap, honest bound.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from slagsim.errors import ScenarioError
from slagsim.i18n import _
from slagsim.scenario.limits import MAX_WORKBOOK_UNPACKED_BYTES


def check_unpacked_size(path: Path, most: int = MAX_WORKBOOK_UNPACKED_BYTES) -> None:
    """A ScenarioError when the workbook at ``path`` unpacks to more than ``most`` bytes; a file that
    is no zip at all is left to the reader, which says so."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if unpacked > most:
        raise ScenarioError(_("unpacks to {size} MB (a workbook is a zip of its sheets); at most {most} MB "
                              "is read: copy the sheet into a new workbook, or save it as .csv").format(
            size=f"{unpacked / 1e6:,.0f}", most=f"{most / 1e6:,.0f}"), file=str(path))
