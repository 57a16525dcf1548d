"""The scenario schema: what a scenario file may say, validated by pydantic.

Every model forbids unknown keys, so a typo is an error rather than a silently ignored setting.
Units are in the key names (``_t`` tons, ``_h`` hours, ``_days``, ``_rp`` Rupiah, ``_kg``).
Cross-references between sections (a route naming a machine, a product mix naming a product) are
checked in :mod:`slagsim.scenario.references` after the schema has passed.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from slagsim.errors import ScenarioError, describe_validation_error
from slagsim.i18n import _
from slagsim.scenario import limits
from slagsim.scenario.distributions import Distribution
from slagsim.scenario.names import name_problem
from slagsim.scenario.yamlfile import deep_merge

Share = float  # documented alias: a number in [0, 1]


class Strict(BaseModel):
    """Base for every scenario section: unknown keys are errors, instances are immutable.

    Numbers must be finite: ``.inf`` or ``.nan`` in a file or a ``--set`` is an error, never a
    silently infinite price or an empty run.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Labelled(Strict):
    """A thing a planner reads the name of: its words in English and Bahasa Indonesia.

    The key (``press``) stays the identifier in files, CSVs and ``--set``; the label is only what
    reports and tables show (``label_id`` when the report is in Indonesian), and never changes a
    number, so it is not part of a run's fingerprint.
    """

    label: str | None = Field(None, min_length=1, max_length=80, description="the name shown in English")
    label_id: str | None = Field(None, min_length=1, max_length=80,
                                 description="the name shown in Bahasa Indonesia")


# --------------------------------------------------------------------------- calendar


class Outages(Strict):
    """Random grid outages that stop every powered machine while they last."""

    per_quarter: float = Field(ge=0, le=limits.MAX_OUTAGES_PER_QUARTER,
                               description="mean number of outages per quarter-year")
    duration_h: Distribution = Field(description="length of one outage, hours")


class CalendarConfig(Strict):
    """When the plant (or one firm) works."""

    days_per_week: int = Field(ge=1, le=7)
    shift_hours: float = Field(gt=0, le=24)
    shifts_per_day: int = Field(ge=1, le=3)
    first_shift_start_hour: float = Field(ge=0, lt=24)
    holidays: list[int] = Field(default_factory=list, description="days of the year, 1-366")
    outages: Outages | None = None

    @model_validator(mode="after")
    def _fits_in_a_day(self) -> CalendarConfig:
        if self.first_shift_start_hour + self.shift_hours * self.shifts_per_day > 24:
            raise ValueError(_("shifts_per_day x shift_hours after first_shift_start_hour runs past "
                               "midnight"))
        if any(not 1 <= d <= 366 for d in self.holidays):
            raise ValueError(_("holidays are days of the year between 1 and 366"))
        return self


# --------------------------------------------------------------------------- supply and store


class DrossType(Strict):
    """One kind of dross: its share of deliveries and its metallic-aluminium fraction."""

    share: Share = Field(ge=0, le=1)
    metal_fraction: Distribution


class Allocation(StrEnum):
    """How a delivered lot is assigned to a firm."""

    quota = "quota"
    round_robin = "round_robin"
    most_free_storage = "most_free_storage"


class Smelters(Strict):
    """The region's dross generators: lots are offered by those the centre reaches."""

    count: int = Field(ge=1, le=limits.MAX_SMELTERS, description="smelters in the region")
    licensed: int = Field(ge=0, description="of which hold a B3 licence")
    lots_per_year_each: float = Field(gt=0, le=limits.MAX_LOTS_PER_SMELTER_YEAR)
    reach: Share = Field(gt=0, le=1, description="share of the smelters that offer lots to the centre")

    @model_validator(mode="after")
    def _licensed_within_count(self) -> Smelters:
        if self.licensed > self.count:
            raise ValueError(_("licensed ({licensed}) cannot exceed count ({count})").format(
                licensed=self.licensed, count=self.count))
        return self

    @property
    def offers_per_year(self) -> float:
        """Lots offered to the centre in a year: the reached smelters' lots."""
        return self.count * self.reach * self.lots_per_year_each

    @property
    def licensed_share(self) -> float:
        """The share of offers that come from licensed smelters."""
        return self.licensed / self.count


