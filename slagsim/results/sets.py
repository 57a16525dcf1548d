"""Files that belong together, written as a unit: all of them replaced, or none.

A report is three entries side by side (``report.html``, ``report.xlsx``, ``report-figures/``); if
the disk fills up after the figures are written, the old report's HTML and workbook must not be
left beside the new figures. So the whole set is written into one hidden folder beside them and
only then moved into place, the old set moved aside first and put back if a move fails.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from slagsim.results.files import TEMPORARY


@contextmanager
def atomic_set(targets: list[Path]) -> Iterator[Path]:
    """Yield a hidden folder beside ``targets`` (which share one folder) to write each target's name
    in; when the block ends without an error, the targets are replaced by what it holds (a target
    it lacks is removed: the set is replaced whole). On any failure, every target is as it was."""
    parent = Path(targets[0]).parent
    parent.mkdir(parents=True, exist_ok=True)
    stem = Path(targets[0]).stem
    _remove_abandoned(parent, stem)
    temporary = parent / f".{stem}.tmp-{os.getpid()}"
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir()
    try:
        try:
            yield temporary
        except OSError as exc:  # disk full: named as the file the user asked for, not our hidden one
            raise OSError(exc.errno, exc.strerror, _shown(exc.filename, temporary, parent)) from None
        old = parent / f".{stem}.old-{os.getpid()}"
        old.mkdir(exist_ok=True)
        _swap([Path(t) for t in targets], temporary, old)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def _shown(filename: object, temporary: Path, parent: Path) -> object:
    """``filename`` inside ``temporary`` as the file it stands for in ``parent``."""
    if filename is None:
        return None
    path = Path(os.fsdecode(filename))
    if temporary not in path.parents:
        return filename
    name = path.relative_to(temporary).parts[0]
    return str(parent / name.replace(f".tmp-{os.getpid()}", "").removeprefix("."))  # atomic_write's name


def _swap(targets: list[Path], new: Path, old: Path) -> None:
    """Move the old set into ``old`` and the new one from ``new`` into place; undo on failure."""
    aside: list[Path] = []
    placed: list[Path] = []
    try:
        for target in targets:
            if target.exists() or target.is_symlink():
                target.rename(old / target.name)
                aside.append(target)
        for target in targets:
            if (new / target.name).exists():
                (new / target.name).rename(target)
                placed.append(target)
    except BaseException:
        for target in placed:
            with contextlib.suppress(OSError):
                target.rename(new / target.name)
        for target in aside:
            (old / target.name).rename(target)
        raise


def _remove_abandoned(parent: Path, stem: str) -> None:
    """Remove what a write of this set left when its process was killed (``kill -9``)."""
    for entry in parent.glob(f".{glob.escape(stem)}.*-*"):
        if not TEMPORARY.match(entry.name):
            continue
        pid = int(entry.name.rsplit("-", 1)[1].split(".")[0])
        if pid != os.getpid() and not _alive(pid):
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but is not ours to signal
        return True
    return True
