"""What a replication writes down: plain lists and totals, no simpy, no files."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field


@dataclass(slots=True)
class MachineJob:
    """One finished job on a machine.

    Clock times: ``asked`` (the firm asked for a machine), ``start`` (workers there, work begins),
    ``work_end`` (work done), ``end`` (machine given back, after any blocked time).
    """

    end: float
    machine: str
    firm: int
    busy_h: float
    setup_h: float
    down_h: float
    wait_h: float
    failures: int
    blocked_h: float = 0.0  # working hours held after the job, waiting for somewhere to put it
    starved_h: float = 0.0  # working hours held before the job, waiting for the firm's workers
    pool: str = ""  # which pool: shared machines and each firm's own machines are separate pools
    unit: int = 0
    asked: float = 0.0
    start: float = 0.0
    work_end: float = 0.0
    idle_before_h: float = 0.0  # working hours the unit was not active between its last job and this

    @property
    def active_h(self) -> float:
        """Working hours the machine was active: setup, operating and under repair."""
        return self.setup_h + self.busy_h + self.down_h


@dataclass
class Records:
    """Everything a replication observed, for :mod:`sim.metrics` to turn into KPIs.

    Time-stamped lists hold ``(t, ...)`` tuples; ``flows_t`` holds whole-run mass totals for the
    mass balance; ``stocks_t`` is filled at the end of the run.
    """

    # t, product, tons, pieces, firm
    output: list[tuple[float, str, float, float, int]] = field(default_factory=list)
    sales: list[tuple[float, str, float, float]] = field(default_factory=list)  # t, product, t, Rp
    lost_sales: list[tuple[float, str, float]] = field(default_factory=list)  # t, product, t
    received: list[tuple[float, int, float]] = field(default_factory=list)  # t, firm, t
    refused: list[tuple[float, float]] = field(default_factory=list)  # t, t
    residue_out: list[tuple[float, int, float]] = field(default_factory=list)  # t, firm, t
    costs: list[tuple[float, str, float]] = field(default_factory=list)  # t, category, Rp
    revenue_other: list[tuple[float, str, float]] = field(default_factory=list)  # t, what, Rp
    worker_hours: list[tuple[float, int, float]] = field(default_factory=list)  # t, firm, h
    jobs: list[MachineJob] = field(default_factory=list)
    lot_ages: list[tuple[float, float]] = field(default_factory=list)  # t emptied, age h
    store_level: list[tuple[float, float]] = field(default_factory=list)  # t, tons
    yard_level: list[tuple[float, int]] = field(default_factory=list)  # t, pallets
    time_use: list[tuple[float, str, str, float]] = field(default_factory=list)  # t, line, reason, h
    yard_stays: list[tuple[float, float, float]] = field(default_factory=list)  # in, out, curing h
    flows_t: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    stocks_t: dict[str, float] = field(default_factory=dict)
    wip_t: float = 0.0
    oldest_lot_age_at_end_h: float = 0.0
    events: int = 0

    def flow(self, name: str, tons: float) -> None:
        """Add ``tons`` to the whole-run total ``name`` (inputs start with ``in.``, outputs ``out.``)."""
        self.flows_t[name] += tons