class SupplyConfig(Strict):
    """Slag lots offered by the region's smelters, and the terms on which the centre takes them.

    Offers arrive either every ``interarrival_h`` (one stream of licensed generators) or as the
    Poisson stream of the ``smelters`` the centre reaches. A lot's price is ``price_rp_per_t``
    plus ``price_rp_per_t_metal`` for each ton of metallic aluminium in it.
    """

    interarrival_h: Distribution | None = None
    smelters: Smelters | None = None
    lot_t: Distribution
    growth_per_year: float = Field(0.0, ge=-0.9, le=10)
    volume_factor: float = Field(1.0, gt=0, le=100)  # 1.25 = 25 % more deliveries, same lot sizes
    dross_types: dict[str, DrossType] = Field(min_length=1)
    allocation: Allocation = Allocation.quota
    price_rp_per_t: float = Field(0, ge=0, description="flat part of the price of a ton of dross")
    price_rp_per_t_metal: float = Field(0, ge=0, description="per ton of metallic Al in the lot")
    max_backlog_t: float | None = Field(None, gt=0, le=limits.MAX_TONS,
                                        description="lots are declined while this much slag waits")

    @model_validator(mode="after")
    def _one_offer_stream(self) -> SupplyConfig:
        if (self.interarrival_h is None) == (self.smelters is None):
            raise ValueError(_("give either interarrival_h or smelters (the offers' source), not both"))
        return self

    @property
    def licensed_share(self) -> float:
        """The share of offered lots from licensed generators (all of them with interarrival_h)."""
        return self.smelters.licensed_share if self.smelters else 1.0

    @model_validator(mode="after")
    def _shares_sum_to_one(self) -> SupplyConfig:
        total = sum(d.share for d in self.dross_types.values())
        if abs(total - 1) > 1e-6:
            raise ValueError(_("dross_types shares must add up to 1 (they add up to {total})").format(
                total=f"{total:g}"))
        return self


class StoreScope(StrEnum):
    """Whether the B3 store's permitted capacity is per firm or one shared store."""

    per_firm = "per_firm"
    shared = "shared"


class SlagAgeRule(StrEnum):
    """What the centre does about slag that nears the B3 storage limit."""

    send_away = "send_away"  # a lot still held at the limit goes to a licensed processor, at a fee
    stop_buying = "stop_buying"  # as send_away, and no lot is bought while the oldest nears the limit
    hold = "hold"  # nothing: lots stay past the limit (unlawful; for seeing how far it would go)


class B3StoreConfig(Strict):
    """The temporary hazardous-waste store (TPS B3)."""

    scope: StoreScope = StoreScope.shared
    capacity_t: float = Field(gt=0)
    storage_limit_days: float = Field(90, gt=0)
    permit: bool = Field(True, description="a B3 permit: without it licensed smelters hand nothing over")
    age_rule: SlagAgeRule = SlagAgeRule.send_away
    stop_buying_after_days: float = Field(75, gt=0, description="with stop_buying: no lot is bought "
                                                                 "while the oldest held is this old")

    @model_validator(mode="after")
    def _stop_before_the_limit(self) -> B3StoreConfig:
        if self.stop_buying_after_days >= self.storage_limit_days:
            raise ValueError(_("stop_buying_after_days ({stop}) must be below storage_limit_days "
                               "({limit})").format(
                stop=f"{self.stop_buying_after_days:g}", limit=f"{self.storage_limit_days:g}"))
        return self


class CuringYardConfig(Strict):
    """The shared curing yard: pallet places where pressed blocks set, and a stacking area.

    Without ``on_pallet_days`` a pallet holds its place for the whole cure. With it, blocks leave
    their production pallet after that many days (workers stack them, ``labour.tasks``) and cure
    on in the stacking area, which holds ``stack_t`` tons; a full stack keeps the pallets waiting.
    """

    pallets: int = Field(ge=1, le=limits.MAX_PALLETS, description="pallet places")
    on_pallet_days: Distribution | None = Field(
        None, description="days blocks stay on their production pallet before they are stacked")
    stack_t: float = Field(limits.MAX_TONS, gt=0, le=limits.MAX_TONS,
                           description="tons of blocks the stacking area holds while they cure")


