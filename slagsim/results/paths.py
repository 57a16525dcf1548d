"""Names slagsim will write, checked against the disk's bounds before any work starts.

A folder name of 247 characters is valid, yet its temporary sibling ``.NAME.tmp-12345`` is not
(most file systems allow 255 bytes a name and 4,096 a path): found only when the results are
written, it would cost the whole run. So a command checks every name it will write beside its
output (locks, temporaries, a report's workbook and figures) and leaves room for the longest path
it writes inside it, before the first replication.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable
from pathlib import Path

from slagsim.errors import ScenarioError

NAME_MAX, PATH_MAX = 255, 4096  # when the file system does not say
LONGEST_PID = "4194304"  # the largest process number Linux hands out: temporaries carry one
INSIDE = 320  # the longest path slagsim writes inside an output folder (appraisal/uncertainty/parts/
# <name of 100>/.rep-00000.tmp-PID.json), with room to spare


def temporaries(name: str, suffix: str = "") -> list[str]:
    """The hidden names a write of ``name`` passes through (:mod:`slagsim.results.files`)."""
    return [f".{name}.tmp-{LONGEST_PID}{suffix}", f".{name}.old-{LONGEST_PID}{suffix}"]


def check_lengths(path: Path, beside: Iterable[str], option: str, inside: int = INSIDE,
                  example: str = "results/NAME") -> None:
    """Refuse ``path`` when a path ``inside`` characters deeper, a part of it, or a name written
    ``beside`` it would be too long for its disk; one line saying how long a name may be, with an
    ``example`` of what to give instead.

    Nothing is asked of the disk about ``path`` before its length is known to fit (a path too long
    fails every call), so ``beside`` may be a generator that looks at the folder."""
    place = Path(path).resolve()
    name_max, path_max = _bounds(place)
    shown = _short(str(path))
    length = len(os.fsencode(str(place))) + inside
    if length > path_max:
        raise ScenarioError(f"{shown} is too deep for the disk: paths inside it would reach {length} "
                            f"characters (at most {path_max}); choose a shorter folder, e.g. {example}",
                            file=option)
    for name in itertools.chain(place.parts[1:], beside):
        excess = len(os.fsencode(name)) - name_max
        if excess > 0:
            raise ScenarioError(f"{shown}: slagsim would write the name {_short(name)}, {name_max + excess} "
                                f"characters, and the disk allows {name_max}; choose a name {excess} "
                                f"shorter, e.g. {example}", file=option)


def _bounds(place: Path) -> tuple[int, int]:
    """The longest name and path the file system holding ``place`` (or its nearest existing folder)
    allows."""
    existing = place
    while existing != existing.parent and not _exists(existing):
        existing = existing.parent
    try:
        return os.pathconf(existing, "PC_NAME_MAX"), os.pathconf(existing, "PC_PATH_MAX")
    except (OSError, ValueError, AttributeError):  # not said (or not POSIX): the usual bounds
        return NAME_MAX, PATH_MAX


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # a name or path too long for the disk
        return False


def _short(name: str) -> str:
    return name if len(name) <= 40 else f"{name[:20]}...{name[-12:]}"
