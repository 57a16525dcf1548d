"""Run a prepared batch: skip what is already on disk, run the rest, keep every finished replication.

Each finished replication is written to ``parts/`` the moment it comes back; a scenario's result
folder (as ``slagsim run`` writes it) appears as soon as all its replications are in. A scenario
whose replication raises is recorded as failed and its remaining replications are dropped; the
others carry on.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from slagsim.batch.prepare import PreparedBatch, PreparedRun
from slagsim.results.folders import RUN, marker_kind
from slagsim.results.meta import COMPLETE, FAILED, INCOMPLETE
from slagsim.runs.executors import Executor
from slagsim.runs.experiment import ExperimentResult, ReplicationResult
from slagsim.runs.folder import write_run
from slagsim.runs.parts import PartStore
from slagsim.runs.tasks import Job, TaskFailure


@dataclass(frozen=True)
class Failure:
    """A scenario that failed: the first replication that raised, and the error."""

    scenario: str
    replication: int
    error: str


@dataclass
class BatchOutcome:
    """What a batch run produced, and what it did not."""

    batch: PreparedBatch
    results: dict[str, dict[int, ReplicationResult]]
    failures: list[Failure] = field(default_factory=list)
    lost: list[Failure] = field(default_factory=list)  # replications that never came back
    reused: int = 0
    executed: int = 0
    wall_s: float = 0.0
    executor: str = ""

    def complete(self, run: PreparedRun) -> bool:
        """Whether every replication of ``run`` is in."""
        return len(self.results[run.name]) == self.batch.settings.replications

    @property
    def failed_scenarios(self) -> set[str]:
        return {failure.scenario for failure in self.failures}

    def missing(self) -> dict[str, int]:
        """Scenarios (not failed) still short of replications, and how many each lacks."""
        wanted = self.batch.settings.replications
        return {run.name: wanted - len(self.results[run.name]) for run in self.batch.runs
                if run.name not in self.failed_scenarios and not self.complete(run)}

    @property
    def status(self) -> str:
        """``complete``, ``failed`` (a scenario raised) or ``incomplete`` (replications missing)."""
        if self.failures:
            return FAILED
        return INCOMPLETE if self.missing() else COMPLETE

    def experiment(self, run: PreparedRun) -> ExperimentResult:
        """The replications of ``run`` in order, as ``slagsim run`` would hold them."""
        done = self.results[run.name]
        replications = [done[r] for r in sorted(done)]
        return ExperimentResult(run.scenario, self.batch.settings, replications,
                                sum(r.wall_s for r in replications))


def missing_jobs(batch: PreparedBatch, results: dict[str, dict[int, ReplicationResult]]) -> list[Job]:
    """The replications still to run, scenario by scenario."""
    settings = batch.settings
    return [Job(run.name, r, run.scenario, settings)
            for run in batch.runs for r in range(settings.replications) if r not in results[run.name]]


def load_finished(batch: PreparedBatch, out: Path) -> tuple[dict[str, dict[int, ReplicationResult]],
                                                           list[str]]:
    """The replications already on disk under ``out`` that ``batch`` can reuse, per scenario, and
    the damaged part files (each ``file: what is wrong``), which are run again."""
    parts = PartStore(Path(out) / "parts")
    replications = batch.settings.replications
    results, damaged = {}, []
    for run in batch.runs:
        stored = parts.load(run.name, run.fingerprint, replications)
        results[run.name] = stored.found
        damaged += stored.damaged
    return results, damaged


def start_outcome(batch: PreparedBatch, results: dict[str, dict[int, ReplicationResult]],
                  executor: Executor) -> BatchOutcome:
    """The outcome of a batch about to run, holding the replications it reuses."""
    return BatchOutcome(batch, results, reused=sum(len(r) for r in results.values()),
                        executor=executor.description)


def run_batch(outcome: BatchOutcome, out: Path, executor: Executor,
              on_progress: Callable[[int], None] = lambda _: None) -> BatchOutcome:
    """Run the replications of ``outcome.batch`` missing from ``outcome.results`` with ``executor``.

    ``outcome`` (from :func:`start_outcome`) is filled in as replications finish, so whoever
    catches an interruption still holds what finished. ``on_progress(n)`` is called as
    replications finish (or are dropped after a failure). Every job ends up as a result, a
    failure or a lost replication: nothing is skipped silently.
    """
    started = time.perf_counter()
    collector = _Collector(outcome, Path(out), executor, on_progress)
    jobs = missing_jobs(outcome.batch, outcome.results)
    answered: set[tuple[str, int]] = set()
    for job, result in executor.run(jobs):
        answered.add((job.run, job.replication))
        collector.take(job, result)
        on_progress(1)
    for job in jobs:  # an executor that drops a job must never make a batch look complete
        if (job.run, job.replication) not in answered and job.run not in collector.failed:
            collector.take(job, TaskFailure("the executor never returned it", lost=True))
    collector.finish()
    outcome.wall_s = time.perf_counter() - started
    return outcome


class _Collector:
    """Stores each replication as it comes back and writes a scenario's folder once it is whole."""

    def __init__(self, outcome: BatchOutcome, out: Path, executor: Executor,
                 on_progress: Callable[[int], None]):
        self.out = out
        self.parts = PartStore(out / "parts")
        self.executor = executor
        self.on_progress = on_progress
        self.runs = {run.name: run for run in outcome.batch.runs}
        self.outcome = outcome
        self.failed: set[str] = set()
        self.written: set[str] = set()

    def take(self, job: Job, result: ReplicationResult | TaskFailure) -> None:
        """Record one finished job: store a result, or fail its scenario and drop the rest of it."""
        if isinstance(result, TaskFailure) and result.lost:
            self.outcome.lost.append(Failure(job.run, job.replication, result.error))
            return
        if isinstance(result, TaskFailure):
            if job.run not in self.failed:
                self.failed.add(job.run)
                self.outcome.failures.append(Failure(job.run, job.replication, result.error))
                self.on_progress(self.executor.cancel(job.run))
            return
        if job.run in self.failed:
            return
        self.parts.write(job.run, self.runs[job.run].fingerprint, result)
        self.outcome.results[job.run][job.replication] = result
        self.outcome.executed += 1
        if self.outcome.complete(self.runs[job.run]):
            self._write(self.runs[job.run])

    def finish(self) -> None:
        """Write the complete scenarios not written yet (or removed meanwhile); remove stale
        folders of failed ones."""
        for run in self.runs.values():
            if run.name in self.failed or not self.outcome.complete(run):
                _remove_stale_result(self.out / run.name)  # never left to pass for this run's result
            elif self.outcome.complete(run) and (run.name not in self.written
                                                 or not (self.out / run.name / "meta.json").is_file()):
                self._write(run)

    def _write(self, run: PreparedRun) -> None:
        write_run(self.outcome.experiment(run), self.out / run.name, run.spec.file)
        self.written.add(run.name)


def _remove_stale_result(folder: Path) -> None:
    """Drop an earlier run's result folder of a scenario that failed now, so it is not mistaken."""
    if marker_kind(folder) == RUN:
        shutil.rmtree(folder)