# --------------------------------------------------------------------------- machines


class Failures(Strict):
    """Breakdowns: operating hours between failures and working hours to repair."""

    time_between_h: Distribution
    repair_h: Distribution

    @model_validator(mode="after")
    def _not_constantly_broken(self) -> Failures:
        if self.time_between_h.mean < limits.MIN_TIME_BETWEEN_FAILURES_H:
            raise ValueError(_("time_between_h has a mean of {mean} h; a machine needs at least {least} "
                               "operating hours between breakdowns on average").format(
                mean=f"{self.time_between_h.mean:g}", least=f"{limits.MIN_TIME_BETWEEN_FAILURES_H:g}"))
        return self


class SievingConfig(Strict):
    """How the sieve splits crushed slag into Al-rich oversize and fines.

    Metallic aluminium is ductile and stays in lumps, so most of it reports to the oversize; the
    brittle oxides are milled fine and mostly pass the sieve.
    """

    metal_to_oversize: Share = Field(ge=0, le=1, description="share of the metal in oversize")
    nonmetal_to_oversize: Share = Field(
        ge=0, le=1, description="share of the non-metallic mass in oversize"
    )


class MeltingConfig(Strict):
    """Melting the oversize in a furnace into ingots."""

    metal_recovery: Share = Field(ge=0, le=1, description="share of metallic Al cast as ingot")
    fume_loss_share: Share = Field(ge=0, lt=1, description="share of the charge lost as fume")
    flux_rp_per_t: float = Field(0, ge=0, description="salt flux cost per ton charged")
    flux_t_per_t: float = Field(0, ge=0, le=1, description=(
        "salt flux per ton charged: it leaves the furnace as salt cake, with the residue"))


class Booking(StrEnum):
    """Which waiting firm gets a freed shared machine."""

    fcfs = "fcfs"
    round_robin = "round_robin"
    priority = "priority"
    campaign = "campaign"  # a firm holds the machine for campaign_h working hours, as cooperatives book


class Crew(StrEnum):
    """Whose workers run a shared machine."""

    firm = "firm"  # the using firm's own workers, taken from its crew for the job
    cooperative = "cooperative"  # the cooperative's crew, on the machine's shift, paid by attendance


class MachineConfig(Labelled):
    """A pool of identical machines (or a manual work place).

    A job of ``m`` tons takes ``ceil(m / capacity_t_per_cycle)`` cycles; each cycle's length is drawn
    from ``cycle_h`` and, when ``scales_with_load``, is shortened in proportion to a part load.
    """

    count: int = Field(ge=0, le=limits.MAX_MACHINES_PER_POOL)
    capacity_t_per_cycle: float = Field(ge=limits.MIN_CAPACITY_T)
    cycle_h: Distribution
    scales_with_load: bool = True
    setup_h: float = Field(0, ge=0, description="changeover when the next job is another firm's")
    workers: int = Field(0, ge=0, description="the using firm's workers busy while it runs")
    powered: bool = True
    energy_kwh_per_h: float = Field(0, ge=0)
    running_cost_rp_per_h: float = Field(0, ge=0, description="fuel, consumables")
    maintenance_rp_per_year: float = Field(0, ge=0, description="per machine")
    price_rp: float = Field(0, ge=0, description="purchase price per machine")
    failures: Failures | None = None
    booking: Booking = Booking.fcfs
    campaign_h: float = Field(7.0, gt=0, le=1000,
                              description="with booking: campaign, the working hours a firm holds it")
    crew: Crew = Crew.firm
    continuous: bool = Field(False, description=(
        "a started job never pauses (a melt): it starts only when it fits in the working time "
        "left that day; a job longer than a shift starts at a shift's start and runs on overtime"))
    # the technology's own split or recovery; without them the plant-wide process settings apply
    sieving: SievingConfig | None = None
    melting: MeltingConfig | None = None


# --------------------------------------------------------------------------- process


