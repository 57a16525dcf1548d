"""A run folder's tables, written atomically.

``results/<scenario-name>/`` holds ``replications.csv`` (one row per replication and KPI),
``summary.csv`` (``kpi,unit,mean,ci95_low,ci95_high,n``), ``yearly.csv`` (output per product
per simulated year), ``series.csv`` (cumulative output, B3 store and curing yard over time),
``monthly.csv`` (the records format, :mod:`slagsim.analysis.monthly`) and ``meta.json``
(:func:`run_meta`). Everything is written into a hidden sibling folder first and swapped in
at the end, so an interrupted run leaves no half-written result."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

import slagsim
from slagsim import layout
from slagsim.analysis.kpis import unit_of
from slagsim.analysis.monthly import KEYS, columns
from slagsim.analysis.stats import mean_ci
from slagsim.results.files import csv_text, json_text
from slagsim.results.folders import BESIDE_RUN, RUN, report_entries, write_marker
from slagsim.results.meta import now
from slagsim.runs.experiment import ExperimentResult

SUMMARY_COLUMNS = ["kpi", "unit", "mean", "ci95_low", "ci95_high", "n"]


def replications_table(result: ExperimentResult) -> pd.DataFrame:
    """One row per replication and KPI."""
    rows = [
        {"replication": r.replication, "kpi": kpi, "value": value}
        for r in result.replications for kpi, value in r.kpis.items()
    ]
    return pd.DataFrame(rows, columns=["replication", "kpi", "value"])


def summary_table(result: ExperimentResult) -> pd.DataFrame:
    """Mean and 95 % confidence interval of every KPI."""
    kpis = list(dict.fromkeys(k for r in result.replications for k in r.kpis))
    rows = []
    for kpi in kpis:
        values = [r.kpis[kpi] for r in result.replications if kpi in r.kpis]
        mean, low, high = mean_ci(values)
        rows.append({"kpi": kpi, "unit": unit_of(kpi), "mean": mean,
                     "ci95_low": low, "ci95_high": high, "n": len(values)})
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def yearly_table(result: ExperimentResult) -> pd.DataFrame:
    """Output per product per simulated year and replication."""
    rows = [row for r in result.replications for row in r.yearly]
    return pd.DataFrame(rows, columns=["replication", "year", "product", "output_t", "pieces"])


SERIES_COLUMNS = ["replication", "day", "output_t", "b3_store_t", "curing_yard_pallets"]


def series_table(result: ExperimentResult) -> pd.DataFrame:
    """Cumulative output, B3 store level and yard occupancy per sampled day and replication."""
    rows = [row for r in result.replications for row in r.series]
    return pd.DataFrame(rows, columns=SERIES_COLUMNS)


def monthly_table(result: ExperimentResult) -> pd.DataFrame:
    """The records format per replication and whole month of the window (:mod:`slagsim.analysis.monthly`)."""
    rows = [row for r in result.replications for row in r.monthly]
    return pd.DataFrame(rows, columns=[*KEYS, *columns(list(result.scenario.products.blocks))])


@contextmanager
def atomic_folder(final: Path, kind: str = RUN):
    """Yield a temporary folder; on success it replaces ``final`` in one rename, marked as ``kind``.

    ``final`` must have passed :func:`slagsim.folders.check_output`: it is new, empty or slagsim's.
    The studies kept in it and a report slagsim wrote into it move to the new folder; what a killed
    write left there (``.NAME.tmp-PID``) goes with the old one.
    """
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    for stale in [*final.parent.glob(f".{final.name}.tmp-*"), *final.parent.glob(f".{final.name}.old-*")]:
        shutil.rmtree(stale, ignore_errors=True)  # left by a killed run of this folder (we hold its lock)
    temporary = final.parent / f".{final.name}.tmp-{os.getpid()}"
    temporary.mkdir()
    try:
        yield temporary
        write_marker(temporary, kind)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    old = final.parent / f".{final.name}.old-{os.getpid()}"
    for analysis in BESIDE_RUN:  # a rerun keeps the sensitivity and calibration runs
        kept = final / analysis
        if kept.is_dir() and not (temporary / analysis).exists():
            kept.rename(temporary / analysis)
    for name in report_entries(final):  # and a report written into the folder (the run says it is old)
        if not (temporary / name).exists():
            (final / name).rename(temporary / name)
    if final.exists():
        final.rename(old)
    temporary.rename(final)
    shutil.rmtree(old, ignore_errors=True)


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
        "version": slagsim.__version__,
        "wall_time_s": round(result.wall_s, 3),
        "simpy_events": result.events,
        "warmup": {"used_days": settings.warmup_days, "needed_days": result.warmup_needed_days,
                   "method": "MSER-5 on the mean daily output of the replications, from day 0"},
        "finished_at": now(),
    }
    if scenario_file is not None:
        content["scenario_file"] = str(Path(scenario_file).resolve())
    return content


def write_run(result: ExperimentResult, out: Path, scenario_file: Path | None = None,
              beside: dict[str, pd.DataFrame] | None = None) -> Path:
    """Write a run's six result files to ``out`` atomically and return ``out``.

    ``scenario_file`` is noted in meta.json so a report can list the file's estimates; ``beside``
    holds further tables by file name, written in the same swap (a run of edited inputs: today's
    scenario beside it).
    """
    with atomic_folder(out) as folder:
        for name, table in (beside or {}).items():
            (folder / name).write_text(csv_text(table), encoding="utf-8")
        replications_table(result).to_csv(folder / layout.REPLICATIONS, index=False)
        (folder / layout.SUMMARY).write_text(csv_text(summary_table(result)), encoding="utf-8")
        yearly_table(result).to_csv(folder / layout.YEARLY, index=False)
        series_table(result).to_csv(folder / layout.SERIES, index=False)
        monthly_table(result).to_csv(folder / layout.MONTHLY, index=False)
        (folder / layout.META).write_text(json_text(run_meta(result, scenario_file)), encoding="utf-8")
    return Path(out)
