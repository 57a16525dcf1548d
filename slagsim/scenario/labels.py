"""The words a scenario gives its things, in two languages, kept apart from its numbers.

A scenario names machines and products by keys (``press``, ``paving``) that stay the identifiers in
files, CSVs and ``--set``. Its ``label``/``label_id`` and ``description``/``description_id`` are what
a planner reads (:func:`slagsim.i18n.localized`); they decide no number, so a run's fingerprint
leaves them out (relabelling never re-simulates) and the inputs sheet does not list them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slagsim.i18n import learn_things

WORDS = ("label", "label_id", "description", "description_id")  # shown, never simulated


def things_of(scenario: Mapping[str, Any]) -> dict[str, tuple[str | None, str | None]]:
    """Each machine's and product's key with its (label, label_id), from a scenario as a mapping."""
    products = scenario.get("products") or {}
    entries = {**(scenario.get("machines") or {}), **(products.get("blocks") or {})}
    if products.get("ingot"):
        entries["ingot"] = products["ingot"]
    return {key: (entry.get("label"), entry.get("label_id")) for key, entry in entries.items()
            if isinstance(entry, Mapping)}


def learn(scenario: Any) -> None:
    """Let reports and tables name this scenario's machines and products by their labels."""
    data = scenario if isinstance(scenario, Mapping) else scenario.model_dump(mode="json")
    learn_things(things_of(data))


def without_words(data: Any) -> Any:
    """``data`` (a scenario as a mapping) without the words a reader sees: what decides the numbers."""
    if isinstance(data, Mapping):
        return {k: without_words(v) for k, v in data.items() if k not in WORDS}
    if isinstance(data, list):
        return [without_words(v) for v in data]
    return data
