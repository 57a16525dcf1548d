"""Exit codes and how every error reaches the user: one line, never a traceback.

0 done, 1 a run failed or is incomplete, 2 bad input (nothing written), 130 interrupted.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from slagsim.errors import ScenarioError, SimulationError

EXIT_OK = 0
EXIT_RUN_FAILED = 1
EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130
TRACEBACK_VARIABLE = "SLAGSIM_TRACEBACK"


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
        sys.exit(code if isinstance(code, int) else EXIT_OK)


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


def user_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn every exception into one line on stderr and the right exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ScenarioError as exc:
            fail(str(exc), EXIT_USER_ERROR)
        except SimulationError as exc:
            fail(str(exc), EXIT_RUN_FAILED)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            raise  # the reader went away (`| head`): click exits quietly
        except OSError as exc:  # disk full, folder removed, permission denied while writing
            where = f"{exc.filename}: " if exc.filename else ""
            fail(f"{where}{exc.strerror or exc} (nothing after this point was written)", EXIT_RUN_FAILED)
        except Exception as exc:
            if os.environ.get(TRACEBACK_VARIABLE):
                raise
            fail(f"internal error: {type(exc).__name__}: {exc} (a slagsim bug: please report it; "
                 f"set {TRACEBACK_VARIABLE}=1 to see the traceback)", EXIT_RUN_FAILED, prefix="")

    return wrapper


def fail(message: str, code: int, prefix: str = "error: ") -> None:
    """Print ``error: MESSAGE`` on stderr and exit with ``code``."""
    click.echo(f"{prefix}{message}", err=True)
    sys.exit(code)


def warn(warnings: list[str]) -> None:
    """Warnings on stderr, one line each, before any table (partial results, rerun parts)."""
    for warning in warnings:
        click.echo(warning if warning.startswith("warning: ") else f"warning: {warning}", err=True)
