"""``slagsim run`` without the terminal: one scenario's replications, checked, locked and written.

The command line parses the options, calls :func:`plan` and :func:`run`, and prints the
:class:`RunOutcome` it gets back; everything between (the output check, the lock, the run-time
forecast, the replications and the atomic write) happens here, so a script gets the same run.

A run whose inputs were edited (``--set``, ``--set-from``) is another scenario: it is named
``<scenario>-edited`` (:mod:`slagsim.scenario.edits`) and today's scenario runs beside it with the
same seed and replications, so ``against-today.csv`` holds the paired difference the edits make
(:func:`slagsim.analysis.paired.comparison_table`, as in ``compare``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from slagsim.analysis.paired import comparison_table
from slagsim.errors import SimulationError
from slagsim.layout import AGAINST_TODAY
from slagsim.results.folders import RUN, OutputLock, check_output, report_entries
from slagsim.runs.duration import check_duration, estimate
from slagsim.runs.experiment import ExperimentResult, ReplicationResult, RunSettings, run_experiment
from slagsim.runs.folder import summary_table, write_run
from slagsim.scenario.edits import Edits, edited_name, today_of
from slagsim.scenario.schema import Scenario


@dataclass(frozen=True)
class RunPlan:
    """What ``slagsim run`` will do: the resolved scenario, its settings and where it writes."""

    scenario_file: Path
    scenario: Scenario
    settings: RunSettings
    out: Path
    today: Scenario | None = None  # the file without the edits, when they change an input
    changed: tuple[str, ...] = ()  # the inputs the edits change

    @property
    def replications(self) -> int:
        """Every replication the run simulates (today's too, beside edited inputs)."""
        return self.settings.replications * (2 if self.today is not None else 1)


@dataclass(frozen=True)
class RunOutcome:
    """A finished run: every replication, the KPI summary as written, and a warm-up warning if any."""

    result: ExperimentResult
    summary: pd.DataFrame
    out: Path
    warning: str | None
    against_today: pd.DataFrame | None = None  # edited inputs: today and edited, paired differences
    old_report: tuple[str, ...] = ()  # a report written into the folder from the earlier results, kept


def plan(scenario_file: Path, edits: Edits | tuple[str, ...] = (), reps: int | None = None,
         years: float | None = None, warmup_days: float | None = None, seed: int | None = None,
         out: Path | None = None) -> RunPlan:
    """Load the scenario (a ScenarioError for bad input) and settle the settings and the folder.

    Edits that change an input name the scenario ``<name>-edited`` (unless ``--set name=...``) and
    bring today's scenario along to compare with; ``out`` given is where it goes, whatever its name."""
    edits = edits if isinstance(edits, Edits) else Edits(typed=tuple(edits))
    scenario = edits.load(scenario_file)
    today, changed = today_of(Path(scenario_file), scenario, edits)
    if today is not None and not edits.names_itself:
        scenario = scenario.model_copy(update={"name": edited_name(scenario.name)})
    settings = RunSettings.from_scenario(scenario, reps, years, warmup_days, seed)
    return RunPlan(scenario_file, scenario, settings, out or Path("results") / scenario.name, today,
                   tuple(changed))


Watch = Callable[[], AbstractContextManager[Callable[[ReplicationResult], None]]]


def run(plan: RunPlan, yes: bool, watch: Watch | None = None) -> RunOutcome:
    """Check the folder, take its lock, run every replication and write the run folder.

    ``watch`` opens what is told of each finished replication (a progress bar), once the run-time
    forecast has been accepted. Nothing is written before the last replication is done; a
    replication that fails names its number in the SimulationError.
    """
    out = check_output(plan.out, RUN, [plan.scenario_file])
    with OutputLock(out):
        settings = plan.settings
        work = [(plan.scenario, settings.replications)]
        work += [(plan.today, settings.replications)] if plan.today is not None else []
        check_duration(estimate(work, settings, 1), yes, "run")
        with (watch or _unwatched)() as on_done:
            result = _replications(plan.scenario, settings, on_done, plan.scenario_file)
            today = None if plan.today is None else \
                _replications(plan.today, settings, on_done, f"{plan.scenario_file} (today's, unedited)")
        against = None if today is None else against_today(today, result)
        write_run(result, out, plan.scenario_file, {} if against is None else {AGAINST_TODAY: against})
        old_report = tuple(report_entries(out))
    return RunOutcome(result, summary_table(result), out, result.warmup_warning(), against, old_report)


def _replications(scenario: Scenario, settings: RunSettings, on_done: Callable[[ReplicationResult], None],
                  shown: object) -> ExperimentResult:
    """Every replication of ``scenario``; one that fails is named with ``shown`` and its number."""
    done = [0]

    def advance(replication: ReplicationResult) -> None:
        done[0] += 1
        on_done(replication)

    try:
        return run_experiment(scenario, settings, on_done=advance)
    except SimulationError as exc:
        raise SimulationError(f"{shown}: replication {done[0]}: {exc}") from None


def against_today(today: ExperimentResult, edited: ExperimentResult) -> pd.DataFrame:
    """Today's and the edited scenario's KPIs with the paired difference of each (same seed, same
    replications: common random numbers), as ``compare`` gives them."""
    name = today.scenario.name
    name = name if name != edited.scenario.name else f"{name}-today"  # the edits named it as today's
    tables = {name: {r.replication: r.kpis for r in today.replications},
              edited.scenario.name: {r.replication: r.kpis for r in edited.replications}}
    return comparison_table(tables, name)


@contextmanager
def _unwatched() -> Iterator[Callable[[ReplicationResult], None]]:
    yield lambda _: None
