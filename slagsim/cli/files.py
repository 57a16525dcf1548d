"""``slagsim validate`` and ``slagsim show``: check and print input files without running them."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from slagsim.cli.errors import EXIT_USER_ERROR, user_errors
from slagsim.cli.options import edits_given, lang_option, set_option
from slagsim.errors import ScenarioError


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@set_option
@lang_option
@user_errors
def validate(files: tuple[Path, ...], overrides: tuple[str, ...]) -> None:
    """Check scenario, batch and purchase-menu files; print the first error of each.

    A batch or menu file (one with a `baseline:` key) is checked with every scenario it makes.

    \b
    Example:
        slagsim validate scenarios/*.yaml scenarios/options/*.yaml scenarios/batches/*.yaml
    """
    from slagsim.cli.checks import check_file

    failed = 0
    edits = edits_given(overrides)
    for file in files:
        try:
            click.echo(f"ok: {file}{check_file(file, overrides)}")
        except ScenarioError as exc:
            failed += 1
            click.echo(f"error: {edits.blame(exc)}", err=True)
    if failed:
        sys.exit(EXIT_USER_ERROR)


@click.command()
@click.argument("scenario_file", type=click.Path(dir_okay=False, path_type=Path))
@set_option
@click.option("--diff", "other", type=click.Path(dir_okay=False, path_type=Path), metavar="OTHER",
              help="Print only what differs from OTHER (e.g. the baseline), with each line's comment.")
@lang_option
@user_errors
def show(scenario_file: Path, overrides: tuple[str, ...], other: Path | None) -> None:
    """Print the resolved scenario after `extends` and `--set`, or only what differs from another.

    \b
    Examples:
        slagsim show scenarios/options/add-press.yaml --set calendar.shifts_per_day=2
        slagsim show scenarios/pre-2021.yaml --diff scenarios/baseline.yaml
    """
    from slagsim.scenario.diff import differences, render
    from slagsim.scenario.load import scenario_to_yaml

    edits = edits_given(overrides)
    scenario = edits.load(scenario_file)  # a refused edit from a workbook names the workbook
    if other is not None:
        click.echo(render(differences(scenario_file, other, overrides), other), nl=False)
        return
    click.echo(scenario_to_yaml(scenario), nl=False)


COMMANDS = [validate, show]
