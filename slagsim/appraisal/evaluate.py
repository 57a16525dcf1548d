"""Simulate bundles of menu items with common random numbers, reusing what is already on disk.

Each bundle is a batch scenario named after its items (``press+mill``) on top of the menu's baseline.
Finished replications are stored in ``<out>/parts/`` with a fingerprint, exactly as ``slagsim batch``
stores them, so a later search, a second call or more replications reuse every finished one.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from slagsim.appraisal.menu import Menu
from slagsim.batch.prepare import PreparedBatch, prepare
from slagsim.batch.runner import BatchOutcome, load_finished, missing_jobs, run_batch, start_outcome
from slagsim.batch.spec import BatchPlan, RunSpec, folder_name
from slagsim.errors import ScenarioError, SimulationError
from slagsim.i18n import _
from slagsim.model.price_paths import PriceYears
from slagsim.results.folders import APPRAISAL, claim_group_folder
from slagsim.runs.reporting import Reporter, Silent
from slagsim.runs.shared import SharedWorkers

Bundle = tuple[str, ...]
BASELINE = "baseline"
KpiTable = dict[int, dict[str, float]]
Request = tuple[list[Bundle], int | None, dict[str, object] | None, str]  # evaluate's arguments


def bundle_name(bundle: Bundle) -> str:
    """``baseline`` for no items, else the item names joined by ``+``."""
    return "+".join(bundle) if bundle else BASELINE


def bundle_values(menu: Menu, bundle: Bundle, source: Path) -> dict[str, object]:
    """The scenario changes of a bundle; two items setting one key differently cannot be bundled."""
    values: dict[str, object] = {}
    for item in bundle:
        for key, value in menu.items[item].set.items():
            if key in values and values[key] != value:
                raise ScenarioError(f"items {bundle} both set {key} (to {values[key]!r} and {value!r})",
                                    file=str(source), key=f"items.{item}.set.{key}")
            values[key] = value
    return values


class Evaluator:
    """Runs bundles on demand and keeps every replication's KPIs."""

    def __init__(self, menu: Menu, source: Path, out: Path, jobs: int | None = None,
                 scheduler: str | None = None, reporter: Reporter | None = None,
                 edits: tuple[tuple[str, object], ...] = ()):
        self.menu, self.source, self.out = menu, Path(source), Path(out)
        self.edits = edits  # a planner's edited inputs (--set-from): on the baseline, under every item
        self.jobs = jobs or os.cpu_count() or 1
        self.scheduler, self.reporter = scheduler, reporter or Silent()
        self.workers = SharedWorkers(self.jobs, scheduler, self.name)
        self.results: dict[str, KpiTable] = {}
        self.batches: list[PreparedBatch] = []
        self.damaged: list[str] = []  # stored replications that were unusable and run again
        self._price_years: PriceYears | None = None

    def plan(self, bundles: list[Bundle], overrides: dict[str, object] | None = None) -> BatchPlan:
        """A batch plan of the baseline and ``bundles`` (with ``overrides`` on every scenario).

        Each scenario is the baseline file with the planner's edits, then the bundle's items (an
        item that sets an edited key wins: it is what the purchase changes), then ``overrides``."""
        extra = tuple((overrides or {}).items())
        specs, seen = [], set()
        for bundle in [(), *bundles]:
            name = bundle_name(bundle)
            if name in seen:
                continue
            seen.add(name)
            values = self.edits + tuple(bundle_values(self.menu, bundle, self.source).items()) + extra
            specs.append(RunSpec(name, self.baseline_file, values,
                                 source_key="baseline" if not bundle else f"items.{name}"))
        run = self.menu.run
        return BatchPlan(self.name, self.menu.description, self.source, run, tuple(specs),
                         description_id=self.menu.description_id)

    def price_years(self, replication: int) -> list[float] | None:
        """The mean aluminium price index of each horizon year that replication ``replication``
        sees (its own path, as in the simulation); None when the baseline's price stays put."""
        if not self.batches:
            return None
        if self._price_years is None:
            batch = self.batches[0]
            self._price_years = PriceYears(batch.runs[0].scenario.products.ingot.price_path,
                                           batch.settings.seed, self.menu.horizon_years)
        return self._price_years(replication)

    @property
    def name(self) -> str:
        """The menu's name, else one derived from its file name."""
        return self.menu.name or folder_name(self.source.stem, str(self.source), "name", derived=True)

    @property
    def baseline_file(self) -> Path:
        return Path(os.path.normpath(self.source.parent / self.menu.baseline))

    def evaluate(self, bundles: list[Bundle], replications: int | None = None,
                 overrides: dict[str, object] | None = None, folder: str = "") -> dict[str, KpiTable]:
        """Simulate the baseline and ``bundles`` (what is missing); return replication KPIs by name.

        Runs with ``overrides`` (the tornado's) go to their own ``folder`` under the output and
        are not kept in :attr:`results`, which holds the appraisal's own scenarios only.
        """
        batch = prepare(self.plan(bundles, overrides), replications)
        outcome = self._run(batch, self.out / folder if folder else self.out)
        found = {run.name: {r: res.kpis for r, res in outcome.results[run.name].items()}
                 for run in batch.runs}
        if not folder:
            self.results.update(found)
            self.batches.append(batch)
        if outcome.failures:
            failure = outcome.failures[0]
            raise SimulationError(f"{self.source}: scenario {failure.scenario!r} failed while running: "
                                  f"{failure.error}")
        if outcome.missing():
            raise SimulationError(f"{self.source}: {sum(outcome.missing().values())} replications did not "
                                  f"come back ({outcome.lost[0].error if outcome.lost else 'not run'}); "
                                  "run the same command again: every finished replication is reused")
        return found

    def evaluate_many(self, requests: list[Request]) -> list[dict[str, KpiTable]]:
        """:meth:`evaluate` for several requests (bundles, replications, overrides, folder) at
        once, in order; side by side on the shared workers, so no request waits for another's
        slowest replication (the tornado's points: each is a few replications of two scenarios)."""
        if not self.workers.parallel or len(requests) < 2:
            return [self.evaluate(*request) for request in requests]
        with ThreadPoolExecutor(max_workers=len(requests), thread_name_prefix="appraise") as threads:
            running = [threads.submit(self.evaluate, *request) for request in requests]
            return [future.result() for future in running]

    def close(self, interrupted: bool = False) -> None:
        """Stop the appraisal's workers."""
        self.workers.close(interrupted)

    def _run(self, batch: PreparedBatch, out: Path) -> BatchOutcome:
        if out != self.out:
            claim_group_folder(out, APPRAISAL, fresh=False)
        results, damaged = load_finished(batch, out)
        self.damaged += damaged
        todo = missing_jobs(batch, results)
        executor = self.workers.executor()
        outcome = start_outcome(batch, results, executor)
        try:
            label = _("appraise {name}").format(name=batch.plan.name)
            with self.reporter.progress(len(todo), label) as advance:
                run_batch(outcome, out, executor, on_progress=advance)
        except KeyboardInterrupt:
            self.workers.close(interrupted=True)
            raise
        executor.close()
        return outcome
