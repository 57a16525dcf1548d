"""An appraisal from start to end: simulate the menu, judge every candidate, search bundles, write.

Library code: it raises for bad input, reports through a :class:`~slagsim.runs.reporting.Reporter` and
returns the outcome; ``slagsim appraise`` (:mod:`slagsim.cli.appraise`) prints it.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from slagsim.analysis.paired import comparison_table
from slagsim.appraisal import explain, uncertainty
from slagsim.appraisal.appraise import Appraisal, appraise
from slagsim.appraisal.decision import PAYER_WORDS, Decision, decide, who_pays
from slagsim.appraisal.evaluate import BASELINE, Bundle, Evaluator, bundle_name
from slagsim.appraisal.fairness import per_firm_effect
from slagsim.appraisal.figures import (
    cash_figure,
    frontier_figure,
    payback_figure,
    tornado_figure,
    uncertainty_figure,
)
from slagsim.appraisal.menu import Menu, Payer, read_menu
from slagsim.appraisal.search import search
from slagsim.appraisal.selection import Selection, select
from slagsim.appraisal.tornado import check_inputs, file_values, inputs_for, tornado_table
from slagsim.appraisal.workload import Workload
from slagsim.batch.prepare import prepare
from slagsim.batch.record import BatchRecord, ScenarioEntry, write_batch_meta
from slagsim.errors import ScenarioError, describe_validation_error
from slagsim.figures.common import save_figure
from slagsim.i18n import _
from slagsim.layout import BATCH_TABLE
from slagsim.results.files import write_csv, write_json
from slagsim.results.folders import APPRAISAL, OutputLock, check_output, claim_group_folder
from slagsim.results.meta import COMPLETE, now
from slagsim.runs.duration import Estimate, check_duration, estimate
from slagsim.runs.reporting import Reporter
from slagsim.scenario.edits import Edits, edited_name, today_of
from slagsim.scenario.load import parse_override

TORNADO_FOLDER = "tornado"


def tornado_folder(key: str, level: str) -> str:
    """Where the tornado's run of ``key`` at its ``low`` or ``high`` value lives."""
    return f"{TORNADO_FOLDER}/{key}={level}"


@dataclass
class Settings:
    """The appraisal's money settings and how far to go."""

    horizon_years: int
    discount_rate: float
    budgets: dict[Payer, float] | None  # each payer's money (--budget); None: no bundles, no decision
    replications: int | None
    max_replications: int | None
    tornado: bool
    uncertainty: str = "simulation"  # or "estimates": also draw the estimates from their ranges
    draws: int | None = None  # estimate draws [the replications]
    edits: Edits = field(default_factory=Edits)  # a planner's edited inputs (--set-from, --set)


@dataclass
class AppraisalOutcome:
    """Everything the appraisal found."""

    menu: Menu
    settings: Settings
    singles: list[Appraisal]
    selection: Selection
    bundles: list[Appraisal] = field(default_factory=list)
    search_method: str = ""
    fairness: pd.DataFrame = field(default_factory=pd.DataFrame)
    tornado: pd.DataFrame = field(default_factory=pd.DataFrame)
    tornado_candidate: str = ""
    uncertainty: pd.DataFrame = field(default_factory=pd.DataFrame)  # side by side, per candidate
    uncertainty_draws: pd.DataFrame = field(default_factory=pd.DataFrame)  # NPV per draw and candidate
    damaged: list[str] = field(default_factory=list)  # stored replications run again
    decisions: list[Decision] = field(default_factory=list)  # each payer's answer, the grant's first


