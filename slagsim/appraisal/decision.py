"""The grant's answer: what to buy with each payer's money, or to do nothing with it.

A DAK grant, the cooperative's savings and the firms' own money are different budgets: an item is
bought by whoever its menu entry says pays (``paid_by``), so each payer with a budget gets its own
answer from the items it would pay for. The answer is the affordable candidate (an item or a
bundle of that payer's items) with the highest mean NPV among those whose NPV is positive in more
than half of the replications; when none is, the answer is to do nothing with that money, and the
payer's candidate closest to paying is named with what it lacks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from slagsim.appraisal.appraise import Appraisal
from slagsim.appraisal.menu import Menu, Payer, shown_item
from slagsim.errors import ScenarioError
from slagsim.i18n import N_, _, number, percent, rupiah

BUDGET_OPTION = "--budget"
MORE_THAN_HALF = 0.5  # a purchase the planner can stake a grant on pays in most futures


def parse_budgets(text: str) -> dict[Payer, float]:
    """``400000000`` (a DAK grant) or ``dak=400000000,cooperative=50000000``: each payer's money."""
    parts = [part.strip() for part in str(text).split(",") if part.strip()]
    if not parts:
        raise ScenarioError("give an amount in Rupiah, e.g. --budget 400000000 or "
                            "--budget dak=400000000,cooperative=50000000", file=BUDGET_OPTION)
    if len(parts) == 1 and "=" not in parts[0]:
        return {Payer.dak: _amount(parts[0])}
    budgets: dict[Payer, float] = {}
    for part in parts:
        payer, _sep, amount = part.partition("=")
        try:
            who = Payer(payer.strip())
        except ValueError:
            raise ScenarioError(f"{payer.strip()!r} is not a payer; use "
                                f"{', '.join(p.value for p in Payer)}, e.g. dak=400000000",
                                file=BUDGET_OPTION) from None
        if who in budgets:
            raise ScenarioError(f"{who.value} is given twice; give each payer once", file=BUDGET_OPTION)
        budgets[who] = _amount(amount)
    return budgets


