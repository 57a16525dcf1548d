"""Which folders slagsim may write, and the proof that a folder is its own.

Every folder slagsim writes carries a marker file, ``.slagsim``, saying what it holds (a run, a
batch, an appraisal, a comparison, report figures). Before anything runs:

- :func:`check_output` refuses an ``--out`` that holds files slagsim did not write, that holds
  another kind of result, that is (or contains) the working folder or an input file, that lies
  under a file, that cannot be written, or whose disk has too little room;
- :class:`~slagsim.results.locks.OutputLock` takes a lock beside the folder, so two commands never
  write one folder at once (the second says which process holds it).

A folder written by slagsim before markers existed is recognised by its ``meta.json`` or
``batch-meta.json``.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
from pathlib import Path

import slagsim
from slagsim import layout
from slagsim.errors import ScenarioError
from slagsim.layout import MARKER
from slagsim.results.files import TEMPORARY, remove_stale_temporaries
from slagsim.results.locks import OutputLock, lock_files  # noqa: F401  (commands take OutputLock here)
from slagsim.results.markers import (  # noqa: F401  (the kinds, used through this module too)
    APPRAISAL,
    BATCH,
    BESIDE_RUN,
    CALIBRATION,
    COMPARISON,
    FIGURES,
    RUN,
    SENSITIVITY,
    marker_kind,
)
from slagsim.results.paths import check_lengths, temporaries
from slagsim.results.reports import HTML_SUFFIXES, our_html, our_report_file
from slagsim.scenario.limits import MIN_FREE_BYTES

LEGACY_LOCKS = frozenset(f".{study}.lock" for study in BESIDE_RUN)  # a study's lock kept in the run folder
REPORT = frozenset({layout.REPORT_HTML, layout.REPORT_WORKBOOK, layout.REPORT_FIGURES})  # kept by a rerun
RUN_ENTRIES = frozenset({MARKER, *layout.RUN_FILES, layout.AGAINST_TODAY, *BESIDE_RUN, *LEGACY_LOCKS})


def write_marker(folder: Path, kind: str) -> None:
    """Mark ``folder`` as slagsim's, holding ``kind``."""
    content = {"written_by": "slagsim", "kind": kind, "version": slagsim.__version__}
    (folder / MARKER).write_text(json.dumps(content) + "\n", encoding="utf-8")


def check_output(out: Path, kind: str, inputs: list[Path] = (), option: str = "--out") -> Path:
    """Raise a ScenarioError unless slagsim may write a ``kind`` result to ``out``; return the folder
    to write (``out``, or the folder it links to)."""
    place = _resolved(Path(out), option)
    check_lengths(out, itertools.chain(temporaries(place.name), (path.name for path in lock_files(out))),
                  option)
    out = followed(Path(out), option)
    here = Path.cwd().resolve()
    if place == here or place in here.parents:
        raise ScenarioError(f"{out} is the folder you are working in (or holds it); results go in a "
                            "folder of their own, e.g. results/NAME", file=option)
    for given in inputs:
        if place in Path(given).resolve().parents:
            raise ScenarioError(f"{out} holds the input file {given}; choose a folder of its own, "
                                "e.g. results/NAME", file=option)
    _check_existing(out, kind, option)
    _check_writable(out, option)
    return out


def followed(out: Path, option: str = "--out") -> Path:
    """``out``, or the folder it links to. A link is followed, never replaced: a run swaps its folder
    by renaming, which would move the link itself and leave the folder it points to untouched."""
    if not out.is_symlink():
        return out
    target = _resolved(out, option)
    if not target.is_dir():
        found = "is a file" if target.exists() else "does not exist"
        raise ScenarioError(f"{out} links to {target}, which {found}; make that folder or give a folder, "
                            "e.g. results/NAME", file=option)
    return target


def _resolved(out: Path, option: str) -> Path:
    try:
        return out.resolve()
    except (OSError, RuntimeError):  # a loop of links
        raise ScenarioError(f"{out} is a link that leads round in a circle; give a folder, e.g. "
                            "results/NAME", file=option) from None


