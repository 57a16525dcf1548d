"""The on-disk layout of a run's results, written atomically.

``results/<scenario-name>/`` holds ``replications.csv`` (one row per replication and KPI),
``summary.csv`` (``kpi,unit,mean,ci95_low,ci95_high,n``), ``yearly.csv`` (output per product
per simulated year), ``series.csv`` (cumulative output, B3 store and curing yard over time) and
``meta.json``. Everything is written into a hidden sibling folder first
and swapped in at the end, so an interrupted run leaves no half-written result.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

import sim
from sim.experiment import ExperimentResult
from sim.folders import RUN, write_marker
from sim.kpis import unit_of
from sim.stats import mean_ci

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


def meta(result: ExperimentResult) -> dict:
    """What was run, with what, how long it took."""
    settings = result.settings
    return {
        "scenario": result.scenario.model_dump(mode="json", by_alias=True, exclude_none=True),
        "scenario_name": result.scenario.name,
        "seed": settings.seed,
        "replications": settings.replications,
        "years": settings.years,
        "warmup_days": settings.warmup_days,
        "version": sim.__version__,
        "wall_time_s": round(result.wall_s, 3),
        "simpy_events": result.events,
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


@contextmanager
def atomic_folder(final: Path, kind: str = RUN):
    """Yield a temporary folder; on success it replaces ``final`` in one rename, marked as ``kind``.

    ``final`` must have passed :func:`sim.folders.check_output`: it is new, empty or slagsim's.
    """
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = final.parent / f".{final.name}.tmp-{os.getpid()}"
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir()
    try:
        yield temporary
        write_marker(temporary, kind)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    old = final.parent / f".{final.name}.old-{os.getpid()}"
    if final.exists():
        final.rename(old)
    temporary.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: all of it or nothing."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: object) -> object:
    """Text a spreadsheet would run as a formula, made inert with a leading apostrophe.

    ``=HYPERLINK(...)`` in a scenario's description must reach Excel as text, never as a live
    formula (OWASP's CSV-injection advice). Numbers are left alone.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(table: pd.DataFrame) -> str:
    """``table`` as CSV text, every text cell safe to open in a spreadsheet."""
    text_columns = [c for c in table.columns if pd.api.types.is_string_dtype(table[c])
                    or table[c].dtype == object]
    if text_columns:
        table = table.copy()
        for column in text_columns:
            table[column] = table[column].map(spreadsheet_text)
    return table.to_csv(index=False)


def write_csv(table: pd.DataFrame, path: Path) -> None:
    """Write ``table`` atomically as CSV that is safe to open in a spreadsheet."""
    atomic_write_text(path, csv_text(table))


def json_text(content: object) -> str:
    """Strict JSON (no NaN or Infinity, which other programs cannot read): they become null."""
    return json.dumps(_finite(content), indent=2, default=str, allow_nan=False) + "\n"


def write_json(content: object, path: Path) -> None:
    """Write ``content`` atomically as strict JSON."""
    atomic_write_text(path, json_text(content))


def _finite(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def write_run(result: ExperimentResult, out: Path, scenario_file: Path | None = None) -> Path:
    """Write a run's five result files to ``out`` atomically and return ``out``.

    ``scenario_file`` is noted in meta.json so a report can list the file's estimates.
    """
    with atomic_folder(out) as folder:
        replications_table(result).to_csv(folder / "replications.csv", index=False)
        (folder / "summary.csv").write_text(csv_text(summary_table(result)), encoding="utf-8")
        yearly_table(result).to_csv(folder / "yearly.csv", index=False)
        series_table(result).to_csv(folder / "series.csv", index=False)
        content = meta(result)
        if scenario_file is not None:
            content["scenario_file"] = str(Path(scenario_file).resolve())
        (folder / "meta.json").write_text(json_text(content), encoding="utf-8")
    return Path(out)
