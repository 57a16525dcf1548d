"""``slagsim compare`` and ``slagsim report``: rank and report from result folders (no engine)."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import click

from slagsim.cli.errors import user_errors, warn
from slagsim.cli.options import baseline_option, kpi_option, lang_option
from slagsim.cli.progress import working
from slagsim.i18n import _

results_argument = click.argument("result_dirs", nargs=-1, required=True,
                                  type=click.Path(file_okay=False, path_type=Path))


@click.command()
@results_argument
@baseline_option
@kpi_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Also write comparison.csv, ranked.csv, bottlenecks.csv and figures/ here.")
@lang_option
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
    from slagsim.batch.compare import DEFAULT_KPIS, check_kpis, compare_results, write_comparison
    from slagsim.cli.tables import print_comparison
    from slagsim.results.folders import COMPARISON, OutputLock, check_output, claim_group_folder
    from slagsim.results.read import load_results

    if out is not None:
        out = check_output(out, COMPARISON, list(result_dirs))
    results = load_results(list(result_dirs), baseline)
    comparison = compare_results(results)
    chosen = list(kpis) or list(DEFAULT_KPIS)
    check_kpis(comparison, chosen)
    warn(results.warnings)
    print_comparison(comparison, chosen, _("{count} scenarios against {baseline}").format(
        count=len(comparison.results.runs), baseline=comparison.baseline))
    if out is not None:
        with OutputLock(out):
            claim_group_folder(out, COMPARISON, fresh=False, keep_kind=True)
            write_comparison(comparison, out, chosen)
        click.echo(f"tables and figures in {out}/")


@click.command()
@click.argument("result_dir", type=click.Path(file_okay=False, path_type=Path))
@baseline_option
@kpi_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file [RESULT_DIR/report.html]; the workbook goes beside it (.xlsx).")
@lang_option
@user_errors
def report(result_dir: Path, baseline: str | None, kpis: tuple[str, ...], out: Path | None) -> None:
    """Write a self-contained HTML report and an Excel workbook from a result folder.

    The report holds what was run, the ranked tables, every figure, the bottlenecks and the
    figures marked `# estimate` in the scenario files.

    \b
    Examples:
        slagsim report results/purchase-options --out purchase-options.html
        slagsim report results/purchase-options --lang id   # in Bahasa Indonesia
    """
    from slagsim.batch.compare import DEFAULT_KPIS, check_kpis, compare_results
    from slagsim.report.write import check_report_path, write_report
    from slagsim.results.read import load_results

    target = check_report_path(out or result_dir / "report.html")
    with _folder_lock(result_dir, target):
        results = load_results([result_dir], baseline)
        comparison = compare_results(results)
        chosen = list(kpis) or list(DEFAULT_KPIS)
        check_kpis(comparison, chosen)
        warn(results.warnings)
        with working(_("drawing the figures and writing the report")):
            html_file, workbook = write_report(comparison, target, chosen)
    click.echo(_("report: {report}\nworkbook: {workbook}").format(report=html_file, workbook=workbook))


def _folder_lock(result_dir: Path, target: Path) -> AbstractContextManager[object]:
    """The result folder's lock when the report goes into it (a run of that folder would swap it
    under the report, and count the report's files as its own); nothing otherwise."""
    from slagsim.results.locks import OutputLock

    if result_dir.is_dir() and target.parent.resolve() == result_dir.resolve():
        return OutputLock(result_dir, option="RESULT_DIR", studies=False)
    return nullcontext()


COMMANDS = [compare, report]
