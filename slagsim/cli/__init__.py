"""The ``slagsim`` command: argument parsing, terminal tables, progress, signals and exit codes.

The library (everything outside this package) returns outcomes and raises; only this package knows
click, ``--quiet`` and exit codes. Heavy libraries are imported inside the commands that need them,
so that ``slagsim --help`` starts fast.
"""

from slagsim.cli.main import cli, main

__all__ = ["cli", "main"]
