"""What a folder holds, by the marker slagsim writes in it: the one fact both the output checks
(:mod:`slagsim.results.folders`) and the locks (:mod:`slagsim.results.locks`) need, kept below both.
"""

from __future__ import annotations

import json
from pathlib import Path

from slagsim import layout
from slagsim.layout import MARKER

RUN, BATCH, APPRAISAL, COMPARISON, FIGURES = "run", "batch", "appraisal", "comparison", "figures"
SENSITIVITY = "sensitivity"  # a sensitivity run: results/<scenario>/sensitivity/ beside its run
CALIBRATION = "calibration"  # a calibration to records: results/<scenario>/calibration/ beside its run
BESIDE_RUN = (SENSITIVITY, CALIBRATION)  # analyses kept in a run folder when the run is written again


def marker_kind(folder: Path) -> str | None:
    """What slagsim wrote in ``folder`` (``run``, ``batch``...), or None if it is not slagsim's."""
    marker = folder / MARKER
    if marker.is_file():
        try:
            content = json.loads(marker.read_text(encoding="utf-8"))
            return str(content["kind"]) if isinstance(content, dict) and "kind" in content else None
        except (OSError, ValueError):
            return None
    return _legacy_kind(folder)


def _legacy_kind(folder: Path) -> str | None:
    """Result folders written before markers existed."""
    if (folder / layout.APPRAISAL).is_dir() and (folder / layout.BATCH_META).is_file():
        return APPRAISAL
    for file, kind, key in ((layout.BATCH_META, BATCH, "batch"), (layout.META, RUN, "scenario_name")):
        try:
            content = json.loads((folder / file).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(content, dict) and key in content:
            return kind
    return None
