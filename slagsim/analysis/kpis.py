"""The KPI registry: the one place a KPI is declared.

Every KPI has a name (or a name pattern such as ``utilization.<machine>``), a unit, a short label
for planners, a one-line description, whether it is a headline figure, and which direction is
better. Tables, figures, ``--kpi`` suggestions, the workbook and the report read it; no other
module spells a KPI name or takes one apart. It imports nothing heavy, so the command line and the
report can use it without the engine. KPI names are stable: scripts and later tools depend on them.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import StrEnum

from slagsim.i18n import N_, _, thing


class Better(StrEnum):
    """Which way a KPI should move."""

    more = "more"
    less = "less"
    neither = "neither"  # a count or a diagnostic


@dataclass(frozen=True)
class Kpi:
    """One KPI, or a family of them when ``name`` holds ``<placeholders>``."""

    name: str
    unit: str
    label: str
    description: str
    headline: bool = False
    better: Better = Better.more

    @property
    def is_pattern(self) -> bool:
        return "<" in self.name

    @property
    def prefix(self) -> str:
        """What every member's name starts with (the whole name for a single KPI)."""
        return self.name.split("<", 1)[0]

    def key(self, *parts: object) -> str:
        """The member's name: ``UTILIZATION.key("press")`` is ``utilization.press``."""
        if not self.is_pattern:
            return self.name
        return self.prefix + ".".join(str(part) for part in parts)

    def matches(self, name: str) -> bool:
        """Whether ``name`` is this KPI (or a member of this family)."""
        if not self.is_pattern:
            return name == self.name
        wanted = self.name.count("<")
        return name.startswith(self.prefix) and len(name[len(self.prefix):].split(".", wanted - 1)) == wanted

    def parts(self, name: str) -> tuple[str, ...]:
        """The placeholders' values in a member's name: ``("press",)`` for ``utilization.press``."""
        return tuple(name[len(self.prefix):].split(".", self.name.count("<") - 1))

    def part(self, name: str) -> str:
        """The single placeholder's value (``press`` for ``utilization.press``)."""
        return self.parts(name)[0]


T, RP, SHARE, H = N_("t/yr"), N_("Rp/yr"), N_("share"), N_("h")

# ------------------------------------------------------------------------------ output
PRODUCT_OUTPUT = Kpi("product_output_t_per_year", T, N_("Product output"),
                     "Blocks, bricks and ingot made per year: the article's count of production (blocks "
                     "weigh in with the cement, sand and water bought, three quarters of their mass)",
                     headline=True)
OUTPUT_FROM_SLAG = Kpi("output_from_slag_t_per_year", T, N_("Output made from slag"),
                       "Slag-derived mass in the products: all the ingot and the residue share of blocks "
                       "and bricks (the rest of a block is bought cement, sand and water)", headline=True)
INGOT = Kpi("ingot_t_per_year", T, N_("Aluminium ingot"), "Ingot cast per year", headline=True)
INGOT_YIELD = Kpi("ingot_yield_share", SHARE, N_("Ingot per ton of slag"),
                  "Ingot made per ton of slag received")
OUTPUT = Kpi("output_t_per_year.<product>", T, N_("Output"),
             "Tons of one product made per year", headline=True)
PIECES = Kpi("pieces_per_year.<product>", N_("pieces/yr"), N_("Pieces"),
             "Pieces of one product made per year")
SOLD = Kpi("sold_t_per_year.<product>", T, N_("Sold"), "Tons of one product sold per year")
LOST_SALES = Kpi("lost_sales_t_per_year", T, N_("Sales missed"), "Demand that found no stock, all products",
                 headline=True, better=Better.less)
LOST_SALES_OF = Kpi("lost_sales_t_per_year.<product>", T, N_("Sales missed"),
                    "Demand for one product that found no stock", better=Better.less)
# ------------------------------------------------------------------------------ slag
SLAG_OFFERED = Kpi("slag_offered_t_per_year", T, N_("Slag offered"),
                   "Dross the region's smelters offered the centre", better=Better.neither)
SLAG_RECEIVED = Kpi("slag_received_t_per_year", T, N_("Slag received"), "Slag accepted into the B3 store",
                    headline=True)
SLAG_REFUSED = Kpi("slag_refused_t_per_year", T, N_("Slag turned away"),
                   "Offered slag the centre turned away, for any reason", headline=True, better=Better.less)
