"""``slagsim batch``: check the batch, run what is missing, write and print the comparison.

Order matters for "nothing lost, nothing silent": every input and the output folder are checked
and the run time estimated before anything is written; the folder is locked; ``batch-meta.json``
says ``running`` from the first replication on and its final status (``complete``, ``failed``,
``incomplete`` or ``interrupted``) is the last file written.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import click

from sim.batch.executors import Executor, make_executor
from sim.batch.outputs import write_batch_meta, write_batch_table
from sim.batch.prepare import PreparedBatch, prepare, read_batch
from sim.batch.runner import BatchOutcome, load_finished, missing_jobs, run_batch, start_outcome
from sim.batch.spec import format_value
from sim.estimate import Estimate, check_duration, estimate
from sim.folders import BATCH, OutputLock, check_output, claim_group_folder
from sim.progress import Progress

EXIT_FAILED = 1
EXIT_INTERRUPTED = 130


def run_batch_command(batch_file: Path, *, jobs: int | None, scheduler: str | None,
                      replications: int | None, years: float | None, out: Path | None,
                      resume: bool, dry_run: bool, quiet: bool, yes: bool = False) -> int:
    """Everything ``slagsim batch`` does; returns the exit code. Input errors raise ScenarioError."""
    batch = prepare(read_batch(batch_file), replications, years)
    workers = 1 if scheduler else jobs or os.cpu_count() or 1
    if dry_run:
        print_plan(batch)
        click.echo(f"expected run time: {_estimate(batch, {}, workers).describe()}")
        return 0
    hint = resume_command(batch_file, replications, years, out)
    out = out or Path("results") / batch.plan.name
    check_output(out, BATCH, [batch_file, *(run.spec.file for run in batch.runs)])
    with OutputLock(out):
        results, damaged = load_finished(batch, out) if resume else ({r.name: {} for r in batch.runs}, [])
        expected = _estimate(batch, results, workers)
        check_duration(expected, yes, "batch")
        executor = make_executor(workers, scheduler, batch.plan.name, len(missing_jobs(batch, results)))
        claim_group_folder(out, BATCH, fresh=not resume)
        outcome = start_outcome(batch, results, executor)
        if not quiet:
            _say_start(outcome, damaged, expected, resume)
        return _run_and_finish(outcome, out, executor, hint, quiet)


def _estimate(batch: PreparedBatch, results: dict, workers: int) -> Estimate:
    wanted = batch.settings.replications
    work = [(run.scenario, wanted - len(results.get(run.name, {}))) for run in batch.runs]
    return estimate(work, batch.settings, workers)


def _say_start(outcome: BatchOutcome, damaged: list[str], expected: Estimate, resume: bool) -> None:
    for problem in damaged:
        click.echo(f"warning: stored replication {problem}; running it again", err=True)
    if resume:
        todo = len(missing_jobs(outcome.batch, outcome.results))
        click.echo(f"resuming: {outcome.reused} replications already done, {todo} to run", err=True)
    click.echo(f"batch {outcome.batch.plan.name}: {expected.describe()}", err=True)


def _run_and_finish(outcome: BatchOutcome, out: Path, executor: Executor, hint: str, quiet: bool) -> int:
    started_at = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    write_batch_meta(outcome, out, started_at, "running")
    try:
        _run(outcome, out, executor, quiet)
    except KeyboardInterrupt:
        executor.close(interrupted=True)
        write_batch_meta(outcome, out, started_at, "interrupted")
        kept = sum(len(r) for r in outcome.results.values())
        click.echo(f"interrupted: {kept} finished replications are kept in {out}/parts; "
                   f"continue with: {hint}", err=True)
        return EXIT_INTERRUPTED
    executor.close()
    try:
        return _finish(outcome, out, started_at, hint, quiet)
    except KeyboardInterrupt:
        write_batch_meta(outcome, out, started_at, "interrupted")
        click.echo(f"interrupted while writing the comparison: every replication is finished and kept "
                   f"in {out}/parts; write the tables and figures with: {hint}", err=True)
        return EXIT_INTERRUPTED


def resume_command(batch_file: Path, replications: int | None, years: float | None,
                   out: Path | None) -> str:
    """The command that continues an interrupted batch with the same options."""
    words = ["slagsim batch", str(batch_file), "--resume"]
    words += [f"--reps {replications}"] if replications else []
    words += [f"--years {years:g}"] if years else []
    words += [f"--out {out}"] if out else []
    return " ".join(words)


def _run(outcome: BatchOutcome, out: Path, executor: Executor, quiet: bool) -> BatchOutcome:
    total = len(missing_jobs(outcome.batch, outcome.results))
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        with Progress(total, f"batch {outcome.batch.plan.name}", enabled=not quiet) as progress:
            return run_batch(outcome, out, executor, on_progress=progress.advance)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops a batch like Ctrl-C: finished replications stay, workers are stopped."""
    raise KeyboardInterrupt


