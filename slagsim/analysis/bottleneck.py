"""What limits a scenario's output: a machine, slag supply, labour, curing space or market demand.

Method (documented in docs/bottlenecks.md): **time attribution per production line**, checked
against **Roser's active-period method** for machines.

1. Every firm runs three production lines: *slag* (take slag, sort by hand, crush, sieve), *ingot*
   (melt oversize) and *blocks* (mix, press, cure, pack). The engine records where each line's clock
   time goes: queueing for and working on each machine, waiting for or doing work with the crew
   (labour), waiting for slag (slag supply), waiting for material from the slag line (upstream),
   waiting for a curing-yard place (curing space), or idling because stock is at its cap and
   waits for a sale (market demand). KPIs ``time_share.<line>.<reason>``.
2. A line's constraint is the reason with the largest share of its time. ``upstream`` is resolved
   to the constraint of the slag line, which feeds the other two. Each line's constraint is
   reported with its evidence.
3. The scenario's bottleneck is the constraint of the line that earns most of the gross margin
   (each product's gross margin; a line losing money limits no money), so the blocks,
   three quarters bought cement, sand and water, do not decide by their tons. Without margins,
   by tons.
3a. Labour is named only when the people present are busy at least half their hours
   (their utilisation): when a line waits for people while those present are mostly idle, the
   constraint is *crew organisation* (who is called, and when), not a shortage of people.
3b. The ingot line's evidence includes the furnace's melts a working day against the whole
   melts a day can hold (a melt is never left overnight: the furnace's practical capacity).
4. When the replications are given and the paired 95 % CI of (largest share - runner-up share)
   on the deciding line contains zero, the two are a *near tie*: both are reported (``a ≈ b``).
5. For machines, the mean active period (``active_period_h.<machine>``: uninterrupted setup,
   operation and repair) ranks them; the machine with the longest is reported beside the finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from slagsim.analysis import kpis as K
from slagsim.analysis.stats import mean_ci
from slagsim.i18n import N_, _, number, percent, thing
from slagsim.model.vocabulary import INGOT, Line, Reason, machine_of

BUSY_ENOUGH = 0.5  # people present busy at least half their hours: then a wait for them is labour
CREW_ORGANISATION = N_("crew organisation")
KIND_LABELS = {
    Reason.slag_supply: N_("slag supply"),
    Reason.labour: N_("labour"),
    Reason.curing_space: N_("curing space"),
    Reason.market_demand: N_("market demand"),
    Reason.upstream: N_("material from the slag line"),
}
MACHINE_WORD = N_("(machine)")
# The method for a planner, in the report's language (the module's docstring says it for developers).
METHOD = (
    N_("What limits a scenario's output: a machine, slag supply, labour, curing space or market demand."),
    N_("Every firm runs three production lines: slag (take slag, sort by hand, crush, sieve), ingot (melt "
       "the oversize) and blocks (mix, press, cure, pack). The simulation writes down where each line's "
       "time goes: working on or queueing for each machine, waiting for its people or working with them "
       "(labour), waiting for slag (slag supply), waiting for material from the slag line, waiting for a "
       "place in the curing yard (curing space), or standing idle because the unsold stock is full "
       "(market demand)."),
    N_("A line's constraint is what takes the largest share of its time; a line waiting for material "
       "takes the constraint of the slag line, which feeds the other two."),
    N_("The scenario's bottleneck is the constraint of the line that earns most of the gross margin (a "
       "line losing money limits no money): blocks are mostly bought cement, sand and water, so their "
       "tons do not decide. Without margins, the line making most tons decides."),
    N_("Labour is named only when the people present are busy at least half their hours; when a line "
       "waits for people while those present are mostly idle, the constraint is crew organisation (who "
       "is called, and when), not a shortage of people."),
    N_("When the replications cannot tell the two largest shares apart (the 95 % CI of their paired "
       "difference holds zero), both are named: a ≈ b."),
    N_("For machines, the one with the longest mean active period (setup, work and repair without a "
       "break) is named beside the finding, as a check (Roser's method); the ingot line's evidence gives "
       "the furnace's melts a working day against the melts a day can hold."),
)


def method_text() -> list[str]:
    """How the bottleneck is found, paragraph by paragraph, in the current language."""
    return [_(paragraph) for paragraph in METHOD]


LINE_NAMES = {Line.slag: N_("slag"), Line.ingot: N_("ingot"), Line.blocks: N_("blocks")}


def translated(label: str) -> str:
    """A bottleneck label (``press (machine) ≈ labour``, as the CSVs keep it) in the current
    language, each machine by its label: "mesin press ≈ tenaga kerja"."""
    return " ≈ ".join(_one_translated(part) for part in label.split(" ≈ "))


def _one_translated(part: str) -> str:
    machine = part.removesuffix(f" {MACHINE_WORD}")
    if machine != part:
        return _("{machine} (machine)").format(machine=thing(machine))
    return _(part) if part in (*KIND_LABELS.values(), CREW_ORGANISATION) else part


@dataclass(frozen=True)
class LineConstraint:
    """The largest share of one line's time, and the runner-up."""

    line: str
    reason: str
    share: float
    runner_up: str
    runner_up_share: float


