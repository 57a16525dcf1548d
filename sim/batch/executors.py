"""Where a batch's replications run: in this process, in a local process pool, or on Dask.

Every executor takes the same jobs and yields ``(job, result)`` pairs as they finish, in any order;
a result is a :class:`~sim.experiment.ReplicationResult` or a :class:`~sim.batch.tasks.TaskFailure`.
The numbers do not depend on the executor: a replication's random streams depend only on the seed
and the replication number.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Iterator
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor, as_completed
from typing import Any, Protocol

from sim.batch.tasks import Job, TaskFailure, run_task
from sim.errors import ScenarioError
from sim.experiment import ReplicationResult

Outcome = ReplicationResult | TaskFailure
CONNECT_TIMEOUT_KEY = "slagsim.scheduler-timeout"  # env: DASK_SLAGSIM__SCHEDULER_TIMEOUT=30s


class Executor(Protocol):
    """Runs jobs and yields each with its outcome as it finishes."""

    description: str

    def run(self, jobs: list[Job]) -> Iterator[tuple[Job, Outcome]]:
        """Yield ``(job, outcome)`` for every job not cancelled."""
        ...

    def cancel(self, run: str) -> int:
        """Drop the jobs of scenario ``run`` that have not started; return how many."""
        ...

    def close(self, interrupted: bool = False) -> None:
        """Release workers; when ``interrupted``, stop them without waiting."""
        ...


class SerialExecutor:
    """Runs every job in this process, one after another."""

    description = "serial"

    def __init__(self) -> None:
        self._cancelled: set[str] = set()
        self._pending: dict[str, int] = {}

    def run(self, jobs: list[Job]) -> Iterator[tuple[Job, Outcome]]:
        for job in jobs:
            self._pending[job.run] = self._pending.get(job.run, 0) + 1
        for job in jobs:
            self._pending[job.run] -= 1
            if job.run not in self._cancelled:
                yield job, run_task(job.scenario, job.settings, job.replication)

    def cancel(self, run: str) -> int:
        self._cancelled.add(run)
        return self._pending.get(run, 0)

    def close(self, interrupted: bool = False) -> None:
        """Nothing to release."""


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the main process, which stops them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class ProcessExecutor:
    """Runs jobs in ``workers`` local processes."""

    def __init__(self, workers: int):
        self.description = f"{workers} local processes"
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        self._pool = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupts,
                                         mp_context=multiprocessing.get_context(method))
        self._futures: dict[Future, Job] = {}

    def run(self, jobs: list[Job]) -> Iterator[tuple[Job, Outcome]]:
        for job in jobs:
            future = self._pool.submit(run_task, job.scenario, job.settings, job.replication)
            self._futures[future] = job
        for future in as_completed(self._futures):
            job = self._futures[future]
            try:
                yield job, future.result()
            except CancelledError:
                continue
            except Exception as exc:  # a worker process died (killed, out of memory)
                yield job, TaskFailure(f"the worker process failed: {type(exc).__name__}: {exc}")

    def cancel(self, run: str) -> int:
        return sum(future.cancel() for future, job in self._futures.items() if job.run == run)

    def close(self, interrupted: bool = False) -> None:
        processes = list((getattr(self._pool, "_processes", None) or {}).values())
        self._pool.shutdown(wait=not interrupted, cancel_futures=True)
        if interrupted:
            for process in processes:
                process.terminate()


class DaskExecutor:
    """Sends jobs to an existing Dask distributed scheduler (``tcp://host:8786``)."""

    def __init__(self, address: str, batch_name: str):
        import dask
        from distributed import Client

        self.description = f"Dask scheduler {address}"
        self._batch_name = batch_name
        timeout = dask.config.get(CONNECT_TIMEOUT_KEY, "10s")
        try:
            self._client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ScenarioError(f"cannot connect to a Dask scheduler at {address!r} ({exc})",
                                file="--scheduler") from None
        self._futures: dict[Any, Job] = {}

    def run(self, jobs: list[Job]) -> Iterator[tuple[Job, Outcome]]:
        from distributed import as_completed as dask_completed

        scattered: dict[str, Any] = {}
        for job in jobs:
            if job.run not in scattered:
                scattered[job.run] = self._client.scatter(job.scenario, hash=False)
            future = self._client.submit(
                run_task, scattered[job.run], job.settings, job.replication, pure=False,
                key=f"slagsim-{self._batch_name}-{job.run}-{job.replication}-{id(self)}",
            )
            self._futures[future] = job
        finished = dask_completed(list(self._futures), loop=self._client.loop, with_results=True,
                                  raise_errors=False)
        for future, result in finished:
            if future.cancelled():
                continue
            job = self._futures[future]
            if isinstance(result, BaseException):
                result = TaskFailure(f"the Dask task failed: {type(result).__name__}: {result}")
            yield job, result

    def cancel(self, run: str) -> int:
        doomed = [f for f, job in self._futures.items() if job.run == run and not f.done()]
        if doomed:
            self._client.cancel(doomed)
        return len(doomed)

    def close(self, interrupted: bool = False) -> None:
        if interrupted:
            self._client.cancel(list(self._futures))
        self._client.close()


def make_executor(jobs: int, scheduler: str | None, batch_name: str, tasks: int) -> Executor:
    """Dask when a scheduler address is given, else a process pool, else (one job) in-process."""
    if scheduler:
        return DaskExecutor(scheduler, batch_name)
    workers = min(jobs, tasks)
    return ProcessExecutor(workers) if workers > 1 else SerialExecutor()
