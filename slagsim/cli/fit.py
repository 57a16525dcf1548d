"""``slagsim fit``: a distribution from measured values (a stopwatch's cycle times, weighed lots)."""

from __future__ import annotations

import math
from pathlib import Path

import click

from slagsim.cli.errors import user_errors
from slagsim.cli.options import lang_option, out_option, quiet_option
from slagsim.i18n import _, number

# slagsim.fitting.families.NAMES, spelt out so that `slagsim --help` does not import scipy (a test keeps
# the two equal: gamma and weibull were missing here, so --family could not write them)
FAMILY_NAMES = ["lognormal", "gamma", "weibull", "exponential", "normal", "triangular", "uniform",
                "empirical"]


@click.command()
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--column", metavar="NAME",
              help="The column holding the values: its header, or either half of an 'Indonesian / English' "
                   "header [the only column].")
@click.option("--minutes", is_flag=True,
              help="The values are minutes (a stopwatch's): fit them as hours, the unit of a scenario's "
                   "times.")
@click.option("--key", metavar="KEY",
              help="Write a scenario setting this key to the fit, e.g. machines.press.cycle_h (needs "
                   "--scenario).")
@click.option("--scenario", "scenario_file", type=click.Path(dir_okay=False, path_type=Path),
              help="The scenario the written one extends.")
@click.option("--family", type=click.Choice(FAMILY_NAMES),
              help="Write this family instead of the recommended one.")
@click.option("--resamples", type=click.IntRange(0, 1000), default=200, show_default=True,
              help="Parametric-bootstrap resamples for each test's p-value: 0 for no test, else at least "
                   "80 (fewer could never reject a family).")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=1, show_default=True,
              help="Seed of the bootstrap.")
@out_option("results/<data>-fit")
@quiet_option
@lang_option
@user_errors
def fit(data: Path, column: str | None, minutes: bool, key: str | None, scenario_file: Path | None,
        family: str | None, resamples: int, seed: int, out: Path | None, quiet: bool) -> None:
    """Fit measured values to the distributions a scenario can use, and recommend one.

    Fits lognormal, gamma, Weibull, exponential, normal (cut at 0), triangular and uniform by
    maximum likelihood, ranks them by AIC and tests each (Kolmogorov-Smirnov, Anderson-Darling;
    parametric-bootstrap p-values), recommends one and says how sure (fewer than 30 values: the
    values themselves).
    DATA is a .csv or .xlsx file (slagsim records-template --kind timings writes a sheet to fill
    in). Writes fit.csv and figures/ (histogram, Q-Q plot) to --out; with --key and --scenario a
    scenario that extends the one given and sets KEY to the fit.

    \b
    Example:
        slagsim fit scenarios/measurements/press-cycle-times.csv --column minutes --minutes \\
            --key machines.press.cycle_h --scenario scenarios/baseline.yaml --out results/press-fit
    """
    from slagsim.fitting.session import Request, fit_measurements

    request = Request(data, column, minutes, key, scenario_file, family, resamples, seed, out)
    outcome = fit_measurements(request)
    if not quiet:
        _print(outcome)


def _print(outcome: object) -> None:
    from rich.table import Table

    from slagsim.cli.console import table_console

    measured, analysis = outcome.measured, outcome.analysis
    unit = _(" (read as minutes, fitted as hours)") if measured.minutes else ""
    click.echo(_("{n} values of {column!r} in {file}{unit}; {blanks} empty cells left out").format(
        n=measured.n, column=measured.column, file=measured.file, unit=unit, blanks=measured.blanks))
    table = Table(title=_("Each family fitted by maximum likelihood, best AIC first"))
    for heading in (_("Family"), _("As a scenario writes it"), _("Mean"), _("ΔAIC"), _("AIC weight"),
                    _("KS p"), _("AD p"), _("Verdict")):
        table.add_column(heading, justify="left" if heading in (_("Family"), _("As a scenario writes it"),
                                                                   _("Verdict")) else "right")
    for row in analysis.table:
        verdict = (_("not tested") if not row.goodness.asked else _("rejected") if row.goodness.rejected
                   else _("fits"))
        table.add_row(row.family, _spec_text(row.fit.spec), _significant(row.fit.mean),
                      number(row.delta_aic, 1), number(row.weight, 2), number(row.goodness.ks_p, 2),
                      number(row.goodness.ad_p, 2), verdict)
    table_console().print(table)
    for family, why in analysis.left_out.items():
        click.echo(_("{family}: not fitted ({why})").format(family=family, why=_(why)))
    click.echo(_recommendation_text(outcome))
    if outcome.family != analysis.recommendation.family:
        click.echo(_("Written as you chose: {family} {spec}").format(family=outcome.family,
                                                                     spec=_spec_text(outcome.spec)))
    if outcome.scenario is not None:
        click.echo(_("Scenario: {scenario} (extends {base}, sets {key}); `slagsim run {scenario}` runs "
                     "it").format(scenario=outcome.scenario, base=outcome.target.scenario_file,
                                  key=outcome.target.key))
    click.echo(_("Table and figures in {out}/ ({seconds} s)").format(out=outcome.out,
                                                                      seconds=number(outcome.seconds, 1)))


def _significant(value: float, digits: int = 4) -> str:
    """``value`` to ``digits`` significant digits, in the language's number format."""
    places = digits - 1 - math.floor(math.log10(abs(value))) if value else 0
    return number(value, max(0, places))


def _spec_text(spec: dict[str, object]) -> str:
    if spec.get("dist") == "empirical":
        return _("the {n} measured values").format(n=sum(spec.get("weights") or [1] * len(spec["values"])))
    return "{" + ", ".join(f"{key}: {value:g}" if isinstance(value, float) else f"{key}: {value}"
                           for key, value in spec.items()) + "}"


def _recommendation_text(outcome: object) -> str:
    """The recommendation and how sure, in one sentence (two with a note)."""
    analysis, measured = outcome.analysis, outcome.measured
    chosen = analysis.recommendation
    spec = _spec_text(chosen.spec)
    if chosen.certainty == "few values":
        text = _("Recommended: the measured values themselves (empirical): only {n} values, too few to tell "
                 "the families apart (30 or more are needed).").format(n=measured.n)
        triangle = analysis.row("triangular")
        if triangle is not None:
            text += " " + _("If values beyond those measured can happen, use the triangle {spec}.").format(
                spec=_spec_text(triangle.fit.spec))
        return text
    if chosen.certainty == "none fits":
        return _("Recommended: the measured values themselves (empirical): a test of fit rejects every "
                 "family (a p-value below 0.025).")
    words = {"clear": _("the values clearly favour it"), "probable": _("probably the best of the families"),
             "uncertain": _("hard to tell from the others")}[chosen.certainty]
    text = _("Recommended: {family} {spec}, mean {mean}: {words} (AIC weight {weight} among the families "
             "the tests keep).").format(
        family=chosen.family, spec=spec, mean=_significant(chosen.mean), words=words,
        weight=number(chosen.weight, 2))
    if chosen.equivalent:
        text += " " + _("Also well supported (less than 2 AIC behind; either serves): {families}.").format(
            families=", ".join(chosen.equivalent))
    if not any(row.goodness.asked for row in analysis.table):
        text += " " + _("No test of fit was run (--resamples 0): AIC only ranks the families, it cannot say "
                        "whether any of them fits.")
    best = analysis.table[0]
    if best.family != chosen.family:
        text += " " + _("{family} has the best AIC, but a test of fit rejects it.").format(family=best.family)
    return text


COMMANDS = [fit]