@dataclass(frozen=True)
class Bottleneck:
    """A scenario's bottleneck and the evidence for it."""

    kind: str  # machine, slag supply, labour, curing space, market demand
    resource: str  # the machine's name, or the kind again
    line: str  # the production line it was found on
    share: float  # share of that line's time spent on it
    via_upstream: bool  # the line waited for material and the slag line's constraint was taken
    lines: tuple[LineConstraint, ...]
    longest_active_machine: str
    longest_active_period_h: float
    tied_with: str = ""  # the runner-up's label when the two cannot be told apart
    weighed_by: str = "tons"  # what chose the deciding line: "margin" or "tons"
    utilisation: float | None = None  # WORKER_UTILISATION, when the KPIs hold it
    melts: tuple[float, float] | None = None  # melts a furnace-day, and how many fit in one

    @property
    def label(self) -> str:
        """``press (machine)``, ``slag supply``, ``slag supply ≈ press (machine)``."""
        own = f"{self.resource} {MACHINE_WORD}" if self.kind == "machine" else self.kind
        return f"{own} ≈ {self.tied_with}" if self.tied_with else own

    def explanation(self) -> str:
        """One sentence with the evidence, in the current language."""
        line = next(c for c in self.lines if c.line == self.line)
        text = _("the {line} line spends {share} of its time on {reason} (next: {runner_up}, "
                 "{runner_up_share})").format(
            line=line_name(self.line), share=percent(line.share), reason=_reason_label(line.reason),
            runner_up=_reason_label(line.runner_up), runner_up_share=percent(line.runner_up_share))
        if self.via_upstream:
            slag = next(c for c in self.lines if c.line == Line.slag)
            text += _("; the slag line that feeds it spends {share} of its time on {reason}").format(
                share=percent(slag.share), reason=_reason_label(slag.reason))
        if self.tied_with:
            text += _("; the two largest shares are not significantly different (paired 95 % CI)")
        if self.kind in (KIND_LABELS[Reason.labour], CREW_ORGANISATION) and self.utilisation is not None:
            text += _("; the people present are busy {share} of their hours").format(
                share=percent(self.utilisation))
        chosen = (_("; the {line} line was chosen as the one earning most") if self.weighed_by == "margin"
                  else _("; the {line} line was chosen as the one making most tons"))
        text += chosen.format(line=line_name(self.line))
        if self.longest_active_machine:
            text += _("; longest mean active period: {machine} ({hours} working hours)").format(
                machine=thing(self.longest_active_machine), hours=number(self.longest_active_period_h))
        return text

    def per_line(self) -> str:
        """Each line's own constraint and its share of the line's time (furnace melts with the ingot)."""
        parts = []
        for constraint in self.lines:
            reason, share = _reason_label(constraint.reason), percent(constraint.share)
            part = f"{line_name(constraint.line)}: {reason} ({share})"
            if constraint.line == Line.ingot and self.melts is not None:
                part += _(", {melts} melts a furnace-day of {fit} that fit").format(
                    melts=number(self.melts[0], 2), fit=number(self.melts[1], 0))
            parts.append(part)
        return "; ".join(parts)


def line_name(line: str) -> str:
    """A production line's name in the current language (slag, ingot, blocks)."""
    return _(LINE_NAMES.get(line, line))


def _reason_label(reason: str) -> str:
    """What a line spent its time on, in the current language (a machine by its label)."""
    machine = machine_of(reason)
    if machine:
        return _("the {machine}").format(machine=thing(machine))
    return _(KIND_LABELS[reason]) if reason in KIND_LABELS else reason


def line_constraint(kpis: Mapping[str, float], line: str) -> LineConstraint | None:
    """The reason with the largest share of ``line``'s time (None if the line never ran)."""
    shares = sorted(((value, K.TIME_SHARE.parts(kpi)[1]) for kpi, value in kpis.items()
                     if K.TIME_SHARE.matches(kpi) and K.TIME_SHARE.parts(kpi)[0] == line), reverse=True)
    if not shares or shares[0][0] <= 0:
        return None
    runner_up = shares[1] if len(shares) > 1 else (0.0, "")
    return LineConstraint(line, shares[0][1], shares[0][0], runner_up[1], runner_up[0])