class SortingConfig(Strict):
    """Manual sorting: iron and tramp metal picked out of the slag."""

    iron_share: Share = Field(ge=0, lt=1)
    rate_t_per_worker_h: float = Field(gt=0)
    workers: int = Field(ge=1)
    iron_price_rp_per_t: float = Field(0, ge=0)


class ResiduePooling(StrEnum):
    """Who holds the residue (fines, furnace ash and salt cake) waiting for the block lines."""

    firm = "firm"  # each firm its own, up to stock_cap_t_per_firm
    cooperative = "cooperative"  # one pool for all firms, up to pooled_cap_t


class ResidueConfig(Strict):
    """Non-metallic residue: B3 waste kept, dated, for the blocks, or sent to a licensed processor.

    Residue that does not fit, or (with ``dispose_at_limit``) reaches the storage limit, is sent
    out at ``disposal_rp_per_t``.
    """

    stock_cap_t_per_firm: float = Field(gt=0, le=limits.MAX_TONS)
    pooling: ResiduePooling = ResiduePooling.firm
    pooled_cap_t: float | None = Field(None, gt=0, le=limits.MAX_TONS,
                                       description="with pooling: cooperative (default: caps added up)")
    storage_limit_days: float = Field(90, gt=0, le=limits.MAX_WARMUP_DAYS)
    dispose_at_limit: bool = True
    disposal_rp_per_t: float = Field(0, ge=0, description="cost to send residue out")


class ProcessConfig(Strict):
    """Parameters of the processing steps that are the same for every firm."""

    charge_t: float = Field(ge=limits.MIN_CAPACITY_T,
                            description="slag taken from the store per processing run")
    sorting: SortingConfig
    sieving: SievingConfig
    melting: MeltingConfig
    residue: ResidueConfig


# --------------------------------------------------------------------------- products


class Recipe(Strict):
    """Mass shares of a block or brick mix (they add up to 1)."""

    residue: Share = Field(ge=0, le=1)
    cement: Share = Field(ge=0, le=1)
    sand: Share = Field(ge=0, le=1)
    water: Share = Field(ge=0, le=1)
    max_residue_share: Share = Field(0.20, ge=0, le=1)

    @model_validator(mode="after")
    def _check(self) -> Recipe:
        total = self.residue + self.cement + self.sand + self.water
        if abs(total - 1) > 1e-6:
            raise ValueError(_("recipe shares must add up to 1 (they add up to {total})").format(
                total=f"{total:g}"))
        if self.residue > self.max_residue_share:
            raise ValueError(_("residue share {residue} is above max_residue_share {most} (leaching "
                               "limit)").format(
                residue=f"{self.residue:g}", most=f"{self.max_residue_share:g}"))
        return self


Month = int  # 1 (January) .. 12 (December)


def calendar_months(months: list[int]) -> list[int]:
    """Months of the year, each once."""
    wrong = [m for m in months if not 1 <= m <= 12]
    if wrong:
        raise ValueError(_("months are 1 (January) to 12 (December), not {month}").format(month=wrong[0]))
    if len(set(months)) != len(months):
        raise ValueError(_("a month is listed twice"))
    return months


Months = Annotated[list[Month], AfterValidator(calendar_months), Field(min_length=1, max_length=12)]


class Season(Strict):
    """Months when a product sells more or less than usual (wet season, Lebaran).

    Factors are relative: slagsim scales a product's twelve monthly factors to a mean of 1, so
    seasons move demand between months and leave the year's demand as ``t_per_month`` says.
    """

    months: Months
    factor: float = Field(gt=0, le=10)
    why: str = ""


class ProjectOrders(Strict):
    """Large orders from public works (village-fund roads and yards): a ``share`` of the year's
    demand comes as a Poisson number of orders (``per_year`` on average) in the ``months`` when
    budgets are spent, each of a random size (exponential, so a few are large); the rest is the
    usual monthly demand. The year's expected demand does not change; its lumpiness does. An
    order is a contract, delivered as stock allows within ``deliver_within_months``.
    """

    share: Share = Field(ge=0, le=1)
    per_year: float = Field(gt=0, le=120)
    months: Months
    deliver_within_months: int = Field(1, ge=1, le=12)  # an order's tons still owed then are lost
    why: str = ""


