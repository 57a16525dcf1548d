"""``slagsim calibrate RECORDS --scenario FILE`` without the terminal: fit the estimates to the books.

:func:`make_plan` reads the books and lays out the draws (:mod:`~slagsim.calibration.draws`);
:func:`run` simulates every draw not yet stored and, when all came back, writes the posterior,
the fit, the figures and the calibrated scenario (:mod:`~slagsim.calibration.write`). The command
line prints the :class:`Calibration` it returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from slagsim.calibration.draws import Plan, Result, default_out, expected_time, make_plan
from slagsim.calibration.draws import run as run_draws
from slagsim.calibration.posterior import Posterior
from slagsim.calibration.write import write_calibration
from slagsim.runs.reporting import Reporter

__all__ = ["Calibration", "Plan", "default_out", "expected_time", "make_plan", "run"]


@dataclass(frozen=True)
class Calibration:
    """The draws, and when every draw came back, the posterior table, the calibrated scenario and
    the posterior itself (whose column checks name what the model cannot make)."""

    draws: Result
    posterior: pd.DataFrame | None
    scenario: Path | None
    fitted: Posterior | None = None

    @property
    def complete(self) -> bool:
        return self.posterior is not None and self.draws.complete


def run(plan: Plan, out: Path, jobs: int | None, scheduler: str | None, resume: bool, yes: bool,
        reporter: Reporter) -> Calibration:
    """Run the missing draws; with none missing, write everything the calibration found."""
    draws = run_draws(plan, out, jobs, scheduler, resume, yes, reporter)
    if draws.missing:
        return Calibration(draws, None, None)
    posterior, scenario, fitted = write_calibration(draws, list(plan.scenario(0).products.blocks))
    return Calibration(draws, posterior, scenario, fitted)
