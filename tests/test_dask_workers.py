"""A Dask cluster that loses its workers: a batch finishes on those left, or stops and says so.

Real ``dask scheduler`` and ``dask worker`` processes, killed with SIGKILL as a crashed machine
would be. A lone worker killed must never leave the batch waiting forever (the scheduler keeps
its tasks for a worker that may never come); one of two killed must cost nothing.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from slagsim.runs.dask_watch import WorkerWatch
from tests.common import SMALL, start_batch, wait_for_parts


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def cluster(names: list[str]) -> Iterator[tuple[str, dict[str, subprocess.Popen]]]:
    """A scheduler on a free port and one single-threaded worker per name, all killed at the end."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    scheduler = [sys.executable, "-m", "distributed.cli.dask_scheduler", "--port", str(port),
                 "--no-dashboard"]
    processes = [subprocess.Popen(scheduler, **quiet)]
    try:
        time.sleep(2)
        workers = {name: subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address,
                                           "--nthreads", "1", "--no-nanny", "--no-dashboard", "--name", name],
                                          **quiet) for name in names}
        processes += workers.values()
        time.sleep(3)
        yield address, workers
    finally:
        for process in processes:
            process.kill()
            process.wait()


@pytest.mark.slow
def test_one_of_two_workers_killed_the_batch_completes_with_every_replication(tmp_path, serial_small):
    with cluster(["first", "second"]) as (address, workers):
        out = tmp_path / "small"
        batch = start_batch(out, "--scheduler", address, batch=SMALL)
        wait_for_parts(out, 2, batch)
        workers["first"].send_signal(signal.SIGKILL)
        _, stderr = batch.communicate(timeout=300)
    assert batch.returncode == 0, stderr.decode()
    meta = json.loads((out / "batch-meta.json").read_text())
    assert meta["status"] == "complete" and meta["missing"] == {}
    assert (out / "batch.csv").read_bytes() == (serial_small / "batch.csv").read_bytes()


@pytest.mark.slow
def test_a_lone_worker_killed_stops_the_batch_with_a_line_naming_it(tmp_path, monkeypatch):
    monkeypatch.setenv("DASK_SLAGSIM__WORKER_TIMEOUT", "5s")
    with cluster(["lone-worker"]) as (address, workers):
        out = tmp_path / "small"
        batch = start_batch(out, "--scheduler", address, batch=SMALL)
        wait_for_parts(out, 2, batch)
        workers["lone-worker"].send_signal(signal.SIGKILL)
        _, stderr = batch.communicate(timeout=150)
    text = stderr.decode()
    assert batch.returncode == 1 and "Traceback" not in text, text
    assert "distributed." not in text and "tornado." not in text, text  # no library log lines either
    line = next(line for line in text.splitlines() if line.startswith("incomplete:"))
    assert "no Dask worker connected to" in line and "lone-worker" in line and "--resume" in line, line
    meta = json.loads((out / "batch-meta.json").read_text())
    assert meta["status"] == "incomplete" and sum(meta["missing"].values()) > 0
    assert len(list((out / "parts").glob("*/rep-*.json"))) >= 2  # kept for --resume


class _Client:
    """A scheduler's answers, one dict of workers per call."""

    def __init__(self, answers: list[dict]):
        self.answers = answers

    def scheduler_info(self, n_workers: int = -1) -> dict:
        return {"workers": self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]}


def test_the_watch_waits_its_timeout_and_names_the_workers_it_saw():
    now = [0.0]
    client = _Client([{"tcp://10.0.0.5:4000": {"name": "pc-gudang"}}, {}])
    watch = WorkerWatch(client, "tcp://10.0.0.1:8786", timeout=60, clock=lambda: now[0])
    seen = []
    for second in range(0, 63):
        now[0] = float(second)
        seen.append(watch.given_up())
    assert seen[:61] == [None] * 61
    assert seen[61] == ("no Dask worker connected to tcp://10.0.0.1:8786 for 60 s; gone: pc-gudang "
                        "(tcp://10.0.0.5:4000); start one with `dask worker tcp://10.0.0.1:8786`")
