"""The ``slagsim`` command: thin click commands over the library.

Heavy libraries (pandas, scipy, simpy) are imported inside the commands that need them, so that
``slagsim --help`` starts fast.
"""

from __future__ import annotations

import functools
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from sim import __version__, limits
from sim.errors import ScenarioError, SimulationError

EXIT_USER_ERROR = 2
EXIT_RUN_FAILED = 1
EXIT_INTERRUPTED = 130
TRACEBACK_VARIABLE = "SLAGSIM_TRACEBACK"


class FiniteFloat(click.ParamType):
    """A finite number within bounds: ``nan``, ``inf`` and ``1e9`` years are refused at once."""

    name = "number"

    def __init__(self, low: float | None = None, high: float | None = None, low_open: bool = False):
        self.low, self.high, self.low_open = low, high, low_open

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number", param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        too_low = self.low is not None and (number <= self.low if self.low_open else number < self.low)
        if too_low or (self.high is not None and number > self.high):
            self.fail(f"{value!r} is not in {self._range()}", param, ctx)
        return number

    def _range(self) -> str:
        low = "-inf" if self.low is None else f"{self.low:g}"
        high = "inf" if self.high is None else f"{self.high:g}"
        return f"{'(' if self.low_open else '['}{low}, {high}]"


def user_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Show a ScenarioError as one line on stderr and exit with code 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ScenarioError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_USER_ERROR)
        except SimulationError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_RUN_FAILED)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            raise  # the reader went away (`| head`): click exits quietly
        except OSError as exc:  # disk full, folder removed, permission denied while writing
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {where}{exc.strerror or exc} (nothing after this point was written)",
                       err=True)
            sys.exit(EXIT_RUN_FAILED)
        except Exception as exc:
            if os.environ.get(TRACEBACK_VARIABLE):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc} (a slagsim bug: please report it; "
                       f"set {TRACEBACK_VARIABLE}=1 to see the traceback)", err=True)
            sys.exit(EXIT_RUN_FAILED)

    return wrapper


class OneLineErrors(click.Group):
    """The ``slagsim`` group: a mistyped option is one line, like every other input error.

    Click prints usage errors on three lines ("Usage: ...", "Try ...", "Error: ..."); a planner
    gets ``error: --years: 'nan' is not a finite number (see slagsim run --help)`` instead.
    """

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.UsageError as exc:
            click.echo(f"error: {usage_problem(exc)}", err=True)
            sys.exit(EXIT_USER_ERROR)
        except click.Abort:
            click.echo("interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        sys.exit(code if isinstance(code, int) else 0)


def usage_problem(exc: click.UsageError) -> str:
    """``--years: '1e9' is not in (0, 50] (see slagsim run --help)``."""
    command = exc.ctx.command_path if exc.ctx is not None else "slagsim"
    where = ""
    if isinstance(exc, click.BadParameter) and exc.param is not None and exc.message:
        where = f"{exc.param.opts[0] if exc.param.opts else exc.param.name.upper()}: "
        message = exc.message
    else:
        message = exc.format_message()
    return f"{where}{message} (see {command} --help)"


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="slagsim")
def cli() -> None:
    """Simulate the Kendalsari aluminium-slag recycling centre.

    \b
    Example:
        slagsim run scenarios/baseline.yaml --reps 20
    """


def reps_option(default: str) -> Callable[..., Any]:
    """``--reps N``; ``default`` says where the value comes from when it is not given."""
    return click.option("--reps", type=click.IntRange(min=1, max=limits.MAX_REPLICATIONS),
                        help=f"Replications [{default}].")


def years_option(default: str) -> Callable[..., Any]:
    """``--years Y``, simulated years counted after the warm-up."""
    return click.option("--years", type=FiniteFloat(0, limits.MAX_YEARS, low_open=True),
                        help=f"Simulated years after warm-up [{default}].")


yes_option = click.option("--yes", is_flag=True, help="Run even if it is expected to take over an hour.")


def out_option(default: str) -> Callable[..., Any]:
    """``--out DIR``, the results folder."""
    return click.option("--out", type=click.Path(file_okay=False, path_type=Path),
                        help=f"Results folder [{default}].")


quiet_option = click.option("--quiet", is_flag=True, help="Print no progress and no table.")
set_option = click.option(
    "--set", "overrides", multiple=True, metavar="KEY=VALUE",
    help="Override a scenario value, e.g. --set machines.press.count=2 (repeatable).",
)