class Demand(Strict):
    """Monthly demand in tons; ``null`` in a product means unlimited."""

    t_per_month: Distribution
    growth_per_year: float = Field(0.0, ge=-0.9, le=10)
    seasons: dict[str, Season] = Field(default_factory=dict, max_length=12)  # name -> months, factor
    projects: ProjectOrders | None = None

    @model_validator(mode="after")
    def _one_factor_a_month(self) -> Demand:
        seen: set[int] = set()
        for season in self.seasons.values():
            twice = seen & set(season.months)
            if twice:
                raise ValueError(_("month {month} is in two seasons; give each month one factor").format(
                    month=min(twice)))
            seen |= set(season.months)
        return self

    def month_factors(self) -> list[float]:
        """The twelve monthly demand factors, scaled to a mean of 1."""
        factors = [1.0] * 12
        for season in self.seasons.values():
            for month in season.months:
                factors[month - 1] = season.factor
        mean = sum(factors) / 12
        return [f / mean for f in factors]


class PricePath(Strict):
    """How the ingot price moves month by month around ``price_rp_per_kg`` (today's price).

    Either ``series``, a CSV of monthly prices (columns ``month`` and ``price``; any currency, only
    the changes are used) whose log returns are resampled in blocks of ``block_months``, or
    ``volatility_per_month``, the standard deviation of normal monthly log returns. ``dross_follows``:
    the metal part of the dross price (``supply.price_rp_per_t_metal``) moves with the ingot price.
    """

    series: str | None = None
    volatility_per_month: float | None = Field(None, gt=0, le=1)
    block_months: int = Field(3, ge=1, le=24)
    dross_follows: bool = True
    log_returns: tuple[float, ...] = Field(default=(), max_length=limits.MAX_PRICE_MONTHS,
                                           description="read from ``series`` when the scenario loads")

    @model_validator(mode="after")
    def _one_source(self) -> PricePath:
        if (self.series is None) == (self.volatility_per_month is None):
            raise ValueError(_("give either series (a CSV of monthly prices) or volatility_per_month, "
                               "not both and not neither"))
        if self.series is not None and len(self.log_returns) < limits.MIN_PRICE_MONTHS - 1:
            raise ValueError(_("the series needs at least {months} months of prices").format(
                months=limits.MIN_PRICE_MONTHS))
        if any(abs(r) > 2 for r in self.log_returns):
            raise ValueError(_("a month's price changes more than e^2-fold; is the series in one unit?"))
        return self


class BlockProduct(Labelled):
    """A building product made from residue on the block line (paving, lightweight brick)."""

    recipe: Recipe
    piece_kg: float = Field(gt=0)
    pieces_per_pallet: int = Field(ge=1)
    curing_days: Distribution
    price_rp_per_piece: float = Field(ge=0)
    demand: Demand | None = None
    stock_cap_t: float = Field(gt=0, description=(
        "firms stop making it while this much is unsold: in stock and on its way (mixed, pressed, curing)"))

    @property
    def pallet_t(self) -> float:
        """Mass of one pallet in tons."""
        return self.pieces_per_pallet * self.piece_kg / 1000


class IngotProduct(Labelled):
    """Recovered aluminium ingot."""

    piece_kg: float = Field(gt=0)
    price_rp_per_kg: float = Field(ge=0)
    demand: Demand | None = None
    price_path: PricePath | None = None  # None: the price stays at price_rp_per_kg


class Products(Strict):
    """The ingot and the block-line products."""

    ingot: IngotProduct
    blocks: dict[str, BlockProduct] = Field(default_factory=dict)


class Materials(Strict):
    """Prices of bought-in materials and energy."""

    cement_rp_per_t: float = Field(ge=0)
    sand_rp_per_t: float = Field(ge=0)
    electricity_rp_per_kwh: float = Field(ge=0)


# --------------------------------------------------------------------------- firms and labour


class PayBasis(StrEnum):
    """What wages are paid for."""

    attendance = "attendance"  # every present worker, every working day
    work_done = "work_done"  # worker-hours actually spent on tasks (piece-rate equivalent)


