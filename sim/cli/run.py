"""``slagsim run``: replications of one scenario, a KPI table, a result folder."""

from __future__ import annotations

from pathlib import Path

import click

from sim import limits
from sim.cli.errors import EXIT_INTERRUPTED, fail, user_errors, warn
from sim.cli.options import (
    FiniteFloat,
    lang_option,
    out_option,
    quiet_option,
    reps_option,
    set_option,
    years_option,
    yes_option,
)
from sim.errors import SimulationError


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
    from sim.cli.progress import Progress
    from sim.cli.signals import terminate_as_interrupt
    from sim.cli.tables import print_summary
    from sim.estimate import check_duration, estimate
    from sim.experiment import RunSettings, run_experiment
    from sim.results.folders import RUN, OutputLock, check_output
    from sim.results.run import summary_table, write_run
    from sim.scenario import load_scenario

    scenario = load_scenario(scenario_file, overrides)
    settings = RunSettings.from_scenario(scenario, reps, years, warmup_days, seed)
    out = out or Path("results") / scenario.name
    check_output(out, RUN, [scenario_file])
    with OutputLock(out), terminate_as_interrupt():
        check_duration(estimate([(scenario, settings.replications)], settings, 1), yes, "run")
        try:
            with Progress(settings.replications, f"{scenario.name}", enabled=not quiet) as progress:
                result = run_experiment(scenario, settings, on_done=lambda _: progress.advance())
        except SimulationError as exc:
            raise SimulationError(f"{scenario_file}: replication {progress.done}: {exc}") from None
        except KeyboardInterrupt:
            fail("interrupted: nothing was written (a run writes its results when every replication "
                 "is done)", EXIT_INTERRUPTED, prefix="")
        write_run(result, out, scenario_file)
    warn([line] if (line := result.warmup_warning()) else [])
    if not quiet:
        print_summary(summary_table(result), f"{scenario.name}: {settings.replications} "
                      f"replications x {settings.years:g} yr, seed {settings.seed}")
        click.echo(f"{result.wall_s:.2f} s for {result.events:,} SimPy events; results in {out}/")


COMMANDS = [run]
