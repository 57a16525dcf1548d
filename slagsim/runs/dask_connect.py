"""Connect to a Dask scheduler without hanging, whatever the address points at.

``distributed.Client(address, timeout=...)`` waits far past its timeout when the address is a
TCP service that is not Dask (it accepts and never answers the handshake), and an address it
cannot use leaves a client whose clean-up prints a traceback at exit. So before a client is
made, the address is checked in three steps, each bounded in time: its form, a plain TCP
connection, and Dask's own handshake. Only a scheduler that answers gets a client.
"""

from __future__ import annotations

import asyncio
import re
import socket
from typing import Any

from slagsim.errors import ScenarioError

CONNECT_TIMEOUT_KEY = "slagsim.scheduler-timeout"  # env: DASK_SLAGSIM__SCHEDULER_TIMEOUT=30s
ADDRESS = re.compile(r"^(?:(?P<scheme>tcp|tls)://)?(?P<host>\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.-]+):(?P<port>\d{1,5})$")
HINT = "give it as tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786 (what `dask scheduler` prints)"


def connect(address: str) -> Any:
    """A ``distributed.Client`` for the scheduler at ``address``; else a one-line ScenarioError."""
    timeout, host, port = check_scheduler(address)
    from distributed import Client

    quiet_cluster_logs()
    try:
        return Client(f"{_scheme(address)}://{host}:{port}", timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise _problem(address, f"{type(exc).__name__}: {exc}") from None


def check_scheduler(address: str) -> tuple[float, str, int]:
    """Refuse an address no Dask scheduler answers at, in one line; return the timeout, host and port.

    Commands that clear stored work (a fresh calibration or sensitivity run) call it before they
    delete anything, so a mistyped address never costs what was stored."""
    import dask
    from dask.utils import parse_timedelta

    timeout = float(parse_timedelta(dask.config.get(CONNECT_TIMEOUT_KEY, "10s")))
    host, port = _parse(address)
    _reach(address, host, port, timeout)
    _handshake(address, f"{_scheme(address)}://{host}:{port}", timeout)
    return timeout, host, port


def quiet_cluster_logs() -> None:
    """Keep Dask's and tornado's own log lines (a worker gone, a key rescheduled, a closed stream's
    traceback) off the planner's terminal: slagsim says in its own lines what the cluster did (a
    batch ``incomplete`` with the workers that left, a task run again)."""
    import logging

    for name in ("distributed", "tornado"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _parse(address: str) -> tuple[str, int]:
    found = ADDRESS.match(address.strip())
    if not found or not 0 < int(found["port"]) < 65536:
        raise _problem(address, f"not a scheduler address; {HINT}")
    return found["host"].strip("[]"), int(found["port"])


def _scheme(address: str) -> str:
    return "tls" if address.strip().startswith("tls://") else "tcp"


def _reach(address: str, host: str, port: int, timeout: float) -> None:
    """A plain TCP connection: fails at once for a refused port or an unknown host."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        raise _problem(address, f"{exc.strerror or exc}; is `dask scheduler` running there?") from None


def _handshake(address: str, url: str, timeout: float) -> None:
    """Dask's own handshake, cut off at ``timeout``: a service that is not Dask never answers."""
    from distributed.comm import connect as dask_connect

    async def probe() -> None:
        comm = await dask_connect(url, timeout=timeout)
        await comm.close()

    try:
        asyncio.run(asyncio.wait_for(probe(), timeout))
    except Exception as exc:  # anything: a service that speaks first (HTTP, SSH) makes Dask read its
        # banner as a message length and ask for exabytes (MemoryError), which is still "not Dask"
        silent = isinstance(exc, TimeoutError) or "timed out" in str(exc).lower()
        what = ("the service there accepted the connection and said nothing" if silent
                else "the service there speaks another protocol, e.g. SSH or HTTP")
        raise _problem(address, f"no Dask scheduler answered within {timeout:g} s ({what}); is this the "
                                "address `dask scheduler` printed?") from None


def _problem(address: str, message: str) -> ScenarioError:
    return ScenarioError(f"cannot use a Dask scheduler at {address!r}: {message}", file="--scheduler")
