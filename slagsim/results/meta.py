"""What every result folder's metadata shares: the status words, the time stamp, the versions.

A run's ``meta.json`` (:mod:`slagsim.runs.folder`) and a batch's or appraisal's ``batch-meta.json``
(:mod:`slagsim.batch.record`) both take these from here, so every result folder answers the same
questions the same way: which versions made it, when, and whether it is complete.
"""

from __future__ import annotations

import platform
import time
from importlib import metadata

import slagsim

VERSIONED_PACKAGES = ("simpy", "numpy", "pandas", "scipy", "pydantic", "dask", "distributed")
RUNNING, INTERRUPTED = "running", "interrupted"  # while a batch runs; after Ctrl-C
COMPLETE, FAILED, INCOMPLETE = "complete", "failed", "incomplete"  # how it ended


def now() -> str:
    """The local time as metadata states it."""
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def versions() -> dict[str, str]:
    """Versions of Python, slagsim and the libraries whose behaviour shapes the numbers."""
    found = {"python": platform.python_version(), "slagsim": slagsim.__version__}
    for package in VERSIONED_PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return found
