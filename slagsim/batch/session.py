"""Run a batch file from start to end: check, estimate, lock, run what is missing, compare, record.

Order matters for "nothing lost, nothing silent": every input and the output folder are checked
and the run time estimated before anything is written; the folder is locked; ``batch-meta.json``
says ``running`` from the first replication on and its final status (``complete``, ``failed``,
``incomplete`` or ``interrupted``) is the last file written.

This is library code: it raises :class:`~slagsim.errors.ScenarioError` for bad input and
:class:`BatchInterrupted` after Ctrl-C, reports through a :class:`Reporter`, and returns a
:class:`BatchResult`. What the user sees, and the exit code, is the command line's business.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from slagsim.batch.compare import BATCH_FIGURES, DEFAULT_KPIS, Comparison, compare_results, write_comparison
from slagsim.batch.outputs import batch_table, write_attribution, write_batch_status, write_batch_table
from slagsim.batch.prepare import PreparedBatch, prepare, read_batch
from slagsim.batch.runner import BatchOutcome, load_finished, missing_jobs, run_batch, start_outcome
from slagsim.i18n import _
from slagsim.results.folders import BATCH, OutputLock, check_output, claim_group_folder, report_entries
from slagsim.results.meta import COMPLETE, INTERRUPTED, RUNNING, now
from slagsim.results.read import load_results
from slagsim.results.reports import old_report_note
from slagsim.runs.duration import Estimate, check_duration, estimate
from slagsim.runs.executors import Executor, make_executor
from slagsim.runs.reporting import Reporter, Silent


class BatchInterrupted(Exception):
    """Ctrl-C or SIGTERM stopped the batch; every finished replication is kept."""

    def __init__(self, outcome: BatchOutcome, out: Path, while_comparing: bool):
        super().__init__("interrupted")
        self.outcome, self.out, self.while_comparing = outcome, out, while_comparing

    @property
    def kept(self) -> int:
        return sum(len(r) for r in self.outcome.results.values())


@dataclass
class BatchResult:
    """What a finished batch produced: its outcome, folder and (when any scenario is complete) the
    comparison with the baseline."""

    outcome: BatchOutcome
    out: Path
    comparison: Comparison | None

    @property
    def status(self) -> str:
        return self.outcome.status


def plan(batch_file: Path, replications: int | None = None, years: float | None = None) -> PreparedBatch:
    """Read and check a batch file and every scenario in it."""
    return prepare(read_batch(batch_file), replications, years)


def expected_time(batch: PreparedBatch, results: dict, workers: int,
                  scheduler: str | None = None) -> Estimate:
    """How long the replications missing from ``results`` will take on ``workers`` (or on the Dask
    cluster at ``scheduler``)."""
    wanted = batch.settings.replications
    work = [(run.scenario, wanted - len(results.get(run.name, {}))) for run in batch.runs]
    return estimate(work, batch.settings, workers, scheduler)


def workers_for(jobs: int | None, scheduler: str | None) -> int:
    """Local worker processes (all cores by default); one estimate slot for a Dask cluster."""
    return 1 if scheduler else jobs or os.cpu_count() or 1


def run_batch_file(batch: PreparedBatch, out: Path | None, *, jobs: int | None = None,
                   scheduler: str | None = None, resume: bool = False, yes: bool = False,
                   reporter: Reporter | None = None) -> BatchResult:
    """Run ``batch`` into ``out`` (default ``results/<batch>``) and compare it with its baseline."""
    reporter = reporter or Silent()
    out = out or Path("results") / batch.plan.name
    out = check_output(out, BATCH, [batch.plan.source, *(run.spec.file for run in batch.runs)])
    with OutputLock(out):
        results, damaged = load_finished(batch, out) if resume else ({r.name: {} for r in batch.runs}, [])
        workers = workers_for(jobs, scheduler)
        expected = expected_time(batch, results, workers, scheduler)
        check_duration(expected, yes, "batch")
        executor = make_executor(workers, scheduler, batch.plan.name, len(missing_jobs(batch, results)))
        claim_group_folder(out, BATCH, fresh=not resume)
        outcome = start_outcome(batch, results, executor)
        for problem in damaged:
            reporter.note(f"warning: stored replication {problem}; running it again")
        if resume:
            todo = len(missing_jobs(batch, results))
            reporter.note(_("resuming: {reused} replications already done, {todo} to run").format(
                reused=outcome.reused, todo=todo))
        reporter.note(_("batch {name}: {expected}").format(name=batch.plan.name,
                                                          expected=expected.describe()))
        old_report = report_entries(out)
        if old_report:
            reporter.note(f"warning: {old_report_note(out, old_report)}")
        return _run_and_finish(outcome, out, executor, reporter)


def _run_and_finish(outcome: BatchOutcome, out: Path, executor: Executor, reporter: Reporter) -> BatchResult:
    started_at = now()
    write_batch_status(outcome, out, started_at, RUNNING)
    total = len(missing_jobs(outcome.batch, outcome.results))
    try:
        with reporter.progress(total, _("batch {name}").format(name=outcome.batch.plan.name)) as advance:
            run_batch(outcome, out, executor, on_progress=advance)
    except KeyboardInterrupt:
        executor.close(interrupted=True)
        write_batch_status(outcome, out, started_at, INTERRUPTED)
        raise BatchInterrupted(outcome, out, while_comparing=False) from None
    executor.close()
    try:
        comparison = _compare(outcome, out, started_at)
    except KeyboardInterrupt:
        write_batch_status(outcome, out, started_at, INTERRUPTED)
        raise BatchInterrupted(outcome, out, while_comparing=True) from None
    write_batch_status(outcome, out, started_at, outcome.status)
    return BatchResult(outcome, out, comparison)


def _compare(outcome: BatchOutcome, out: Path, started_at: str) -> Comparison | None:
    """The comparison, computed once: its table is ``batch.csv`` and ``comparison.csv`` alike."""
    claim_group_folder(out, BATCH, fresh=False)  # again: the folder may have been removed meanwhile
    write_batch_status(outcome, out, started_at, RUNNING)
    if not any(outcome.complete(run) for run in outcome.batch.runs):
        write_batch_table(batch_table(outcome), out)
        return None
    comparison = compare_results(load_results([out]))
    write_batch_table(comparison.table, out)
    write_comparison(comparison, out, list(DEFAULT_KPIS), BATCH_FIGURES)
    if outcome.status == COMPLETE:  # shares need every combination's replications
        write_attribution(outcome, out)
    return comparison
