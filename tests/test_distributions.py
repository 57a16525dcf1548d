"""Named distributions: sample means agree with the analytic means."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError

from slagsim.scenario.distributions import Distribution, Draws

ADAPTER = TypeAdapter(Distribution)
CASES = [
    3.5,
    {"dist": "uniform", "low": 1, "high": 3},
    {"dist": "triangular", "low": 3, "mode": 3.5, "high": 4},
    {"dist": "exponential", "mean": 2},
    {"dist": "normal", "mean": 1, "sd": 1},
    {"dist": "lognormal", "mean": 6, "sd": 4},
    {"dist": "gamma", "mean": 0.25, "sd": 0.08},
    {"dist": "weibull", "shape": 0.7, "scale": 40},
    {"dist": "empirical", "values": [1, 2, 10], "weights": [1, 1, 2]},
]


@pytest.mark.parametrize("spec", CASES)
def test_sample_mean_is_within_four_standard_errors(spec):
    dist = ADAPTER.validate_python(spec)
    rng = np.random.default_rng(42)
    draws = np.array([dist.sample(rng) for _ in range(20_000)])
    assert (draws >= 0).all()
    standard_error = draws.std(ddof=1) / math.sqrt(len(draws))
    assert abs(draws.mean() - dist.mean) <= 4 * standard_error + 1e-12


@pytest.mark.parametrize("spec", [
    {"dist": "uniform", "low": 3, "high": 1},
    {"dist": "exponential", "mean": -1},
    {"dist": "empirical", "values": [1, 2], "weights": [1]},
    {"dist": "gamma", "shape": 2},
    {"dist": "gamma", "mean": 1, "sd": 11},  # almost every draw near 0
    {"dist": "weibull", "shape": 0.1, "scale": 1},  # a few draws thousands of times the mean
])
def test_wrong_parameters_are_rejected(spec):
    with pytest.raises(ValidationError):
        ADAPTER.validate_python(spec)


@pytest.mark.parametrize("spec", [*CASES, {"dist": "triangular", "low": 2, "mode": 2, "high": 2},
                                  {"dist": "normal", "mean": 0.2, "sd": 1}])
def test_draws_in_blocks_are_the_one_at_a_time_draws(spec):
    """The engine draws cycle and curing times in blocks: the numbers must be exactly those of
    one ``sample`` call after another on the same stream (common random numbers depend on it),
    across block boundaries and for a normal whose negative draws are redrawn."""
    dist = ADAPTER.validate_python(spec)
    one_by_one = np.random.default_rng(7)
    expected = [dist.sample(one_by_one) for _ in range(1_000)]
    draws = Draws(dist, np.random.default_rng(7), first=3, largest=64)
    assert [draws() for _ in range(1_000)] == expected
