"""One hash of every record and KPI of a few replications: proof that a refactoring changed nothing.

Runs 3 replication-years of the baseline, pre-2021 and three options with the baseline's seed and
hashes, per scenario, every KPI, every yearly and series row and every record the engine wrote
(records are compared by their field values in order, so a positional tuple that becomes a typed
record with the same fields hashes the same; enums count as their values).

A second hash leaves out what an engine change may move without changing any result: the order
of records written at the same moment and the number of SimPy events (a job that finds its machine
free no longer schedules one); records are then compared as sorted lists.

Run: python benchmarks/fingerprint.py   (one line per scenario and the overall hashes)
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
from pathlib import Path

from slagsim.analysis.metrics import replication_kpis, series_rows, yearly_rows
from slagsim.model.engine import simulate
from slagsim.runs.experiment import RunSettings
from slagsim.scenario.load import load_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
FILES = ["baseline.yaml", "pre-2021.yaml", "options/add-press.yaml", "options/second-shift.yaml",
         "options/more-supply.yaml"]
SETTINGS = RunSettings(replications=3, years=1.0, warmup_days=30, seed=20240101)


def canonical(value: object) -> object:
    """A plain, representation-independent form of a record value."""
    if isinstance(value, enum.Enum):
        return canonical(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple(canonical(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, dict):
        return tuple(sorted((str(canonical(k)), canonical(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(canonical(v) for v in value)
    if isinstance(value, float):
        return float.hex(value)
    return value


def order_free(parts: dict[str, object]) -> dict[str, object]:
    """``parts`` without the SimPy event count, every list (of records or rows) sorted."""
    kept = {name: value for name, value in parts.items() if name != "events"}
    kept["kpis"] = {name: value for name, value in parts["kpis"].items() if name != "events"}
    return {name: sorted(canonical(value), key=repr) if isinstance(value, list) else value
            for name, value in kept.items()}


def scenario_hashes(path: Path) -> tuple[str, str]:
    """The scenario's hash of everything in order, and its order-free hash."""
    scenario = load_scenario(path)
    digest, unordered = hashlib.sha256(), hashlib.sha256()
    for replication in range(SETTINGS.replications):
        outcome = simulate(scenario, SETTINGS.seed, replication, SETTINGS.years, SETTINGS.warmup_days)
        kpis = replication_kpis(scenario, outcome)
        records = outcome.records
        parts = {"kpis": kpis, "yearly": yearly_rows(scenario, outcome), "series": series_rows(outcome),
                 **{f.name: getattr(records, f.name) for f in dataclasses.fields(records)}}
        digest.update(repr(canonical(parts)).encode())
        unordered.update(repr(canonical(order_free(parts))).encode())
    return digest.hexdigest()[:16], unordered.hexdigest()[:16]


def main() -> None:
    overall, overall_unordered = hashlib.sha256(), hashlib.sha256()
    print(f"{'':32s} {'in order':16s} order-free")
    for file in FILES:
        found, unordered = scenario_hashes(SCENARIOS / file)
        overall.update(found.encode())
        overall_unordered.update(unordered.encode())
        print(f"{file:32s} {found} {unordered}")
    print(f"{'all':32s} {overall.hexdigest()[:16]} {overall_unordered.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
