"""Which uncertain inputs move the best candidate's value most: one at a time, low and high.

Only inputs marked ``# estimate`` in the baseline's scenario files may be varied; each is set to its
low and then its high value in the baseline and the candidate alike (so the comparison stays paired),
and the candidate's mean NPV is recomputed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from slagsim.appraisal.menu import Menu, TornadoInput
from slagsim.errors import ScenarioError
from slagsim.scenario.marks import estimates_in

NpvAt = Callable[[str, str, object], float]  # key, "low" or "high", value -> the candidate's mean NPV


def check_inputs(menu: Menu, source: Path, baseline_file: Path, edits: tuple[str, ...] = ()) -> None:
    """Every tornado key must be a figure marked ``# estimate`` in the baseline's files, and its low
    and high values must bracket the file's value (with the planner's ``edits``): a bar both of
    whose ends lie on one side of today's value says nothing about "what if the estimate is wrong"."""
    marked = {e.key for e in estimates_in(baseline_file)}
    values = file_values(menu, baseline_file, edits)
    for index, entry in enumerate(menu.tornado):
        if not any(entry.key == key or entry.key.startswith(key + ".") for key in marked):
            raise ScenarioError(f"{entry.key} is not marked `# estimate` in {baseline_file}; the tornado "
                                "varies only estimated inputs", file=str(source), key=f"tornado[{index}].key")
        value = values.get(entry.key)
        if not _is_number(value) or not (_is_number(entry.low) and _is_number(entry.high)):
            continue
        ends = (("low", entry.low, entry.low > value, "above"),
                ("high", entry.high, entry.high < value, "below"))
        for level, end, wrong, side in ends:
            if wrong:
                raise ScenarioError(f"{end:g} is {side} the file's value {value:g} ({baseline_file}): a "
                                    f"tornado bar brackets today's value; give low <= {value:g} <= high",
                                    file=str(source), key=f"tornado[{index}].{level}")


def file_values(menu: Menu, baseline_file: Path, edits: tuple[str, ...] = ()) -> dict[str, object]:
    """Each tornado input's value in the baseline's files, or as the planner edited it (what its
    bar brackets)."""
    from slagsim.scenario.load import load_scenario

    data = load_scenario(baseline_file, edits).model_dump(mode="json")
    found = {}
    for entry in menu.tornado:
        node: object = data
        for part in entry.key.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        found[entry.key] = node
    return found


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def tornado_table(inputs: list[TornadoInput], npv_at: NpvAt, base_npv: float,
                  values: dict[str, object] | None = None) -> pd.DataFrame:
    """NPV at each input's low and high value beside the file's value, widest swing first."""
    rows = []
    for entry in inputs:
        low, high = npv_at(entry.key, "low", entry.low), npv_at(entry.key, "high", entry.high)
        rows.append({"input": entry.key, "low": entry.low, "value": (values or {}).get(entry.key),
                     "high": entry.high, "npv_at_low_rp": low, "npv_at_high_rp": high,
                     "npv_base_rp": base_npv, "swing_rp": abs(high - low)})
    table = pd.DataFrame(rows, columns=["input", "low", "value", "high", "npv_at_low_rp", "npv_at_high_rp",
                                        "npv_base_rp", "swing_rp"])
    return table.sort_values("swing_rp", ascending=False, kind="stable").reset_index(drop=True)


def inputs_for(menu: Menu, bundle: tuple[str, ...]) -> list[TornadoInput]:
    """The tornado's inputs for a candidate, without those the candidate itself sets (a bigger
    curing yard's own pallets are not an uncertain estimate of that candidate)."""
    own = {key for name in bundle for key in menu.items[name].set}
    return [entry for entry in menu.tornado
            if not any(entry.key == key or entry.key.startswith(key + ".") or key.startswith(entry.key + ".")
                       for key in own)]
