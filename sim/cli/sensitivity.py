"""``slagsim sensitivity``: which estimates move the answer most, and which to measure first."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sim.cli.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_RUN_FAILED, user_errors
from sim.cli.options import jobs_option, out_option, quiet_option, yes_option


@click.command()
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--method", type=click.Choice(["morris", "sobol"]), default="morris", show_default=True,
              help="morris: screen every estimate; sobol: variance shares of the top --top from a "
                   "Morris screening in the same folder.")
@click.option("--kpi", "kpis", multiple=True, metavar="KPI",
              help="KPI to explain (repeatable) [product_output_t_per_year, gross_margin_rp_per_year].")
@click.option("--trajectories", type=click.IntRange(2, 1000), default=10, show_default=True,
              help="Morris trajectories (each is one point per estimate group, plus one).")
@click.option("--samples", type=click.IntRange(8, 65536), default=64, show_default=True,
              help="Sobol base samples (a power of 2; points = samples x (groups + 2)).")
@click.option("--top", type=click.IntRange(1, 50), default=5, show_default=True,
              help="Sobol: how many of Morris's first-ranked estimate groups to vary.")
@click.option("--reps", type=click.IntRange(1, 10_000), default=2, show_default=True,
              help="Replications per design point; the points share common random numbers, so a "
                   "few rank the estimates (the CI of mu* says whether they did).")
@jobs_option
@click.option("--scheduler", metavar="ADDRESS", help="Run on an existing Dask cluster instead.")
@click.option("--resume", is_flag=True, help="Keep finished replications of an earlier run; run the rest.")
@click.option("--dry-run", is_flag=True, help="Say how many simulations and roughly how long; run nothing.")
@out_option("results/<scenario>/sensitivity")
@yes_option
@quiet_option
@user_errors
def sensitivity(target: Path, method: str, kpis: tuple[str, ...], trajectories: int, samples: int,
                top: int, reps: int | None, jobs: int | None, scheduler: str | None, resume: bool,
                dry_run: bool, out: Path | None, yes: bool, quiet: bool) -> None:
    """Which of a scenario's estimates move its KPIs most: measure those first.

    Varies every value marked `# estimate` over its range in estimates.yaml (estimates sharing
    a range entry move together). Morris screening ranks them by mu* (the mean absolute change
    of a KPI over the range, with a 95 % CI) and sigma (interaction); Sobol then splits the
    variance among the top few. Every design point runs the same replications (common random
    numbers). Writes sensitivity.csv, the points and figures to results/<scenario>/sensitivity/.

    \b
    Examples:
        slagsim sensitivity scenarios/baseline.yaml --dry-run
        slagsim sensitivity scenarios/baseline.yaml --reps 2 --trajectories 10
        slagsim sensitivity scenarios/baseline.yaml --method sobol --top 4 --samples 64 --reps 2
    """
    from sim.cli.progress import TerminalReporter
    from sim.cli.signals import terminate_as_interrupt
    from sim.sensitivity import session

    chosen = list(kpis) or list(session.DEFAULT_KPIS)
    base_name = _scenario_name(target)
    folder = out or session.default_out(base_name)
    plan = session.make_plan(target, method, chosen, trajectories, samples, reps, top, folder)
    workers = 1 if scheduler else jobs or 0
    if dry_run:
        expected = session.expected_time(plan, workers or _cores())
        settings, groups = plan.settings, len(plan.problem.group_names)
        points = (f"{len(plan.points)} points x {1 + len(plan.menu.candidates)} scenarios (the baseline and "
                  "each candidate)" if plan.menu else f"{len(plan.scenarios)} points")
        click.echo(f"{plan.name}: {method} over {len(plan.problem.factors)} estimates in {groups} groups "
                   f"({len(plan.factors.left_out)} left out, listed in left-out.csv): "
                   f"{points} x {settings.replications} replications = {plan.runs:,} "
                   f"runs of {settings.years:g} yr after {settings.warmup_days:g} warm-up days; "
                   f"expected run time: {expected.describe()}")
        return
    try:
        with terminate_as_interrupt():
            result = session.run(plan, folder, jobs, scheduler, resume, yes, TerminalReporter(quiet))
    except KeyboardInterrupt:
        click.echo(f"interrupted: finished replications are kept in {folder}/parts; continue with the "
                   "same command and --resume", err=True)
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(_finish(result, quiet))


def _scenario_name(target: Path) -> str:
    from sim.scenario import load_scenario, read_yaml

    data = read_yaml(target)
    if "items" in data:  # a purchase menu
        from sim.appraisal.menu import read_menu

        return read_menu(target).name or target.stem
    return load_scenario(target).name


def _cores() -> int:
    import os

    return os.cpu_count() or 1


def _finish(result: object, quiet: bool) -> int:
    for failure in result.failures[:5]:
        click.echo(f"failed: {failure}", err=True)
    if result.missing:
        click.echo(f"incomplete: {result.missing} replications did not come back; no indices were "
                   "computed. Continue with the same command and --resume", err=True)
        return EXIT_RUN_FAILED
    if not quiet:
        _print(result)
    return EXIT_OK if result.complete else EXIT_RUN_FAILED


def _print_decision(result: object) -> None:
    """A purchase menu: does the best choice change, and what to measure first."""
    import json

    import pandas as pd

    decision = json.loads((result.out / "sensitivity-meta.json").read_text(encoding="utf-8"))["decision"]
    p, low, high = (decision["p_best_changes"], decision["p_best_changes_ci95_low"],
                    decision["p_best_changes_ci95_high"])
    click.echo(f"Best on average over the estimates' ranges: {decision['best_on_average']} (mean NPV "
               f"Rp {decision['best_npv_rp'] / 1e6:,.0f} m). Another choice is better at {p:.0%} of the "
               f"{decision['points']} design points (95% CI {low:.0%}-{high:.0%}).")
    click.echo(f"Knowing every estimate exactly before choosing is worth Rp {decision['evpi_rp'] / 1e6:,.0f} "
               "m (expected value of perfect information). Measure these first:")
    evpi = pd.read_csv(result.out / "evpi.csv").nsmallest(5, "rank")
    for row in evpi.itertuples():
        click.echo(f"  {row.rank}. {row.group}: Rp {row.evppi_rp / 1e6:,.1f} m; range {row.range}")
    click.echo(f"{result.executed} replications run, {result.reused} reused; results in {result.out}/")


def _print(result: object) -> None:
    from sim.kpis import label_of

    if result.plan.menu is not None:
        _print_decision(result)
        return
    table = result.table
    for kpi in dict.fromkeys(table.kpi):
        rows = table[table.kpi == kpi].nsmallest(5, "rank")
        click.echo(f"{label_of(kpi)}: the estimates that move it most ({result.plan.method})")
        for row in rows.itertuples():
            if result.plan.method == "morris":
                size = (f"mu* {row.mu_star:,.4g} [{row.mu_star_ci95_low:,.4g}, "
                        f"{row.mu_star_ci95_high:,.4g}] {row.unit}")
            else:
                size = f"total index {row.total:.2f} [{row.total_ci95_low:.2f}, {row.total_ci95_high:.2f}]"
            click.echo(f"  {row.rank}. {row.group}: {size}; range {row.range}")
    click.echo(f"{result.executed} replications run, {result.reused} reused; results in {result.out}/")


COMMANDS = [sensitivity]
