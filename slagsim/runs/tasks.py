"""The unit of work of a batch: one replication of one scenario, run wherever an executor sends it."""

from __future__ import annotations

import traceback
from dataclasses import dataclass

from slagsim.runs.experiment import ReplicationResult, RunSettings, run_replication
from slagsim.scenario.schema import Scenario


@dataclass(frozen=True)
class Job:
    """Replication ``replication`` of the batch scenario named ``run``."""

    run: str
    replication: int
    scenario: Scenario
    settings: RunSettings


@dataclass(frozen=True)
class TaskFailure:
    """A replication that did not come back: the error as one line, and the traceback for the log.

    ``lost`` means the scenario is not at fault (a worker process died, the cluster dropped the
    task): the replication is missing and ``--resume`` runs it again.
    """

    error: str
    details: str = ""
    lost: bool = False


def run_task(scenario: Scenario, settings: RunSettings, replication: int) -> ReplicationResult | TaskFailure:
    """Run one replication; an exception comes back as a :class:`TaskFailure`, never raised.

    Catching here keeps a failing scenario from taking an executor down with it, and every
    executor (in-process, process pool, Dask) sees failures the same way.
    """
    try:
        return run_replication(scenario, settings, replication)
    except Exception as exc:  # a failing scenario must not stop the batch
        return TaskFailure(f"{type(exc).__name__}: {exc}", traceback.format_exc())
