"""The words the engine, the KPIs and the reports share, declared once.

Production lines, the reasons a line's clock time is spent on, cost and revenue categories, and
the name of the one product every scenario has. The engine writes these into its records; the
metrics, the bottleneck finder and the figures read them back. Imports nothing heavy.
"""

from __future__ import annotations

from enum import StrEnum

INGOT = "ingot"  # the product every scenario makes; block products are named by the scenario
SHARED = "*"  # work for every product line (cleaning): its pay is shared by the lines' own work


class Line(StrEnum):
    """The production lines whose time use is recorded."""

    slag = "slag"  # sorting, crushing, sieving: slag in, oversize and residue out
    ingot = "ingot"  # melting and casting
    blocks = "blocks"  # mixing, forming, curing, packaging


class Reason(StrEnum):
    """What a production line spends clock time on, besides a named machine."""

    slag_supply = "slag_supply"  # waiting for slag
    upstream = "upstream"  # waiting for material from the slag line
    labour = "labour"  # waiting for workers, or hand work
    curing_space = "curing_space"  # a pallet waiting for a place in the curing yard
    market_demand = "market_demand"  # stock at its cap, waiting for a sale


MACHINE, QUEUE = "machine.", "queue."  # time working on a machine; time queueing for it


def machine_reason(machine: str) -> str:
    """``machine.press``: time spent working on the press (or queueing while it works)."""
    return MACHINE + machine


def queue_reason(machine: str) -> str:
    """``queue.press``: time spent queueing for the press, shared out by what held it."""
    return QUEUE + machine


def machine_of(reason: str) -> str | None:
    """The machine a ``machine.<name>`` reason names, else None."""
    return reason.removeprefix(MACHINE) if reason.startswith(MACHINE) else None


def queued_machine(reason: str) -> str | None:
    """The machine a ``queue.<name>`` reason names, else None."""
    return reason.removeprefix(QUEUE) if reason.startswith(QUEUE) else None


class TurnAway(StrEnum):
    """Why the centre turned an offered slag lot away (``slag_turned_away_t_per_year.<reason>``)."""

    permit = "permit"  # a licensed smelter may hand B3 dross only to a permitted holder
    storage = "storage"  # the lot does not fit in the B3 store's permitted capacity
    backlog = "backlog"  # more unprocessed slag waits than the centre's backlog limit
    age = "age"  # the oldest slag held nears the B3 storage limit (b3_store.age_rule: stop_buying)


class ResidueExit(StrEnum):
    """Why residue left the firms' stock other than into blocks."""

    full = "full"  # no room in the residue stock
    expired = "expired"  # reached the B3 storage limit unused


class Cost(StrEnum):
    """Cost categories (``cost_rp_per_year.<category>``)."""

    cement = "cement"
    sand = "sand"
    flux = "flux"
    energy = "energy"
    running = "running"  # fuel and consumables of machines
    residue_disposal = "residue_disposal"
    slag_disposal = "slag_disposal"  # slag that reached the B3 storage limit, to a licensed processor
    slag = "slag"
    wages = "wages"
    cooperative_crew = "cooperative_crew"  # the cooperative's crews on shared machines, per shift
    maintenance = "maintenance"


class OtherRevenue(StrEnum):
    """Revenue besides product sales."""

    iron = "iron"  # scrap iron sorted out of the slag
