"""Who gets the credit for a jump: Shapley shares of interventions that were made together.

When several interventions (machines, a B3 permit, market access, a trained workforce) came
together and the outcome rose from ``v(nothing)`` to ``v(everything)``, their effects interact,
so "the effect of each" depends on the order they are added in. The Shapley value averages each
intervention's marginal effect over every order:

    phi_i = sum over S not holding i of |S|! (n - |S| - 1)! / n! * (v(S + i) - v(S))

The shares add up to the whole jump, ``v(all) - v(none)``, exactly. With common random numbers
each replication gives one set of shares; their mean and Student-t CI say how sure the split is.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping

from slagsim.analysis.stats import mean_ci

Coalition = frozenset[str]


def coalitions(players: Iterable[str]) -> list[Coalition]:
    """Every subset of ``players``, from none to all (the scenarios a full attribution runs)."""
    names = list(players)
    return [frozenset(combo) for size in range(len(names) + 1)
            for combo in itertools.combinations(names, size)]


def shapley(value: Mapping[Coalition, float], players: Iterable[str]) -> dict[str, float]:
    """Each player's Shapley share of ``value[all] - value[none]``; ``value`` must hold every coalition."""
    names = list(players)
    n = len(names)
    missing = [set(c) for c in coalitions(names) if c not in value]
    if missing:
        raise ValueError(f"no value for the coalitions {missing[:3]} (and {max(0, len(missing) - 3)} more)")
    shares = {}
    for player in names:
        others = [name for name in names if name != player]
        total = 0.0
        for size in range(n):
            weight = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
            for combo in itertools.combinations(others, size):
                before = frozenset(combo)
                total += weight * (value[before | {player}] - value[before])
        shares[player] = total
    return shares


def attribution_rows(values: Mapping[Coalition, Mapping[int, Mapping[str, float]]], players: list[str],
                     kpis: list[str]) -> list[dict[str, object]]:
    """Per KPI and player: the mean Shapley share over the replications, its CI and its percent of the jump.

    ``values[coalition][replication][kpi]``; only replications every coalition has are used, so
    the shares of a replication always add up to that replication's jump.
    """
    common = sorted(set.intersection(*(set(by_rep) for by_rep in values.values())))
    everything, nothing = frozenset(players), frozenset()
    rows = []
    for kpi in kpis:
        per_rep = [shapley({c: values[c][r][kpi] for c in values}, players) for r in common]
        jumps = [values[everything][r][kpi] - values[nothing][r][kpi] for r in common]
        jump = math.fsum(jumps) / len(jumps) if jumps else math.nan
        for player in players:
            mean, low, high = mean_ci([shares[player] for shares in per_rep])
            percent = 100 * mean / jump if jump else math.nan
            rows.append({"kpi": kpi, "intervention": player, "share": mean, "share_ci95_low": low,
                         "share_ci95_high": high, "share_pct_of_jump": percent, "jump": jump,
                         "replications": len(common)})
    return rows
