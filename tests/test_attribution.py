"""Shapley shares: exact on games with known answers, and they always add up to the jump."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slagsim.analysis.attribution import attribution_rows, coalitions, shapley

PLAYERS = ["machines", "permit", "market", "workforce"]


def test_an_additive_game_gives_each_player_its_own_effect():
    effect = {"machines": 300.0, "permit": 50.0, "market": 100.0, "workforce": -20.0}
    value = {c: 60.0 + sum(effect[p] for p in c) for c in coalitions(PLAYERS)}
    assert shapley(value, PLAYERS) == pytest.approx(effect)


def test_a_pure_interaction_is_split_evenly_between_the_players_it_needs():
    # machines are worth 400 only with a B3 permit (before it, the firms could not work lawfully)
    value = {c: 400.0 if {"machines", "permit"} <= c else 0.0 for c in coalitions(PLAYERS)}
    shares = shapley(value, PLAYERS)
    assert shares == pytest.approx({"machines": 200.0, "permit": 200.0, "market": 0.0, "workforce": 0.0})


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=16, max_size=16))
def test_shares_always_add_up_to_the_jump(numbers):
    value = dict(zip(coalitions(PLAYERS), numbers, strict=True))
    total = sum(shapley(value, PLAYERS).values())
    assert math.isclose(total, value[frozenset(PLAYERS)] - value[frozenset()], rel_tol=1e-9, abs_tol=1e-6)


def test_a_missing_coalition_is_an_error():
    with pytest.raises(ValueError, match="no value for the coalitions"):
        shapley({frozenset(): 0.0, frozenset(PLAYERS): 1.0}, PLAYERS)


def test_rows_hold_mean_shares_with_cis_over_replications():
    players = ["a", "b"]
    values = {c: {r: {"t": 10.0 * len(c) + r + (5.0 if c == frozenset(players) else 0.0)} for r in range(4)}
              for c in coalitions(players)}
    rows = attribution_rows(values, players, ["t"])
    assert [row["intervention"] for row in rows] == ["a", "b"]
    assert sum(row["share"] for row in rows) == pytest.approx(25.0)
    assert sum(row["share_pct_of_jump"] for row in rows) == pytest.approx(100.0)
    assert rows[0]["replications"] == 4 and rows[0]["share_ci95_low"] <= rows[0]["share"]