SLAG_TURNED_AWAY = Kpi("slag_turned_away_t_per_year.<reason>", T, N_("Slag turned away"),
                       "Offered slag turned away for one reason: permit (a licensed smelter needs a "
                       "permitted holder), storage (the B3 store is full), backlog, or age (the oldest "
                       "slag held nears the B3 limit)", better=Better.less)
SLAG_SENT_AWAY = Kpi("slag_sent_away_t_per_year", T, N_("Slag sent away"),
                     "Slag still held at the B3 storage limit, sent to a licensed processor at a fee",
                     better=Better.less)
SLAG_PROCESSED = Kpi("slag_processed_t_per_year", T, N_("Slag processed"),
                     "Slag taken from the B3 store into sorting, crushing and sieving", headline=True)
INGOT_PER_PROCESSED = Kpi("ingot_per_slag_processed", SHARE, N_("Ingot per ton processed"),
                          "Ingot made per ton of slag taken into processing (the technology's yield)")
RESIDUE_DISPOSED = Kpi("residue_disposed_t_per_year", T, N_("Residue sent away"),
                       "Residue the firms could not use, sent to a licensed processor", better=Better.less)
RESIDUE_OUT = Kpi("residue_disposed_t_per_year.<reason>", T, N_("Residue sent away"),
                  "Residue sent away for one reason: full (no room in the stock) or expired (reached "
                  "the B3 storage limit unused)", better=Better.less)
FIRM_SLAG = Kpi("firm_slag_t_per_year.<firm>", T, N_("Slag received by a firm"), "Slag one firm received")
FIRM_OUTPUT = Kpi("firm_output_t_per_year.<firm>", T, N_("Output of a firm"), "Tons one firm made")
FIRM_WAGES = Kpi("firm_wages_rp_per_year.<firm>", RP, N_("Wages paid by a firm"),
                 "What one firm's shifts were paid (days present or hours worked; overtime at its factor)",
                 better=Better.neither)
FIRM_MARGIN = Kpi("firm_margin_rp_per_year.<firm>", RP, N_("Margin of a firm"),
                  "One firm's tons of each product at that product line's gross margin a ton (the "
                  "cooperative sells from one stock; the firms' margins add up to the lines')")
# ------------------------------------------------------------------------------ people
WORKERS = Kpi("workers", N_("workers"), N_("Firms' own workers"),
              "The firms' own people (owners and family) and the cooperative's crews; helpers called "
              "from the village are counted in workers absorbed", better=Better.neither)
ABSORBED = Kpi("workers_absorbed", N_("workers"), N_("Workers absorbed"),
               "People who worked at least one hour in a week, on average over the weeks (Statistics "
               "Indonesia's definition of working, Sakernas), helpers from the village included",
               headline=True, better=Better.more)
UNDEREMPLOYED = Kpi("underemployed_share", SHARE, N_("Underemployed"),
                    "Share of the workers absorbed who worked under 35 hours in the week (BPS)",
                    better=Better.less)
WORKER_UTILISATION = Kpi("worker_utilisation", SHARE, N_("Worker utilisation"),
                         "Worker-hours worked over the hours the people called were present",
                         better=Better.neither)
CREW_PRESENT = Kpi("crew_present_per_day", N_("workers"), N_("Workers present a day"),
                   "Workers present on a working day", better=Better.neither)
WORKER_DAYS = Kpi("paid_worker_days_per_year", N_("worker-days/yr"), N_("Paid worker-days"),
                  "Worker-days paid per year (work done, or days present, as labour.pay_basis says)",
                  headline=True, better=Better.neither)
FTE = Kpi("fte", N_("workers"), N_("Full-time equivalents"),
          "Paid worker-days divided by the plant's working days: how many full-time jobs the pay makes",
          headline=True, better=Better.neither)
WAGE_BILL = Kpi("wage_bill_rp_per_year", RP, N_("Wage bill"),
                "Wages of the firms' people and the cooperative's crews", better=Better.neither)
EARNINGS = Kpi("earnings_rp_per_worker_month", N_("Rp/month"), N_("Earnings per absorbed worker"),
               "Average monthly pay of a worker absorbed, to hold against the UMK (Jombang 2024: "
               "Rp 2,945,544)", headline=True)
