"""Writing files so that a crash leaves the whole file or none: the one atomic-write helper.

Every file slagsim writes goes through :func:`atomic_write`: the content is written to a hidden
temporary file beside the target, optionally flushed to disk, and renamed over it. CSV text is
made safe to open in a spreadsheet and JSON is strict (no NaN), because other programs read both.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas stays off the start-up path
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def atomic_write(path: Path, write: Callable[[Path], None], durable: bool = False) -> Path:
    """Call ``write(temporary)`` and rename the result to ``path``; on any failure remove it.

    ``durable`` flushes the file to disk before the rename (stored replications, which a resume
    must be able to trust after a power cut).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.stem}.tmp-{os.getpid()}{path.suffix}")
    try:
        write(temporary)
        if durable:
            with temporary.open("rb+") as handle:
                os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


TEMPORARY = re.compile(r"^\..+\.(tmp|old)-\d+(\.\w+)?$")  # what atomic_write and atomic_folder leave


def remove_stale_temporaries(folder: Path) -> int:
    """Remove the temporary files and folders a killed slagsim left in ``folder``; return how many.

    Call it only while holding the folder's lock: then no other slagsim is writing there, and
    every temporary is a leftover of a process that died (``kill -9``, power cut).
    """
    removed = 0
    if not Path(folder).is_dir():
        return 0
    for entry in Path(folder).iterdir():
        if TEMPORARY.match(entry.name):
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed += 1
    return removed


def atomic_write_text(path: Path, text: str, durable: bool = False) -> Path:
    """Write ``text`` to ``path`` atomically."""
    return atomic_write(path, lambda temporary: temporary.write_text(text, encoding="utf-8"), durable)


def spreadsheet_text(value: object) -> object:
    """Text a spreadsheet would run as a formula, made inert with a leading apostrophe.

    ``=HYPERLINK(...)`` in a scenario's description must reach Excel as text, never as a live
    formula (OWASP's CSV-injection advice). Numbers are left alone.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(table: pd.DataFrame) -> str:
    """``table`` as CSV text, every text cell safe to open in a spreadsheet."""
    import pandas as pd

    text_columns = [c for c in table.columns if pd.api.types.is_string_dtype(table[c])
                    or table[c].dtype == object]
    if text_columns:
        table = table.copy()
        for column in text_columns:
            table[column] = table[column].map(spreadsheet_text)
    return table.to_csv(index=False)


def write_csv(table: pd.DataFrame, path: Path) -> Path:
    """Write ``table`` atomically as CSV that is safe to open in a spreadsheet."""
    return atomic_write_text(path, csv_text(table))


def json_text(content: object, indent: int | None = 2) -> str:
    """Strict JSON (no NaN or Infinity, which other programs cannot read): they become null."""
    return json.dumps(_finite(content), indent=indent, default=str, allow_nan=False) + "\n"


def write_json(content: object, path: Path, durable: bool = False, indent: int | None = 2) -> Path:
    """Write ``content`` atomically as strict JSON (``indent=None``: compact, for large files)."""
    return atomic_write_text(path, json_text(content, indent), durable)


def _finite(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value