def find_bottleneck(kpis: Mapping[str, float],
                    replications: Iterable[Mapping[str, float]] = ()) -> Bottleneck | None:
    """The bottleneck of a scenario from its mean KPIs; None without time-use KPIs.

    With the per-replication KPIs, a near tie between the deciding line's top two is reported.
    """
    constraints = {line: c for line in Line if (c := line_constraint(kpis, line)) is not None}
    if not constraints:
        return None
    line, weighed_by = _deciding_line(kpis, constraints)
    chosen = constraints[line]
    via_upstream = chosen.reason == Reason.upstream and Line.slag in constraints
    kind, resource = _kind(kpis, constraints, line)
    machine, period = _longest_active(kpis)
    utilisation = kpis.get(K.WORKER_UTILISATION.name)
    tied = _tied_label(chosen, constraints, list(replications))
    melts = ((kpis[K.MELTS_A_DAY.name], kpis[K.MELT_CAPACITY.name])
             if kpis.get(K.MELT_CAPACITY.name) else None)
    return Bottleneck(kind, resource, line, chosen.share, via_upstream,
                      tuple(constraints.values()), machine, period, tied, weighed_by, utilisation, melts)


def line_kind(kpis: Mapping[str, float], line: str) -> tuple[str, str] | None:
    """What limits one line, as (kind, resource), upstream resolved to the slag line's (None if
    the line never ran)."""
    constraints = {name: c for name in Line if (c := line_constraint(kpis, name)) is not None}
    return _kind(kpis, constraints, line) if line in constraints else None


def _kind(kpis: Mapping[str, float], constraints: Mapping[str, LineConstraint], line: str) -> tuple[str, str]:
    reason = constraints[line].reason
    if reason == Reason.upstream and Line.slag in constraints:
        reason = constraints[Line.slag].reason
    utilisation = kpis.get(K.WORKER_UTILISATION.name)
    if machine_of(reason):
        return "machine", machine_of(reason)
    if reason == Reason.labour and utilisation is not None and utilisation < BUSY_ENOUGH:
        return CREW_ORGANISATION, CREW_ORGANISATION
    label = KIND_LABELS.get(reason, reason)
    return label, label


def _deciding_line(kpis: Mapping[str, float], constraints: Mapping[str, LineConstraint]) -> tuple[str, str]:
    """The line that earns most of the margin (a line losing money limits no money), else the one
    making most tons; and which of the two chose it."""
    ingot = kpis.get(K.OUTPUT.key(INGOT), 0.0)
    margins = {key: value for key, value in kpis.items() if K.PRODUCT_MARGIN.matches(key)}
    ingot_margin = margins.get(K.PRODUCT_MARGIN.key(INGOT), 0.0)
    money = {Line.ingot: max(0.0, ingot_margin),
             Line.blocks: max(0.0, sum(margins.values()) - ingot_margin)}
    tons = {Line.ingot: ingot, Line.blocks: kpis.get(K.PRODUCT_OUTPUT.name, 0.0) - ingot}
    weights, weighed_by = (money, "margin") if any(money.values()) else (tons, "tons")
    line = max((name for name in weights if name in constraints), key=lambda n: weights[n], default=Line.slag)
    return line, weighed_by


def _tied_label(chosen: LineConstraint, constraints: dict[str, LineConstraint],
                replications: list[Mapping[str, float]]) -> str:
    """The runner-up's label if its share is not significantly below the top one's, else ''."""
    if len(replications) < 2 or not chosen.runner_up:
        return ""
    share = K.TIME_SHARE.key
    gaps = [r.get(share(chosen.line, chosen.reason), 0.0) - r.get(share(chosen.line, chosen.runner_up), 0.0)
            for r in replications]
    _, low, _ = mean_ci(gaps)
    if low > 0:
        return ""
    reason = chosen.runner_up
    if reason == Reason.upstream and Line.slag in constraints:
        reason = constraints[Line.slag].reason
    if machine_of(reason):
        return f"{machine_of(reason)} (machine)"
    return KIND_LABELS.get(reason, reason)


def _longest_active(kpis: Mapping[str, float]) -> tuple[str, float]:
    periods = [(value, K.ACTIVE_PERIOD.part(kpi)) for kpi, value in kpis.items()
               if K.ACTIVE_PERIOD.matches(kpi)]
    if not periods:
        return "", 0.0
    value, name = max(periods)
    return name, value
