"""A batch's own result files: ``batch.csv`` (paired comparison) and ``batch-meta.json``."""

from __future__ import annotations

import platform
import time
from importlib import metadata
from pathlib import Path

import pandas as pd

import sim
from sim.batch.runner import BatchOutcome
from sim.comparison import comparison_table
from sim.results import write_csv, write_json

VERSIONED_PACKAGES = ("simpy", "numpy", "pandas", "scipy", "pydantic", "dask", "distributed")


def batch_table(outcome: BatchOutcome) -> pd.DataFrame:
    """Every complete scenario against the baseline (see :mod:`sim.comparison`)."""
    complete = {run.name: {r: result.kpis for r, result in outcome.results[run.name].items()}
                for run in outcome.batch.runs if outcome.complete(run)}
    return comparison_table(complete, outcome.batch.baseline.name)


def batch_meta(outcome: BatchOutcome, started_at: str, status: str) -> dict:
    """What was run, with which versions and executor, how long it took, and what failed.

    ``status`` is ``running`` while the batch runs, ``interrupted`` after Ctrl-C, then the
    outcome's own: ``complete``, ``failed`` or ``incomplete`` (written last of all files).
    """
    batch = outcome.batch
    settings = batch.settings
    return {
        "batch": batch.plan.name,
        "description": batch.plan.description,
        "batch_file": str(batch.plan.source),
        "batch_file_text": batch.plan.source.read_text(encoding="utf-8"),
        "baseline": batch.baseline.name,
        "seed": settings.seed,
        "replications": settings.replications,
        "years": settings.years,
        "warmup_days": settings.warmup_days,
        "scenarios": [
            {"name": run.name, "role": _role(run.spec.source_key), "file": str(run.spec.file),
             "set": dict(run.spec.values), "fingerprint": run.fingerprint,
             "replications_done": len(outcome.results[run.name])}
            for run in batch.runs
        ],
        "sweep_parameters": next((list(dict(r.spec.values)) for r in batch.runs
                                  if r.spec.source_key == "sweep"), []),
        "executor": outcome.executor,
        "replications_run": outcome.executed,
        "replications_reused": outcome.reused,
        "failures": [{"scenario": f.scenario, "replication": f.replication, "error": f.error}
                     for f in outcome.failures],
        "lost": [{"scenario": f.scenario, "replication": f.replication, "error": f.error}
                 for f in outcome.lost],
        "missing": outcome.missing(),
        "status": status,
        "versions": versions(),
        "wall_time_s": round(outcome.wall_s, 3),
        "started_at": started_at,
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def _role(source_key: str) -> str:
    """baseline, sweep, or scenario (a listed file)."""
    return source_key if source_key in ("baseline", "sweep") else "scenario"


def versions() -> dict[str, str]:
    """Versions of Python, slagsim and the libraries whose behaviour shapes the numbers."""
    found = {"python": platform.python_version(), "slagsim": sim.__version__}
    for package in VERSIONED_PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return found


def write_batch_meta(outcome: BatchOutcome, out: Path, started_at: str, status: str) -> None:
    """Write ``batch-meta.json`` under ``out`` atomically, with ``status``."""
    write_json(batch_meta(outcome, started_at, status), Path(out) / "batch-meta.json")


def write_batch_table(outcome: BatchOutcome, out: Path) -> pd.DataFrame:
    """Write ``batch.csv`` under ``out`` atomically; return the table."""
    table = batch_table(outcome)
    write_csv(table, Path(out) / "batch.csv")
    return table
