"""The one writer of metadata: ``meta.json`` of a run, ``batch-meta.json`` of a batch or appraisal.

``slagsim run``, ``slagsim batch`` and ``slagsim appraise`` all describe what they ran through
these functions, so every result folder answers the same questions the same way: what was run,
with which seed, settings, versions and executor, how long it took, and whether it is complete.
"""

from __future__ import annotations

import platform
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import sim
from sim.results.files import write_json
from sim.results.layout import BATCH_META

if TYPE_CHECKING:
    from sim.experiment import ExperimentResult, RunSettings

VERSIONED_PACKAGES = ("simpy", "numpy", "pandas", "scipy", "pydantic", "dask", "distributed")
RUNNING, INTERRUPTED = "running", "interrupted"  # while a batch runs; after Ctrl-C
COMPLETE, FAILED, INCOMPLETE = "complete", "failed", "incomplete"  # how it ended


def now() -> str:
    """The local time as metadata states it."""
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def versions() -> dict[str, str]:
    """Versions of Python, slagsim and the libraries whose behaviour shapes the numbers."""
    found = {"python": platform.python_version(), "slagsim": sim.__version__}
    for package in VERSIONED_PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return found


def run_meta(result: ExperimentResult, scenario_file: Path | None = None) -> dict:
    """A run folder's ``meta.json``: the resolved scenario, seed, settings, time, events."""
    settings = result.settings
    content = {
        "scenario": result.scenario.model_dump(mode="json", by_alias=True, exclude_none=True),
        "scenario_name": result.scenario.name,
        "seed": settings.seed,
        "replications": settings.replications,
        "years": settings.years,
        "warmup_days": settings.warmup_days,
        "version": sim.__version__,
        "wall_time_s": round(result.wall_s, 3),
        "simpy_events": result.events,
        "warmup": {"used_days": settings.warmup_days, "needed_days": result.warmup_needed_days,
                   "method": "MSER-5 on the mean daily output of the replications, from day 0"},
        "finished_at": now(),
    }
    if scenario_file is not None:
        content["scenario_file"] = str(Path(scenario_file).resolve())
    return content


@dataclass
class ScenarioEntry:
    """One scenario of a batch or appraisal as ``batch-meta.json`` lists it."""

    name: str
    role: str  # baseline, scenario or sweep
    file: Path
    values: dict[str, object]
    fingerprint: str
    replications_done: int
    description: str = ""  # what this scenario is, or what the option changes


@dataclass
class BatchRecord:
    """What ``batch-meta.json`` says about a batch or an appraisal."""

    name: str
    description: str
    source: Path
    baseline: str
    settings: RunSettings
    scenarios: list[ScenarioEntry]
    status: str
    started_at: str
    executor: str = ""
    executed: int = 0
    reused: int = 0
    wall_s: float = 0.0
    failures: list[dict[str, object]] = field(default_factory=list)
    lost: list[dict[str, object]] = field(default_factory=list)
    missing: dict[str, int] = field(default_factory=dict)
    sweep_parameters: list[str] = field(default_factory=list)

    def content(self) -> dict:
        settings = self.settings
        return {
            "batch": self.name, "description": self.description, "batch_file": str(self.source),
            "batch_file_text": _text(self.source), "baseline": self.baseline, "seed": settings.seed,
            "replications": settings.replications, "years": settings.years,
            "warmup_days": settings.warmup_days,
            "scenarios": [{"name": s.name, "role": s.role, "file": str(s.file), "set": s.values,
                           "description": s.description, "fingerprint": s.fingerprint,
                           "replications_done": s.replications_done} for s in self.scenarios],
            "sweep_parameters": self.sweep_parameters, "executor": self.executor,
            "replications_run": self.executed, "replications_reused": self.reused,
            "failures": self.failures, "lost": self.lost, "missing": self.missing, "status": self.status,
            "versions": versions(), "wall_time_s": round(self.wall_s, 3), "started_at": self.started_at,
            "finished_at": now(),
        }


def write_batch_meta(record: BatchRecord, folder: Path) -> Path:
    """Write ``batch-meta.json`` in ``folder`` atomically."""
    return write_json(record.content(), Path(folder) / BATCH_META)


def _text(source: Path) -> str:
    try:
        return Path(source).read_text(encoding="utf-8")
    except OSError:
        return ""