@cli.command()
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
@quiet_option
@user_errors
def run(scenario_file: Path, reps: int | None, years: float | None, warmup_days: float | None,
        seed: int | None, overrides: tuple[str, ...], out: Path | None, yes: bool, quiet: bool) -> None:
    """Run replications of a scenario; print KPIs with 95% CIs; write results.

    \b
    Example:
        slagsim run scenarios/baseline.yaml --reps 20 --set machines.press.count=2
    """
    from sim.console import print_summary
    from sim.estimate import check_duration, estimate
    from sim.experiment import RunSettings, run_experiment
    from sim.folders import RUN, OutputLock, check_output
    from sim.progress import Progress
    from sim.results import summary_table, write_run
    from sim.scenario import load_scenario

    scenario = load_scenario(scenario_file, overrides)
    settings = RunSettings.from_scenario(scenario, reps, years, warmup_days, seed)
    out = out or Path("results") / scenario.name
    check_output(out, RUN, [scenario_file])
    with OutputLock(out):
        check_duration(estimate([(scenario, settings.replications)], settings, 1), yes, "run")
        try:
            with Progress(settings.replications, f"{scenario.name}", enabled=not quiet) as progress:
                result = run_experiment(scenario, settings, on_done=lambda _: progress.advance())
        except SimulationError as exc:
            raise SimulationError(f"{scenario_file}: replication {progress.done}: {exc}") from None
        except KeyboardInterrupt:
            click.echo("interrupted: nothing was written (a run writes its results when every "
                       "replication is done)", err=True)
            sys.exit(EXIT_INTERRUPTED)
        write_run(result, out, scenario_file)
    if not quiet:
        print_summary(summary_table(result), f"{scenario.name}: {settings.replications} "
                      f"replications x {settings.years:g} yr, seed {settings.seed}")
        click.echo(f"{result.wall_s:.2f} s for {result.events:,} SimPy events; results in {out}/")


@cli.command()
@click.argument("batch_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--jobs", type=click.IntRange(min=1), help="Local worker processes [all cores].")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run on an existing Dask cluster instead, e.g. tcp://10.0.0.5:8786.")
@reps_option("the batch file's run.replications")
@years_option("the batch file's run.years")
@out_option("results/<batch-name>")
@click.option("--resume", is_flag=True, help="Keep finished replications of an earlier run; run the rest.")
@click.option("--dry-run", is_flag=True,
              help="List the scenarios and settings and the expected run time; run nothing.")
@yes_option
@quiet_option
@user_errors
def batch(batch_file: Path, jobs: int | None, scheduler: str | None, reps: int | None,
          years: float | None, out: Path | None, resume: bool, dry_run: bool, yes: bool,
          quiet: bool) -> None:
    """Run every scenario of a batch file with common random numbers; compare with the baseline.

    Writes results/<batch>/<scenario>/ for each scenario, batch.csv (means, CIs, paired
    differences to the baseline), batch-meta.json and figures/throughput.png.
    Exit code 1 if a scenario failed while running (the others still finish).

    \b
    Examples:
        slagsim batch scenarios/batches/purchase-options.yaml --jobs 2
        slagsim batch scenarios/batches/press-shift-sweep.yaml --dry-run
        slagsim batch scenarios/batches/press-shift-sweep.yaml --scheduler tcp://10.0.0.5:8786
    """
    from sim.batch.command import run_batch_command

    code = run_batch_command(batch_file, jobs=jobs, scheduler=scheduler, replications=reps, years=years,
                             out=out, resume=resume, dry_run=dry_run, quiet=quiet, yes=yes)
    sys.exit(code)


results_argument = click.argument("result_dirs", nargs=-1, required=True,
                                  type=click.Path(file_okay=False, path_type=Path))
baseline_option = click.option("--baseline", metavar="NAME",
                               help="Scenario to compare against [the batch's baseline, else the first].")
kpi_option = click.option("--kpi", "kpis", multiple=True, metavar="KPI",
                          help="KPI to rank by and show (repeatable) [output, ingot, gross margin].")


@cli.command()
@results_argument
@baseline_option
@kpi_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Also write comparison.csv, ranked.csv, bottlenecks.csv and figures/ here.")
@user_errors
def compare(result_dirs: tuple[Path, ...], baseline: str | None, kpis: tuple[str, ...],
            out: Path | None) -> None:
    """Rank scenarios from result folders of `run` or `batch` (never re-simulates).

    Prints each KPI's mean with 95% CI, the difference to the baseline with its CI (paired when
    the runs share seed and length), whether it is significant, and each scenario's bottleneck.

    \b
    Examples:
        slagsim compare results/purchase-options
        slagsim compare results/baseline results/add-press --kpi gross_margin_rp_per_year
    """
    from sim.compare import DEFAULT_KPIS, check_kpis, compare_results, write_comparison
    from sim.console import print_comparison
    from sim.folders import COMPARISON, OutputLock, check_output, write_marker
    from sim.resultsio import load_results

    if out is not None:
        check_output(out, COMPARISON, list(result_dirs))
    results = load_results(list(result_dirs), baseline)
    comparison = compare_results(results)
    chosen = list(kpis) or list(DEFAULT_KPIS)
    check_kpis(comparison, chosen)
    _warn(results.warnings)
    print_comparison(comparison, chosen, f"{len(comparison.results.runs)} scenarios against "
                     f"{comparison.baseline}")
    if out is not None:
        with OutputLock(out):
            out.mkdir(parents=True, exist_ok=True)
            if not (out / ".slagsim").exists():
                write_marker(out, COMPARISON)
            write_comparison(comparison, out, chosen)
        click.echo(f"tables and figures in {out}/")


def _warn(warnings: list[str]) -> None:
    """Partial results are said so, on stderr, before any table."""
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)


