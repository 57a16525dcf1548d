"""Where and how a new item's lines go into a menu file's text, the file's own layout kept.

``slagsim menu add`` writes text rather than re-dumping the YAML, so every comment a planner wrote
stays: the item goes after the last line of the ``items:`` block, in the block's own indentation,
each number followed by its comment at the column the shipped menu uses.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from slagsim.errors import ScenarioError
from slagsim.i18n import _

COMMENT_COLUMN = 30  # where the comments start, as in the shipped menu


def item_text(name: str, values: dict[str, Any], comments: dict[str, str], indents: tuple[int, int]) -> str:
    """The item as YAML lines, each number followed by its comment."""
    outer, step = indents
    inner = outer + step
    lines = [(" " * outer + f"{_scalar(name)}:", None)]
    for key, value in values.items():
        if key == "set":
            lines.append((" " * inner + "set:", None))
            lines += [(" " * (inner + step) + f"{_scalar(k)}: {_scalar(v)}", comments.get(f"set.{k}"))
                      for k, v in value.items()]
        else:
            lines.append((" " * inner + f"{key}: {_scalar(value)}", comments.get(key)))
    return "".join(_with_comment(code, comment) for code, comment in lines)


def _with_comment(code: str, comment: str | None) -> str:
    if comment is None:
        return code + "\n"
    return f"{code.ljust(COMMENT_COLUMN - 1)} # {comment}\n"


def _scalar(value: Any) -> str:
    """One value as YAML on one line (flow style for a distribution's mapping), quoted as needed."""
    dumped = yaml.safe_dump([value], default_flow_style=True, sort_keys=False, allow_unicode=True,
                           width=1_000_000).strip()
    return dumped[1:-1]


ITEMS_LINE = re.compile(r"^items:\s*(#.*)?$")
TOP_LEVEL = re.compile(r"^[^\s#]")


def indents_of(text: str) -> tuple[int, int]:
    """The indent of the items and the step to their fields, as the file has them (2 and 2)."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if ITEMS_LINE.match(line)), None)
    found: list[int] = []
    for line in lines[start + 1:] if start is not None else []:
        if TOP_LEVEL.match(line):
            break
        if line.strip() and not line.lstrip().startswith("#"):
            indent = len(line) - len(line.lstrip(" "))
            if not found or indent > found[0]:
                found.append(indent)
            if len(found) == 2:
                return found[0], found[1] - found[0]
    return (found[0], 2) if found else (2, 2)


def insert_item(text: str, added: str, path: Path) -> str:
    """``text`` with ``added`` after the last line of its ``items:`` block (before the blank lines
    and comments that lead to the next key); a new block at the end when there is none."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    start = next((i for i, line in enumerate(lines) if ITEMS_LINE.match(line.rstrip("\n"))), None)
    if start is None:
        if any(line.startswith("items:") for line in lines):
            why = _("items is written on one line; write one item per indented line to add items with "
                    "this command")
            raise ScenarioError(why, file=str(path), key="items")
        return "".join(lines) + "items:\n" + added
    end = start
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if TOP_LEVEL.match(line):
            break
        if line.strip() and not line.lstrip().startswith("#"):
            end = index
    return "".join([*lines[:end + 1], added, *lines[end + 1:]])
