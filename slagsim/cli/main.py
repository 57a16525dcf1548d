"""The ``slagsim`` group and its entry point; each command lives in a module of its own."""

from __future__ import annotations

import click

from slagsim import __version__
from slagsim.cli.errors import OneLineErrors


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="slagsim")
def cli() -> None:
    """Simulate the Kendalsari aluminium-slag recycling centre.

    \b
    Example:
        slagsim run scenarios/baseline.yaml --reps 20
    """
    from slagsim import i18n

    try:
        i18n.use(None)  # SLAGSIM_LANG or the locale; a command's --lang overrides it
    except ValueError as exc:
        raise click.UsageError(f"SLAGSIM_LANG: {exc}; set it to en or id") from None


def _register() -> None:
    from slagsim.cli import appraise, batch, calibrate, compare, files, fit, menu, run, sensitivity

    for module in (run, batch, compare, appraise, menu, sensitivity, calibrate, fit, files):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    """Entry point of the ``slagsim`` command."""
    cli(prog_name="slagsim")
