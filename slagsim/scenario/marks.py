"""The figures marked ``# estimate`` in scenario files: what a planner should replace with measured ones."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

MARK = "# estimate"
KEY_LINE = re.compile(r"^(?P<indent>\s*)(?P<dash>-\s+)?(?P<key>[A-Za-z0-9_.\-]+):(?P<rest>.*)$")


@dataclass(frozen=True)
class Estimate:
    """One line of a scenario file marked as an estimate."""

    file: str
    line: int
    key: str
    value: str
    note: str


def estimates_in(path: Path, text: str | None = None) -> list[Estimate]:
    """The estimate lines of ``path`` and of the files it ``extends`` (parents first); ``text``
    stands for the contents of ``path`` itself (a file about to be written)."""
    path = Path(path)
    found: list[Estimate] = []
    seen: set[Path] = set()
    while (text is not None or path.is_file()) and path.resolve() not in seen:
        seen.add(path.resolve())
        text = path.read_text(encoding="utf-8") if text is None else text
        found = _estimates_of_text(text, os.path.normpath(path)) + found
        parent = _extends(text)
        if parent is None:
            break
        path, text = path.parent / parent, None
    return found


def _extends(text: str) -> str | None:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    return data.get("extends") if isinstance(data, dict) else None


def _estimates_of_text(text: str, file: str) -> list[Estimate]:
    """Estimate lines with their dotted key; a comment line marks the key on the next line."""
    found, pending = [], None
    for number, key, value, comment in keyed_lines(text):
        marked = comment.strip().startswith("estimate")
        if key is None:
            if marked:
                pending = (number, _note(comment))
            continue
        if marked:
            found.append(Estimate(file, number, key, value, _note(comment)))
        elif pending is not None:
            found.append(Estimate(file, pending[0], key, value, pending[1]))
        pending = None
    return found


def keyed_lines(text: str) -> list[tuple[int, str | None, str, str]]:
    """(line number, dotted key or None for a comment-only line, value text, comment) of a YAML file."""
    stack: list[tuple[int, str]] = []  # (indent, key) of the enclosing mappings
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        code, _, comment = raw.partition("#")
        code = code.rstrip()
        match = KEY_LINE.match(code)
        if not match:
            if not code.strip() and comment:
                lines.append((number, None, "", comment))
            continue
        indent = len(match["indent"]) + (len(match["dash"]) if match["dash"] else 0)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, match["key"]))
        lines.append((number, ".".join(k for _, k in stack), match["rest"].strip(), comment.strip()))
    return lines


def comments_in(path: Path) -> dict[str, tuple[str, int, str]]:
    """Each dotted key's comment and where it is set (file, line), along ``extends`` (the child wins)."""
    path, chain, seen = Path(path), [], set()
    while path.is_file() and path.resolve() not in seen:
        seen.add(path.resolve())
        text = path.read_text(encoding="utf-8")
        chain.append((os.path.normpath(path), text))
        parent = _extends(text)
        if parent is None:
            break
        path = path.parent / parent
    found: dict[str, tuple[str, int, str]] = {}
    for file, text in reversed(chain):
        for number, key, _value, comment in keyed_lines(text):
            if key is not None:
                found[key] = (file, number, comment)
    return found


def _note(comment: str) -> str:
    """What an estimate comment says after the word "estimate"."""
    return comment.strip()[len("estimate"):].lstrip(": ").strip()


def estimates_of_files(files: list[Path]) -> list[Estimate]:
    """Every estimate of several scenario files, each file line listed once."""
    unique: dict[tuple[str, int], Estimate] = {}
    for file in files:
        for estimate in estimates_in(file):
            unique.setdefault((str(Path(estimate.file).resolve()), estimate.line), estimate)
    return list(unique.values())