# ------------------------------------------------------------------------------ money
TURNOVER = Kpi("turnover_rp_per_year", RP, N_("Turnover"), "Sales of products and scrap iron", headline=True)
COSTS = Kpi("costs_rp_per_year", RP, N_("Costs"), "Every cost the simulation counts", better=Better.less)
COST = Kpi("cost_rp_per_year.<category>", RP, N_("Cost"), "One cost category per year", better=Better.less)
GROSS_MARGIN = Kpi("gross_margin_rp_per_year", RP, N_("Gross margin"), "Turnover minus costs", headline=True)
PRICE_EXPOSURE = Kpi("price_exposure_rp_per_year", RP, N_("Margin riding on the aluminium price"),
                     "Ingot sales less the metal part of the slag bought, valued at today's price: a 10 % "
                     "rise in the aluminium price adds a tenth of this to the margin",
                     better=Better.neither)
PRICE_EFFECT = Kpi("price_effect_rp_per_year", RP, N_("Effect of aluminium price moves"),
                   "What the aluminium price's moves since the decision added to (or took from) the "
                   "margin, against today's price", better=Better.neither)
PRODUCT_MARGIN = Kpi("gross_margin_rp_per_year.<product>", RP, N_("Gross margin of a product"),
                     "One product line's sales less its materials, labour, energy, fuel and a share of "
                     "maintenance; ingot carries the slag, sorting, milling, sieving, melting and "
                     "residue disposal, and the scrap iron", headline=True)
# ------------------------------------------------------------------------------ machines
UTILIZATION = Kpi("utilization.<machine>", SHARE, N_("Utilisation"),
                  "Share of working hours a machine operates", headline=True, better=Better.neither)
AVAILABILITY = Kpi("availability.<machine>", SHARE, N_("Availability"),
                   "Share of operating time not under repair")
SETUP_SHARE = Kpi("setup_share.<machine>", SHARE, N_("Changeovers"),
                  "Share of working hours spent changing over between firms", better=Better.less)
DOWN_SHARE = Kpi("down_share.<machine>", SHARE, N_("Broken down"), "Share of working hours under repair",
                 better=Better.less)
BLOCKED_SHARE = Kpi("blocked_share.<machine>", SHARE, N_("Blocked by a full yard"),
                    "Share of working hours held with a finished pallet and nowhere to put it",
                    better=Better.less)
STARVED_SHARE = Kpi("starved_share.<machine>", SHARE, N_("Waiting for workers"),
                    "Share of working hours held while the firm's workers were busy", better=Better.less)
IDLE_SHARE = Kpi("idle_share.<machine>", SHARE, N_("Idle"), "Share of working hours with nothing to do",
                 better=Better.neither)
OFFSHIFT_SHARE = Kpi("offshift_share.<machine>", SHARE, N_("Off shift"),
                     "Share of calendar time outside shifts",
                     better=Better.neither)
WAIT = Kpi("wait_h.<machine>", H, N_("Wait for a machine"), "Mean hours a job waited for the machine",
           headline=True, better=Better.less)
MELTS_A_DAY = Kpi("melts_per_furnace_day", N_("melts/day"), N_("Melts a furnace-day"),
                  "Melts each furnace made on an average working day", better=Better.neither)
MELT_CAPACITY = Kpi("melt_capacity_per_furnace_day", N_("melts/day"), N_("Melts a furnace-day can hold"),
                    "Whole melts (mean cycle and changeover) that fit in a working day: a melt is never "
                    "left overnight, so a furnace's practical capacity", better=Better.neither)
JOBS = Kpi("jobs_per_year.<machine>", N_("jobs/yr"), N_("Jobs"), "Jobs done on the machine per year",
           better=Better.neither)
FIRM_WAIT = Kpi("firm_wait_h.<machine>.<firm>", H, N_("Wait of a firm"),
                "Mean hours one firm's jobs waited for the machine", better=Better.less)
ACTIVE_PERIOD = Kpi("active_period_h.<machine>", H, N_("Active period"),
                    "Mean uninterrupted active period (Roser's bottleneck method)", better=Better.neither)
TIME_SHARE = Kpi("time_share.<line>.<reason>", SHARE, N_("Time share"),
                 "Share of a production line's clock time spent on one reason", better=Better.neither)
# ------------------------------------------------------------------------------ store, yard, checks
B3_PEAK = Kpi("b3_store_peak_t", N_("t"), N_("B3 store peak"), "Highest slag stock in the B3 store",
              headline=True, better=Better.less)
