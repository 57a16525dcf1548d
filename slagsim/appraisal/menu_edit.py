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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slagsim.appraisal.menu import menu_from
from slagsim.appraisal.menu_text import indents_of, insert_item, item_text
from slagsim.errors import ScenarioError
from slagsim.i18n import _
from slagsim.results.files import atomic_write
from slagsim.scenario.load import parse_override
from slagsim.scenario.names import name_problem
from slagsim.scenario.ranges import check_estimates, load_ranges, ranges_file_for
from slagsim.scenario.yamlfile import YamlProblem, load_text, read_text_file

ESTIMATE = "estimate"
OPTIONS = {"price_rp": "--price", "install_months": "--install-months", "yearly_cost_rp": "--yearly-cost",
           "life_years": "--life-years", "salvage_rp": "--salvage", "paid_by": "--paid-by",
           "description": "--description", "set": "--set", "label": "--label", "label_id": "--label-id",
           "description_id": "--description-id"}
WORDS = ("label", "label_id", "description", "description_id")  # what a planner reads, both languages


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
    label: str = ""  # its name in a planner's words (English), and in Bahasa Indonesia
    label_id: str = ""
    description_id: str = ""


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
    added = item_text(item.name, values, _comments(path, item, values), indents_of(text))
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
    values: dict[str, Any] = {word: getattr(item, word) for word in WORDS if getattr(item, word)}
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


def _check(text: str, path: Path, name: str, values: dict[str, Any]) -> None:
    """The new menu as ``appraise`` and ``validate`` would check it, before it is written."""
    from slagsim.appraisal.session import check_menu

    data = _parse(text, path)
    if (data.get("items") or {}).get(name) != values:  # the file's layout hid the new lines
        raise ScenarioError(_("could not place the new item in the items block (its layout is unusual); "
                              "add it by hand"), file=str(path), key="items")
    check_menu(path, menu=menu_from(data, path))
    check_estimates(path, text)