class Appraiser:
    """Runs the appraisal steps with one evaluator, so every step reuses earlier simulations."""

    def __init__(self, menu: Menu, source: Path, out: Path, settings: Settings, jobs: int | None,
                 scheduler: str | None, reporter: Reporter | None = None):
        self.menu, self.source, self.settings = menu, Path(source), settings
        self.scheduler = scheduler
        self.evaluator = Evaluator(menu, source, out, jobs, scheduler, reporter)
        self.workload: Workload | None = None  # set: the progress is told the whole work up front

    def expect(self, units: int) -> None:
        """Tell the progress about ``units`` replications still to come (with a workload)."""
        if self.workload is not None:
            self.evaluator.reporter.expect(units)

    def judge(self, bundles: list[Bundle], replications: int | None = None) -> dict[Bundle, Appraisal]:
        """Simulate (what is missing of) ``bundles`` and appraise each against the baseline."""
        if not bundles:
            return {}
        found = self.evaluator.evaluate(bundles, replications or self.settings.replications)
        return {b: appraise(self.menu, b, found[BASELINE], found[bundle_name(b)], self.settings.horizon_years,
                            self.settings.discount_rate, self.evaluator.price_years) for b in bundles}

    def run(self) -> AppraisalOutcome:
        work = self.workload
        self.expect(work.everything() if work else 0)
        singles = self.judge([(name,) for name in self.menu.items])
        selection, singles_list = self._select(singles)
        outcome = AppraisalOutcome(self.menu, self.settings, singles_list, selection)
        self._expect_after_candidates({a.name: len(a.npvs) for a in singles_list})
        if self.settings.budgets:
            outcome.bundles, outcome.search_method = self._bundles(singles)
            outcome.decisions = decide(self.menu, self.settings.budgets, [*singles_list, *outcome.bundles])
        outcome.fairness = self._fairness()
        outcome.damaged = self.evaluator.damaged
        tornado = self.settings.tornado and self.menu.tornado
        best = self._tornado_candidate(outcome) if tornado else None
        if work:  # the tornado's candidate is known: its inputs, at its row's replications
            bars = work.tornado_runs(len(inputs_for(self.menu, best.bundle)), len(best.npvs)) if best else 0
            self.expect(bars + work.draw_runs)
        if best is not None:
            outcome.tornado, outcome.tornado_candidate = self._tornado(best), best.name
        self.expect(work.draw_runs if work else 0)
        outcome.decisions = [self._explained(d, outcome) for d in outcome.decisions]
        return outcome

    def _explained(self, decision: Decision, outcome: AppraisalOutcome) -> Decision:
        """The decision with why (its answer's books) and what would change it (budget or tornado)."""
        shown = decision.chosen or decision.nearest
        results = self.evaluator.results
        if shown is None or shown.name not in results or not self.evaluator.batches:
            return decision
        scenario = self.evaluator.batches[0].runs[0].scenario
        blocks = {name: block.model_dump() for name, block in scenario.products.blocks.items()}
        return replace(decision, why=explain.why(shown, results[BASELINE], results[shown.name], blocks),
                       change=explain.would_change(decision, outcome.tornado, outcome.tornado_candidate))

    def _expect_after_candidates(self, reps: dict[str, int], extra: int = 0) -> None:
        """Tell the progress what follows the candidates (``extra`` more of theirs first), each
        candidate run ``reps`` times: the bundles, whose replications follow their items', the
        tornado (at the most replications of any: the likely answer is one the selection ran
        longer) and the estimate draws."""
        if self.workload is not None:
            work = self.workload
            self.expect(extra + work.bundles(reps) + work.tornado_runs(replications=max(reps.values()))
                        + work.draw_runs)

    def _bundles(self, singles: dict[Bundle, Appraisal]) -> tuple[list[Appraisal], str]:
        """Each payer's bundles of its own items within its budget, best mean NPV first.

        One answer per item: a one-item bundle is its candidate's appraisal, and a bundle runs as
        many replications as the most any of its items ran, on the same common random numbers.
        """
        def judge(bundles: list[Bundle]) -> dict[Bundle, Appraisal]:
            known = {b: singles[b] for b in bundles if b in singles}
            by_reps: dict[int, list[Bundle]] = {}  # one dispatch per replication count, run in parallel
            for bundle in (b for b in bundles if b not in singles):
                by_reps.setdefault(max(len(singles[(name,)].npvs) for name in bundle), []).append(bundle)
            for reps, group in by_reps.items():
                known |= self.judge(group, reps)
            return known

        found: list[Appraisal] = []
        methods = []
        for payer, budget in (self.settings.budgets or {}).items():
            items = {name: item for name, item in self.menu.items.items() if item.paid_by is payer}
            if not items:
                continue
            ranked, method = search(self.menu.model_copy(update={"items": items}), budget, judge)
            found += ranked
            methods.append(f"{_(PAYER_WORDS[payer])}: {method}")
        return sorted(found, key=lambda a: a.npv_rp[0], reverse=True), "; ".join(methods)

    def _tornado_candidate(self, outcome: AppraisalOutcome) -> Appraisal:
        """The tornado's candidate: the first payer's answer (or its nearest miss), else the best."""
        for decision in outcome.decisions:
            if decision.chosen or decision.nearest:
                return decision.chosen or decision.nearest
        return next(a for a in outcome.singles if a.name == outcome.selection.best)

    def _select(self, singles: dict[Bundle, Appraisal]) -> tuple[Selection, list[Appraisal]]:
        """Ranking and selection; add replications to the unresolved until separated or the cap."""
        selection = select(list(singles.values()))
        cap = self.settings.max_replications or 2 * selection.replications
        while not selection.confident and selection.replications < cap:
            wanted = max(r.needed_replications for r in selection.unresolved)
            reps = min(cap, max(wanted, selection.replications + 10))
            involved = [(selection.best,), *((r.name,) for r in selection.unresolved)]
            counts = {a.name: len(a.npvs) for a in singles.values()} | {name: reps for (name,) in involved}
            self._expect_after_candidates(counts, (1 + len(involved)) * (reps - selection.replications))
            singles.update(self.judge(involved, reps))
            selection = select(list(singles.values()))
        ranked = sorted(singles.values(), key=lambda a: a.npv_rp[0], reverse=True)
        return selection, ranked

    def _fairness(self) -> pd.DataFrame:
        frames = []
        results = self.evaluator.results
        names = self.evaluator.batches[0].runs[0].scenario.firms.names if self.evaluator.batches else []
        for name, item in self.menu.items.items():
            if item.machines and name in results:
                frames.append(per_firm_effect(name, item.machines, results[BASELINE], results[name], names))
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def _tornado(self, best: Appraisal) -> pd.DataFrame:
        """The best candidate's NPV with each estimate at its low and high value.

        Runs as many replications as the candidate's row in the table, so the tornado's base is
        that row's NPV; each run lives in ``tornado/<key>=<low|high>/`` and never touches the
        appraisal's own scenario folders.
        """
        reps = len(best.npvs)
        inputs = inputs_for(self.menu, best.bundle)
        points = [(entry.key, level, value) for entry in inputs
                  for level, value in (("low", entry.low), ("high", entry.high))]
        requests = [([best.bundle], reps, {key: value}, tornado_folder(key, level))
                    for key, level, value in points]
        found_all = self.evaluator.evaluate_many(requests)
        npvs = {(key, level): appraise(self.menu, best.bundle, found[BASELINE], found[best.name],
                                       self.settings.horizon_years, self.settings.discount_rate,
                                       self.evaluator.price_years).npv_rp[0]
                for (key, level, _value), found in zip(points, found_all, strict=True)}
        return tornado_table(inputs, lambda key, level, value: npvs[(key, level)], best.npv_rp[0],
                             file_values(self.menu, self.evaluator.baseline_file,
                                         self.settings.edits.overrides))


