"""How long a run will take, from a quick measurement, before it starts.

Each distinct scenario is simulated for ``PROBE_DAYS`` (a few hundredths of a second for the
baseline) and the time per simulated day is scaled to every replication still to run. The first
weeks of a run are a little quieter than a full year, while a short run carries the fixed cost
of building the plant and computing KPIs over fewer days, so the figure is a rough one,
rounded in the message. The first probe in a process is run twice and only the second counted:
the first pays for first imports and caches (measured: twice the steady cost). A scenario that
fails in the probe is left out of the estimate; the run itself then reports the failure.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from slagsim.errors import ScenarioError, SimulationError
from slagsim.i18n import _, number
from slagsim.model.workdays import DAYS_PER_YEAR
from slagsim.runs.experiment import RunSettings, run_replication
from slagsim.scenario.limits import RUN_TIME_NEEDS_YES_S
from slagsim.scenario.schema import Scenario

PROBE_DAYS = 60.0


@dataclass(frozen=True)
class Estimate:
    """Expected wall time of the replications still to run."""

    seconds: float
    replications: int
    workers: int
    scheduler: str | None = None  # the Dask cluster the work is sent to (``seconds``: on one of its workers)

    def describe(self) -> str:
        """``about 40 s for 140 replications on 2 processes``; for a Dask cluster, whose workers
        slagsim does not count beforehand, the time on one of them."""
        if self.scheduler:
            return _("about {time} for {count} replications on one worker of the Dask cluster at "
                     "{scheduler} (less with more workers)").format(
                time=duration(self.seconds), count=number(self.replications, 0), scheduler=self.scheduler)
        where = (_("on {workers} processes").format(workers=self.workers) if self.workers > 1
                 else _("in this process"))
        return _("about {time} for {count} replications {where}").format(
            time=duration(self.seconds), count=number(self.replications, 0), where=where)


def seconds_per_day(scenario: Scenario, seed: int) -> float | None:
    """Wall seconds per simulated day of ``scenario`` (simulation and KPIs); None if it fails."""
    started = time.perf_counter()
    try:
        run_replication(scenario, RunSettings(1, PROBE_DAYS / DAYS_PER_YEAR, 0.0, seed), 0)
    except SimulationError:
        return None
    return (time.perf_counter() - started) / PROBE_DAYS


def estimate(work: Iterable[tuple[Scenario, int]], settings: RunSettings, workers: int,
             scheduler: str | None = None) -> Estimate:
    """The expected wall time of ``work``: (scenario, replications still to run) pairs, on
    ``workers`` local processes, or on one worker of the Dask cluster at ``scheduler``."""
    days = settings.warmup_days + settings.years * DAYS_PER_YEAR
    total, count, warm = 0.0, 0, False
    for scenario, replications in work:
        if replications <= 0:
            continue
        if not warm:  # the first run in a process pays for first imports and caches: twice the
            seconds_per_day(scenario, settings.seed)  # steady cost, measured; not counted
            warm = True
        cost = seconds_per_day(scenario, settings.seed)
        total += (cost or 0.0) * days * replications
        count += replications
    used = 1 if scheduler else max(1, min(workers, count))
    return Estimate(total / used, count, used, scheduler)


def duration(seconds: float) -> str:
    """A rough duration a person reads at a glance: ``40 s``, ``12 min``, ``3.5 h``, ``2.1 days``."""
    if seconds < 90:
        return _("{seconds} s").format(seconds=max(1, round(seconds)))
    if seconds < 5400:
        return _("{minutes} min").format(minutes=round(seconds / 60))
    if seconds < 172800:
        return _("{hours} h").format(hours=number(seconds / 3600, 1))
    return _("{days} days").format(days=number(seconds / 86400, 1))


def check_duration(expected: Estimate, yes: bool, what: str) -> None:
    """Refuse a run expected to take over an hour unless ``--yes`` was given."""
    if expected.seconds > RUN_TIME_NEEDS_YES_S and not yes:
        raise ScenarioError(f"this {what} would take {expected.describe()}; add --yes to run it "
                            "anyway, or use fewer --reps or --years", file="--yes")
