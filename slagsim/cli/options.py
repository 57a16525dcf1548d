"""Options several commands share, with the bounds of :mod:`slagsim.scenario.limits`."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from slagsim.scenario import limits


class FiniteFloat(click.ParamType):
    """A finite number within bounds: ``nan``, ``inf`` and ``1e9`` years are refused at once."""

    name = "number"

    def __init__(self, low: float | None = None, high: float | None = None, low_open: bool = False):
        self.low, self.high, self.low_open = low, high, low_open

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            from slagsim.errors import number_hint

            hint = number_hint(str(value))  # 150.000.000, 0,9, 20%: what to type instead
            self.fail(f"{value!r} is not a number" + (f": {hint}" if hint else ""), param, ctx)
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


def reps_option(default: str) -> Callable[..., Any]:
    """``--reps N``; ``default`` says where the value comes from when it is not given."""
    return click.option("--reps", type=click.IntRange(min=1, max=limits.MAX_REPLICATIONS),
                        help=f"Replications [{default}].")


def years_option(default: str) -> Callable[..., Any]:
    """``--years Y``, simulated years counted after the warm-up."""
    return click.option("--years", type=FiniteFloat(0, limits.MAX_YEARS, low_open=True),
                        help=f"Simulated years after warm-up [{default}].")


def out_option(default: str) -> Callable[..., Any]:
    """``--out DIR``, the results folder."""
    return click.option("--out", type=click.Path(file_okay=False, path_type=Path),
                        help=f"Results folder [{default}].")


yes_option = click.option("--yes", is_flag=True, help="Run even if it is expected to take over an hour.")


def _use_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from slagsim import i18n

    if value is not None:
        i18n.use(value)
    return value


lang_option = click.option("--lang", type=click.Choice(["en", "id"]), callback=_use_language,
                           expose_value=False, is_eager=True,
                           help="Language of the report, workbook and summaries: en or id (Bahasa "
                           "Indonesia) [SLAGSIM_LANG, else the system locale, else en].")
quiet_option = click.option("--quiet", is_flag=True, help="Print no progress and no table.")
jobs_option = click.option("--jobs", type=click.IntRange(min=1), help="Local worker processes [all cores].")
def _read_set_from(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        from slagsim.errors import ScenarioError
        from slagsim.report.inputs import overrides_from

        try:
            ctx.meta["set_from"] = tuple(overrides_from(value))
        except ScenarioError as exc:
            raise click.BadParameter(str(exc)) from None
        ctx.meta["set_from_file"] = value


def _with_set_from(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    return (*ctx.meta.get("set_from", ()), *value)  # a --set after --set-from wins


def edits_given(overrides: tuple[str, ...]) -> Any:
    """The command's ``--set-from`` and ``--set`` overrides as :class:`~slagsim.scenario.edits.Edits`,
    so an error about a value from the workbook names the workbook."""
    from slagsim.scenario.edits import Edits

    ctx = click.get_current_context()
    count = len(ctx.meta.get("set_from", ()))
    return Edits(overrides[:count], overrides[count:], ctx.meta.get("set_from_file"))


def set_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--set KEY=VALUE`` (repeatable) and ``--set-from FILE.xlsx`` (the edited inputs sheet)."""
    command = click.option(
        "--set", "overrides", multiple=True, metavar="KEY=VALUE", callback=_with_set_from,
        help="Override a scenario value, e.g. --set machines.press.count=2 (repeatable).")(command)
    return click.option(
        "--set-from", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.xlsx", is_eager=True,
        expose_value=False, callback=_read_set_from,
        help="Use every value edited in the inputs sheet of a workbook slagsim wrote.")(command)
baseline_option = click.option("--baseline", metavar="NAME",
                               help="Scenario to compare against [the batch's baseline, else the first].")
kpi_option = click.option("--kpi", "kpis", multiple=True, metavar="KPI",
                          help="KPI to rank by and show (repeatable) [output, ingot, gross margin].")
scheduler_option = click.option("--scheduler", metavar="ADDRESS",
                                help="Run on an existing Dask cluster instead.")
resume_option = click.option("--resume", is_flag=True,
                             help="Keep finished replications of an earlier run; run the rest.")
dry_run_option = click.option("--dry-run", is_flag=True,
                              help="Say how many simulations and roughly how long; run nothing.")
