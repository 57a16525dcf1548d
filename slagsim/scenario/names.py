"""The one rule for names that become folders: scenarios, batches, menus, menu items.

A name becomes ``results/<name>/`` or ``results/<batch>/<name>/``, so it must never climb out
(``..``), hide (``.x``), replace slagsim's own files (``parts``, ``batch.csv``) or start like a
spreadsheet formula (``=``, ``+``, ``-``, ``@``). Names a user writes are checked as written;
names slagsim derives from a file name or sweep values are first made safe (``my base`` becomes
``my_base``) and then checked the same way.
"""

from __future__ import annotations

import re

from slagsim.layout import RESERVED_NAMES

MAX_NAME_LENGTH = 100
ALLOWED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+=,-]*$")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.+=,-]+")
# everything slagsim writes beside scenario folders, the project's own folders, Windows devices
RESERVED = frozenset({*RESERVED_NAMES, "results", "scenarios", "con", "prn", "aux", "nul"})
HINT = "use letters, digits and _ . + = , - starting with a letter or digit, e.g. add-press"


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a results folder, or None when it can."""
    if not name:
        return "a name cannot be empty"
    if len(name) > MAX_NAME_LENGTH:
        return f"{name[:20]!r}... is longer than {MAX_NAME_LENGTH} characters"
    if not ALLOWED.match(name):
        return f"{name!r} cannot name a results folder: {HINT}"
    if name.lower() in RESERVED:
        return f"{name!r} is the name of one of slagsim's own files or folders; choose another name"
    return None


def derived_name(text: str) -> str:
    """A name made from a file name or sweep values: odd characters become ``_``.

    The result may still fail :func:`name_problem` (``parts.yaml`` gives ``parts``); callers
    check it and say which file or entry to rename.
    """
    return _UNSAFE.sub("_", text).strip("._-+=,")[:MAX_NAME_LENGTH]
