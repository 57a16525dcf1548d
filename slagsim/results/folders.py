"""Which folders slagsim may write, and the proof that a folder is its own.

Every folder slagsim writes carries a marker file, ``.slagsim``, saying what it holds (a run, a
batch, an appraisal, a comparison, report figures). Before anything runs:

- :func:`check_output` refuses an ``--out`` that holds files slagsim did not write, that holds
  another kind of result, that is (or contains) the working folder or an input file, that lies
  under a file, that cannot be written, or whose disk has too little room;
- :class:`OutputLock` takes a lock beside the folder, so two commands never write one folder at
  once (the second says which process holds it).

A folder written by slagsim before markers existed is recognised by its ``meta.json`` or
``batch-meta.json``.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import sys
from pathlib import Path

import slagsim
from slagsim import layout
from slagsim.errors import ScenarioError
from slagsim.layout import MARKER
from slagsim.results.files import remove_stale_temporaries
from slagsim.scenario.limits import MIN_FREE_BYTES

RUN, BATCH, APPRAISAL, COMPARISON, FIGURES = "run", "batch", "appraisal", "comparison", "figures"
SENSITIVITY = "sensitivity"  # a sensitivity run: results/<scenario>/sensitivity/ beside its run
CALIBRATION = "calibration"  # a calibration to records: results/<scenario>/calibration/ beside its run
BESIDE_RUN = (SENSITIVITY, CALIBRATION)  # analyses kept in a run folder when the run is written again
LOCK_ROOM = len("..lock")  # OutputLock's file beside the folder
PATH_ROOM = 200  # the longest path slagsim writes inside a results folder, with its temporary name
RUN_ENTRIES = frozenset({MARKER, *layout.RUN_FILES, layout.AGAINST_TODAY, *BESIDE_RUN})


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


def write_marker(folder: Path, kind: str) -> None:
    """Mark ``folder`` as slagsim's, holding ``kind``."""
    content = {"written_by": "slagsim", "kind": kind, "version": slagsim.__version__}
    (folder / MARKER).write_text(json.dumps(content) + "\n", encoding="utf-8")


def check_output(out: Path, kind: str, inputs: list[Path] = (), option: str = "--out") -> None:
    """Raise a ScenarioError unless slagsim may write a ``kind`` result to ``out``."""
    out = Path(out)
    _check_name_lengths(out, option)
    place = out.resolve()
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
        foreign = [name for name in entries if name not in RUN_ENTRIES]
        if foreign:
            raise ScenarioError(f"{out} also holds files slagsim did not write ({', '.join(foreign[:3])})"
                                "; move them or choose another folder", file=option)


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


def _check_name_lengths(out: Path, option: str) -> None:
    """``out`` fits the disk's limits on a name and a path, with room for the lock beside it and
    the files inside it. Checked on the text alone, first: a name of 300 characters made the first
    look at the folder fail with "File name too long" (exit 1) instead of a line naming --out."""
    absolute = Path(os.path.abspath(out))
    try:
        most_name, most_path = os.pathconf("/", "PC_NAME_MAX"), os.pathconf("/", "PC_PATH_MAX")
    except (OSError, ValueError, AttributeError):  # no pathconf (Windows): the usual limits
        most_name, most_path = 255, 4096
    names = absolute.parts[1:]
    for position, name in enumerate(names):
        room = LOCK_ROOM if position == len(names) - 1 else 0  # the lock beside out: .NAME.lock
        if len(os.fsencode(name)) + room > most_name:
            raise ScenarioError(f"the folder name {name[:20]}... has {len(name)} characters; the disk allows "
                                f"{most_name - room}: choose a shorter name", file=option)
    if len(os.fsencode(str(absolute))) + PATH_ROOM > most_path:
        raise ScenarioError(f"the path {str(out)[:40]}... is longer than the disk allows ({most_path} "
                            "characters with the files inside it): choose a shorter one", file=option)


def claim_group_folder(out: Path, kind: str, fresh: bool, keep_kind: bool = False) -> None:
    """Create (or reuse) a batch or appraisal folder with its marker.

    ``fresh`` clears what an earlier run left in it: its scenario folders and its own files
    (``layout.GROUP_ENTRIES``), never anything slagsim did not write. They are first moved into one
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
            if entry.name in layout.GROUP_ENTRIES or (entry.is_dir() and marker_kind(entry) == RUN):
                entry.rename(trash / entry.name)
        shutil.rmtree(trash)
    if not (keep_kind and marker_kind(out) is not None):
        write_marker(out, kind)


class OutputLock:
    """An exclusive lock on an output folder, held while a command writes it.

    The lock is a file beside the folder (``.NAME.lock``) locked with ``flock``: the kernel drops
    it when the process dies, so a killed run never leaves a stale lock behind.
    """

    def __init__(self, out: Path, option: str = "--out"):
        self.out = Path(out)
        self.option = option
        self.path = self.out.parent / f".{self.out.name}.lock"
        self._handle = None

    def __enter__(self) -> OutputLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            handle = self.path.open("a+", encoding="utf-8")
            if not _try_lock(handle):
                holder = _read_holder(handle)
                handle.close()
                raise ScenarioError(f"{self.out} is being written by another slagsim ({holder}); wait "
                                    "for it to finish or choose another folder", file=self.option)
            if _same_file(handle, self.path):
                break
            handle.close()  # the file was removed by its last holder: lock the new one
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}: {' '.join(['slagsim', *sys.argv[1:]])[:200]}\n")
        handle.flush()
        self._handle = handle
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self.path.unlink()
            self._handle.close()
            self._handle = None


def _try_lock(handle) -> bool:
    try:
        import fcntl
    except ImportError:  # not on Windows: no lock, as before
        return True
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise
    return True


def _read_holder(handle) -> str:
    handle.seek(0)
    text = handle.read().strip()
    return text or "another process"


def _same_file(handle, path: Path) -> bool:
    try:
        return os.fstat(handle.fileno()).st_ino == path.stat().st_ino
    except OSError:
        return False


def claim_parent(parent: Path, analysis: str, kind: str) -> None:
    """Mark a new ``results/<name>/`` holding only ``analysis`` (a sensitivity or calibration run)
    as a ``kind`` folder (the scenario's run, a menu's appraisal), so ``slagsim run`` or
    ``appraise`` can later write there beside it."""
    parent.mkdir(parents=True, exist_ok=True)
    ours = all(entry.name == analysis or entry.name.startswith(".") for entry in parent.iterdir())
    if parent.name and ours and marker_kind(parent) is None:  # new: only our lock and folder in it
        write_marker(parent, kind)
