"""Edited inputs (``--set``, ``--set-from FILE.xlsx``): the scenario they make is not today's.

A planner who edits the workbook's inputs sheet and runs again has made a new scenario. It gets its
own name, ``<scenario>-edited``, and so its own results folder: today's results are never
overwritten by a run of something else under today's name, and the two can be compared. A name
the planner gives (``--set name=...``) wins. What counts as an edit is a changed input: the run
settings (``run.*``, like ``--reps``) and the name and description do not make another scenario.

An edit read from the inputs sheet that the scenario refuses is reported against the workbook
(``error: edited.xlsx: curing_yard.pallets: ...``), not against ``--set``, which the planner never typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from slagsim.errors import ScenarioError
from slagsim.i18n import _
from slagsim.scenario.diff import SKIPPED, flatten
from slagsim.scenario.load import load_scenario
from slagsim.scenario.names import MAX_NAME_LENGTH
from slagsim.scenario.schema import Scenario

EDITED_SUFFIX = "-edited"
SET = "--set"  # what load_scenario names as the origin of an override


@dataclass(frozen=True)
class Edits:
    """One command's overrides: those read from a workbook's inputs sheet (``sheet``), then those
    typed with ``--set`` (they come later and win)."""

    from_sheet: tuple[str, ...] = ()
    typed: tuple[str, ...] = ()
    sheet: Path | None = None

    @property
    def overrides(self) -> tuple[str, ...]:
        """Every ``KEY=VALUE`` in the order they apply."""
        return (*self.from_sheet, *self.typed)

    def load(self, scenario_file: Path) -> Scenario:
        """The scenario with every edit; a refused edit from the sheet names the workbook."""
        try:
            return load_scenario(scenario_file, self.overrides)
        except ScenarioError as exc:
            raise self.blame(exc) from None

    def blame(self, exc: ScenarioError) -> ScenarioError:
        """``exc`` against the workbook when it is about a value the sheet set (and --set did not)."""
        def set_by(items: tuple[str, ...]) -> bool:
            return any(exc.key == key or exc.key.startswith(key + ".") for key in map(key_of, items))

        if self.sheet is None or exc.file != SET or not exc.key or not set_by(self.from_sheet) or \
                set_by(self.typed):
            return exc
        hint = _("change the value of this row in the inputs sheet")
        return ScenarioError(f"{exc.message}; {hint}", file=str(self.sheet), key=exc.key)

    @property
    def names_itself(self) -> bool:
        """Whether the planner gave the scenario a name (``--set name=...``)."""
        return any(key_of(item) == "name" for item in self.overrides)


def key_of(override: str) -> str:
    """The dotted key of a ``KEY=VALUE`` override."""
    return ".".join(part.strip() for part in override.split("=", 1)[0].split("."))


def changed_keys(today: Scenario, edited: Scenario) -> list[str]:
    """The inputs whose values differ (run settings, name and description aside), sorted."""
    mine = flatten(edited.model_dump(mode="json", exclude_none=True))
    theirs = flatten(today.model_dump(mode="json", exclude_none=True))
    return sorted(key for key in set(mine) | set(theirs)
                  if key not in SKIPPED and not key.startswith("run.") and mine.get(key) != theirs.get(key))


def edited_name(name: str) -> str:
    """``baseline-edited`` for ``baseline`` (a name already edited stays as it is; a long one is
    shortened so the result still names a folder)."""
    if name.endswith(EDITED_SUFFIX):
        return name
    return name[: MAX_NAME_LENGTH - len(EDITED_SUFFIX)] + EDITED_SUFFIX


def today_of(scenario_file: Path, edited: Scenario, edits: Edits) -> tuple[Scenario | None, list[str]]:
    """Today's scenario (the file without the edits) and the inputs the edits change; (None, [])
    when nothing changed or the file is valid only with its edits (nothing to compare with)."""
    if not edits.overrides:
        return None, []
    try:
        today = load_scenario(scenario_file)
    except ScenarioError:
        return None, []
    changed = changed_keys(today, edited)
    return (today, changed) if changed else (None, [])