def _finish(outcome: BatchOutcome, out: Path, started_at: str, hint: str, quiet: bool) -> int:
    from sim.compare import BATCH_FIGURES, DEFAULT_KPIS, compare_results, write_comparison
    from sim.console import print_comparison
    from sim.resultsio import load_results

    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        claim_group_folder(out, BATCH, fresh=False)  # again: the folder may have been removed meanwhile
        write_batch_meta(outcome, out, started_at, "running")
        table = write_batch_table(outcome, out)
        if not table.empty:
            comparison = compare_results(load_results([out]))
            write_comparison(comparison, out, list(DEFAULT_KPIS), BATCH_FIGURES)
            if not quiet:
                settings = outcome.batch.settings
                print_comparison(comparison, list(DEFAULT_KPIS),
                                 f"{outcome.batch.plan.name}: {settings.replications} replications x "
                                 f"{settings.years:g} yr, seed {settings.seed}")
        write_batch_meta(outcome, out, started_at, outcome.status)
    finally:
        signal.signal(signal.SIGTERM, previous)
    _report_problems(outcome, hint)
    if not quiet:
        click.echo(f"{outcome.executed} replications run, {outcome.reused} reused, "
                   f"{outcome.wall_s:.1f} s ({outcome.executor}); results in {out}/")
    return 0 if outcome.status == "complete" else EXIT_FAILED


def _report_problems(outcome: BatchOutcome, hint: str) -> None:
    """One line per failed scenario; one line for what is missing and how to run it."""
    for failure in outcome.failures:
        click.echo(f"failed: scenario {failure.scenario!r}, replication {failure.replication}: "
                   f"{failure.error}", err=True)
    missing = outcome.missing()
    if missing:
        count = sum(missing.values())
        why = outcome.lost[0].error if outcome.lost else "not run"
        click.echo(f"incomplete: {count} replications of {len(missing)} scenarios did not come back "
                   f"({why}); the results above leave those scenarios out. The finished ones are kept: "
                   f"continue with: {hint}", err=True)


def print_plan(batch: PreparedBatch) -> None:
    """The scenarios a batch would run, one per line, and the shared settings (``--dry-run``)."""
    settings = batch.settings
    runs = len(batch.runs) * settings.replications
    click.echo(f"{batch.plan.name}: {len(batch.runs)} scenarios x {settings.replications} replications "
               f"= {runs} runs of {settings.years:g} yr after {settings.warmup_days:g} warm-up days, "
               f"seed {settings.seed}")
    width = max(len(run.name) for run in batch.runs)
    for run in batch.runs:
        values = " ".join(f"{key}={format_value(value)}" for key, value in run.spec.values)
        role = "(baseline)" if run.spec.is_baseline else values
        click.echo(f"  {run.name:<{width}}  {run.spec.file}  {role}".rstrip())