def check_menu(menu_file: Path, tornado: bool = True, menu: Menu | None = None) -> int:
    """Check a menu file completely without running anything, as ``appraise`` does before it runs;
    return its number of items. ``menu``: the file's contents not yet written (``menu add``)."""
    menu = menu or read_menu(menu_file)
    settings = Settings(menu.horizon_years, menu.discount_rate, None, None, None, tornado)
    _check(Appraiser(menu, menu_file, Path("unused"), settings, 1, None), Path(menu_file))
    return len(menu.items)


def _check(appraiser: Appraiser, menu_file: Path) -> None:
    """Every item loads and validates; tornado inputs are estimates and give valid scenarios."""
    prepare(appraiser.evaluator.plan([(name,) for name in appraiser.menu.items]))
    check_inputs(appraiser.menu, menu_file, appraiser.evaluator.baseline_file,
                 appraiser.settings.edits.overrides)
    if appraiser.settings.tornado:
        _check_tornado_values(appraiser, menu_file)


def run_appraisal(menu_file: Path, settings: Settings, out: Path | None, jobs: int | None,
                  scheduler: str | None, reporter: Reporter | None = None, yes: bool = False,
                  after: Callable[[AppraisalOutcome, Path], None] | None = None,
                  ) -> tuple[AppraisalOutcome, Path]:
    """Check the menu, settings and output folder, run every step, write the appraisal folder.

    ``after(outcome, folder)`` runs while the folder is still locked (the report is written
    there). Returns the outcome and the folder.
    """
    menu = apply_settings(read_menu(menu_file), settings, Path(menu_file))
    settings.horizon_years = menu.horizon_years
    settings.discount_rate = menu.discount_rate
    appraiser = Appraiser(menu, menu_file, Path("unused"), settings, jobs, scheduler, reporter)
    apply_edits(appraiser)
    folder = out or Path("results") / appraiser.evaluator.name
    appraiser.evaluator.out = folder
    _check(appraiser, Path(menu_file))
    draws = _plan_draws(appraiser, Path(menu_file))
    sheet = [settings.edits.sheet] if settings.edits.sheet else []
    folder = check_output(folder, APPRAISAL, [Path(menu_file), appraiser.evaluator.baseline_file, *sheet])
    appraiser.evaluator.out = folder
    with OutputLock(folder):
        check_duration(_first_stage_estimate(appraiser, draws), yes, "appraisal")
        replications = prepare(appraiser.evaluator.plan([]), settings.replications).settings.replications
        claim_group_folder(folder, APPRAISAL, fresh=False)
        started = now()
        try:
            outcome = _simulate(appraiser, draws, folder, replications)
        except BaseException:
            appraiser.evaluator.close(interrupted=True)
            raise
        appraiser.evaluator.close()
        appraiser.expect(0)
        write_appraisal(outcome, appraiser, folder, started)
        if after is not None:
            after(outcome, folder)
    return outcome, folder


