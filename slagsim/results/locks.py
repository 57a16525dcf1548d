"""One writer at a time: the locks a command holds beside the folders it writes.

A lock is a hidden file beside the folder (``results/.NAME.lock``) locked with ``flock``: the
kernel drops it when the process dies, so ``kill -9`` never leaves a lock that blocks the next
command, and a lock file left behind is never mistaken for a file the user put there.

A study kept in a run's folder (``results/NAME/calibration``, ``results/NAME/sensitivity``) has its
lock beside that folder too, ``results/.NAME.calibration.lock``, never inside it: a run of
``results/NAME`` swaps the whole folder, and a lock inside would go with it. A command writing
``results/NAME`` itself (a run, a batch, an appraisal) also takes the locks of the studies kept in
it, so it never swaps a folder under a calibration that is still writing there, while two studies
of one scenario (a calibration and a sensitivity run) may run side by side.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path
from typing import IO

from slagsim.errors import ScenarioError
from slagsim.results.markers import BESIDE_RUN, marker_kind


def lock_files(out: Path) -> list[Path]:
    """The lock files a command writing ``out`` holds, the folder's own first."""

    place = Path(out).resolve()
    if study_in_result_folder(place):
        return [place.parent.parent / f".{place.parent.name}.{place.name}.lock"]
    return [place.parent / f".{place.name}.lock",
            *(place.parent / f".{place.name}.{study}.lock" for study in sorted(BESIDE_RUN))]


def study_in_result_folder(place: Path) -> bool:
    """Whether ``place`` is a study kept in a run's (or an appraisal's) folder: named like one, in
    a folder that is slagsim's, or new, or holds nothing but it (then it becomes the run's)."""

    parent = place.parent
    if place.name not in BESIDE_RUN or parent == parent.parent:
        return False
    if not parent.is_dir():
        return True
    if marker_kind(parent) is not None:
        return True
    return all(entry.name == place.name or entry.name.startswith(".") for entry in parent.iterdir())


class OutputLock:
    """Exclusive locks on an output folder (and the studies kept in it), held while a command
    writes it; a second command aimed at it says which process holds it and stops. ``studies``
    False takes the folder's own lock alone: a report written into a run folder excludes a run of
    it, not a calibration writing beside it."""

    def __init__(self, out: Path, option: str = "--out", studies: bool = True):
        self.out = Path(out)
        self.option = option
        self.paths = lock_files(self.out)[:None if studies else 1]  # a report: the folder's own lock alone
        self._held: list[tuple[Path, IO[str]]] = []

    @property
    def path(self) -> Path:
        """The folder's own lock file."""
        return self.paths[0]

    def __enter__(self) -> OutputLock:
        self.paths[0].parent.mkdir(parents=True, exist_ok=True)
        try:
            for path in self.paths:
                self._held.append((path, _take(path, self.out, self.option)))
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        while self._held:
            path, handle = self._held.pop()
            with contextlib.suppress(OSError):
                path.unlink()
            handle.close()


def _take(path: Path, out: Path, option: str) -> IO[str]:
    """Lock ``path`` and write who holds it; a ScenarioError naming the holder if another does."""
    while True:
        handle = path.open("a+", encoding="utf-8")
        if not _try_lock(handle):
            holder = _read_holder(handle)
            handle.close()
            raise ScenarioError(f"{out} is being written by another slagsim ({holder}); wait for it to "
                                "finish or choose another folder", file=option)
        if _same_file(handle, path):
            break
        handle.close()  # the file was removed by its last holder: lock the new one
    handle.seek(0)
    handle.truncate()
    handle.write(f"process {os.getpid()}: {' '.join(['slagsim', *sys.argv[1:]])[:200]}\n")
    handle.flush()
    return handle


def _try_lock(handle: IO[str]) -> bool:
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


def _read_holder(handle: IO[str]) -> str:
    handle.seek(0)
    text = handle.read().strip()
    return text or "another process"


def _same_file(handle: IO[str], path: Path) -> bool:
    try:
        return os.fstat(handle.fileno()).st_ino == path.stat().st_ino
    except OSError:
        return False
