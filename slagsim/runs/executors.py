"""Where a batch's replications run: in this process, in a local process pool, or on Dask.

Every executor takes the same jobs and yields ``(job, result)`` pairs as they finish, in any order;
a result is a :class:`~slagsim.runs.experiment.ReplicationResult` or a
:class:`~slagsim.runs.tasks.TaskFailure`.
The numbers do not depend on the executor: a replication's random streams depend only on the seed
and the replication number.
"""

from __future__ import annotations

import multiprocessing
import signal
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor, as_completed
from typing import Any, Protocol

from slagsim.runs.dask_connect import connect
from slagsim.runs.dask_watch import WorkerWatch, worker_timeout
from slagsim.runs.experiment import ReplicationResult
from slagsim.runs.tasks import Job, TaskFailure, run_task

Outcome = ReplicationResult | TaskFailure


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

    def __init__(self, workers: int, pool: ProcessPoolExecutor | None = None):
        self.description = f"{workers} local processes"
        self._owns_pool = pool is None
        self._pool = pool or process_pool(workers)
        self._futures: dict[Future, Job] = {}
        self._cancelled: set[str] = set()

    def run(self, jobs: list[Job]) -> Iterator[tuple[Job, Outcome]]:
        for job in jobs:
            future = self._pool.submit(run_task, job.scenario, job.settings, job.replication)
            self._futures[future] = job
        for future in as_completed(self._futures):
            job = self._futures[future]
            try:
                yield job, future.result()
            except CancelledError:
                if job.run not in self._cancelled:
                    yield job, TaskFailure("the task was cancelled", lost=True)
            except Exception as exc:  # a worker process died (killed, out of memory)
                yield job, TaskFailure(f"a worker process died ({type(exc).__name__}: {exc})", lost=True)

    def cancel(self, run: str) -> int:
        self._cancelled.add(run)
        return sum(future.cancel() for future, job in self._futures.items() if job.run == run)

    def close(self, interrupted: bool = False) -> None:
        if not self._owns_pool:  # a study's shared pool: only this executor's waiting jobs go
            for future in self._futures:
                future.cancel()
            return
        stop_pool(self._pool, interrupted)


def process_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes that leave Ctrl-C to this one (forkserver where the system has it)."""
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupts,
                               mp_context=multiprocessing.get_context(method))


def stop_pool(pool: ProcessPoolExecutor, interrupted: bool) -> None:
    """Shut ``pool`` down; when ``interrupted``, stop its processes without waiting."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=not interrupted, cancel_futures=True)
    if interrupted:
        for process in processes:
            process.terminate()