@cli.command()
@click.argument("result_dir", type=click.Path(file_okay=False, path_type=Path))
@baseline_option
@kpi_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file [RESULT_DIR/report.html]; the workbook goes beside it (.xlsx).")
@user_errors
def report(result_dir: Path, baseline: str | None, kpis: tuple[str, ...], out: Path | None) -> None:
    """Write a self-contained HTML report and an Excel workbook from a result folder.

    The report holds what was run, the ranked tables, every figure, the bottlenecks and the
    figures marked `# estimate` in the scenario files.

    \b
    Example:
        slagsim report results/purchase-options --out purchase-options.html
    """
    from sim.compare import DEFAULT_KPIS, check_kpis, compare_results
    from sim.report.write import check_report_path, write_report
    from sim.resultsio import load_results

    target = out or result_dir / "report.html"
    check_report_path(target)
    results = load_results([result_dir], baseline)
    comparison = compare_results(results)
    chosen = list(kpis) or list(DEFAULT_KPIS)
    check_kpis(comparison, chosen)
    _warn(results.warnings)
    html_file, workbook = write_report(comparison, target, chosen)
    click.echo(f"report: {html_file}\nworkbook: {workbook}")


@cli.command()
@click.argument("menu_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--budget", type=FiniteFloat(0), metavar="RP",
              help="Also search bundles of items whose prices add up to at most RP.")
@click.option("--years", type=click.IntRange(min=1, max=int(limits.MAX_YEARS)),
              help="Appraisal horizon in years [the menu's].")
@click.option("--discount-rate", type=FiniteFloat(0, 1), help="Yearly rate [the menu's].")
@reps_option("the menu's run.replications")
@click.option("--max-reps", type=click.IntRange(min=2, max=limits.MAX_REPLICATIONS),
              help="Cap for adding replications until the best is clear [2 x --reps].")
@click.option("--no-tornado", is_flag=True, help="Skip the one-at-a-time sensitivity runs.")
@click.option("--jobs", type=click.IntRange(min=1), help="Local worker processes [all cores].")
@click.option("--scheduler", metavar="ADDRESS", help="Run on an existing Dask cluster instead.")
@out_option("results/<menu-name>")
@yes_option
@quiet_option
@user_errors
def appraise(menu_file: Path, budget: float | None, years: int | None, discount_rate: float | None,
             reps: int | None, max_reps: int | None, no_tornado: bool, jobs: int | None,
             scheduler: str | None, out: Path | None, yes: bool, quiet: bool) -> None:
    """Appraise purchases: extra tons, margin, NPV, payback and its probability, per candidate.

    Simulates the baseline and every menu item with common random numbers; with --budget also
    searches bundles. Writes results/<menu>/appraisal/ and a report (report.html, report.xlsx).

    \b
    Example:
        slagsim appraise scenarios/purchases/menu.yaml --budget 400000000 --years 10
    """
    from sim.appraisal.command import Settings, run_appraisal
    from sim.appraisal.console import print_appraisal
    from sim.compare import DEFAULT_KPIS, compare_results
    from sim.report.write import write_report
    from sim.resultsio import load_results

    settings = Settings(years or 0, discount_rate, budget, reps, max_reps, not no_tornado)
    written: list[Path] = []

    def report_on(outcome: object, folder: Path) -> None:
        written.extend(write_report(compare_results(load_results([folder])), folder / "report.html",
                                    list(DEFAULT_KPIS)))

    outcome, folder = run_appraisal(menu_file, settings, out, jobs, scheduler, quiet, yes, report_on)
    _warn([f"stored replication {problem}; it was run again" for problem in outcome.damaged])
    if not quiet:
        print_appraisal(outcome)
        click.echo(f"appraisal in {folder}/appraisal/; report: {written[0]}; workbook: {written[1]}")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@set_option
@user_errors
def validate(files: tuple[Path, ...], overrides: tuple[str, ...]) -> None:
    """Check scenario, batch and purchase-menu files; print the first error of each.

    A batch or menu file (one with a `baseline:` key) is checked with every scenario it makes.

    \b
    Example:
        slagsim validate scenarios/*.yaml scenarios/options/*.yaml scenarios/batches/*.yaml
    """
    failed = 0
    for file in files:
        try:
            click.echo(f"ok: {file}{_check_file(file, overrides)}")
        except ScenarioError as exc:
            failed += 1
            click.echo(f"error: {exc}", err=True)
    if failed:
        sys.exit(EXIT_USER_ERROR)


def _check_file(file: Path, overrides: tuple[str, ...]) -> str:
    """Load a scenario, batch or purchase-menu file; a note for the ``ok`` line, or a ScenarioError."""
    from sim.scenario import load_scenario, read_yaml

    data = read_yaml(file)
    if "baseline" not in data:
        load_scenario(file, overrides)
        return ""
    if overrides:
        raise ScenarioError("--set applies to scenario files, not batch or menu files", file=str(file))
    if "items" in data:
        from sim.appraisal.command import check_menu

        return f" (purchase menu of {check_menu(file)} items)"
    from sim.batch.prepare import prepare, read_batch

    return f" (batch of {len(prepare(read_batch(file)).runs)} scenarios)"


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
