"""One set of workers for a whole study, lent to each of its phases in turn or at once.

An appraisal simulates in phases (the candidates, more replications where the best is unclear,
bundles, the tornado's points, the estimate draws). Starting a process pool for each phase cost a
second or two of imports every time, and a phase could not begin until the one before had
emptied the pool. A study now starts its workers once; each phase (or each of several phases
running side by side) borrows an executor that submits to the same workers, waits only for its
own jobs, and on a failure cancels only its own.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from slagsim.runs.executors import (
    DaskExecutor,
    Executor,
    ProcessExecutor,
    SerialExecutor,
    process_pool,
    stop_pool,
)


class SharedWorkers:
    """The study's workers: local processes, a Dask client, or (one job) this process."""

    def __init__(self, jobs: int | None, scheduler: str | None, name: str):
        self.jobs = jobs or os.cpu_count() or 1
        self.scheduler, self.name = scheduler, name
        self._pool: Any = None
        self._client: Any = None
        self._lock = threading.Lock()

    @property
    def parallel(self) -> bool:
        """Whether phases gain from running side by side (more than one worker, or a cluster)."""
        return bool(self.scheduler) or self.jobs > 1

    def executor(self) -> Executor:
        """An executor for one phase, on the shared workers (started on first use)."""
        with self._lock:
            if self.scheduler:
                if self._client is None:
                    from slagsim.runs.dask_connect import connect

                    self._client = connect(self.scheduler)
                return DaskExecutor(self.scheduler, self.name, client=self._client)
            if self.jobs > 1:
                if self._pool is None:
                    self._pool = process_pool(self.jobs)
                return ProcessExecutor(self.jobs, pool=self._pool)
            return SerialExecutor()

    def close(self, interrupted: bool = False) -> None:
        """Stop the workers (at once when ``interrupted``); the study can start them again."""
        with self._lock:
            if self._pool is not None:
                stop_pool(self._pool, interrupted)
            if self._client is not None:  # its tasks are released with it: the scheduler drops them
                self._client.close()
            self._pool = self._client = None
