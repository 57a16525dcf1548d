"""Bundles of items within a budget: every bundle when few, a greedy search when many.

Greedy (documented heuristic): start from nothing; at each step simulate every affordable bundle
that adds one more item, keep the one with the highest mean NPV gain per Rupiah spent (the highest
gain when it costs nothing), and stop when no addition raises the mean NPV or nothing fits. Every
bundle met on the way has been simulated, so the best bundles reported are checked by simulation,
not estimated. Bundles whose items set one key to different values are never formed.
"""

from __future__ import annotations

from collections.abc import Callable

from slagsim.appraisal.appraise import Appraisal
from slagsim.appraisal.evaluate import Bundle
from slagsim.appraisal.menu import Menu
from slagsim.i18n import _
from slagsim.scenario.limits import MAX_BUNDLES

Judge = Callable[[list[Bundle]], dict[Bundle, Appraisal]]


def price(menu: Menu, bundle: Bundle) -> float:
    """The bundle's purchase price."""
    return sum(menu.items[name].price_rp for name in bundle)


def compatible(menu: Menu, bundle: Bundle) -> bool:
    """No two items set the same key to different values."""
    values: dict[str, object] = {}
    for name in bundle:
        for key, value in menu.items[name].set.items():
            if values.setdefault(key, value) != value:
                return False
    return True


def feasible_bundles(menu: Menu, budget_rp: float, most: int = MAX_BUNDLES) -> list[Bundle]:
    """Every non-empty, compatible bundle within the budget, by size then in menu order; at most
    ``most + 1`` of them, enough to know there are more than ``most``.

    Bundles are grown one item at a time from the feasible bundles one item smaller: an item only
    adds to the price and never undoes a clash, so a bundle that does not fit is never grown. The
    work is bounded by the bundles kept, not by the 2^n subsets of the menu (2^40 for 40 free items)."""
    names = list(menu.items)
    fits = [b for b in ((name,) for name in names) if price(menu, b) <= budget_rp and compatible(menu, b)]
    bundles = fits[: most + 1]
    while fits and len(bundles) <= most:
        grown = []
        for bundle in fits:
            for name in names[names.index(bundle[-1]) + 1:]:
                larger = (*bundle, name)
                if price(menu, larger) <= budget_rp and compatible(menu, larger):
                    grown.append(larger)
                    if len(bundles) + len(grown) > most:
                        return bundles + grown
        bundles += grown
        fits = grown
    return bundles


def search(menu: Menu, budget_rp: float, judge: Judge) -> tuple[list[Appraisal], str]:
    """Appraisals of the bundles searched, best mean NPV first, and the method used."""
    bundles = feasible_bundles(menu, budget_rp, menu.max_exhaustive_bundles)
    if len(bundles) <= menu.max_exhaustive_bundles:
        found = judge(bundles)
        method = _("every bundle within the budget ({count})").format(count=len(bundles))
    else:
        found = greedy(menu, budget_rp, judge)
        method = _("greedy by NPV gain per Rupiah ({simulated} bundles simulated of more than {most} "
                   "within the budget)").format(simulated=len(found), most=menu.max_exhaustive_bundles)
    ranked = sorted(found.values(), key=lambda a: a.npv_rp[0], reverse=True)
    return ranked, method


def greedy(menu: Menu, budget_rp: float, judge: Judge) -> dict[Bundle, Appraisal]:
    """The greedy search; returns every bundle it simulated."""
    seen: dict[Bundle, Appraisal] = {}
    current: Bundle = ()
    current_npv = 0.0
    while True:
        steps = [_add(current, name, menu) for name in menu.items if name not in current]
        steps = [b for b in steps if price(menu, b) <= budget_rp and compatible(menu, b)]
        if not steps:
            return seen
        seen.update(judge([b for b in steps if b not in seen]))
        spent = price(menu, current)
        best = max(steps, key=lambda b: _gain_per_rupiah(seen[b], current_npv, price(menu, b) - spent))
        if seen[best].npv_rp[0] <= current_npv:
            return seen
        current, current_npv = best, seen[best].npv_rp[0]


def _add(bundle: Bundle, name: str, menu: Menu) -> Bundle:
    order = list(menu.items)
    return tuple(sorted((*bundle, name), key=order.index))


def _gain_per_rupiah(appraisal: Appraisal, current_npv: float, extra_price: float) -> tuple[float, float]:
    gain = appraisal.npv_rp[0] - current_npv
    return (gain / extra_price if extra_price > 0 else float("inf") if gain > 0 else gain, gain)
