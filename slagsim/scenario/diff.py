"""What one scenario changes against another: ``slagsim show FILE --diff OTHER``.

Both files are resolved (``extends``, ``overlays``, ``--set``) and compared key by key; only the
keys whose values differ are printed, each with the comment of the line that sets it (its source
or ``# estimate``) and the other file's value, so a planner sees exactly what an option changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from slagsim.scenario.labels import WORDS
from slagsim.scenario.load import load_scenario
from slagsim.scenario.marks import comments_in

SKIPPED = ("name", "products.ingot.price_path.log_returns")  # identity and loaded data


def skipped(key: str) -> bool:
    """Keys that are no setting of the plant: its name, loaded data, and words (labels, descriptions)."""
    return key in SKIPPED or key.rsplit(".", 1)[-1] in WORDS


@dataclass(frozen=True)
class Difference:
    """One key whose value differs."""

    key: str
    value: object
    other: object
    comment: str  # of the line that sets it in the first file's chain ("" if none)
    where: str  # file:line that sets it ("" if it is inherited from defaults)


def flatten(data: object, prefix: str = "") -> dict[str, object]:
    """Dotted keys to leaf values (a distribution or a list is one value)."""
    if isinstance(data, dict) and data and "dist" not in data:
        found: dict[str, object] = {}
        for key, value in data.items():
            found |= flatten(value, f"{prefix}.{key}" if prefix else str(key))
        return found
    return {prefix: data}


def differences(file: Path, other: Path, overrides: tuple[str, ...] = ()) -> list[Difference]:
    """The keys whose resolved values differ between ``file`` (with ``overrides``) and ``other``."""
    mine = flatten(load_scenario(file, overrides).model_dump(mode="json", exclude_none=True))
    theirs = flatten(load_scenario(other).model_dump(mode="json", exclude_none=True))
    comments = comments_in(file)
    found = []
    for key in sorted(set(mine) | set(theirs)):
        if skipped(key) or mine.get(key) == theirs.get(key):
            continue
        file_of, line, comment = _nearest(comments, key)
        found.append(Difference(key, mine.get(key), theirs.get(key), comment,
                                f"{file_of}:{line}" if file_of else ""))
    return found


def _nearest(comments: dict[str, tuple[str, int, str]], key: str) -> tuple[str, int, str]:
    """The comment of the line that sets ``key`` or, for a value inside a flow mapping, its parent."""
    parts = key.split(".")
    while parts:
        found = comments.get(".".join(parts))
        if found:
            return found
        parts.pop()
    return "", 0, ""


def render(found: list[Difference], other: Path) -> str:
    """The differences as YAML-like lines a planner can read (and copy into a scenario)."""
    if not found:
        return f"# no differences from {other}\n"
    lines = [f"# what differs from {other} (its value after 'was:')"]
    for item in found:
        note = f"  # {item.comment}" if item.comment else ""
        lines.append(f"{item.key}: {_text(item.value)}{note}")
        lines.append(f"    # was: {_text(item.other)}" + (f"; set in {item.where}" if item.where else ""))
    return "\n".join(lines) + "\n"


def _text(value: object) -> str:
    if value is None:
        return "(not set)"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    return str(value)