def _simulate(appraiser: Appraiser, draws: uncertainty.Draws | None, folder: Path,
              replications: int) -> AppraisalOutcome:
    """Every phase of the appraisal on one set of workers.

    The estimate draws depend on nothing else the appraisal finds, so with more than one worker
    they are queued first and run beside the other phases: while a phase waits for its slowest
    replication, the draws keep the other workers busy. Their share of the progress is announced
    before the phases start, so the bar's total is the whole work from the first line."""
    settings, evaluator = appraiser.settings, appraiser.evaluator
    beside = draws is not None and evaluator.workers.parallel
    appraiser.workload = Workload(appraiser.menu, settings.budgets, replications, settings.tornado,
                                  draws.runs if draws is not None and not beside else 0)
    if not beside:
        outcome = appraiser.run()
        done = uncertainty.run_draws(draws, folder / "appraisal", appraiser.evaluator.jobs,
                                     appraiser.scheduler, evaluator.reporter) if draws is not None else None
    else:
        running = uncertainty.DrawRun(draws, folder / "appraisal", evaluator.reporter)
        thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="draws")
        try:  # on a failure the caller stops the workers, which ends the draws' thread at once
            with evaluator.reporter.progress(len(running.todo), _("estimate draws")) as advance:
                queued = thread.submit(running.execute, evaluator.workers.executor(), advance)
                outcome = appraiser.run()
                queued.result()
        finally:
            thread.shutdown(wait=False)
        done = running.result()
    if done is not None:
        outcome.uncertainty_draws = uncertainty.judge_draws(draws, done)
        outcome.uncertainty = uncertainty.side_by_side(outcome.uncertainty_draws, outcome.singles,
                                                       appraiser.menu.horizon_years)
    return outcome


def apply_edits(appraiser: Appraiser) -> list[str]:
    """Lay the planner's edited inputs on the baseline, under every item; return the inputs they
    change.

    Checked first against the baseline (a refused value from the inputs sheet names the workbook).
    Edits that change an input name the appraisal ``<menu>-edited``: its folder is not today's, and
    it is not confused with the appraisal of the scenario as it stands."""
    edits = appraiser.settings.edits
    if not edits.overrides:
        return []
    baseline = appraiser.evaluator.baseline_file
    edited = edits.load(baseline)
    _, changed = today_of(baseline, edited, edits)
    values = map(parse_override, edits.overrides)
    appraiser.evaluator.edits = tuple((".".join(key), value) for key, value in values)
    if changed:
        menu = appraiser.menu.model_copy(update={"name": edited_name(appraiser.evaluator.name)})
        appraiser.menu = appraiser.evaluator.menu = menu
    return changed


