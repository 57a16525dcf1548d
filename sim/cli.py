"""The ``slagsim`` command: thin click commands over the library.

Heavy libraries (pandas, scipy, simpy) are imported inside the commands that need them, so that
``slagsim --help`` starts fast.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from sim import __version__
from sim.errors import ScenarioError

EXIT_USER_ERROR = 2
HEADLINE_KPIS = [
    "product_output_t_per_year",
    "ingot_t_per_year",
    "slag_received_t_per_year",
    "slag_refused_t_per_year",
    "workers",
    "worker_days_per_year",
    "turnover_rp_per_year",
    "gross_margin_rp_per_year",
    "b3_store_peak_t",
    "b3_max_age_days",
    "curing_yard_peak_pallets",
    "lost_sales_t_per_year",
    "mass_balance_error_t",
]
HEADLINE_PREFIXES = ("output_t_per_year.", "utilization.", "wait_h.")


def user_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Show a ScenarioError as one line on stderr and exit with code 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ScenarioError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_USER_ERROR)
        except KeyboardInterrupt:
            click.echo("interrupted: nothing was written", err=True)
            sys.exit(130)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="slagsim")
def cli() -> None:
    """Simulate the Kendalsari aluminium-slag recycling centre.

    \b
    Example:
        slagsim run scenarios/baseline.yaml --reps 20
    """


set_option = click.option(
    "--set", "overrides", multiple=True, metavar="KEY=VALUE",
    help="Override a scenario value, e.g. --set machines.press.count=2 (repeatable).",
)


@cli.command()
@click.argument("scenario_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--reps", type=click.IntRange(min=1), help="Replications [scenario's run.replications].")
@click.option("--years", type=click.FloatRange(min=0, min_open=True), help="Simulated years after warm-up.")
@click.option("--warmup-days", type=click.FloatRange(min=0), help="Days simulated before counting.")
@click.option("--seed", type=click.IntRange(min=0), help="Base seed of the random streams.")
@set_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Results folder [results/<scenario-name>].")
@click.option("--quiet", is_flag=True, help="Print no progress and no table.")
@user_errors
def run(scenario_file: Path, reps: int | None, years: float | None, warmup_days: float | None,
        seed: int | None, overrides: tuple[str, ...], out: Path | None, quiet: bool) -> None:
    """Run replications of a scenario; print KPIs with 95% CIs; write results.

    \b
    Example:
        slagsim run scenarios/baseline.yaml --reps 20 --set machines.press.count=2
    """
    from sim.experiment import RunSettings, run_experiment
    from sim.progress import Progress
    from sim.results import summary_table, write_run
    from sim.scenario import load_scenario

    scenario = load_scenario(scenario_file, overrides)
    settings = RunSettings.from_scenario(scenario, reps, years, warmup_days, seed)
    out = out or Path("results") / scenario.name
    with Progress(settings.replications, f"{scenario.name}", enabled=not quiet) as progress:
        result = run_experiment(scenario, settings, on_done=lambda _: progress.advance())
    write_run(result, out)
    if not quiet:
        print_summary(summary_table(result), f"{scenario.name}: {settings.replications} "
                      f"replications x {settings.years:g} yr, seed {settings.seed}")
        click.echo(f"{result.wall_s:.2f} s for {result.events:,} SimPy events; results in {out}/")


def print_summary(summary: Any, title: str) -> None:
    """Print the headline KPIs of a summary table."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for column in ("KPI", "unit", "mean", "95% CI", "n"):
        table.add_column(column, justify="left" if column in ("KPI", "unit") else "right")
    shown = summary[summary.kpi.isin(HEADLINE_KPIS) | summary.kpi.str.startswith(HEADLINE_PREFIXES)]
    for row in shown.itertuples():
        interval = "-" if row.ci95_low != row.ci95_low else f"{_fmt(row.ci95_low)} .. {_fmt(row.ci95_high)}"
        table.add_row(row.kpi, row.unit, _fmt(row.mean), interval, str(row.n))
    Console(width=120).print(table)


def _fmt(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:,.1f}"


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@set_option
def validate(files: tuple[Path, ...], overrides: tuple[str, ...]) -> None:
    """Check scenario files; print the first error of each.

    \b
    Example:
        slagsim validate scenarios/*.yaml scenarios/options/*.yaml
    """
    from sim.scenario import load_scenario

    failed = 0
    for file in files:
        try:
            load_scenario(file, overrides)
            click.echo(f"ok: {file}")
        except ScenarioError as exc:
            failed += 1
            click.echo(f"error: {exc}", err=True)
    if failed:
        sys.exit(EXIT_USER_ERROR)


@cli.command()
@click.argument("scenario_file", type=click.Path(dir_okay=False, path_type=Path))
@set_option
@user_errors
def show(scenario_file: Path, overrides: tuple[str, ...]) -> None:
    """Print the resolved scenario after `extends` and `--set`.

    \b
    Example:
        slagsim show scenarios/options/add-press.yaml --set calendar.shifts_per_day=2
    """
    from sim.scenario import load_scenario, scenario_to_yaml

    click.echo(scenario_to_yaml(load_scenario(scenario_file, overrides)), nl=False)


def main() -> None:
    """Entry point of the ``slagsim`` command."""
    cli(prog_name="slagsim")
