"""``slagsim batch``: check the batch, run what is missing, write and print the comparison."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import click

from sim.batch.executors import Executor, make_executor
from sim.batch.outputs import write_batch_outputs
from sim.batch.prepare import PreparedBatch, prepare, read_batch
from sim.batch.runner import BatchOutcome, discard_finished, load_finished, missing_jobs, run_batch
from sim.batch.spec import format_value
from sim.progress import Progress

EXIT_FAILED_SCENARIO = 1
EXIT_INTERRUPTED = 130


def run_batch_command(batch_file: Path, *, jobs: int | None, scheduler: str | None,
                      replications: int | None, years: float | None, out: Path | None,
                      resume: bool, dry_run: bool, quiet: bool) -> int:
    """Everything ``slagsim batch`` does; returns the exit code. Input errors raise ScenarioError."""
    batch = prepare(read_batch(batch_file), replications, years)
    if dry_run:
        print_plan(batch)
        return 0
    hint = resume_command(batch_file, replications, years, out)
    out = out or Path("results") / batch.plan.name
    started_at = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    results = load_finished(batch, out) if resume else {run.name: {} for run in batch.runs}
    todo = missing_jobs(batch, results)
    executor = make_executor(jobs or os.cpu_count() or 1, scheduler, batch.plan.name, len(todo))
    if not resume:
        discard_finished(out)
    elif not quiet:
        done = sum(len(r) for r in results.values())
        click.echo(f"resuming: {done} replications already done, {len(todo)} to run", err=True)
    try:
        outcome = _run(batch, out, executor, results, quiet)
    except KeyboardInterrupt:
        executor.close(interrupted=True)
        kept = sum(len(r) for r in results.values())
        click.echo(f"interrupted: {kept} finished replications are kept in {out}/parts; "
                   f"continue with: {hint}", err=True)
        return EXIT_INTERRUPTED
    executor.close()
    return _finish(outcome, out, started_at, quiet)


def resume_command(batch_file: Path, replications: int | None, years: float | None,
                   out: Path | None) -> str:
    """The command that continues an interrupted batch with the same options."""
    words = ["slagsim batch", str(batch_file), "--resume"]
    words += [f"--reps {replications}"] if replications else []
    words += [f"--years {years:g}"] if years else []
    words += [f"--out {out}"] if out else []
    return " ".join(words)


def _run(batch: PreparedBatch, out: Path, executor: Executor, results: dict, quiet: bool) -> BatchOutcome:
    total = len(missing_jobs(batch, results))
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        with Progress(total, f"batch {batch.plan.name}", enabled=not quiet) as progress:
            return run_batch(batch, out, executor, results, on_progress=progress.advance)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops a batch like Ctrl-C: finished replications stay, workers are stopped."""
    raise KeyboardInterrupt


def _finish(outcome: BatchOutcome, out: Path, started_at: str, quiet: bool) -> int:
    from sim.compare import BATCH_FIGURES, DEFAULT_KPIS, compare_results, write_comparison
    from sim.console import print_comparison
    from sim.resultsio import load_results

    table = write_batch_outputs(outcome, out, started_at)
    if not table.empty:
        comparison = compare_results(load_results([out]))
        write_comparison(comparison, out, list(DEFAULT_KPIS), BATCH_FIGURES)
        if not quiet:
            settings = outcome.batch.settings
            print_comparison(comparison, list(DEFAULT_KPIS),
                             f"{outcome.batch.plan.name}: {settings.replications} replications x "
                             f"{settings.years:g} yr, seed {settings.seed}")
    for failure in outcome.failures:
        click.echo(f"failed: scenario {failure.scenario!r}, replication {failure.replication}: "
                   f"{failure.error}", err=True)
    if not quiet:
        click.echo(f"{outcome.executed} replications run, {outcome.reused} reused, "
                   f"{outcome.wall_s:.1f} s ({outcome.executor}); results in {out}/")
    return EXIT_FAILED_SCENARIO if outcome.failures else 0


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