class AttendanceDip(Strict):
    """Days of the year when fewer workers come (harvest, Lebaran): attendance times ``factor``."""

    first_day: int = Field(ge=1, le=366)
    last_day: int = Field(ge=1, le=366)
    factor: float = Field(ge=0, le=1)
    why: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> AttendanceDip:
        if self.last_day < self.first_day:
            raise ValueError(_("last_day ({last}) is before first_day ({first})").format(
                last=self.last_day, first=self.first_day))
        return self


class ShortCrew(StrEnum):
    """What a job does when its firm has fewer workers free than it needs."""

    wait = "wait"  # until its own workers are free (or come another day)
    borrow = "borrow"  # the rest from other firms' idle workers, given back after the job


class SecondShift(StrEnum):
    """Who works a second shift."""

    own_people = "own_people"  # its own roll call: people who did not work the first shift
    overtime = "overtime"  # the first shift's people stay on, paid labour.overtime_pay_factor


class Helpers(StrEnum):
    """Which of its regular helpers a firm calls first."""

    same = "same"  # the same ones, from the top of its list: work goes to a few
    take_turns = "take_turns"  # from where it stopped last time: work is shared round


class Tasks(Strict):
    """Work with people that no machine times: each rate in worker-hours."""

    stacking_worker_h_per_t: float = Field(0, ge=0, le=1000, description=(
        "taking blocks off a production pallet and stacking them to cure, per ton"))
    watering_worker_h_per_day: float = Field(0, ge=0, le=24, description=(
        "watering a firm's curing blocks, per working day it has blocks curing"))
    cleaning_worker_h_per_day: float = Field(0, ge=0, le=24, description=(
        "cleaning a firm's work places and tools, per working day it works"))


class LabourConfig(Strict):
    """Wages, how people are called to work, how labour is counted, and when people are away.

    Each firm's own ``workers`` come with the firm's attendance. When ``village_people`` is set, a
    firm also calls helpers from the village each shift, as many as the work it has that morning
    needs beyond its own people present: its regular helpers first, then anyone free.
    """

    wage_rp_per_worker_day: float = Field(ge=0)
    pay_basis: PayBasis = PayBasis.work_done
    short_crew: ShortCrew = ShortCrew.wait
    dips: list[AttendanceDip] = Field(default_factory=list, max_length=366)
    loading_worker_h_per_t: float = Field(0, ge=0, le=1000,
                                          description="loading sold product onto buyers' trucks")
    village_people: int = Field(0, ge=0, le=limits.MAX_VILLAGE_PEOPLE,
                                description="people nearby who take slag work when called")
    village_availability: Share = Field(0.6, gt=0, le=1,
                                        description="chance a villager can come on a day called")
    helpers: Helpers = Helpers.same
    second_shift: SecondShift = SecondShift.own_people
    overtime_pay_factor: float = Field(1.0, ge=1, le=5,
                                       description="pay for an overtime hour over an ordinary one")
    tasks: Tasks = Tasks()


class Route(Strict):
    """Which machine each step uses: a firm's own machine name or a shared machine name."""

    crushing: str
    sieving: str
    melting: str
    mixing: str
    packaging: str
    forming: dict[str, str] = Field(default_factory=dict, description="product -> machine")


class FirmConfig(Strict):
    """One firm (IKM): the template every firm starts from, before its overrides."""

    name: str | None = Field(None, min_length=1, max_length=40,
                             description="the firm's name in reports (default IKM 01, IKM 02, ...)")
    workers: int = Field(ge=0, le=limits.MAX_WORKERS_PER_FIRM,
                         description="registered workers (0: a member firm not working slag)")
    attendance: Share = Field(gt=0, le=1, description="share of workers present on a day")
    quota_share: float = Field(1.0, ge=0, description="relative share of slag under quota")
    priority: int = Field(0, description="lower goes first where a machine books by priority")
    product_mix: dict[str, float] = Field(default_factory=dict, description="block product shares")
    own_machines: dict[str, MachineConfig] = Field(default_factory=dict)
    route: Route
    calendar: CalendarConfig | None = None

    @property
    def crew(self) -> int:
        """Workers present on an average working day (each day's count is drawn)."""
        return max(1, round(self.workers * self.attendance)) if self.workers else 0

    @property
    def active(self) -> bool:
        """Whether the firm works at all (a member firm with no workers takes no slag)."""
        return self.workers > 0