def apply_settings(menu: Menu, settings: Settings, source: Path) -> Menu:
    """The menu with the command line's horizon and discount rate, checked by the menu's schema."""
    from pydantic import ValidationError


    rate = menu.discount_rate if settings.discount_rate is None else settings.discount_rate
    changes = {"horizon_years": settings.horizon_years or menu.horizon_years, "discount_rate": rate}
    try:
        return Menu.model_validate({**menu.model_dump(), **changes})
    except ValidationError as exc:
        key, message = describe_validation_error(exc)
        option = {"horizon_years": "--years", "discount_rate": "--discount-rate"}.get(".".join(key))
        raise ScenarioError(message, file=option or str(source),
                            key=None if option else ".".join(key)) from None


def _plan_draws(appraiser: Appraiser, menu_file: Path) -> uncertainty.Draws | None:
    """With ``--uncertainty estimates``: every draw's scenarios, checked before anything runs."""
    if appraiser.settings.uncertainty != uncertainty.ESTIMATES:
        return None
    settings = prepare(appraiser.evaluator.plan([]), appraiser.settings.replications).settings
    return uncertainty.plan_draws(menu_file, appraiser.settings.draws or settings.replications, settings,
                                  appraiser.settings.edits.overrides)


def _first_stage_estimate(appraiser: Appraiser, draws: uncertainty.Draws | None = None) -> Estimate:
    """The expected time of the first stage (the baseline and every item, plus the tornado and
    the estimate draws)."""
    batch = prepare(appraiser.evaluator.plan([(name,) for name in appraiser.menu.items]),
                    appraiser.settings.replications)
    tornado_runs = 2 * len(appraiser.menu.tornado) if appraiser.settings.tornado else 0
    work = [(run.scenario, batch.settings.replications) for run in batch.runs]
    work += [(batch.runs[0].scenario, 2 * batch.settings.replications)] * tornado_runs
    if draws is not None:
        work.append((batch.runs[0].scenario, draws.runs))
    return estimate(work, batch.settings, appraiser.evaluator.jobs if not appraiser.scheduler else 1,
                    appraiser.scheduler)


def _check_tornado_values(appraiser: Appraiser, menu_file: Path) -> None:
    """Every tornado low and high value must give a valid baseline, before anything runs."""
    for index, entry in enumerate(appraiser.menu.tornado):
        for level, value in (("low", entry.low), ("high", entry.high)):
            try:
                prepare(appraiser.evaluator.plan([], {entry.key: value}))
            except ScenarioError as exc:
                raise ScenarioError(f"{entry.key} = {value!r} makes the baseline invalid ({exc})",
                                    file=str(menu_file), key=f"tornado[{index}].{level}") from None


def write_appraisal(outcome: AppraisalOutcome, appraiser: Appraiser, out: Path, started: str) -> None:
    """The appraisal tables and figures under ``out/appraisal``, and the batch files for the report."""
    folder = out / "appraisal"
    candidates = pd.DataFrame([_row(a, outcome) for a in outcome.singles])
    tables = {"candidates": candidates, "bundles": pd.DataFrame([_row(a, outcome) for a in outcome.bundles]),
              "fairness": outcome.fairness, "tornado": outcome.tornado}
    if not outcome.uncertainty.empty:
        tables[uncertainty.TABLE.removesuffix(".csv")] = outcome.uncertainty
        tables[uncertainty.DRAWS.removesuffix(".csv")] = outcome.uncertainty_draws
    for name, table in tables.items():
        write_csv(table, folder / f"{name}.csv")
    summary = {"statement": outcome.selection.statement(), "best": outcome.selection.best,
               "confident": outcome.selection.confident, "horizon_years": outcome.settings.horizon_years,
               "discount_rate": outcome.settings.discount_rate,
               "budgets_rp": {p.value: b for p, b in (outcome.settings.budgets or {}).items()},
               "headlines": [d.statement(outcome.settings.horizon_years) for d in outcome.decisions],
               "search": outcome.search_method, "tornado_candidate": outcome.tornado_candidate,
               "rivals": [vars(r) for r in outcome.selection.rivals], "started_at": started,
               "edits": list(outcome.settings.edits.overrides)}
    write_json(summary, folder / "summary.json")
    if outcome.decisions:
        write_json({"decisions": [d.record() for d in outcome.decisions],
                    "headlines": summary["headlines"], "horizon_years": outcome.settings.horizon_years},
                   folder / "decision.json")
    everything = pd.concat([candidates, tables["bundles"]], ignore_index=True).drop_duplicates("candidate")
    horizon = outcome.settings.horizon_years
    save_figure(frontier_figure(everything, horizon)[0], folder / "figures" / "frontier")
    paybacks = {a.name: list(a.paybacks) for a in [*outcome.singles, *outcome.bundles[:5]]}
    save_figure(payback_figure(paybacks, outcome.settings.horizon_years)[0], folder / "figures" / "payback")
    figure, cash = cash_figure(_shown_first(outcome), horizon)
    save_figure(figure, folder / "figures" / "cash")
    write_csv(cash, folder / "cash.csv")
    if not outcome.tornado.empty:
        figure, _ = tornado_figure(outcome.tornado, outcome.tornado_candidate)
        save_figure(figure, folder / "figures" / "tornado")
    if not outcome.uncertainty.empty:
        save_figure(uncertainty_figure(outcome.uncertainty_draws, outcome.singles)[0],
                    folder / "figures" / "uncertainty")
    _write_batch_files(appraiser, out, started)


