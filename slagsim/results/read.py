"""Read result folders written by ``slagsim run``, ``batch`` and ``appraise`` (never re-simulates).

A *run folder* holds ``meta.json``, ``summary.csv``, ``replications.csv``, ``yearly.csv`` and
``series.csv``. A *batch folder* holds ``batch-meta.json`` and one run folder per scenario.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from slagsim import layout
from slagsim.errors import ScenarioError
from slagsim.results.whole import check_ends_a_line, check_replications
from slagsim.scenario.labels import learn
from slagsim.scenario.names import name_problem


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
    monthly: pd.DataFrame = field(default_factory=pd.DataFrame)  # empty for results written before it

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
    warnings: list[str] = field(default_factory=list)  # partial batches: never shown as complete

    def __post_init__(self) -> None:
        """The baseline's labels name the machines and products, then what the others add."""
        for run in sorted(self.runs, key=lambda r: r.name != self.baseline):
            learn(run.scenario)

    @property
    def paired(self) -> bool:
        """Common random numbers: every run used the same seed and run length."""
        return len({run.settings for run in self.runs}) == 1

    def run(self, name: str) -> RunResult:
        return next(r for r in self.runs if r.name == name)


def load_run(folder: Path, name: str | None = None) -> RunResult:
    """Read one run folder; a missing, unreadable or malformed file is a ScenarioError naming it."""
    folder = Path(folder)
    for file in layout.REQUIRED_RUN_FILES:
        if not (folder / file).is_file():
            raise ScenarioError(f"not a slagsim result folder ({file} is missing)", file=str(folder))
    meta = _read_json(folder / layout.META)
    if not isinstance(meta, dict):
        raise ScenarioError("not a run's metadata (expected a JSON object)", file=str(folder / layout.META))
    tables = {Path(file).stem: _read_csv(folder / file) for file in layout.RUN_FILES if file != layout.META}
    _check_columns(folder / layout.REPLICATIONS, tables["replications"],
                   {"replication": True, "kpi": False, "value": True})
    _check_columns(folder / layout.SUMMARY, tables["summary"], {"kpi": False, "mean": True})
    check_replications(folder, meta, tables["replications"], tables["summary"])
    return RunResult(name or folder.name, folder, meta, **tables)


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ScenarioError(f"cannot be read ({type(exc).__name__}: {exc}); run the command that wrote "
                            "it again", file=str(path)) from None


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        return pd.DataFrame()
    try:
        check_ends_a_line(path)
        return pd.read_csv(path)
    except (OSError, ValueError) as exc:
        raise ScenarioError(f"cannot be read ({type(exc).__name__}); run the command that wrote it again",
                            file=str(path)) from None


def _check_columns(path: Path, table: pd.DataFrame, columns: dict[str, bool]) -> None:
    """Each column must exist; those marked True must hold finite numbers in every row."""
    for column, numeric in columns.items():
        if column not in table.columns:
            raise ScenarioError(f"has no column {column!r}; run the command that wrote it again",
                                file=str(path))
        if numeric:
            values = pd.to_numeric(table[column], errors="coerce")
            bad = values.isna() | ~values.abs().lt(float("inf"))
            if bad.any():
                row = int(bad.to_numpy().nonzero()[0][0]) + 2  # the header is line 1
                raise ScenarioError(f"line {row}: {column} is {table[column].iloc[row - 2]!r}, not a number",
                                    file=str(path))
            table[column] = values


def load_results(folders: list[Path], baseline: str | None = None) -> ResultSet:
    """Read run and batch folders into one set; ``baseline`` names a run (else the batch's or the first).

    A batch that did not finish (running, interrupted, failed, incomplete) is read, and the
    set's ``warnings`` say so, so that partial results are never shown as complete.
    """
    runs: list[RunResult] = []
    batch_meta: dict = {}
    warnings: list[str] = []
    for folder in map(Path, folders):
        if (folder / layout.BATCH_META).is_file():
            meta = read_batch_meta(folder)
            batch_meta = batch_meta or meta
            runs += [load_run(folder / s["name"]) for s in meta["scenarios"] if (folder / s["name"]).is_dir()]
            warning = _partial_warning(folder, meta)
            if warning:
                warnings.append(warning)
        else:
            runs.append(load_run(folder))
    if not runs:
        raise ScenarioError("no scenario results found", file=", ".join(map(str, folders)))
    _check_unique([run.name for run in runs])
    chosen = baseline or batch_meta.get("baseline") or runs[0].name
    if chosen not in {run.name for run in runs}:
        known = ", ".join(run.name for run in runs)
        raise ScenarioError(f"no scenario named {chosen!r} (known: {known})", file="--baseline")
    return ResultSet(runs, chosen, batch_meta, [Path(f) for f in folders], warnings)


def read_batch_meta(folder: Path) -> dict:
    """``batch-meta.json``, checked: scenario names must be names slagsim writes (never ``../x``)."""
    path = Path(folder) / layout.BATCH_META
    meta = _read_json(path)
    scenarios = meta.get("scenarios") if isinstance(meta, dict) else None
    if not isinstance(scenarios, list) or not all(isinstance(s, dict) for s in scenarios):
        raise ScenarioError("not a batch's metadata (no list of scenarios); run the batch again",
                            file=str(path))
    for index, scenario in enumerate(scenarios):
        name = scenario.get("name")
        problem = name_problem(name) if isinstance(name, str) else "the name is missing"
        if problem:
            raise ScenarioError(problem, file=str(path), key=f"scenarios[{index}].name")
    baseline = meta.get("baseline")
    if baseline is not None and not isinstance(baseline, str):
        raise ScenarioError("the baseline is not a scenario name", file=str(path), key="baseline")
    return meta


def _partial_warning(folder: Path, meta: dict) -> str | None:
    status = meta.get("status", "complete")
    if status == "complete":
        return None
    done = sum(1 for s in meta["scenarios"] if (folder / s["name"] / layout.META).is_file())
    return (f"{folder}: the batch is {status} ({done} of {len(meta['scenarios'])} scenarios have results); "
            "these results are partial")


def _check_unique(names: list[str]) -> None:
    seen = set()
    for name in names:
        if name in seen:
            raise ScenarioError(f"two result folders are both named {name!r}; compare them from "
                                "folders with different names", file="RESULT_DIR")
        seen.add(name)