class FirmsConfig(Strict):
    """The firms as a template plus per-firm overrides (firm numbers start at 0).

    Validating it expands the firms once (:attr:`resolved`, one :class:`FirmConfig` per firm, each
    override laid over the template and checked by the schema), so that the engine, the metrics
    and the checks never resolve them again.
    """

    count: int = Field(ge=1, le=limits.MAX_FIRMS)
    template: FirmConfig
    overrides: dict[int, dict] = Field(default_factory=dict)
    _resolved: tuple[FirmConfig, ...] | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _expand(self) -> FirmsConfig:
        try:
            self._resolved = expand_firms(self)
        except ScenarioError:
            self._resolved = None  # the loader reports it with its key (slagsim.scenario.references)
        return self

    @property
    def names(self) -> list[str]:
        """Each firm's name in reports: its own ``name``, else IKM 01, IKM 02, ..."""
        return [firm_name(index, firm.name) for index, firm in enumerate(self.resolved)]

    @property
    def resolved(self) -> tuple[FirmConfig, ...]:
        """One config per firm; raises the override's ScenarioError if one is invalid."""
        if self._resolved is None:
            return expand_firms(self)
        return self._resolved


def firm_name(index: int, name: str | None = None) -> str:
    """A firm's name: its own, else "IKM" and its number from 1, as the centre counts its members."""
    return name or f"IKM {index + 1:02d}"


def firm_names(firms: dict) -> dict[str, str]:
    """Firm number as the KPIs spell it ("00") -> name, from a stored scenario's ``firms``."""
    overrides = {str(k): v for k, v in (firms.get("overrides") or {}).items()}
    template = (firms.get("template") or {}).get("name")
    return {f"{i:02d}": firm_name(i, (overrides.get(str(i)) or {}).get("name") or template)
            for i in range(int(firms.get("count", 0)))}


def expand_firms(config: FirmsConfig) -> tuple[FirmConfig, ...]:
    """One config per firm: the template with that firm's override laid over it.

    Called once, when the scenario is validated; everything else reads ``scenario.firms.resolved``.
    """
    template = config.template.model_dump(by_alias=True, exclude_none=True)
    firms = []
    for index in range(config.count):
        override = config.overrides.get(index)
        if not override:
            firms.append(config.template)
            continue
        try:
            firms.append(FirmConfig.model_validate(deep_merge(template, override)))
        except ValidationError as exc:
            key, message = describe_validation_error(exc)
            raise ScenarioError(
                message, key=".".join(("firms", "overrides", str(index), *key))
            ) from None
    return tuple(firms)


# --------------------------------------------------------------------------- run and scenario


class RunDefaults(Strict):
    """Run settings a scenario suggests; the command line can override each."""

    years: float = Field(1.0, gt=0, le=limits.MAX_YEARS)
    warmup_days: float = Field(30, ge=0, le=limits.MAX_WARMUP_DAYS)
    replications: int = Field(20, ge=1, le=limits.MAX_REPLICATIONS)
    seed: int = Field(20240101, ge=0, le=limits.MAX_SEED)


class Scenario(Labelled):
    """A whole scenario after ``extends`` and ``--set`` have been applied."""

    name: str = Field(min_length=1)
    description: str = ""
    description_id: str = Field("", description="the description in Bahasa Indonesia")
    run: RunDefaults = RunDefaults()
    calendar: CalendarConfig
    supply: SupplyConfig
    b3_store: B3StoreConfig
    machines: dict[str, MachineConfig] = Field(default_factory=dict)
    curing_yard: CuringYardConfig
    process: ProcessConfig
    products: Products
    materials: Materials
    labour: LabourConfig
    firms: FirmsConfig

    @field_validator("name")
    @classmethod
    def _usable_as_folder(cls, name: str) -> str:
        problem = name_problem(name)
        if problem:
            raise ValueError(problem)
        return name


__all__ = [
    "B3StoreConfig",
    "BlockProduct",
    "Booking",
    "CalendarConfig",
    "FirmConfig",
    "MachineConfig",
    "Scenario",
]
