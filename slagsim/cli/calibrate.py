"""``slagsim calibrate`` (fit estimates to the books) and ``slagsim records-template``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from slagsim.cli.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_RUN_FAILED, user_errors, warn
from slagsim.cli.options import (
    FiniteFloat,
    dry_run_option,
    jobs_option,
    lang_option,
    out_option,
    quiet_option,
    resume_option,
    scheduler_option,
    yes_option,
)
from slagsim.errors import ScenarioError
from slagsim.i18n import _, number, percent
from slagsim.scenario.plain_keys import plain_key

DEFAULT_SCENARIO = Path("scenarios") / "baseline.yaml"


@click.command()
@click.argument("records", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--scenario", "scenario_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The scenario whose estimates are fitted.")
@click.option("--estimate", "keys", multiple=True, metavar="KEY",
              help="An estimate to fit (its key, or its range's pattern); repeat for more [the --top that "
                   "Morris screening finds move the books' columns most].")
@click.option("--top", type=click.IntRange(1, 50), default=None,
              help="Screen the candidates (the --estimate ones, else every numeric estimate) and fit the N "
                   "that move the books' columns most [6 without --estimate; with --estimate: fit them all].")
@click.option("--draws", type=click.IntRange(10, 20_000), default=400, show_default=True,
              help="Simulations, each with the estimates drawn from their ranges.")
@click.option("--accept", type=FiniteFloat(0.01, 0.5), default=0.1, show_default=True,
              help="Share of the draws closest to the books that is kept.")
@jobs_option
@scheduler_option
@resume_option
@dry_run_option
@out_option("results/<scenario>/calibration")
@yes_option
@quiet_option
@lang_option
@user_errors
def calibrate(records: Path, scenario_file: Path, keys: tuple[str, ...], top: int | None, draws: int,
              accept: float, jobs: int | None, scheduler: str | None, resume: bool, dry_run: bool,
              out: Path | None, yes: bool, quiet: bool) -> None:
    """Fit a scenario's estimates to a cooperative's monthly books.

    Without --estimate, Morris screening first picks the --top estimates that move the books'
    columns most. Draws each chosen estimate from its range (estimates.yaml) --draws times,
    simulates the months the books cover, keeps the draws whose monthly means come closest to the
    books' and adjusts them (approximate Bayesian computation). A column of the books outside
    what the model makes whatever the estimates is named (status: misfit, exit 0) and steers
    nothing; an estimate whose draws move no column the books fill is "not informed", never
    pinned. Writes each estimate's posterior (median, 90 % interval, verdict), the fit month by
    month and a calibrated scenario that extends the original to results/<scenario>/calibration/.

    \b
    Examples:
        slagsim records-template --out books.xlsx
        slagsim calibrate scenarios/records/example-simulated.csv --scenario scenarios/baseline.yaml \\
            --estimate process.sorting.rate_t_per_worker_h --estimate supply.smelters.reach --draws 200
    """
    from slagsim.calibration import session
    from slagsim.calibration.screen import TRAJECTORIES
    from slagsim.cli.progress import TerminalReporter
    from slagsim.cli.signals import terminate_as_interrupt

    plan = session.make_plan(records, scenario_file, list(keys), draws, accept, top)
    folder = out or session.default_out(plan.name)
    workers = 1 if scheduler else jobs or 0
    if dry_run:
        import os

        expected = session.expected_time(plan, workers or os.cpu_count() or 1, scheduler)
        if plan.screening is not None:
            click.echo(_("screening: {points} simulations (Morris, {trajectories} trajectories) of the "
                         "{candidates} candidates, to fit the {top} that move the books' columns "
                         "most").format(
                points=len(plan.screening.points), trajectories=TRAJECTORIES,
                candidates=len(plan.screening.candidates.factors), top=plan.screening.top))
        fitted = plan.screening.top if plan.screening is not None else len(plan.factors.factors)
        click.echo(_("{name}: {estimates} estimates, {draws} draws of {months} months each ({years} "
                     "simulated years after {warmup} warm-up days); expected run time: {time}").format(
            name=plan.name, estimates=fitted, draws=draws, months=len(plan.records),
            years=number(plan.settings.years, 2), warmup=f"{plan.settings.warmup_days:g}",
            time=expected.describe()))
        return
    try:
        with terminate_as_interrupt():
            result = session.run(plan, folder, jobs, scheduler, resume, yes, TerminalReporter(quiet))
    except KeyboardInterrupt:
        click.echo(_("interrupted: finished draws are kept in {out}/parts; continue with the same command "
                     "and --resume").format(out=folder), err=True)
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(_finish(result, quiet))


def _finish(calibration: object, quiet: bool) -> int:
    """Print what the calibration found; a misfit is a finding, not a failure (exit 0, with
    ``status: misfit`` in calibration-meta.json and a warning line per column, even with --quiet)."""
    result = calibration.draws
    for failure in result.failures[:5]:
        click.echo(f"failed: {failure}", err=True)
    if calibration.posterior is None:
        click.echo(_("incomplete: {missing} draws did not come back; no posterior was computed. Continue "
                     "with the same command and --resume").format(missing=result.missing), err=True)
        return EXIT_RUN_FAILED
    _warn_misfits(calibration)
    if not quiet:
        _print(calibration.posterior, calibration.scenario, result)
    return EXIT_OK


def _warn_misfits(calibration: object) -> None:
    from slagsim.calibration.checks import misfit_line

    misfits = calibration.fitted.misfits if calibration.fitted is not None else []
    if not misfits:
        return
    products = list(calibration.draws.plan.scenario(0).products.blocks)
    warn([_("the books lie outside what the model makes in {count} of {all} columns; they do not steer "
            "the fit (status: misfit):").format(count=len(misfits), all=len(calibration.fitted.columns)),
          *[f"  {misfit_line(check, products)}" for check in misfits]])


def _print(table: object, scenario: Path, result: object) -> None:
    from slagsim.calibration.posterior import MISFIT_ONLY, NOT_INFORMED, SAYS_LITTLE
    from slagsim.calibration.screen import MIN_EFFECT, TABLE

    if result.screening is not None:
        ranked = result.screening
        left = ranked[~ranked.fitted]
        click.echo(_("Screening ({points} simulations: {run} run, {reused} reused) chose the {fitted} of "
                     "{all} estimates that move the books' columns most; {left} not fitted, each with why "
                     "in {table}").format(points=sum(result.screened), run=result.screened[0],
                                       reused=result.screened[1], fitted=int(ranked.fitted.sum()),
                                       all=len(ranked), left=len(left), table=TABLE))
        moving = left[left.effect >= MIN_EFFECT].head(5)
        if len(moving):
            click.echo(_("  next by effect (name them with --estimate to fit them): {keys}").format(
                keys=", ".join(f"{row.key} ({percent(row.effect)})" for row in moving.itertuples())))
    learnt = table[table.pinned_down]
    click.echo(_("The books pin down {learnt} of {all} estimates:").format(learnt=len(learnt),
                                                                           all=len(table)))
    for row in table.itertuples():
        if row.pinned_down:
            click.echo(_("  {words} ({key}): {median} (90 %: {low} .. {high}; the file had {before})").format(
                words=plain_key(row.key), key=row.key, median=row.posterior_median, low=row.posterior_5,
                high=row.posterior_95, before=row.in_the_file))
    groups = {SAYS_LITTLE: _("The books say little about (posterior about as wide as the range): {keys}"),
              NOT_INFORMED: _("Not informed by these books (their draws move no column the books fill): "
                              "{keys}"),
              MISFIT_ONLY: _("Only columns the model cannot make speak to (not fitted): {keys}")}
    verdicts = table.verdict if "verdict" in table else table.pinned_down.map({False: SAYS_LITTLE})
    for verdict, line in groups.items():
        keys = [f"{plain_key(row.key)} ({row.key})" for row, given in zip(table.itertuples(), verdicts,
                                                                           strict=True) if given == verdict]
        if keys:
            click.echo(line.format(keys=", ".join(keys)))
    click.echo(_("{draws} draws ({executed} run, {reused} reused), {accepted} kept; calibrated scenario: "
                 "{scenario}; results in {out}/").format(
        draws=len(result.months), executed=result.executed, reused=result.reused,
        accepted=percent(result.plan.accept), scenario=scenario, out=result.out))


@click.command("records-template")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write: .xlsx (a workbook to fill in) or .csv.")
@click.option("--kind", type=click.Choice(["books", "timings"]), default="books", show_default=True,
              help="books: the monthly books for `slagsim calibrate`; timings: a stopwatch's timing sheet "
                   "for `slagsim fit`.")
@click.option("--scenario", "scenario_file", type=click.Path(dir_okay=False, path_type=Path),
              help=f"Whose products the columns name [{DEFAULT_SCENARIO}].")
@click.option("--from-run", "run_folder", type=click.Path(file_okay=False, path_type=Path),
              help="Fill it with a run folder's simulated months instead of leaving it empty.")
@click.option("--replication", type=click.IntRange(min=0), default=0, show_default=True,
              help="With --from-run: which replication's months.")
@click.option("--first-year", type=click.IntRange(1900, 2200), default=2024, show_default=True,
              help="With --from-run: the calendar year of simulated year 1.")
@lang_option
@user_errors
def records_template(out: Path, kind: str, scenario_file: Path | None, run_folder: Path | None,
                     replication: int, first_year: int) -> None:
    """Write the records format: one row per month, headers in Indonesian and English.

    With --kind timings, a timing sheet instead: one row per timed cycle, in minutes, for
    `slagsim fit`.

    \b
    Examples:
        slagsim records-template --out books.xlsx
        slagsim records-template --out simulated.csv --from-run results/baseline --replication 0
        slagsim records-template --kind timings --out press-timings.xlsx
    """
    from slagsim.calibration.template import records_from_run, write_template
    from slagsim.results.files import write_csv
    from slagsim.scenario.load import load_scenario

    _check_template_out(out, "press-timings.xlsx" if kind == "timings" else "books.xlsx")
    chosen = scenario_file or DEFAULT_SCENARIO
    if kind == "timings":
        if run_folder is not None or scenario_file is not None:
            raise ScenarioError(_("a timing sheet has no months or products: leave out --from-run and "
                                  "--scenario"), file="--kind")
        from slagsim.fitting.template import write_timings_template

        write_timings_template(out)
        click.echo(_("timing sheet: {out}").format(out=out))
        return
    if run_folder is not None:
        table = records_from_run(run_folder, replication, first_year)
        if out.suffix.lower() == ".csv":
            write_csv(table, out)
        else:
            from slagsim.results.files import atomic_write

            atomic_write(out, lambda temporary: table.to_excel(temporary, index=False, sheet_name="records"))
    else:
        if not chosen.is_file():
            raise ScenarioError("not found; name the scenario whose products the columns list with "
                                "--scenario FILE", file=str(chosen))
        write_template(out, list(load_scenario(chosen).products.blocks))
    click.echo(_("records file: {out}").format(out=out))


def _check_template_out(out: Path, example: str) -> None:
    """Refuse an ``--out`` that is not .xlsx or .csv, too long a name for the disk, under a file, or
    a file (or link) that is there already: a template is filled in by hand, so slagsim never
    writes over one, its own included."""
    from slagsim.results.paths import check_lengths, temporaries

    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        ends = f"ends in {out.suffix}" if out.suffix else "has no suffix"
        raise ScenarioError(f"{out} {ends}; the template is .xlsx (a workbook to fill in) or .csv (its "
                            f"header row alone): e.g. --out {example}", file="--out")
    check_lengths(out, temporaries(out.stem, out.suffix), "--out", inside=0, example=f"--out {example}")
    if out.exists() or out.is_symlink():
        raise ScenarioError(f"{out} already exists; slagsim never writes over a file (a template may hold "
                            f"what was filled in): choose another name, e.g. --out {example}", file="--out")
    existing = out.parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise ScenarioError(f"{out} lies under {existing}, which is a file; choose another name, e.g. "
                            f"--out {example}", file="--out")


COMMANDS = [calibrate, records_template]
