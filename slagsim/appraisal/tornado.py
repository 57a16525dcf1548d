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


def check_inputs(menu: Menu, source: Path, baseline_file: Path) -> None:
    """Every tornado key must be a figure marked ``# estimate`` in the baseline's files."""
    marked = {e.key for e in estimates_in(baseline_file)}
    for index, entry in enumerate(menu.tornado):
        if not any(entry.key == key or entry.key.startswith(key + ".") for key in marked):
            raise ScenarioError(f"{entry.key} is not marked `# estimate` in {baseline_file}; the tornado "
                                "varies only estimated inputs", file=str(source), key=f"tornado[{index}].key")


def tornado_table(inputs: list[TornadoInput], npv_at: NpvAt, base_npv: float) -> pd.DataFrame:
    """NPV at each input's low and high value, widest swing first."""
    rows = []
    for entry in inputs:
        low, high = npv_at(entry.key, "low", entry.low), npv_at(entry.key, "high", entry.high)
        rows.append({"input": entry.key, "low": entry.low, "high": entry.high, "npv_at_low_rp": low,
                     "npv_at_high_rp": high, "npv_base_rp": base_npv, "swing_rp": abs(high - low)})
    table = pd.DataFrame(rows, columns=["input", "low", "high", "npv_at_low_rp", "npv_at_high_rp",
                                        "npv_base_rp", "swing_rp"])
    return table.sort_values("swing_rp", ascending=False, kind="stable").reset_index(drop=True)
