"""``slagsim run``: replications of one scenario, a KPI table, a result folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from slagsim.cli.errors import EXIT_INTERRUPTED, fail, user_errors, warn
from slagsim.cli.options import (
    FiniteFloat,
    lang_option,
    out_option,
    quiet_option,
    reps_option,
    set_option,
    years_option,
    yes_option,
)
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

    \b
    Example:
        slagsim run scenarios/baseline.yaml --reps 20 --set machines.press.count=2
    """
    from slagsim.cli.progress import Progress
    from slagsim.cli.signals import terminate_as_interrupt
    from slagsim.cli.tables import print_summary
    from slagsim.runs import session

    plan = session.plan(scenario_file, overrides, reps, years, warmup_days, seed, out)
    settings = plan.settings

    @contextmanager
    def watch() -> Iterator[Callable[[object], None]]:
        with Progress(settings.replications, plan.scenario.name, enabled=not quiet) as progress:
            yield lambda _: progress.advance()

    try:
        with terminate_as_interrupt():
            outcome = session.run(plan, yes, watch)
    except KeyboardInterrupt:
        fail("interrupted: nothing was written (a run writes its results when every replication "
             "is done)", EXIT_INTERRUPTED, prefix="")
    warn([outcome.warning] if outcome.warning else [])
    if not quiet:
        print_summary(outcome.summary, f"{plan.scenario.name}: {settings.replications} "
                      f"replications x {settings.years:g} yr, seed {settings.seed}")
        click.echo(f"{outcome.result.wall_s:.2f} s for {outcome.result.events:,} SimPy events; "
                   f"results in {outcome.out}/")


COMMANDS = [run]
