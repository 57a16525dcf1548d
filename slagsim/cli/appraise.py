"""``slagsim appraise``: which purchase pays, how sure, and within which budget."""

from __future__ import annotations

from pathlib import Path

import click

from slagsim.cli.errors import user_errors, warn
from slagsim.cli.options import (
    FiniteFloat,
    edits_given,
    jobs_option,
    lang_option,
    out_option,
    quiet_option,
    reps_option,
    scheduler_option,
    set_option,
    yes_option,
)
from slagsim.i18n import _
from slagsim.scenario import limits


@click.command()
@click.argument("menu_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--budget", metavar="RP|PAYER=RP,...",
              help="The money to spend: RP is a DAK grant (items paid_by: dak); "
              "dak=RP,cooperative=RP,firm=RP for several payers. Each payer gets its answer (what to buy, "
              "or do nothing) and its best bundles of the items it pays for.")
@click.option("--years", type=click.IntRange(min=1, max=int(limits.MAX_YEARS)),
              help="Appraisal horizon in years [the menu's].")
@click.option("--discount-rate", type=FiniteFloat(0, 1), help="Yearly rate [the menu's].")
@reps_option("the menu's run.replications")
@click.option("--max-reps", type=click.IntRange(min=2, max=limits.MAX_REPLICATIONS),
              help="Cap for adding replications until the best is clear [2 x --reps].")
@click.option("--no-tornado", is_flag=True, help="Skip the one-at-a-time sensitivity runs.")
@click.option("--uncertainty", type=click.Choice(["simulation", "estimates"]), default="simulation",
              show_default=True, help="estimates: also draw every # estimate from its range (estimates.yaml) "
              "and report NPV and payback over both, beside the usual figures.")
@click.option("--draws", type=click.IntRange(min=2, max=limits.MAX_REPLICATIONS),
              help="Estimate draws with --uncertainty estimates [the replications].")
@set_option
@jobs_option
@scheduler_option
@out_option("results/<menu-name>, with edited inputs results/<menu-name>-edited")
@yes_option
@lang_option
@quiet_option
@user_errors
def appraise(menu_file: Path, budget: str | None, years: int | None, discount_rate: float | None,
             reps: int | None, max_reps: int | None, no_tornado: bool, uncertainty: str, draws: int | None,
             overrides: tuple[str, ...], jobs: int | None, scheduler: str | None, out: Path | None, yes: bool,
             quiet: bool) -> None:
    """Appraise purchases: extra tons, margin, NPV, payback and its probability, per candidate.

    Simulates the baseline and every menu item with common random numbers; with --budget also
    searches bundles; with --uncertainty estimates also draws the estimates from their ranges.
    Writes results/<menu>/appraisal/ and a report (report.html, report.xlsx).
    --set-from FILE.xlsx (a report's inputs sheet, edited) or --set applies to the baseline and under
    every candidate; the appraisal is then named <menu>-edited.
    Exit code 1 if a simulation failed or replications are missing.

    \b
    Examples:
        slagsim appraise scenarios/purchases/menu.yaml --budget 400000000 --years 10
        slagsim appraise scenarios/purchases/menu.yaml --budget dak=400000000,cooperative=50000000
        slagsim appraise scenarios/purchases/menu.yaml --uncertainty estimates --draws 40
        slagsim appraise scenarios/purchases/menu.yaml --set-from results/menu/report.xlsx
    """
    from slagsim.appraisal.decision import parse_budgets
    from slagsim.appraisal.session import Settings, run_appraisal
    from slagsim.batch.compare import DEFAULT_KPIS, compare_results
    from slagsim.cli.appraisal_tables import print_appraisal
    from slagsim.cli.progress import PhasedReporter, working
    from slagsim.cli.signals import terminate_as_interrupt
    from slagsim.report.write import write_report
    from slagsim.results.read import load_results

    budgets = parse_budgets(budget) if budget is not None else None
    settings = Settings(years or 0, discount_rate, budgets, reps, max_reps, not no_tornado, uncertainty,
                        draws, edits_given(overrides))
    written: list[Path] = []

    def report_on(outcome: object, folder: Path) -> None:
        with working(_("drawing the figures and writing the report")):
            written.extend(write_report(compare_results(load_results([folder])), folder / "report.html",
                                        list(DEFAULT_KPIS)))

    with terminate_as_interrupt(), PhasedReporter(_("appraise"), quiet) as reporter:
        outcome, folder = run_appraisal(menu_file, settings, out, jobs, scheduler, reporter, yes, report_on)
    warn([_("stored replication {problem}; it was run again").format(problem=problem)
          for problem in outcome.damaged])
    if not quiet:
        print_appraisal(outcome)
        click.echo(_("appraisal in {folder}/appraisal/; report: {report}; workbook: {workbook}").format(
            folder=folder, report=written[0], workbook=written[1]))


COMMANDS = [appraise]