def _amount(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ScenarioError(f"{text.strip()!r} is not a number: give Rupiah, e.g. 400000000",
                            file=BUDGET_OPTION) from None
    if not math.isfinite(value):
        raise ScenarioError(f"{text.strip()!r} is not a finite number: give Rupiah, e.g. 400000000",
                            file=BUDGET_OPTION)
    if value < 0:
        raise ScenarioError(f"{text.strip()!r} is below 0: give Rupiah, e.g. 400000000", file=BUDGET_OPTION)
    return value


def payer_of(menu: Menu, bundle: tuple[str, ...]) -> Payer | None:
    """Who pays for every item of ``bundle`` (None when its items have different payers)."""
    payers = {menu.items[name].paid_by for name in bundle}
    return payers.pop() if len(payers) == 1 else None


PAYER_WORDS = {Payer.dak: N_("DAK"), Payer.cooperative: N_("cooperative"), Payer.firm: N_("firms")}


def who_pays(menu: Menu, budgets: dict[Payer, float] | None, appraisal: Appraisal) -> tuple[str, bool]:
    """Who pays for a candidate, in words, and whether its price is over that payer's budget (a
    payer without a budget given has none to be over)."""
    payer = payer_of(menu, appraisal.bundle)
    if payer is None:
        return _("several payers"), False
    budget = (budgets or {}).get(payer)
    return _(PAYER_WORDS[payer]), budget is not None and appraisal.price_rp > budget


def p_npv_positive(appraisal: Appraisal) -> float:
    """The share of replications whose NPV is above zero."""
    return sum(v > 0 for v in appraisal.npvs) / len(appraisal.npvs) if appraisal.npvs else math.nan


@dataclass(frozen=True)
class Decision:
    """One payer's answer."""

    payer: Payer
    budget_rp: float
    chosen: Appraisal | None  # None: do nothing with this money
    nearest: Appraisal | None  # with nothing chosen: the payer's candidate closest to paying
    over_budget: tuple[str, ...]  # the payer's items priced above its budget
    why: str = ""  # the answer's extra year in the books, against what it costs
    change: str = ""  # what would turn the answer (a budget, or an estimate's value)
    menu: Menu | None = field(default=None, compare=False, repr=False)  # for the items' labels

    def _shown(self, name: str) -> str:
        return shown_item(self.menu, name) if self.menu is not None else name

    @property
    def do_nothing(self) -> bool:
        return self.chosen is None

    def record(self) -> dict[str, object]:
        """The answer for scripts (``appraisal/decision.json``)."""
        shown = self.chosen or self.nearest
        entry: dict[str, object] = {
            "budget_rp": self.budget_rp, "paid_by": self.payer.value, "do_nothing": self.do_nothing,
            "buy": list(self.chosen.bundle) if self.chosen else [],
            "over_budget": list(self.over_budget),
            "nearest": shown.name if self.do_nothing and shown else None,
            "why": self.why, "what_would_change": self.change}
        if shown is not None:
            entry |= {"price_rp": shown.price_rp, "npv_rp": shown.npv_rp[0], "npv_ci95_low": shown.npv_rp[1],
                      "npv_ci95_high": shown.npv_rp[2], "p_npv_positive": p_npv_positive(shown),
                      "median_payback_years": _finite(shown.median_payback),
                      "p_payback_within_horizon": shown.p_payback[0], "replications": len(shown.npvs)}
        return entry

    def statement(self, horizon_years: int) -> str:
        """The headline, then why, then what would change it."""
        return " ".join(part for part in (self.headline(horizon_years), self.why, self.change) if part)

    def headline(self, horizon_years: int) -> str:
        """The answer in one sentence, budget and payer first."""
        money = _money(self.payer, self.budget_rp)
        if self.chosen is not None:
            return _("With {money}: buy {items} ({figures}).").format(
                money=money, items=" + ".join(self._shown(item) for item in self.chosen.bundle),
                figures=_figures(self.chosen, horizon_years))
        if self.nearest is None:
            return _("With {money}: do nothing with this money: the menu has nothing it would pay "
                     "for.").format(money=money)
        over = (_("; it costs {price}, over the budget").format(price=rupiah(self.nearest.price_rp))
                if self.nearest.price_rp > self.budget_rp else "")
        said = _("With {money}: do nothing with this money. Nothing on the menu it pays for and can afford "
                 "has a positive NPV in more than half of the futures; the nearest is {name} "
                 "({figures}{over}).")
        return said.format(money=money, name=self._shown(self.nearest.name),
                           figures=_figures(self.nearest, horizon_years), over=over)


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _money(payer: Payer, budget_rp: float) -> str:
    whose = {Payer.dak: _("of DAK"), Payer.cooperative: _("of the cooperative's money"),
             Payer.firm: _("of the firms' own money")}[payer]
    return f"{rupiah(budget_rp)} {whose}"


def _figures(a: Appraisal, horizon_years: int) -> str:
    """NPV with its interval, how often it is positive, and its payback in words that agree with
    the chance of paying back."""
    npv = _("NPV {npv}, 95 % CI {low} to {high}; positive in {share} of futures").format(
        npv=rupiah(a.npv_rp[0]), low=rupiah(a.npv_rp[1]), high=rupiah(a.npv_rp[2]),
        share=percent(p_npv_positive(a)))
    return f"{npv}; {payback_words(a, horizon_years)}"


def payback_words(a: Appraisal, horizon_years: int) -> str:
    """How a candidate pays back, never contradicting its chance of paying back: an item with no
    price earns (or loses) its extra margin net of its yearly costs; a median beyond the horizon
    with some futures paying back says how many."""
    share = a.p_payback[0]
    if a.price_rp == 0:
        net = a.extra_margin_rp[0] - a.yearly_cost_rp
        if net > 0:
            return _("nothing to pay up front; it earns {net} net a year").format(net=rupiah(net))
        return _("nothing to pay up front, but it loses {net} net a year").format(net=rupiah(-net))
    if share == 0:
        return _("never pays back within {years} years").format(years=horizon_years)
    if not math.isfinite(a.median_payback) or a.median_payback > horizon_years:
        return _("pays back within {years} years in only {share} of futures").format(
            years=horizon_years, share=percent(share))
    return _("pays back in {median} years (median), within {years} years in {share} of futures").format(
        median=number(a.median_payback, 1), years=horizon_years, share=percent(share))


def decide(menu: Menu, budgets: dict[Payer, float], candidates: list[Appraisal]) -> list[Decision]:
    """Each payer's answer from ``candidates`` (items and bundles already appraised)."""
    decisions = []
    for payer, budget in budgets.items():
        mine = [a for a in candidates if a.bundle and payer_of(menu, a.bundle) is payer]
        affordable = [a for a in mine if a.price_rp <= budget]
        paying = [a for a in affordable if p_npv_positive(a) > MORE_THAN_HALF]
        chosen = max(paying, key=lambda a: a.npv_rp[0], default=None)
        nearest = None if chosen else max(mine, key=lambda a: (p_npv_positive(a), a.npv_rp[0]), default=None)
        over = tuple(name for name, item in menu.items.items()
                     if item.paid_by is payer and item.price_rp > budget)
        decisions.append(Decision(payer, budget, chosen, nearest, over, menu=menu))
    return decisions
