"""One hash of every record and KPI of a few replications: proof that a refactoring changed nothing.

Runs 3 replication-years of the baseline, pre-2021 and three options with the baseline's seed and
hashes, per scenario, every KPI, every yearly and series row and every record the engine wrote
(records are compared by their field values in order, so a positional tuple that becomes a typed
record with the same fields hashes the same; enums count as their values).

Run: python benchmarks/fingerprint.py   (prints one line per scenario and the overall hash)
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
from pathlib import Path

from sim.experiment import RunSettings
from sim.metrics import replication_kpis, series_rows, yearly_rows
from sim.model import simulate
from sim.scenario import load_scenario

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


def scenario_hash(path: Path) -> str:
    scenario = load_scenario(path)
    digest = hashlib.sha256()
    for replication in range(SETTINGS.replications):
        outcome = simulate(scenario, SETTINGS.seed, replication, SETTINGS.years, SETTINGS.warmup_days)
        kpis = replication_kpis(scenario, outcome)
        records = outcome.records
        parts = {"kpis": kpis, "yearly": yearly_rows(scenario, outcome), "series": series_rows(outcome),
                 **{f.name: getattr(records, f.name) for f in dataclasses.fields(records)}}
        digest.update(repr(canonical(parts)).encode())
    return digest.hexdigest()[:16]


def main() -> None:
    overall = hashlib.sha256()
    for file in FILES:
        found = scenario_hash(SCENARIOS / file)
        overall.update(found.encode())
        print(f"{file:32s} {found}")
    print(f"{'all':32s} {overall.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
