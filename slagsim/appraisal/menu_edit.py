"""Add one item to a purchase menu file without touching the rest of it (``slagsim menu add``).

A planner's menu is a commented file: every figure says where it comes from. Re-dumping the YAML
would drop those comments, so the new item is written as text, in the file's own indentation, at
the end of its ``items:`` block; every number on it says ``# estimate`` (or the source the planner
gave). The new file is checked exactly as ``appraise`` checks a menu before it runs (the schema,
every item's scenario, the tornado) and as ``validate`` checks its estimates, in memory, and only
then replaces the old one in one step: a bad option leaves the file as it was.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from slagsim.appraisal.menu import menu_from
from slagsim.errors import ScenarioError
from slagsim.i18n import _
from slagsim.results.files import atomic_write
from slagsim.scenario.load import parse_override
from slagsim.scenario.names import name_problem
from slagsim.scenario.ranges import check_estimates, load_ranges, ranges_file_for
from slagsim.scenario.yamlfile import YamlProblem, load_text, read_text_file

COMMENT_COLUMN = 30  # where the comments start, as in the shipped menu
ESTIMATE = "estimate"
OPTIONS = {"price_rp": "--price", "install_months": "--install-months", "yearly_cost_rp": "--yearly-cost",
           "life_years": "--life-years", "salvage_rp": "--salvage", "paid_by": "--paid-by",
           "description": "--description", "set": "--set"}


@dataclass
class NewItem:
    """One menu item as the options give it (``None``: not given, the schema's default)."""

    name: str
    paid_by: str
    set: list[str] = field(default_factory=list)  # KEY=VALUE, as --set
    price_rp: float | None = None
    install_months: float | None = None
    yearly_cost_rp: float | None = None
    life_years: int | None = None
    salvage_rp: float | None = None
    description: str = ""
    source: str | None = None  # the comment on every number instead of "estimate"


def add_item(path: Path, item: NewItem) -> str:
    """Append ``item`` to the menu file ``path`` after checking the whole new menu; return the
    text added. Any problem is a ScenarioError and leaves the file unchanged."""
    path = Path(path)
    problem = name_problem(item.name)
    if problem:
        raise ScenarioError(problem, file="--name")
    text = read_text_file(path, str(path))
    _refuse_duplicate(text, item.name, path)
    values = _values(item, _horizon(text, path))
    added = item_text(item.name, values, _comments(path, item, values), _indents(text))
    new_text = insert_item(text, added, path)
    try:
        _check(new_text, path, item.name, values)
    except ScenarioError as exc:
        hint = _hint(exc.key, item.name, list(values["set"]))
        raise ScenarioError(exc.message + hint, file=exc.file, key=exc.key) from None
    atomic_write(path, lambda temporary: temporary.write_text(new_text, encoding="utf-8"))
    return added


def _hint(key: str | None, name: str, changes: list[str]) -> str:
    """What to correct: the option a key of the new item came from."""
    prefix = f"items.{name}."
    if key in changes:  # the item's scenario refused one of its changes
        return _(" (nothing was written; correct {option} and run again)").format(option=f"--set {key}=...")
    if key and key.startswith(prefix):
        field_name = key[len(prefix):].split(".")[0]
        option = OPTIONS.get(field_name)
        if field_name == "set":
            option = f"--set {key[len(prefix) + len('set.'):]}=..."
        if option:
            return _(" (nothing was written; correct {option} and run again)").format(option=option)
    return _(" (nothing was written)")


def _values(item: NewItem, horizon: Any) -> dict[str, Any]:
    """The item's fields in the schema's order: those given, and its life (the menu's ``horizon``
    when none is given: the schema has no default for it)."""
    if item.source is not None and ("\n" in item.source or not item.source.strip()):
        raise ScenarioError(_("the source must be one line of text"), file="--source")
    changes: dict[str, Any] = {}
    for setting in item.set:
        key, value = parse_override(setting)
        changes[".".join(key)] = value
    values: dict[str, Any] = {"description": item.description} if item.description else {}
    values["set"] = changes
    for name in ("price_rp", "install_months", "yearly_cost_rp", "life_years", "salvage_rp"):
        if getattr(item, name) is not None:
            values[name] = _plain_number(getattr(item, name))
        elif name == "life_years":
            values[name] = horizon
    values["paid_by"] = item.paid_by
    return values


def _plain_number(value: float) -> int | float:
    """150000000.0 as 150000000: a Rupiah amount reads as a whole number."""
    return int(value) if float(value).is_integer() else value


def _refuse_duplicate(text: str, name: str, path: Path) -> None:
    data = _parse(text, path)
    if name in (data.get("items") or {}):
        raise ScenarioError(_("an item of this name is already on the menu; choose another --name (or edit "
                              "the item in the file)"), file=str(path), key=f"items.{name}")


def _horizon(text: str, path: Path) -> Any:
    """The item's life when none is given: the menu's planning horizon."""
    return _parse(text, path).get("horizon_years", 10)


def _parse(text: str, path: Path) -> dict[str, Any]:
    try:
        data = load_text(text)
    except YamlProblem as exc:
        raise ScenarioError(str(exc), file=str(path)) from None
    if not isinstance(data, dict):
        raise ScenarioError(_("the top level must be a mapping of keys"), file=str(path))
    return data


def _comments(path: Path, item: NewItem, values: dict[str, Any]) -> dict[str, str]:
    """The comment on each line that holds a number (keys: field names and ``set.KEY``).

    ``# estimate`` (or the planner's source). Where the nearest ``estimates.yaml`` has no range
    for a key (``validate`` asks one of every estimate: a new option's own setting, say), the line
    says it is a guess instead, so the new menu never fails for want of a range nobody wrote."""
    ranges_path = ranges_file_for(path)
    ranges = load_ranges(ranges_path) if ranges_path is not None else None

    def comment(key: str, note: str = "", sourced: bool = True) -> str:
        if sourced and item.source is not None:
            return item.source.strip()
        if ranges is None or ranges.find(f"items.{item.name}.{key}") is not None:
            return f"{ESTIMATE}: {note}" if note else ESTIMATE
        return _("a guess: {file} has no range to mark it an estimate").format(
            file=os.path.relpath(ranges_path, path.parent))

    found: dict[str, str] = {}
    for name, value in values.items():
        if name == "set":
            found |= {f"set.{key}": comment(f"set.{key}")
                      for key, change in value.items() if _has_number(change)}
        elif name == "price_rp" and value == 0 and item.source is None:
            found[name] = _("nothing to buy")
        elif _has_number(value):
            found[name] = comment(name)
    if item.life_years is None:  # not the planner's figure: no source of theirs
        found["life_years"] = comment("life_years", _("the planning horizon (give --life-years)"), False)
    return found


def _has_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if isinstance(value, dict):
        return any(_has_number(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_number(v) for v in value)
    return False


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


def _indents(text: str) -> tuple[int, int]:
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


def _check(text: str, path: Path, name: str, values: dict[str, Any]) -> None:
    """The new menu as ``appraise`` and ``validate`` would check it, before it is written."""
    from slagsim.appraisal.session import check_menu

    data = _parse(text, path)
    if (data.get("items") or {}).get(name) != values:  # the file's layout hid the new lines
        raise ScenarioError(_("could not place the new item in the items block (its layout is unusual); "
                              "add it by hand"), file=str(path), key="items")
    check_menu(path, menu=menu_from(data, path))
    check_estimates(path, text)
