"""The sampling designs and estimators, from SALib; nothing here knows the plant.

A *problem* is a list of factor groups, each varied over [0, 1] (the caller maps a unit value to
a scenario value), so one design works for every kind of range. Morris screening gives each
group's mean absolute elementary effect mu* (with a bootstrap CI) and its spread sigma; Sobol
gives first-order and total variance shares with CIs. Both come from SALib, which is well kept
and validated; they are not written by hand here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import latin as latin_sample
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

MORRIS_LEVELS = 4
RESAMPLES = 1000


@dataclass(frozen=True)
class Problem:
    """Factors (one unit interval each) and the group each belongs to; groups move together."""

    factors: tuple[str, ...]
    groups: tuple[str, ...]

    @property
    def salib(self) -> dict:
        problem = {"num_vars": len(self.factors), "names": list(self.factors),
                   "bounds": [[0.0, 1.0]] * len(self.factors)}
        if self.groups != self.factors:  # results are then named by group
            problem["groups"] = list(self.groups)
        return problem

    @property
    def group_names(self) -> list[str]:
        return list(dict.fromkeys(self.groups))


def morris_design(problem: Problem, trajectories: int, seed: int) -> np.ndarray:
    """Unit points of ``trajectories`` Morris trajectories (rows x factors)."""
    return morris_sample.sample(problem.salib, trajectories, num_levels=MORRIS_LEVELS, seed=seed)


def morris_indices(problem: Problem, points: np.ndarray, values: np.ndarray, seed: int) -> pd.DataFrame:
    """mu* (with its 95 % CI), mu and sigma per group, ranked by mu*."""
    result = morris_analyze.analyze(problem.salib, points, np.asarray(values, dtype=float),
                                    num_resamples=RESAMPLES, conf_level=0.95,
                                    num_levels=MORRIS_LEVELS, seed=seed)
    table = pd.DataFrame({"group": list(result["names"]), "mu_star": result["mu_star"],
                          "mu_star_conf": result["mu_star_conf"], "mu": result["mu"],
                          "sigma": result["sigma"]})
    table["mu_star_ci95_low"] = table.mu_star - table.mu_star_conf
    table["mu_star_ci95_high"] = table.mu_star + table.mu_star_conf
    table = table.sort_values("mu_star", ascending=False, kind="stable").reset_index(drop=True)
    table.insert(0, "rank", range(1, len(table) + 1))
    return table.drop(columns="mu_star_conf")


def latin_design(problem: Problem, draws: int, seed: int) -> np.ndarray:
    """``draws`` unit points of a Latin hypercube over the groups (every factor of a group takes its
    group's value, as in Morris): each group's range is covered evenly even with few draws."""
    names = problem.group_names
    groups = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    by_group = latin_sample.sample(groups, draws, seed=seed)
    columns = [names.index(group) for group in problem.groups]
    return by_group[:, columns]


def sobol_design(problem: Problem, samples: int, seed: int) -> np.ndarray:
    """Unit points of a Saltelli design with ``samples`` base samples (a power of 2)."""
    return sobol_sample.sample(problem.salib, samples, calc_second_order=False, seed=seed)


def sobol_indices(problem: Problem, values: np.ndarray, seed: int) -> pd.DataFrame:
    """First-order and total indices per group with 95 % CIs, ranked by the total index."""
    result = sobol_analyze.analyze(problem.salib, np.asarray(values, dtype=float), calc_second_order=False,
                                   num_resamples=RESAMPLES, conf_level=0.95, seed=seed)
    names = problem.group_names
    table = pd.DataFrame({"group": names, "first_order": result["S1"], "total": result["ST"]})
    table["first_order_ci95_low"] = result["S1"] - result["S1_conf"]
    table["first_order_ci95_high"] = result["S1"] + result["S1_conf"]
    table["total_ci95_low"] = result["ST"] - result["ST_conf"]
    table["total_ci95_high"] = result["ST"] + result["ST_conf"]
    table = table.sort_values("total", ascending=False, kind="stable").reset_index(drop=True)
    table.insert(0, "rank", range(1, len(table) + 1))
    return table
