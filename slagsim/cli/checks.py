"""Check any input file completely without running it: a scenario, a batch or a purchase menu."""

from __future__ import annotations

from pathlib import Path

from slagsim.errors import ScenarioError
from slagsim.i18n import _


def check_file(file: Path, overrides: tuple[str, ...] = ()) -> str:
    """Load and check ``file``; a note for the ``ok`` line, or a ScenarioError.

    A file with a ``baseline:`` key is a batch or (with ``items:``) a purchase menu, checked with
    every scenario it makes.
    """
    from slagsim.scenario.load import read_yaml
    from slagsim.scenario.ranges import check_estimates, load_ranges

    data = read_yaml(file)
    if set(data) == {"ranges"}:
        return f" (ranges of {len(load_ranges(file).ranges)} estimates)"
    note = _check_contents(file, data, overrides)
    checked = check_estimates(file)
    return note + (f"; {checked} estimates in range" if checked else "")


def _check_contents(file: Path, data: dict, overrides: tuple[str, ...]) -> str:
    from slagsim.scenario.load import load_scenario

    if "baseline" not in data:
        load_scenario(file, overrides)
        return ""
    if overrides:
        raise ScenarioError(_("--set applies to scenario files, not batch or menu files"), file=str(file))
    if "items" in data:
        from slagsim.appraisal.session import check_menu

        return f" (purchase menu of {check_menu(file)} items)"
    from slagsim.batch.prepare import prepare, read_batch

    return f" (batch of {len(prepare(read_batch(file)).runs)} scenarios)"
