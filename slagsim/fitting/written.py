"""The scenario a fit writes: it ``extends:`` the planner's scenario and sets one key to the fit.

Like a calibrated scenario (``slagsim calibrate``), it names where the value came from: the data
file, the column, how many values, the family's AIC weight and tests of fit, and what the key held
before. The key is checked against the scenario before anything is written: an unknown key, a key
that is no distribution, or a fit the scenario refuses there is one line naming ``--key``.
"""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

import slagsim
from slagsim.errors import ScenarioError
from slagsim.fitting.families import EMPIRICAL
from slagsim.i18n import _
from slagsim.scenario import distributions
from slagsim.scenario.load import apply_values, load_raw, validate
from slagsim.scenario.names import MAX_NAME_LENGTH, derived_name

KEY_OPTION = "--key"
LINE_WIDTH = 100
SHOWN_BEFORE = 120  # characters of the replaced value in the comment
HOURS_SUFFIX = "_h"  # a scenario's times: cycle_h, repair_h, time_between_h, duration_h
MINUTES_HEADER = re.compile(r"\b(menit|minutes?|mins?)\b", re.IGNORECASE)  # the timing sheet's "Menit"
FITTED = "-fitted"
FITTED_SUFFIX = f"{FITTED}.yaml"  # the end of every scenario a fit writes
_DISTRIBUTIONS = tuple(getattr(distributions, name) for name in distributions.__all__
                       if name not in ("Distribution", "Draws"))


@dataclass(frozen=True)
class Target:
    """Where the fit goes: the scenario, its name, the key, and what the key holds there now."""

    scenario_file: Path
    name: str
    key: str
    before: object


def check_target(scenario_file: Path, key: str, spec: dict[str, object]) -> Target:
    """The scenario with ``key`` set to ``spec`` validates, and ``key`` holds a distribution there;
    else a ScenarioError naming ``--key``."""
    raw = load_raw(scenario_file)
    parts = tuple(part.strip() for part in key.split("."))
    if not all(parts):
        raise ScenarioError(_("empty part in the key {key!r}").format(key=key), file=KEY_OPTION)
    before = _at(raw.data, parts)
    if isinstance(before, dict) and "dist" not in before:
        raise ScenarioError(_("{key} is a section, not a distribution: name a time or a weight in it "
                              "(for a machine: {key}.cycle_h)").format(key=key), file=KEY_OPTION)
    apply_values(raw, [(parts, spec)], origin=KEY_OPTION)
    scenario = validate(raw)
    if not isinstance(_at(scenario, parts), _DISTRIBUTIONS):
        raise ScenarioError(_("{key} is not a distribution in the scenario; `slagsim show {file}` lists "
                              "its keys").format(key=key, file=scenario_file), file=KEY_OPTION)
    name = str(raw.data.get("name") or derived_name(Path(scenario_file).stem))
    return Target(Path(scenario_file), name, key, before)


def check_unit(key: str, column: str, minutes: bool) -> None:
    """The values' unit is the key's: ``--minutes`` makes hours, so it suits only a key in hours
    (``cycle_h``, ``repair_h``), and a column headed in minutes needs it for such a key. Without
    this, minutes fitted into ``supply.lot_t`` or ``curing_days``, or 15-minute cycles written as
    15 hours, were a scenario that validates and runs, wrong by a factor of 60."""
    last = key.split(".")[-1].strip()
    in_hours = last.endswith(HOURS_SUFFIX)
    if minutes and not in_hours:
        raise ScenarioError(_("--minutes turns minutes into hours, but {key} is not in hours (its name does "
                              "not end in _h): leave out --minutes and give the values in its unit").format(
            key=key), file=KEY_OPTION)
    if not minutes and in_hours and MINUTES_HEADER.search(column):
        raise ScenarioError(_("the column {column!r} holds minutes, but {key} is in hours: add --minutes "
                              "(the values are divided by 60)").format(column=column, key=key),
                            file=KEY_OPTION)


def _at(node: object, parts: tuple[str, ...]) -> object:
    """The value at ``parts`` in a mapping or a validated scenario; None when it is not there."""
    for part in parts:
        if isinstance(node, dict):
            node = node.get(part, node.get(int(part)) if part.isdigit() else None)
        else:
            node = getattr(node, part, None)
        if node is None:
            return None
    return node


def file_name(target: Target) -> str:
    return f"{fitted_name(target)}.yaml"


def fitted_name(target: Target) -> str:
    return f"{target.name[:MAX_NAME_LENGTH - len(FITTED)]}{FITTED}"


def scenario_text(target: Target, out: Path, spec: dict[str, object], provenance: list[str],
                  source: str) -> str:
    """The scenario: a header of comments (``provenance``), its name, ``extends:`` the original
    (relative to ``out``, where it is written), and the key set to ``spec`` with ``source`` and
    what it replaced in a comment."""
    today = datetime.date.today().isoformat()
    extends = Path(os.path.relpath(target.scenario_file.resolve(), Path(out).resolve())).as_posix()
    lines = [f"# Fitted by slagsim {slagsim.__version__} on {today}: {provenance[0]}",
             *(f"# {line}" for line in provenance[1:]),
             f"name: {fitted_name(target)}", f"extends: {extends}"]
    parts = target.key.split(".")
    for depth, part in enumerate(parts[:-1]):
        lines.append(f"{'  ' * depth}{part}:")
    indent = "  " * (len(parts) - 1)
    was = "not set" if target.before is None else _shortened(_flow(target.before))
    note = f"  # {source}; was {was}"
    if spec.get("dist") == EMPIRICAL:  # hundreds of values: a block, wrapped
        block = yaml.safe_dump({parts[-1]: spec}, default_flow_style=None, width=LINE_WIDTH, sort_keys=False)
        first, *rest = block.rstrip("\n").splitlines()
        lines += [f"{indent}{first}{note}", *[f"{indent}{line}" for line in rest]]
    else:
        lines.append(f"{indent}{parts[-1]}: {_flow(spec)}{note}")
    return "\n".join(lines) + "\n"


def _flow(value: object) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, width=10_000, sort_keys=False).strip()
    return text.removesuffix("...").strip()


def _shortened(text: str) -> str:
    return text if len(text) <= SHOWN_BEFORE else text[:SHOWN_BEFORE - 3] + "..."
