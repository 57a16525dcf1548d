"""``slagsim run`` without the terminal: one scenario's replications, checked, locked and written.

The command line parses the options, calls :func:`plan` and :func:`run`, and prints the
:class:`RunOutcome` it gets back; everything between (the output check, the lock, the run-time
forecast, the replications and the atomic write) happens here, so a script gets the same run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from slagsim.errors import SimulationError
from slagsim.results.folders import RUN, OutputLock, check_output
from slagsim.runs.duration import check_duration, estimate
from slagsim.runs.experiment import ExperimentResult, ReplicationResult, RunSettings, run_experiment
from slagsim.runs.folder import summary_table, write_run
from slagsim.scenario.load import load_scenario
from slagsim.scenario.schema import Scenario


@dataclass(frozen=True)
class RunPlan:
    """What ``slagsim run`` will do: the resolved scenario, its settings and where it writes."""

    scenario_file: Path
    scenario: Scenario
    settings: RunSettings
    out: Path


@dataclass(frozen=True)
class RunOutcome:
    """A finished run: every replication, the KPI summary as written, and a warm-up warning if any."""

    result: ExperimentResult
    summary: pd.DataFrame
    out: Path
    warning: str | None


def plan(scenario_file: Path, overrides: tuple[str, ...] = (), reps: int | None = None,
         years: float | None = None, warmup_days: float | None = None, seed: int | None = None,
         out: Path | None = None) -> RunPlan:
    """Load the scenario (a ScenarioError for bad input) and settle the settings and the folder."""
    scenario = load_scenario(scenario_file, overrides)
    settings = RunSettings.from_scenario(scenario, reps, years, warmup_days, seed)
    return RunPlan(scenario_file, scenario, settings, out or Path("results") / scenario.name)


Watch = Callable[[], AbstractContextManager[Callable[[ReplicationResult], None]]]


def run(plan: RunPlan, yes: bool, watch: Watch | None = None) -> RunOutcome:
    """Check the folder, take its lock, run every replication and write the run folder.

    ``watch`` opens what is told of each finished replication (a progress bar), once the run-time
    forecast has been accepted. Nothing is written before the last replication is done; a
    replication that fails names its number in the SimulationError.
    """
    check_output(plan.out, RUN, [plan.scenario_file])
    with OutputLock(plan.out):
        settings = plan.settings
        check_duration(estimate([(plan.scenario, settings.replications)], settings, 1), yes, "run")
        done = [0]

        def advance(replication: ReplicationResult) -> None:
            done[0] += 1
            on_done(replication)

        try:
            with (watch or _unwatched)() as on_done:
                result = run_experiment(plan.scenario, settings, on_done=advance)
        except SimulationError as exc:
            raise SimulationError(f"{plan.scenario_file}: replication {done[0]}: {exc}") from None
        write_run(result, plan.out, plan.scenario_file)
    return RunOutcome(result, summary_table(result), plan.out, result.warmup_warning())


@contextmanager
def _unwatched() -> Iterator[Callable[[ReplicationResult], None]]:
    yield lambda _: None