def _check_existing(out: Path, kind: str, option: str) -> None:
    if not out.exists():
        return
    if not out.is_dir():
        raise ScenarioError(f"{out} is a file, not a folder; choose another name", file=option)
    entries = sorted(entry.name for entry in out.iterdir())
    if not entries:
        return
    found = marker_kind(out)
    if found is None:
        shown = ", ".join(entries[:3]) + (", ..." if len(entries) > 3 else "")
        raise ScenarioError(f"{out} holds files slagsim did not write ({shown}); choose a new or "
                            "empty folder", file=option)
    if found != kind and not (kind == COMPARISON and found in (BATCH, APPRAISAL)):
        raise ScenarioError(f"{out} holds the results of a {found}, not of a {kind}; choose "
                            "another folder", file=option)
    if kind == RUN:
        foreign = [name for name in entries if name not in RUN_ENTRIES and not TEMPORARY.match(name)
                   and not report_entry(out / name)]
        if foreign:
            raise ScenarioError(f"{out} also holds files slagsim did not write ({', '.join(foreign[:3])})"
                                "; move them or choose another folder", file=option)


def report_entry(path: Path) -> bool:
    """Whether ``path`` is part of a report slagsim wrote (``slagsim report`` into a result folder):
    its HTML file, its workbook or its figures folder, known by their content whatever their name.
    A workbook or figures folder from before slagsim marked them counts when the HTML beside it is
    slagsim's (as :func:`slagsim.report.write.check_report_path` lets a report replace them)."""
    path = Path(path)
    if path.is_symlink():
        return False
    if path.is_dir():
        stem = path.name.removesuffix("-figures")
        return stem != path.name and (marker_kind(path) == FIGURES or _html_beside(path.parent, stem))
    return our_report_file(path) or (path.suffix.lower() == ".xlsx" and _html_beside(path.parent, path.stem))


def report_entries(folder: Path) -> list[str]:
    """The names of the report files slagsim wrote in ``folder`` (:func:`report_entry`), sorted."""
    if not Path(folder).is_dir():
        return []
    return sorted(entry.name for entry in Path(folder).iterdir() if report_entry(entry))


def _html_beside(folder: Path, stem: str) -> bool:
    return any(our_html(folder / f"{stem}{suffix}") for suffix in HTML_SUFFIXES)


def _check_writable(out: Path, option: str) -> None:
    """Write and remove a probe file where the results will go; check the free space."""
    existing = out
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise ScenarioError(f"{out} lies under {existing}, which is a file", file=option)
    probe = existing / f".slagsim-probe-{os.getpid()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
        free = shutil.disk_usage(existing).free
    except OSError as exc:
        raise ScenarioError(f"cannot write in {existing} ({exc.strerror or exc}); choose a folder "
                            "you can write to", file=option) from None
    if free < MIN_FREE_BYTES:
        raise ScenarioError(f"only {free / 1e6:.0f} MB free on the disk of {existing}; slagsim needs "
                            f"{MIN_FREE_BYTES / 1e6:.0f} MB: free some space or choose another disk",
                            file=option)


def claim_group_folder(out: Path, kind: str, fresh: bool, keep_kind: bool = False) -> None:
    """Create (or reuse) a batch or appraisal folder with its marker.

    ``fresh`` clears what an earlier run left in it: its scenario folders and its own files
    (``layout.GROUP_ENTRIES``), never anything slagsim did not write. A report is kept (the batch
    says it shows the earlier results; an appraisal writes its own over it). They are first moved into one
    hidden folder inside ``out`` and then deleted, so an interruption leaves no mix of old and new.
    ``keep_kind`` leaves the marker of a folder that already has one (a comparison written into a
    batch folder).
    """
    out.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(out)
    if fresh:
        trash = out / f".{out.name}.old-{os.getpid()}"
        trash.mkdir(exist_ok=True)
        for entry in list(out.iterdir()):
            if entry.name in layout.GROUP_ENTRIES - REPORT or (entry.is_dir() and marker_kind(entry) == RUN):
                entry.rename(trash / entry.name)
        shutil.rmtree(trash)
    if not (keep_kind and marker_kind(out) is not None):
        write_marker(out, kind)


def claim_parent(parent: Path, analysis: str, kind: str) -> None:
    """Mark a new ``results/<name>/`` holding only ``analysis`` (a sensitivity or calibration run)
    as a ``kind`` folder (the scenario's run, a menu's appraisal), so ``slagsim run`` or
    ``appraise`` can later write there beside it."""
    parent.mkdir(parents=True, exist_ok=True)
    ours = all(entry.name == analysis or entry.name.startswith(".") for entry in parent.iterdir())
    if parent.name and ours and marker_kind(parent) is None:  # new: only our lock and folder in it
        write_marker(parent, kind)