class DaskExecutor:
    """Sends jobs to an existing Dask distributed scheduler (``tcp://host:8786``).

    Each task carries its (small) scenario rather than a scattered copy: scattered data lives on
    one worker, and a worker killed mid-batch would take it along and cancel every task that
    needed it. A task that the cluster still drops is sent again (``RESUBMIT`` times), then
    reported as lost; a task whose workers keep dying comes back as lost too. A cluster left with
    no worker for the watch's timeout gives every waiting task back as lost (the scheduler would
    keep them waiting for a worker forever).
    """

    RESUBMIT = 2
    POLL_S = 0.1

    def __init__(self, address: str, batch_name: str, client: Any = None):
        self.description = f"Dask scheduler {address}"
        self._batch_name = batch_name
        self._owns_client = client is None
        self._client = client or connect(address)
        self._token = uuid.uuid4().hex[:12]  # keys unique among the executors sharing one client
        self._watch = WorkerWatch(self._client, address, worker_timeout())
        self._futures: dict[Any, Job] = {}
        self._cancelled: set[str] = set()
        self._attempts: dict[tuple[str, int], int] = {}

    def _submit(self, job: Job) -> Any:
        key = (job.run, job.replication)
        attempt = self._attempts[key] = self._attempts.get(key, 0) + 1
        future = self._client.submit(
            run_task, job.scenario, job.settings, job.replication, pure=False,
            key=f"slagsim-{self._batch_name}-{job.run}-{job.replication}-{self._token}-{attempt}",
        )
        self._futures[future] = job
        return future

    def run(self, jobs: list[Job]) -> Iterator[tuple[Job, Outcome]]:
        from distributed import as_completed as dask_completed

        finished = dask_completed([self._submit(job) for job in jobs], loop=self._client.loop,
                                  with_results=True, raise_errors=False)
        while not finished.is_empty():
            if not finished.has_ready():
                reason = self._watch.given_up()
                if reason:
                    finished.clear()  # stop tracking the lost tasks before they are cancelled
                    yield from self._abandon(reason)
                    return
                time.sleep(self.POLL_S)
                continue
            for future, result in finished.next_batch(block=False):
                yield from self._settle(finished, future, result)

    def _settle(self, finished: Any, future: Any, result: Any) -> Iterator[tuple[Job, Outcome]]:
        """The outcome of one finished future: its result, a resubmission, or a lost task."""
        job = self._futures[future]
        if job.run in self._cancelled:
            return
        if future.cancelled() or future.status == "cancelled":
            if self._attempts[(job.run, job.replication)] <= self.RESUBMIT:
                finished.add(self._submit(job))
                return
            yield job, TaskFailure("the Dask cluster dropped the task", lost=True)
            return
        if isinstance(result, BaseException):
            lost = type(result).__name__ in ("KilledWorker", "CommClosedError", "FutureCancelledError")
            result = TaskFailure(f"the Dask task failed: {type(result).__name__}: {result}", lost=lost)
        yield job, result

    def _abandon(self, reason: str) -> Iterator[tuple[Job, Outcome]]:
        """Every task still waiting comes back lost, for ``--resume`` to run again."""
        waiting = [future for future in self._futures if not future.done()]
        self._client.cancel(waiting)
        for future in waiting:
            job = self._futures[future]
            if job.run not in self._cancelled:
                yield job, TaskFailure(reason, lost=True)

    def cancel(self, run: str) -> int:
        self._cancelled.add(run)
        doomed = [f for f, job in self._futures.items() if job.run == run and not f.done()]
        if doomed:
            self._client.cancel(doomed)
        return len(doomed)

    def close(self, interrupted: bool = False) -> None:
        if interrupted or not self._owns_client:
            self._client.cancel([future for future in self._futures if not future.done()])
        if self._owns_client:
            self._client.close()


def make_executor(jobs: int, scheduler: str | None, batch_name: str, tasks: int) -> Executor:
    """Dask when a scheduler address is given, else a process pool, else (one job) in-process."""
    if scheduler:
        return DaskExecutor(scheduler, batch_name)
    workers = min(jobs, tasks)
    return ProcessExecutor(workers) if workers > 1 else SerialExecutor()


def run_jobs(jobs: list[Job], workers: int, scheduler: str | None, name: str, label: str, progress: Callable,
             keep: Callable[[Job, ReplicationResult], None]) -> list[str]:
    """Run ``jobs`` on the executor their settings ask for, handing each finished replication to
    ``keep`` as it comes back (to store it at once); return one line per failed job.

    ``progress(total, label)`` is a context manager giving a function to count finished jobs. On
    Ctrl-C the executor's pending work is cancelled and the interrupt goes on to the caller, with
    everything ``keep`` stored so far kept."""
    executor = make_executor(workers, scheduler, name, len(jobs))
    failures: list[str] = []
    try:
        with progress(len(jobs), label) as advance:
            for job, result in executor.run(jobs):
                advance(1)
                if isinstance(result, TaskFailure):
                    failures.append(f"{job.run}, replication {job.replication}: {result.error}")
                    continue
                keep(job, result)
    except KeyboardInterrupt:
        executor.close(interrupted=True)
        raise
    executor.close()
    return failures
