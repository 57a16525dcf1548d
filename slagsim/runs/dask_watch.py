"""Notice a Dask cluster that has no workers left, so a batch never waits for them forever.

A Dask scheduler keeps tasks whose workers died waiting until a new worker connects, which may be
never: a batch whose only worker was killed would sit silent until someone kills it. The watch
asks the scheduler which workers are connected (once a second, a cheap call) and says when none
has been for ``slagsim.worker-timeout`` (60 s by default; ``DASK_SLAGSIM__WORKER_TIMEOUT=5m``),
naming the workers it saw leave so the planner knows which machine to restart.
"""

from __future__ import annotations

import time
from typing import Any

WORKER_TIMEOUT_KEY = "slagsim.worker-timeout"  # env: DASK_SLAGSIM__WORKER_TIMEOUT=120s
CHECK_EVERY_S = 1.0


def worker_timeout() -> float:
    """Seconds without a connected worker before a batch gives up (dask config, default 60 s)."""
    import dask
    from dask.utils import parse_timedelta

    return float(parse_timedelta(dask.config.get(WORKER_TIMEOUT_KEY, "60s")))


class WorkerWatch:
    """Remembers the workers a scheduler has had and how long it has had none."""

    def __init__(self, client: Any, address: str, timeout: float, clock=time.monotonic):
        self._client = client
        self._address = address
        self._timeout = timeout
        self._clock = clock
        self._seen: dict[str, str] = {}
        self._alone_since: float | None = None
        self._checked = float("-inf")

    def _workers(self) -> dict[str, str]:
        """Address -> name of every worker connected now."""
        info = self._client.scheduler_info(n_workers=-1).get("workers", {})
        return {address: str(worker.get("name", address)) for address, worker in info.items()}

    def given_up(self) -> str | None:
        """``None`` while a worker is connected or the grace time lasts; else the one-line reason."""
        now = self._clock()
        if now - self._checked < CHECK_EVERY_S:
            return None
        self._checked = now
        workers = self._workers()
        self._seen.update(workers)
        if workers:
            self._alone_since = None
            return None
        if self._alone_since is None:
            self._alone_since = now
        if now - self._alone_since < self._timeout:
            return None
        return self.reason()

    def reason(self) -> str:
        """Why the batch stopped waiting, naming the workers that left."""
        gone = ", ".join(f"{name} ({address})" if name != address else address
                         for address, name in sorted(self._seen.items()))
        left = f"; gone: {gone}" if gone else "; none ever connected"
        return (f"no Dask worker connected to {self._address} for {self._timeout:g} s{left}; "
                f"start one with `dask worker {self._address}`")
