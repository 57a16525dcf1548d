"""``slagsim batch``: every scenario of a batch file, compared with its baseline."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from slagsim.cli.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_RUN_FAILED, user_errors, warn
from slagsim.cli.options import (
    jobs_option,
    lang_option,
    out_option,
    quiet_option,
    reps_option,
    years_option,
    yes_option,
)
from slagsim.i18n import _, decimal, number


@click.command()
@click.argument("batch_file", type=click.Path(dir_okay=False, path_type=Path))
@jobs_option
@click.option("--scheduler", metavar="ADDRESS",
              help="Run on an existing Dask cluster instead, e.g. tcp://10.0.0.5:8786.")
@reps_option("the batch file's run.replications")
@years_option("the batch file's run.years")
@out_option("results/<batch-name>")
@click.option("--resume", is_flag=True, help="Keep finished replications of an earlier run; run the rest.")
@click.option("--dry-run", is_flag=True,
              help="List the scenarios and settings and the expected run time; run nothing.")
@yes_option
@lang_option
@quiet_option
@user_errors
def batch(batch_file: Path, jobs: int | None, scheduler: str | None, reps: int | None,
          years: float | None, out: Path | None, resume: bool, dry_run: bool, yes: bool,
          quiet: bool) -> None:
    """Run every scenario of a batch file with common random numbers; compare with the baseline.

    Writes results/<batch>/<scenario>/ for each scenario, batch.csv (means, CIs, paired
    differences to the baseline), batch-meta.json and figures/throughput.png.
    Exit code 1 if a scenario failed while running or replications are missing (the others
    still finish).

    \b
    Examples:
        slagsim batch scenarios/batches/purchase-options.yaml --jobs 2
        slagsim batch scenarios/batches/press-shift-sweep.yaml --dry-run
        slagsim batch scenarios/batches/press-shift-sweep.yaml --scheduler tcp://10.0.0.5:8786
    """
    from slagsim.batch import session
    from slagsim.cli.progress import TerminalReporter
    from slagsim.cli.signals import terminate_as_interrupt

    prepared = session.plan(batch_file, reps, years)
    if dry_run:
        print_plan(prepared)
        expected = session.expected_time(prepared, {}, session.workers_for(jobs, scheduler), scheduler)
        click.echo(_("expected run time: {time}").format(time=expected.describe()))
        return
    hint = resume_command(batch_file, reps, years, out)
    try:
        with terminate_as_interrupt():
            result = session.run_batch_file(prepared, out, jobs=jobs, scheduler=scheduler, resume=resume,
                                            yes=yes, reporter=TerminalReporter(quiet))
    except session.BatchInterrupted as stop:
        if stop.while_comparing:
            message = _("interrupted while writing the comparison: every replication is finished and kept "
                        "in {out}/parts; write the tables and figures with: {hint}")
            click.echo(message.format(out=stop.out, hint=hint), err=True)
        else:
            click.echo(_("interrupted: {kept} finished replications are kept in {out}/parts; continue with: "
                         "{hint}").format(kept=stop.kept, out=stop.out, hint=hint), err=True)
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(_finish(result, hint, quiet))


def _finish(result: object, hint: str, quiet: bool) -> int:
    """Print the comparison, the problems and a summary line; return the exit code."""
    from slagsim.batch.compare import DEFAULT_KPIS
    from slagsim.cli.tables import print_comparison, print_decision

    outcome = result.outcome
    if result.comparison is not None and not quiet:
        settings = outcome.batch.settings
        print_decision(result.comparison)
        print_comparison(result.comparison, list(DEFAULT_KPIS),
                         _("{name}: {replications} replications x {years} yr, seed {seed}").format(
                             name=outcome.batch.plan.name, replications=settings.replications,
                             years=decimal(settings.years), seed=settings.seed))
    report_problems(outcome, hint)
    warn_short_warmup(outcome)
    if not quiet:
        message = _("{executed} replications run, {reused} reused, {seconds} s ({executor}); results in "
                    "{out}/")
        click.echo(message.format(executed=outcome.executed, reused=outcome.reused,
                                  seconds=number(outcome.wall_s, 1),
                                  executor=shown_executor(outcome.executor), out=result.out))
    from slagsim.results.meta import COMPLETE

    return EXIT_OK if result.status == COMPLETE else EXIT_RUN_FAILED


def report_problems(outcome: object, hint: str) -> None:
    """One line per failed scenario; one line for what is missing and how to run it."""
    for failure in outcome.failures:
        click.echo(_("failed: scenario {scenario!r}, replication {replication}: {error}").format(
            scenario=failure.scenario, replication=failure.replication, error=failure.error), err=True)
    missing = outcome.missing()
    if missing:
        count = sum(missing.values())
        why = outcome.lost[0].error if outcome.lost else _("not run")
        message = _("incomplete: {count} replications of {scenarios} scenarios did not come back ({why}); "
                    "the results above leave those scenarios out. The finished ones are kept: continue with: "
                    "{hint}")
        click.echo(message.format(count=count, scenarios=len(missing), why=why, hint=hint), err=True)


def warn_short_warmup(outcome: object) -> None:
    """One line when the batch's warm-up is shorter than MSER-5 asks for in any scenario."""
    needed = {run.name: outcome.experiment(run).warmup_needed_days for run in outcome.batch.runs
              if outcome.complete(run)}
    used = outcome.batch.settings.warmup_days
    short = {name: days for name, days in needed.items() if days > used}
    if short:
        worst = max(short, key=short.get)
        message = _("the {used} warm-up days are shorter than the daily output needs to settle (MSER-5) in "
                    "{short} of {all} scenarios (most: {worst}, {days} days); set run.warmup_days to {days} "
                    "or more in the batch file")
        warn([message.format(used=f"{used:g}", short=len(short), all=len(needed), worst=worst,
                             days=f"{short[worst]:g}")])


