"""Read result folders written by ``slagsim run`` and ``slagsim batch`` (never re-simulates).

A *run folder* holds ``meta.json``, ``summary.csv``, ``replications.csv``, ``yearly.csv`` and
``series.csv``. A *batch folder* holds ``batch-meta.json`` and one run folder per scenario.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sim.errors import ScenarioError

RUN_FILES = ("meta.json", "summary.csv", "replications.csv")


@dataclass
class RunResult:
    """One scenario's results as written to disk."""

    name: str
    folder: Path
    meta: dict
    summary: pd.DataFrame
    replications: pd.DataFrame
    yearly: pd.DataFrame
    series: pd.DataFrame

    @property
    def settings(self) -> tuple:
        """What must match for replications of two runs to be paired."""
        return (self.meta.get("seed"), self.meta.get("years"), self.meta.get("warmup_days"))

    def kpi_table(self) -> dict[int, dict[str, float]]:
        """replication -> kpi -> value."""
        table: dict[int, dict[str, float]] = {}
        for replication, kpi, value in self.replications.itertuples(index=False):
            table.setdefault(int(replication), {})[kpi] = float(value)
        return table

    def means(self) -> dict[str, float]:
        """kpi -> mean over replications."""
        return dict(zip(self.summary.kpi, self.summary["mean"].astype(float), strict=True))

    @property
    def scenario(self) -> dict:
        """The resolved scenario the run used (from meta.json)."""
        return self.meta.get("scenario", {})


@dataclass
class ResultSet:
    """Runs to compare, the baseline's name, and the batch metadata when they came from a batch."""

    runs: list[RunResult]
    baseline: str
    batch_meta: dict = field(default_factory=dict)
    folders: list[Path] = field(default_factory=list)

    @property
    def paired(self) -> bool:
        """Common random numbers: every run used the same seed and run length."""
        return len({run.settings for run in self.runs}) == 1

    def run(self, name: str) -> RunResult:
        return next(r for r in self.runs if r.name == name)


def load_run(folder: Path, name: str | None = None) -> RunResult:
    """Read one run folder; a missing or unreadable file is a ScenarioError naming it."""
    folder = Path(folder)
    for file in RUN_FILES:
        if not (folder / file).is_file():
            raise ScenarioError(f"not a slagsim result folder ({file} is missing)", file=str(folder))
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        tables = {stem: _read_csv(folder / f"{stem}.csv") for stem in
                  ("summary", "replications", "yearly", "series")}
    except (OSError, ValueError) as exc:
        problem = f"cannot read the results ({type(exc).__name__}: {exc})"
        raise ScenarioError(problem, file=str(folder)) from None
    return RunResult(name or folder.name, folder, meta, **tables)


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path) if path.is_file() else pd.DataFrame()


def load_results(folders: list[Path], baseline: str | None = None) -> ResultSet:
    """Read run and batch folders into one set; ``baseline`` names a run (else the batch's or the first)."""
    runs: list[RunResult] = []
    batch_meta: dict = {}
    for folder in map(Path, folders):
        if (folder / "batch-meta.json").is_file():
            meta = json.loads((folder / "batch-meta.json").read_text(encoding="utf-8"))
            batch_meta = batch_meta or meta
            runs += [load_run(folder / s["name"]) for s in meta["scenarios"] if (folder / s["name"]).is_dir()]
        else:
            runs.append(load_run(folder))
    if not runs:
        raise ScenarioError("no scenario results found", file=", ".join(map(str, folders)))
    _check_unique([run.name for run in runs])
    chosen = baseline or batch_meta.get("baseline") or runs[0].name
    if chosen not in {run.name for run in runs}:
        known = ", ".join(run.name for run in runs)
        raise ScenarioError(f"no scenario named {chosen!r} (known: {known})", file="--baseline")
    return ResultSet(runs, chosen, batch_meta, [Path(f) for f in folders])


def _check_unique(names: list[str]) -> None:
    seen = set()
    for name in names:
        if name in seen:
            raise ScenarioError(f"two result folders are both named {name!r}; compare them from "
                                "folders with different names", file="RESULT_DIR")
        seen.add(name)
