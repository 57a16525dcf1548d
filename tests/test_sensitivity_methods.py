"""The sensitivity code path against functions with known indices (SALib's Ishigami and Sobol G)."""

from __future__ import annotations

import numpy as np
import pytest
from SALib.test_functions import Ishigami, Sobol_G

from slagsim.analysis.screening import Problem, morris_design, morris_indices, sobol_design, sobol_indices

SEED = 20241128


def ishigami(unit: np.ndarray) -> np.ndarray:
    return Ishigami.evaluate(-np.pi + 2 * np.pi * unit)  # our factors live on [0, 1]


def assert_indices_hold(table, names, first_orders, totals) -> None:
    """Every exact index inside its estimate's 95 % CI (widened by 0.01 for the CI's own error)."""
    table = table.set_index("group")
    for name, first, total in zip(names, first_orders, totals, strict=True):
        row = table.loc[name]
        assert row.first_order_ci95_low - 0.01 <= first <= row.first_order_ci95_high + 0.01, (name, row)
        assert row.total_ci95_low - 0.01 <= total <= row.total_ci95_high + 0.01, (name, row)


def test_sobol_indices_of_ishigami_hold_the_exact_values():
    """Exact (Ishigami & Homma 1990, a=7, b=0.1): S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437."""
    names = ("x1", "x2", "x3")
    problem = Problem(names, names)
    points = sobol_design(problem, 4096, SEED)
    assert_indices_hold(sobol_indices(problem, ishigami(points), SEED), names, [0.3139, 0.4424, 0.0],
                        [0.5576, 0.4424, 0.2437])


@pytest.mark.slow
def test_sobol_indices_of_sobol_g_hold_the_exact_values():
    a = np.array([0, 1, 4.5, 9, 99, 99])
    names = tuple(f"x{i}" for i in range(len(a)))
    problem = Problem(names, names)
    points = sobol_design(problem, 4096, SEED)
    assert_indices_hold(sobol_indices(problem, Sobol_G.evaluate(points, a), SEED), names,
                        Sobol_G.sensitivity_index(a), Sobol_G.total_sensitivity_index(a))


def test_morris_ranks_sobol_g_by_importance():
    """Sobol G's importance falls as a_i grows; Morris mu* must rank x0 > x1 > x2 > x3 > the rest."""
    a = np.array([0, 1, 4.5, 9, 99, 99])
    names = tuple(f"x{i}" for i in range(len(a)))
    problem = Problem(names, names)
    points = morris_design(problem, 50, SEED)
    table = morris_indices(problem, points, Sobol_G.evaluate(points, a), SEED)
    assert list(table.group[:4]) == ["x0", "x1", "x2", "x3"]
    assert (table.mu_star_ci95_low <= table.mu_star).all()


def test_grouped_factors_are_screened_together():
    problem = Problem(("a1", "a2", "b"), ("a", "a", "b"))
    points = morris_design(problem, 20, SEED)
    values = 10 * points[:, 0] + 10 * points[:, 1] + points[:, 2]
    table = morris_indices(problem, points, values, SEED)
    assert list(table.group) == ["a", "b"]
    # a group's factors change in the same step (each up or down), so its effect is at least one's
    assert table.mu_star[0] >= 10 - 1e-9 and table.mu_star[1] == pytest.approx(1)
