"""A run folder's tables checked whole before they are compared or reported.

slagsim writes every table at once and renames it into place, so a table cut short was damaged
afterwards (a copy or sync stopped midway, a disk that filled up under another program). Read as it
is, a ``replications.csv`` cut short compares one replication as if it were two, and a last line
cut mid-number (``-686.1`` as ``-68``) reads as a valid number. So a table must end with a whole
line, and hold as many replications, each with every KPI, as its ``meta.json`` says were run.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from slagsim import layout
from slagsim.errors import ScenarioError

AGAIN = "run the command that wrote it again"


def check_ends_a_line(path: Path) -> None:
    """Refuse a table whose last line is cut (every table slagsim writes ends with a newline)."""
    with path.open("rb") as handle:
        if handle.seek(0, 2) == 0:
            return
        handle.seek(-1, 2)
        if handle.read(1) != b"\n":
            raise ScenarioError(f"ends in the middle of a line: the file was cut short; {AGAIN}",
                                file=str(path))


def check_replications(folder: Path, meta: dict, replications: pd.DataFrame, summary: pd.DataFrame) -> None:
    """Refuse tables holding fewer replications, or KPIs, than ``meta.json`` says were run."""
    path = folder / layout.REPLICATIONS
    expected = meta.get("replications")
    if isinstance(expected, int) and not isinstance(expected, bool):
        counts = replications.groupby("replication").size()
        if len(counts) != expected:
            raise ScenarioError(f"holds {len(counts)} of the {expected} replications {layout.META} lists: "
                                f"the file was cut short or edited; {AGAIN}", file=str(path))
        if counts.nunique() > 1:
            raise ScenarioError(f"replication {counts.idxmin()} has {counts.min()} KPIs, the others "
                                f"{counts.max()}: the file was cut short or edited; {AGAIN}", file=str(path))
    missing = set(replications.kpi) - set(summary.kpi)
    if missing:
        raise ScenarioError(f"lacks {len(missing)} of the KPIs in {layout.REPLICATIONS} (e.g. "
                            f"{sorted(missing)[0]}): the file was cut short or edited; {AGAIN}",
                            file=str(folder / layout.SUMMARY))
