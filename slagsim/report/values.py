"""A scenario's values as a planner reads them, in the report's language.

The assumptions table lists each estimate's value as the file writes it (``0.25``,
``{dist: triangular, low: 0.8, mode: 1.0, high: 1.5}``); a report in Indonesian shows 0,25 and
"segitiga 0,8 sampai 1,5, paling sering 1" instead, so one number style and no YAML reach the page.
Anything else (a list of days, a word like ``campaign``) is shown as written.
"""

from __future__ import annotations

from typing import Any

from slagsim.i18n import N_, _, decimal
from slagsim.scenario.plain_keys import plain_choice
from slagsim.scenario.ranges import parse_value

SHAPES = {  # a distribution's words; its parameters fill them
    "constant": N_("{value}"),
    "uniform": N_("uniform {low} to {high}"),
    "triangular": N_("triangular {low} to {high}, most often {mode}"),
    "exponential": N_("exponential, mean {mean}"),
    "normal": N_("normal, mean {mean}, sd {sd}"),
    "lognormal": N_("lognormal, mean {mean}, sd {sd}"),
}


def shown_value(text: Any) -> str:
    """A value from a scenario file (text or parsed) in the current language's words and numbers."""
    value = parse_value(text)
    if isinstance(value, bool) or value is None:
        return _("yes") if value is True else _("no") if value is False else str(text)
    if isinstance(value, str):
        return plain_choice(value)
    if isinstance(value, int | float):
        return decimal(value)
    if isinstance(value, dict) and value.get("dist") in SHAPES:
        numbers = {k: decimal(v) if isinstance(v, int | float) and not isinstance(v, bool) else str(v)
                   for k, v in value.items() if k != "dist"}
        try:
            return _(SHAPES[value["dist"]]).format(**numbers)
        except (KeyError, IndexError):  # a shape written with other parameters: as written
            return str(text)
    return str(text)
