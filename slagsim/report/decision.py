"""The answer first: a plain sentence per option for the top of a report.

For each scenario against the baseline: the extra tons and extra gross margin a year (paired 95 %
CIs), what it costs to buy (the machines it adds, or the new machines it brings, at the prices in
the scenario), the simple payback (price / extra margin) and the share of replications paying back
within ten years, the binding constraint, and *why* when tons and money disagree: the extra blocks
cost more to make than they sell for, or the machines' upkeep outweighs the extra margin
(:mod:`slagsim.analysis.books`: the year's books, whose parts add up to the change in margin).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from slagsim.analysis import kpis as K
from slagsim.analysis.books import ExtraBooks, extra_books, why_text
from slagsim.analysis.bottleneck import translated
from slagsim.analysis.stats import mean_ci
from slagsim.batch.compare import Comparison
from slagsim.i18n import _, number, percent, rupiah, signed, signed_rupiah

HORIZON_YEARS = 10
Interval = tuple[float, float, float]


@dataclass(frozen=True)
class Option:
    """One scenario judged against the baseline, in the planner's terms."""

    name: str
    extra_t: Interval
    extra_margin_rp: Interval
    price_rp: float | None  # None: the scenario does not say what the change costs
    payback_years: float  # inf: never; 0: nothing to buy and it earns
    p_payback: float | None  # share of replications paying back within HORIZON_YEARS
    bottleneck: str
    books: ExtraBooks | None = None  # the extra year's books, line by line
    why: str = ""


def purchase_price(base: dict, option: dict) -> float | None:
    """What the option buys at the scenario's machine prices: each added machine, or every machine
    of a kind whose model changed (a replacement); 0 when no machine changes; None when something
    without a price changes (yard places)."""
    if base.get("curing_yard") != option.get("curing_yard"):
        return None
    total = 0.0
    before, after = base.get("machines", {}), option.get("machines", {})
    for name, machine in after.items():
        old = before.get(name)
        count, price = machine.get("count", 0), machine.get("price_rp", 0.0)
        if old is None or _model_changed(old, machine):
            total += count * price
        elif count > old.get("count", 0):
            total += (count - old["count"]) * price
    return total


def _model_changed(old: dict, new: dict) -> bool:
    """A different machine, not more of the same (crew and workers are how it is run)."""
    ignore = {"count", "workers", "crew"}
    return _without(old, ignore) != _without(new, ignore)


def _without(mapping: dict, keys: set[str]) -> dict:
    return {k: v for k, v in mapping.items() if k not in keys}


def options(comparison: Comparison) -> list[Option]:
    """Every non-baseline scenario as an :class:`Option`, best extra margin first."""
    runs = {run.name: run for run in comparison.results.runs}
    base = runs[comparison.baseline]
    base_kpis = base.kpi_table()
    found = []
    for name, run in runs.items():
        if name == comparison.baseline:
            continue
        mine = run.kpi_table()
        common = sorted(set(base_kpis) & set(mine))
        if not common:
            continue
        tons = [mine[r][K.PRODUCT_OUTPUT.name] - base_kpis[r][K.PRODUCT_OUTPUT.name] for r in common]
        margins = [mine[r][K.GROSS_MARGIN.name] - base_kpis[r][K.GROSS_MARGIN.name] for r in common]
        price = purchase_price(base.scenario, run.scenario)
        margin = mean_ci(margins)
        found.append(Option(name, mean_ci(tons), margin, price, _payback(price, margin[0]),
                            _share_paying(price, margins), comparison.bottleneck_label(name),
                            *_why(run, _means(base_kpis, common), _means(mine, common), mean_ci(tons),
                                  margin)))
    return sorted(found, key=lambda o: o.extra_margin_rp[0], reverse=True)


def _payback(price: float | None, margin: float) -> float:
    if margin <= 0:
        return math.inf
    return (price or 0.0) / margin


def _share_paying(price: float | None, margins: list[float]) -> float | None:
    if price is None:
        return None
    return sum(_payback(price, m) <= HORIZON_YEARS for m in margins) / len(margins)


def _means(table: dict, replications: list) -> dict[str, float]:
    """KPI means over the replications both runs share, so the books pair like the margin's CI."""
    names = set().union(*(table[r] for r in replications))
    return {k: math.fsum(table[r].get(k, 0.0) for r in replications) / len(replications) for k in names}


def _why(run, before: dict[str, float], after: dict[str, float], tons: Interval, margin: Interval
         ) -> tuple[ExtraBooks, str]:
    """The option's extra books, and why more tons earn less when they do: per extra piece, what it
    costs to make against what it sells for; the machines' fixed upkeep; what was made but not sold;
    and the year's books, whose parts add up to the change in margin."""
    blocks = run.scenario.get("products", {}).get("blocks", {})
    books = extra_books(before, after, blocks)
    if not (tons[1] > 0 and margin[0] < 0):
        return books, ""
    return books, why_text(books)


def sentence(option: Option) -> str:
    """The option in one plain sentence, in the current language (labels from the KPI registry)."""
    tons, margin = option.extra_t, option.extra_margin_rp
    text = _("{name}: {tons} t/yr of {output} (95 % CI {tons_low} to {tons_high}), {margin} a year of "
             "{gross_margin} (95 % CI {margin_low} to {margin_high}); {payback}").format(
        name=option.name, tons=signed(tons[0]), output=_(K.PRODUCT_OUTPUT.label).lower(),
        tons_low=number(tons[1]), tons_high=number(tons[2]), margin=signed_rupiah(margin[0]),
        gross_margin=_(K.GROSS_MARGIN.label).lower(), margin_low=rupiah(margin[1]),
        margin_high=rupiah(margin[2]), payback=payback_text(option))
    if option.bottleneck:
        text += _("; what limits it then: {limit}").format(limit=translated(option.bottleneck))
    if option.why:
        text += _(". Why: {why}").format(why=option.why)
    return text + "."


def payback_text(option: Option) -> str:
    """Payback in words: never, at once, or in N years (with the chance within the horizon)."""
    if option.price_rp is None:
        return _("its price is not in the scenario, so no payback")
    if math.isinf(option.payback_years):
        return _("never pays back (it earns less than today)")
    if option.extra_margin_rp[1] <= 0:
        return _("its gain in margin cannot be told from zero, so no payback can be promised")
    if option.price_rp == 0:
        return _("nothing to buy: it pays from the first year")
    text = _("pays back its {price} in {years} years").format(
        price=rupiah(option.price_rp), years=number(option.payback_years))
    if option.p_payback is not None:
        text += _(", {share} of replications within {horizon} years").format(
            share=percent(option.p_payback), horizon=HORIZON_YEARS)
    return text