def _row(appraisal: Appraisal, outcome: AppraisalOutcome) -> dict[str, object]:
    """A candidate's table row, with who pays and whether it is over that payer's budget."""
    words, over = who_pays(outcome.menu, outcome.settings.budgets, appraisal)
    row = appraisal.row()
    return {"candidate": row.pop("candidate"), "paid_by": words, "over_budget": over, **row}


def _shown_first(outcome: AppraisalOutcome) -> list[Appraisal]:
    """The decisions' answers (chosen, else nearest), then the candidates by NPV, each once."""
    answers = [d.chosen or d.nearest for d in outcome.decisions]
    ranked = sorted(outcome.singles, key=lambda a: a.npv_rp[0], reverse=True)
    shown: dict[str, Appraisal] = {}
    for appraisal in [*(a for a in answers if a is not None), *ranked]:
        shown.setdefault(appraisal.name, appraisal)
    return list(shown.values())


def _describe(menu: Menu, run: object) -> dict[str, str]:
    """What a candidate changes and what it is called, in the menu's words in both languages (the
    baseline: its own description and label); an item without words is named by its key."""
    if run.name == BASELINE:
        scenario = run.scenario
        return {"description": scenario.description, "description_id": scenario.description_id,
                "label": scenario.label or "", "label_id": scenario.label_id or ""}
    items = {name: menu.items[name] for name in run.name.split("+") if name in menu.items}

    def joined(separator: str, *fields: str) -> str:
        return separator.join(next((getattr(item, f) for f in fields if getattr(item, f)), name)
                              for name, item in items.items())

    return {"description": joined("; ", "description"), "description_id": joined("; ", "description_id",
                                                                                  "description"),
            "label": joined(" + ", "label"), "label_id": joined(" + ", "label_id", "label")}


def _write_batch_files(appraiser: Appraiser, out: Path, started: str) -> None:
    """batch.csv and batch-meta.json for the candidates simulated (not the tornado runs)."""
    evaluator = appraiser.evaluator
    runs = {}
    for batch in evaluator.batches:
        for run in batch.runs:
            runs.setdefault(run.name, run)
    tables = {name: evaluator.results[name] for name in runs}
    write_csv(comparison_table(tables, BASELINE), out / BATCH_TABLE)
    scenarios = [ScenarioEntry(r.name, "baseline" if r.name == BASELINE else "scenario",
                               r.spec.file if r.name == BASELINE else evaluator.source, dict(r.spec.values),
                               r.fingerprint, len(evaluator.results[r.name]), **_describe(appraiser.menu, r))
                 for r in runs.values()]
    settings = evaluator.batches[0].settings
    write_batch_meta(BatchRecord(evaluator.name, evaluator.menu.description, evaluator.source, BASELINE,
                                 settings, scenarios, COMPLETE, started,
                                 description_id=evaluator.menu.description_id), out)
