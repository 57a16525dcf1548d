"""``slagsim run``: replications of one scenario, a KPI table, a result folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from slagsim.cli.errors import EXIT_INTERRUPTED, fail, user_errors, warn
from slagsim.cli.options import (
    FiniteFloat,
    edits_given,
    lang_option,
    out_option,
    quiet_option,
    reps_option,
    set_option,
    years_option,
    yes_option,
)
from slagsim.i18n import _, decimal, number
from slagsim.scenario import limits


@click.command()
@click.argument("scenario_file", type=click.Path(dir_okay=False, path_type=Path))
@reps_option("the scenario's run.replications")
@years_option("the scenario's run.years")
@click.option("--warmup-days", type=FiniteFloat(0, limits.MAX_WARMUP_DAYS),
              help="Days simulated before counting.")
@click.option("--seed", type=click.IntRange(min=0, max=limits.MAX_SEED),
              help="Base seed of the random streams.")
@set_option
@out_option("results/<scenario-name>")
@yes_option
@lang_option
@quiet_option
@user_errors
def run(scenario_file: Path, reps: int | None, years: float | None, warmup_days: float | None,
        seed: int | None, overrides: tuple[str, ...], out: Path | None, yes: bool, quiet: bool) -> None:
    """Run replications of a scenario; print KPIs with 95% CIs; write results.

    Edited inputs (--set, --set-from) make another scenario: it is named <scenario>-edited (unless
    --set name=...), written to results/<scenario>-edited (unless --out), and today's scenario runs
    beside it with the same seed and replications; the paired differences are printed and written
    to against-today.csv.

    \b
    Examples:
        slagsim run scenarios/baseline.yaml --reps 20
        slagsim run scenarios/baseline.yaml --set-from report.xlsx   # results/baseline-edited
    """
    from slagsim.cli.progress import Progress
    from slagsim.cli.signals import terminate_as_interrupt
    from slagsim.cli.tables import print_summary
    from slagsim.runs import session

    plan = session.plan(scenario_file, edits_given(overrides), reps, years, warmup_days, seed, out)
    settings = plan.settings

    @contextmanager
    def watch() -> Iterator[Callable[[object], None]]:
        with Progress(plan.replications, plan.scenario.name, enabled=not quiet) as progress:
            yield lambda _: progress.advance()

    try:
        with terminate_as_interrupt():
            outcome = session.run(plan, yes, watch)
    except KeyboardInterrupt:
        fail(_("interrupted: nothing was written (a run writes its results when every replication "
               "is done)"), EXIT_INTERRUPTED, prefix="")
    warn([outcome.warning] if outcome.warning else [])
    if outcome.old_report:
        from slagsim.results.reports import old_report_note

        warn([old_report_note(outcome.out, list(outcome.old_report))])
    if not quiet:
        title = _("{name}: {replications} replications x {years} yr, seed {seed}").format(
            name=plan.scenario.name, replications=settings.replications, years=decimal(settings.years),
            seed=settings.seed)
        print_summary(outcome.summary, title)
        if outcome.against_today is not None:
            from slagsim.cli.against_today import print_against_today

            print_against_today(outcome.against_today, plan.changed)
        click.echo(_("{seconds} s for {events} SimPy events; results in {out}/").format(
            seconds=number(outcome.result.wall_s, 2), events=number(outcome.result.events, 0),
            out=outcome.out))


COMMANDS = [run]