B3_MAX_AGE = Kpi("b3_max_age_days", N_("days"), N_("Oldest slag"),
                 "Age of the oldest lot in the B3 store (limit 90)",
                 headline=True, better=Better.less)
B3_OVER_LIMIT = Kpi("b3_lots_over_limit", N_("lots"), N_("Lots over the limit"),
                    "Lots kept longer than the storage limit", better=Better.less)
RESIDUE_MEAN = Kpi("residue_stock_mean_t", N_("t"), N_("Residue in stock"),
                   "Mean residue (B3) held for the blocks",
                   better=Better.neither)
RESIDUE_MAX_AGE = Kpi("residue_max_age_days", N_("days"), N_("Oldest residue"),
                      "Age of the oldest residue lot (B3; limit 90 days)", headline=True, better=Better.less)
RESIDUE_OVER_LIMIT = Kpi("residue_lots_over_limit", N_("lots"), N_("Residue lots over the limit"),
                         "Residue lots kept longer than the storage limit", better=Better.less)
YARD_PEAK = Kpi("curing_yard_peak_pallets", N_("pallets"), N_("Curing yard peak"),
                "Most pallets curing at once",
                headline=True, better=Better.neither)
YARD_MEAN = Kpi("curing_yard_mean_pallets", N_("pallets"), N_("Curing yard mean"), "Mean pallets curing",
                better=Better.neither)
STACK_PEAK = Kpi("curing_stack_peak_t", N_("t"), N_("Curing stack peak"),
                 "Most tons of blocks curing stacked at once, off their pallets (curing_yard.stack_t holds)",
                 better=Better.neither)
STACK_WAIT = Kpi("pallet_h_held_for_stack_per_year", N_("pallet-h/yr"), N_("Pallets held for the stack"),
                 "Hours pallets stayed in the yard, blocks set, waiting for room in the curing stack: a "
                 "full stack backs up into the pallets and from there into the presses", better=Better.less)
FLOW = Kpi("flow_t_per_year.<flow>", T, N_("Mass flow"),
           "Tons a year through one flow of the mass balance after the warm-up: in.slag, in.flux (salt, out "
           "as salt cake with the residue), in.cement, in.sand, in.water, out.iron, out.fume, "
           "out.residue_disposed, out.slag_disposed, out.sold.<product> (the plant-flow picture)",
           better=Better.neither)
MASS_BALANCE = Kpi("mass_balance_error_t", N_("t"), N_("Mass balance error"),
                   "Tons unaccounted for (a check: should be 0)", headline=True, better=Better.neither)
EVENTS = Kpi("events", N_("events"), N_("Simulation events"), "SimPy events processed", better=Better.neither)

REGISTRY: tuple[Kpi, ...] = tuple(value for value in dict(globals()).values() if isinstance(value, Kpi))
DEFAULT_RANKING = (PRODUCT_OUTPUT, INGOT, GROSS_MARGIN)  # what compare and report rank by


def find(name: str) -> Kpi | None:
    """The registry entry of a KPI name (a single KPI first, else the longest matching pattern)."""
    single = next((kpi for kpi in REGISTRY if not kpi.is_pattern and kpi.name == name), None)
    if single is not None:
        return single
    patterns = [kpi for kpi in REGISTRY if kpi.is_pattern and kpi.matches(name)]
    return max(patterns, key=lambda kpi: len(kpi.prefix), default=None)


def unit_of(name: str) -> str:
    """The unit a KPI is reported in ("" for a name the registry does not know)."""
    found = find(name)
    return found.unit if found else ""


def label_of(name: str) -> str:
    """The planner's label: ``Utilisation (press)`` for ``utilization.press``.

    A plain KPI's label is its catalogue message (callers show it through ``_()``); a pattern's is
    put together here in the current language, its parts by their labels ("Utilisasi (mesin
    press)"), so ``_()`` around it changes nothing.
    """
    found = find(name)
    if found is None:
        return name
    if not found.is_pattern:
        return found.label
    return f"{_(found.label)} ({', '.join(thing(part) for part in found.parts(name))})"


def is_headline(name: str) -> bool:
    """Whether a KPI belongs on the first screen."""
    found = find(name)
    return bool(found and found.headline)


def suggestions(name: str, known: list[str], count: int = 3) -> list[str]:
    """Known KPI names closest to a mistyped one."""
    return difflib.get_close_matches(name, known, n=count)
