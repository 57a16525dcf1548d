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


@dataclass(slots=True)
class Made:
    """A finished lot of a product."""

    t: float
    product: str
    tons: float
    pieces: float
    firm: int


@dataclass(slots=True)
class ResidueUsed:
    """Residue a block product took up at mixing (B3 waste not sent away)."""

    t: float
    product: str
    tons: float


@dataclass(slots=True)
class Sale:
    """Tons of a product sold on a market day (or delivered on a contract), and what they fetched."""

    t: float
    product: str
    tons: float
    rp: float


@dataclass(slots=True)
class PriceMove:
    """A sale or purchase whose price follows aluminium: its value at today's price (``exposure_rp``:
    positive for ingot sold, negative for the metal part of dross bought) and what the price's
    move since the decision added to the margin (``gain_rp`` = exposure x (index - 1))."""

    t: float
    exposure_rp: float
    gain_rp: float


@dataclass(slots=True)
class LostSale:
    """Demand that found no stock."""

    t: float
    product: str
    tons: float


@dataclass(slots=True)
class FirmTons:
    """Tons that reached (slag received) or left (residue sent away) one firm."""

    t: float
    firm: int
    tons: float


@dataclass(slots=True)
class Refused:
    """A slag lot offered and turned away, and why (:class:`slagsim.model.vocabulary.TurnAway`)."""

    t: float
    tons: float
    reason: str = "storage"


@dataclass(slots=True)
class ResidueOut:
    """Residue sent to a licensed processor, and why (:class:`slagsim.model.vocabulary.ResidueExit`)."""

    t: float
    firm: int
    tons: float
    reason: str


@dataclass(slots=True)
class Present:
    """The people at one firm for one shift: how many, who (ids: villagers from 0, then each
    firm's own workers), and whether they stayed on from the last shift (overtime)."""

    t: float
    firm: int
    workers: int
    people: tuple[int, ...] = ()
    overtime: bool = False


@dataclass(slots=True)
class Money:
    """A cost (category from :class:`slagsim.model.vocabulary.Cost`) or other revenue, in Rupiah."""

    t: float
    category: str
    rp: float
    product: str = ""  # the product line it belongs to ("" = the ingot chain's or no line's)


@dataclass(slots=True)
class WorkerHours:
    """Worker-hours one firm spent on a task."""

    t: float
    firm: int
    hours: float
    product: str = ""  # the product line the work was for ("" = slag processing and melting)


@dataclass(slots=True)
class LotAge:
    """A slag lot emptied from the B3 store, and how long it stayed."""

    t: float
    age_h: float


@dataclass(slots=True)
class Level:
    """A step series point: from ``t`` on, the level is ``value`` (store tons, yard pallets)."""

    t: float
    value: float


@dataclass(slots=True)
class TimeUse:
    """Hours of a production line's clock spent on one reason (see :mod:`slagsim.model.vocabulary`)."""

    t: float
    line: str
    reason: str
    hours: float


@dataclass(slots=True)
class YardStay:
    """A pallet's stay in the curing yard: placed by the press, left when its blocks were packed or
    (blocks curing stacked) taken to the stack; ``curing_h`` the time it had to stay (its cure, or
    its days on the pallet), the rest of the stay was waiting (for packing or stack room)."""

    placed: float
    left: float
    curing_h: float


@dataclass
class Records:
    """Everything a replication observed, for :mod:`slagsim.analysis.metrics` to turn into KPIs.

    Time-stamped lists of typed records; ``flows_t`` holds whole-run mass totals for the mass
    balance; ``stocks_t`` is filled at the end of the run.
    """

    output: list[Made] = field(default_factory=list)
    sales: list[Sale] = field(default_factory=list)
    lost_sales: list[LostSale] = field(default_factory=list)
    price_moves: list[PriceMove] = field(default_factory=list)
    received: list[FirmTons] = field(default_factory=list)
    processed: list[FirmTons] = field(default_factory=list)  # slag charges taken into processing
    slag_out: list[FirmTons] = field(default_factory=list)  # slag at the B3 limit, to a licensed processor
    refused: list[Refused] = field(default_factory=list)
    residue_out: list[ResidueOut] = field(default_factory=list)
    residue_ages: list[LotAge] = field(default_factory=list)  # residue lots used or sent out
    residue_level: list[Level] = field(default_factory=list)
    present: list[Present] = field(default_factory=list)
    costs: list[Money] = field(default_factory=list)
    revenue_other: list[Money] = field(default_factory=list)
    worker_hours: list[WorkerHours] = field(default_factory=list)
    jobs: list[MachineJob] = field(default_factory=list)
    lot_ages: list[LotAge] = field(default_factory=list)
    store_level: list[Level] = field(default_factory=list)
    yard_level: list[Level] = field(default_factory=list)
    time_use: list[TimeUse] = field(default_factory=list)
    yard_stays: list[YardStay] = field(default_factory=list)
    residue_used: list[ResidueUsed] = field(default_factory=list)
    stack_level: list[Level] = field(default_factory=list)  # tons curing in the stacking area
    stack_waits: list[Level] = field(default_factory=list)  # pallet-hours held for room in the stack
    flows_t: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    window_flows_t: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    window_start_h: float = 0.0
    stocks_t: dict[str, float] = field(default_factory=dict)
    wip_t: float = 0.0
    oldest_lot_age_at_end_h: float = 0.0
    oldest_residue_age_at_end_h: float = 0.0
    events: int = 0

    def flow(self, name: str, tons: float, t: float | None = None) -> None:
        """Add ``tons`` to the whole-run total ``name`` (inputs start with ``in.``, outputs ``out.``),
        and to the measured window's when it happens at ``t`` inside it (the plant-flow picture)."""
        self.flows_t[name] += tons
        if t is not None and t >= self.window_start_h:
            self.window_flows_t[name] += tons
