"""A batch's own result files: ``batch.csv`` (paired comparison) and ``batch-meta.json``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from slagsim.analysis.attribution import attribution_rows
from slagsim.analysis.paired import comparison_table
from slagsim.batch.record import BatchRecord, ScenarioEntry, write_batch_meta
from slagsim.batch.runner import BatchOutcome
from slagsim.figures.attribution import attribution_figure
from slagsim.figures.common import save_figure
from slagsim.layout import ATTRIBUTION, BATCH_TABLE, FIGURES
from slagsim.results.files import write_csv


def batch_table(outcome: BatchOutcome) -> pd.DataFrame:
    """Every complete scenario against the baseline (see :mod:`slagsim.analysis.paired`)."""
    complete = {run.name: {r: result.kpis for r, result in outcome.results[run.name].items()}
                for run in outcome.batch.runs if outcome.complete(run)}
    return comparison_table(complete, outcome.batch.baseline.name)


def batch_record(outcome: BatchOutcome, started_at: str, status: str) -> BatchRecord:
    """What ``batch-meta.json`` says of ``outcome``.

    ``status`` is ``running`` while the batch runs, ``interrupted`` after Ctrl-C, then the
    outcome's own: ``complete``, ``failed`` or ``incomplete`` (written last of all files).
    """
    batch = outcome.batch
    scenarios = [ScenarioEntry(run.name, _role(run.spec.source_key), run.spec.file, dict(run.spec.values),
                               run.fingerprint, len(outcome.results[run.name]), run.scenario.description,
                               run.scenario.description_id, run.scenario.label or "",
                               run.scenario.label_id or "")
                 for run in batch.runs]
    sweep = next((list(dict(r.spec.values)) for r in batch.runs if r.spec.source_key == "sweep"), [])
    return BatchRecord(
        batch.plan.name, batch.plan.description, batch.plan.source, batch.baseline.name, batch.settings,
        scenarios, status, started_at, executor=outcome.executor, executed=outcome.executed,
        reused=outcome.reused, wall_s=outcome.wall_s, failures=[vars(f) for f in outcome.failures],
        lost=[vars(f) for f in outcome.lost], missing=outcome.missing(), sweep_parameters=sweep,
        description_id=batch.plan.description_id)


def _role(source_key: str) -> str:
    """baseline, sweep, or scenario (a listed file)."""
    return source_key if source_key in ("baseline", "sweep") else "scenario"


def write_batch_status(outcome: BatchOutcome, out: Path, started_at: str, status: str) -> None:
    """Write ``batch-meta.json`` under ``out`` with ``status``."""
    write_batch_meta(batch_record(outcome, started_at, status), out)


def write_batch_table(table: pd.DataFrame, out: Path) -> None:
    """Write ``batch.csv`` under ``out``."""
    write_csv(table, Path(out) / BATCH_TABLE)


def write_attribution(outcome: BatchOutcome, out: Path) -> pd.DataFrame | None:
    """``attribution.csv`` and its figure for a batch of interventions (None for other batches).

    Each scenario keeps a set of the interventions; the Shapley share of each is computed per
    replication (common random numbers pair them), so the shares of a replication add up to its
    jump from the scenario with none to the baseline with all.
    """
    interventions = outcome.batch.plan.interventions
    if interventions is None:
        return None
    values = {run.spec.present: {r: result.kpis for r, result in outcome.results[run.name].items()}
              for run in outcome.batch.runs if run.spec.present is not None}
    table = pd.DataFrame(attribution_rows(values, list(interventions.undo), list(interventions.kpis)))
    write_csv(table, Path(out) / ATTRIBUTION)
    save_figure(attribution_figure(table), Path(out) / FIGURES / "attribution")
    return table
