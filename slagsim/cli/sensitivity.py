"""``slagsim sensitivity``: which estimates move the answer most, and which to measure first."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from slagsim.cli.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_RUN_FAILED, user_errors
from slagsim.cli.options import (
    dry_run_option,
    jobs_option,
    lang_option,
    out_option,
    quiet_option,
    resume_option,
    scheduler_option,
    yes_option,
)
from slagsim.scenario.plain_keys import plain_key


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
@scheduler_option
@resume_option
@dry_run_option
@out_option("results/<scenario>/sensitivity")
@yes_option
@quiet_option
@lang_option
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
    from slagsim.cli.progress import TerminalReporter
    from slagsim.cli.signals import terminate_as_interrupt
    from slagsim.sensitivity import session

    chosen = list(kpis) or list(session.DEFAULT_KPIS)
    base_name = _scenario_name(target)
    folder = out or session.default_out(base_name)
    plan = session.make_plan(target, method, chosen, trajectories, samples, reps, top, folder)
    workers = 1 if scheduler else jobs or 0
    if dry_run:
        expected = session.expected_time(plan, workers or _cores(), scheduler)
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
    from slagsim.scenario.load import load_scenario, read_yaml

    data = read_yaml(target)
    if "items" in data:  # a purchase menu
        from slagsim.appraisal.menu import read_menu

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
    from slagsim.i18n import _, percent, rupiah

    decision = result.decision
    if not decision:  # a Sobol run with no Morris run before it: nothing decided yet
        _print_counts(result)
        return
    click.echo(_("Best on average over the estimates' ranges: {best} (mean NPV {npv}). Another choice is "
                 "better at {p} of the {points} design points (95 % CI {low}-{high}).").format(
        best=decision["best_on_average"], npv=rupiah(decision["best_npv_rp"]),
        p=percent(decision["p_best_changes"]), points=decision["points"],
        low=percent(decision["p_best_changes_ci95_low"]), high=percent(decision["p_best_changes_ci95_high"])))
    click.echo(_("Knowing every estimate exactly before choosing is worth {evpi} (expected value of perfect "
                 "information). Measure these first:").format(evpi=rupiah(decision["evpi_rp"])))
    evpi = result.evpi.nsmallest(5, "rank")
    for row in evpi.itertuples():
        click.echo(_("  {rank}. {words} ({key}): {value}; range {range}").format(
            rank=row.rank, words=plain_key(row.group), key=row.group, value=rupiah(row.evppi_rp),
            range=row.range))
    _print_counts(result)


def _print(result: object) -> None:
    from slagsim.analysis.kpis import label_of
    from slagsim.i18n import _, number


    if result.plan.menu is not None:
        _print_decision(result)
        return
    table = result.table
    for kpi in dict.fromkeys(table.kpi):
        rows = table[table.kpi == kpi].nsmallest(5, "rank")
        click.echo(_("{kpi}: the estimates that move it most ({method})").format(
            kpi=_(label_of(kpi)), method=result.plan.method))
        for row in rows.itertuples():
            if result.plan.method == "morris":
                low, high = _amount(row.mu_star_ci95_low, row.unit), _amount(row.mu_star_ci95_high, row.unit)
                size = f"mu* {_amount(row.mu_star, row.unit)} [{low}, {high}]"
            else:
                size = _("total index {total} [{low}, {high}]").format(
                    total=number(row.total, 2), low=number(row.total_ci95_low, 2),
                    high=number(row.total_ci95_high, 2))
            click.echo(_("  {rank}. {words} ({key}): {value}; range {range}").format(
                rank=row.rank, words=plain_key(row.group), key=row.group, value=size, range=row.range))
    _print_counts(result)


def _amount(value: float, unit: str) -> str:
    """An effect in its unit as a planner reads it: Rupiah in millions or billions, small effects with
    three decimals."""
    from slagsim.i18n import number, rupiah

    if str(unit).startswith("Rp"):
        return rupiah(value) + str(unit).removeprefix("Rp")
    return f"{number(value, 1 if abs(value) >= 10 else 3)} {unit}"


def _print_counts(result: object) -> None:
    from slagsim.i18n import _

    click.echo(_("{executed} replications run, {reused} reused; results in {out}/").format(
        executed=result.executed, reused=result.reused, out=result.out))


COMMANDS = [sensitivity]