def resume_command(batch_file: Path, replications: int | None, years: float | None,
                   out: Path | None) -> str:
    """The command that continues an interrupted batch with the same options."""
    words = ["slagsim batch", str(batch_file), "--resume"]
    words += [f"--reps {replications}"] if replications else []
    words += [f"--years {years:g}"] if years else []
    words += [f"--out {out}"] if out else []
    return " ".join(words)


def print_plan(batch: object) -> None:
    """The scenarios a batch would run, one per line, and the shared settings (``--dry-run``)."""
    from slagsim.batch.spec import format_value

    settings = batch.settings
    runs = len(batch.runs) * settings.replications
    click.echo(f"{batch.plan.name}: {len(batch.runs)} scenarios x {settings.replications} replications "
               f"= {runs} runs of {settings.years:g} yr after {settings.warmup_days:g} warm-up days, "
               f"seed {settings.seed}")
    width = max(len(run.name) for run in batch.runs)
    for run in batch.runs:
        values = " ".join(f"{key}={format_value(value)}" for key, value in run.spec.values)
        role = "(baseline)" if run.spec.is_baseline else values
        undone = "".join(f" - {overlay.stem}" for overlay in run.spec.overlays)
        click.echo(f"  {run.name:<{width}}  {run.spec.file}{undone}  {role}".rstrip())


COMMANDS = [batch]


def shown_executor(description: str) -> str:
    """Where the replications ran, in the command's language (batch-meta.json keeps the English
    description scripts read: ``serial``, ``2 local processes``, ``Dask scheduler ADDRESS``)."""
    if description == "serial":
        return _("serial")
    count = description.removesuffix(" local processes")
    if count != description and count.isdigit():
        return _("{count} local processes").format(count=count)
    address = description.removeprefix("Dask scheduler ")
    return _("Dask scheduler {address}").format(address=address) if address != description else description
