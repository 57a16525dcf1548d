"""What goes into a report: the run description, tables, figures and assumptions, as data."""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

import slagsim
from slagsim.analysis import kpis as K
from slagsim.analysis.bottleneck import translated
from slagsim.analysis.kpis import unit_of
from slagsim.batch.compare import Comparison
from slagsim.errors import ScenarioError
from slagsim.figures.catalogue import Plot, make_figures
from slagsim.i18n import N_, _, decimal, localized, number, percent, rupiah, signed, signed_rupiah
from slagsim.layout import ATTRIBUTION, FIGURES
from slagsim.report.decision import options, sentence
from slagsim.report.firms import firm_table
from slagsim.report.inputs import inputs_table
from slagsim.results.folders import CALIBRATION, SENSITIVITY
from slagsim.scenario.marks import estimates_of_files
from slagsim.scenario.ranges import describe, load_ranges, ranges_file_for


@dataclass
class ReportContent:
    """Everything the HTML report and the workbook show."""

    title: str
    run: pd.DataFrame  # what was run: setting, value
    scenarios: pd.DataFrame  # scenario, role, file, values set
    ranked: dict[str, pd.DataFrame]  # kpi -> ranked table
    comparison: pd.DataFrame
    bottlenecks: pd.DataFrame
    assumptions: pd.DataFrame
    plots: list[Plot] = field(default_factory=list)
    paired: bool = True
    appraisal: AppraisalSection | None = None
    warnings: list[str] = field(default_factory=list)  # partial results, said first
    attribution: pd.DataFrame | None = None  # a batch of interventions: Shapley shares of the jump
    attribution_figure: Path | None = None
    sensitivity: pd.DataFrame | None = None  # a sensitivity run beside the results
    sensitivity_figures: list[Path] = field(default_factory=list)
    calibration: pd.DataFrame | None = None  # a calibration to the books beside the results
    calibration_figures: list[Path] = field(default_factory=list)
    calibration_misfits: list[str] = field(default_factory=list)  # columns the model cannot make, in words
    decision: list[str] = field(default_factory=list)  # the answer in plain sentences, said first
    inputs: pd.DataFrame | None = None  # the baseline's every value with its source, editable
    firms: pd.DataFrame = field(default_factory=pd.DataFrame)  # each firm's output, margin, wages
    firms_option: str | None = None  # the option whose change the firms' table shows


@dataclass
class AppraisalSection:
    """What `slagsim appraise` wrote under ``<results>/appraisal/``."""

    summary: dict
    tables: dict[str, pd.DataFrame]
    figures: list[Path]
    decisions: list[dict] = field(default_factory=list)  # each payer's answer (decision.json)

    @classmethod
    def read(cls, folder: Path) -> AppraisalSection | None:
        """The appraisal in ``folder``, or None when there is none."""
        if not (folder / "summary.json").is_file():
            return None
        tables = {}
        for name in ("candidates", "uncertainty", "bundles", "fairness", "tornado"):
            path = folder / f"{name}.csv"
            tables[name] = pd.read_csv(path) if path.is_file() and path.stat().st_size > 1 else pd.DataFrame()
        decision = folder / "decision.json"
        decisions = json.loads(decision.read_text(encoding="utf-8")) if decision.is_file() else {}
        return cls(json.loads((folder / "summary.json").read_text(encoding="utf-8")), tables,
                   sorted((folder / "figures").glob("*.png")), decisions.get("decisions", []))


def build_content(comparison: Comparison, kpis: list[str]) -> ReportContent:
    """Collect the report's content from a comparison (figures are drawn here)."""
    results = comparison.results
    meta = results.batch_meta
    subject = meta["batch"] if meta else ", ".join(run.name for run in results.runs)
    title = _("slagsim report: {subject}").format(subject=subject)
    appraisal = AppraisalSection.read(results.folders[0] / "appraisal")
    return ReportContent(
        title=title, run=_run_table(comparison), scenarios=_scenario_table(comparison),
        ranked={kpi: _ranked_view(comparison, kpi) for kpi in kpis},
        comparison=comparison.table, bottlenecks=comparison.bottleneck_table(),
        assumptions=_assumptions(comparison),
        plots=make_figures(results, comparison.table, kpis[0], chosen=_chosen(appraisal)),
        paired=results.paired, appraisal=appraisal, decision=decision_sentences(comparison, appraisal),
        inputs=_inputs(comparison), firms=firm_table(results, _first(_chosen(appraisal))),
        firms_option=_first(_chosen(appraisal)),
        warnings=list(results.warnings), **_attribution(results.folders[0]),
        **_sensitivity(results.folders[0]), **_calibration(results.folders[0]),
    )


def _first(names: tuple[str, ...]) -> str | None:
    return names[0] if names else None


def _chosen(appraisal: AppraisalSection | None) -> tuple[str, ...]:
    """The appraisal's answer (each payer's buy, else its nearest miss), for the figures to show."""
    if appraisal is None:
        return ()
    named = ["+".join(d.get("buy") or []) or d.get("nearest") for d in appraisal.decisions]
    return tuple(dict.fromkeys(str(name) for name in named if name))


def decision_sentences(comparison: Comparison, appraisal: AppraisalSection | None) -> list[str]:
    """The answer in plain sentences: each candidate's NPV and payback (an appraisal), each option's
    tons, margin and payback (a batch), or the scenario's own headline (a single run)."""
    if appraisal is not None and not appraisal.tables["candidates"].empty:
        statement = appraisal.summary.get("statement", "")
        horizon = int(appraisal.summary.get("horizon_years", 10))
        rows = appraisal.tables["candidates"].sort_values("npv_rp", ascending=False)
        said = [_appraised(row, horizon) for row in rows.itertuples()] + ([statement] if statement else [])
        headlines = list(appraisal.summary.get("headlines", []))  # each payer's answer, first
        return headlines + said + _with_estimates(appraisal.tables.get("uncertainty"))
    found = options(comparison)
    if found:
        return [sentence(option) for option in found]
    return [_headline(comparison, run.name) for run in comparison.results.runs]


def _appraised(row, horizon: int) -> str:
    """One candidate in a sentence; its payback in words that agree with its chance of paying back
    (an item with no price says what it earns net a year)."""
    share = row.p_payback_within_horizon
    if row.price_rp == 0:
        net = row.extra_margin_rp_per_year - row.yearly_cost_rp
        payback = (_("nothing to pay up front; it earns {net} net a year") if net > 0 else
                   _("nothing to pay up front, but it loses {net} net a year")).format(net=rupiah(abs(net)))
    elif share == 0:
        payback = _("never pays back within {years} years").format(years=horizon)
    elif math.isinf(row.median_payback_years) or row.median_payback_years > horizon:
        payback = _("pays back within {years} years in only {share} of futures").format(
            years=horizon, share=percent(share))
    else:
        payback = _("pays back its {price} in {years} years (median)").format(
            price=rupiah(row.price_rp), years=number(row.median_payback_years))
    return _("{name}: NPV {npv} (95 % CI {low} to {high}), {tons} t/yr and {margin} a year of margin; "
             "{payback}; {share} of replications within {horizon} years.").format(
        name=row.candidate, npv=rupiah(row.npv_rp), low=rupiah(row.npv_ci95_low),
        high=rupiah(row.npv_ci95_high), tons=signed(row.extra_t_per_year),
        margin=signed_rupiah(row.extra_margin_rp_per_year), payback=payback,
        share=percent(row.p_payback_within_horizon), horizon=horizon)


def _with_estimates(table: pd.DataFrame | None) -> list[str]:
    """One sentence on the ranking once the estimates are drawn from their ranges too."""
    if table is None or table.empty:
        return []
    best = table.sort_values("p_best_with_estimates", ascending=False).iloc[0]
    return [_("With every estimate drawn from its plausible range too ({draws} draws), {name} is the best "
              "buy in {best} of the draws and pays back within the horizon in {paid} of them.").format(
        draws=int(best.draws), name=best.candidate, best=percent(best.p_best_with_estimates),
        paid=percent(best.p_payback_with_estimates))]


def _headline(comparison: Comparison, name: str) -> str:
    means = next(run for run in comparison.results.runs if run.name == name).means()
    limit = comparison.bottleneck_label(name)
    text = _("{name}: {tons} t/yr of product output, {margin} a year of gross margin").format(
        name=name, tons=number(means.get(K.PRODUCT_OUTPUT.name, math.nan)),
        margin=rupiah(means.get(K.GROSS_MARGIN.name, math.nan)))
    return text + (_("; what limits it: {limit}.").format(limit=translated(limit)) if limit else ".")


def _inputs(comparison: Comparison) -> pd.DataFrame | None:
    """The baseline's inputs sheet (every value, its source), from the scenario the run used."""
    results = comparison.results
    base = next((run for run in results.runs if run.name == results.baseline), results.runs[0])
    if not base.scenario:
        return None
    entries = results.batch_meta.get("scenarios", [])
    listed = next((s.get("file") for s in entries if s.get("name") == base.name), None)
    file = listed or base.meta.get("scenario_file")
    return inputs_table(base.scenario, Path(file) if file else None)


def _sensitivity(folder: Path) -> dict:
    """The sensitivity table and figures of ``slagsim sensitivity``, if it ran for these results."""
    return _beside(folder, SENSITIVITY, "sensitivity.csv", "sensitivity")


def _calibration(folder: Path) -> dict:
    """The posterior and figures of ``slagsim calibrate``, if it ran for these results, and a line
    for each column of the books the model cannot make (calibration-meta.json), in the report's
    language."""
    found = _beside(folder, CALIBRATION, "posterior.csv", "calibration")
    meta_file = folder / CALIBRATION / "calibration-meta.json"
    if found and meta_file.is_file():
        from slagsim.calibration.checks import ColumnCheck, misfit_line

        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        products = list(meta.get("products", []))
        found["calibration_misfits"] = [
            misfit_line(ColumnCheck(**{k: v for k, v in entry.items() if k != "says"}), products)
            for entry in meta.get("misfits", [])]
    return found


def _beside(folder: Path, analysis: str, table_file: str, name: str) -> dict:
    """An analysis kept in a run folder: its table as ``name`` and its figures as ``name_figures``."""
    table = folder / analysis / table_file
    if not table.is_file():
        return {}
    return {name: pd.read_csv(table), f"{name}_figures": sorted((folder / analysis / FIGURES).glob("*.png"))}


def _attribution(folder: Path) -> dict:
    """The Shapley table and figure a batch of interventions wrote, if this is one."""
    table = folder / ATTRIBUTION
    if not table.is_file():
        return {}
    figure = folder / FIGURES / "attribution.png"
    return {"attribution": pd.read_csv(table), "attribution_figure": figure if figure.is_file() else None}


def _replications(runs: list) -> str:
    """``20``, or ``20 to 40`` when the scenarios hold different numbers (an appraisal adds some)."""
    counts = sorted({int(run.meta.get("replications", 0)) for run in runs})
    return str(counts[0]) if len(counts) == 1 else f"{counts[0]} to {counts[-1]}"


SETTINGS = {  # the "what was run" table's rows, in the report's language
    "batch": N_("batch"), "batch file": N_("batch file"), "baseline": N_("baseline"),
    "scenarios": N_("scenarios"), "seed": N_("seed"), "replications": N_("replications"),
    "simulated years": N_("simulated years"), "warm-up days": N_("warm-up days"),
    "comparison": N_("comparison"), "results version": N_("results version"),
    "report by slagsim": N_("report by slagsim"), "report written": N_("report written"),
    "result folders": N_("result folders"),
}
ROLES = {"baseline": N_("baseline"), "scenario": N_("scenario"), "sweep": N_("sweep")}


def _run_table(comparison: Comparison) -> pd.DataFrame:
    results = comparison.results
    meta, first = results.batch_meta, results.runs[0].meta
    paired = _("paired (common random numbers)") if results.paired else _("unpaired (Welch)")
    rows = [
        ("batch", meta.get("batch", "")), ("batch file", meta.get("batch_file", "")),
        ("baseline", results.baseline), ("scenarios", len(results.runs)),
        ("seed", first.get("seed")), ("replications", _replications(results.runs)),
        ("simulated years", _decimal(first.get("years"))),
        ("warm-up days", _decimal(first.get("warmup_days"))),
        ("comparison", paired),
        ("results version", meta.get("versions", {}).get("slagsim", first.get("version"))),
        ("report by slagsim", slagsim.__version__), ("report written", time.strftime("%Y-%m-%d %H:%M")),
        ("result folders", ", ".join(str(f) for f in results.folders)),
    ]
    return pd.DataFrame([(_(SETTINGS[k]), "" if v is None else str(v)) for k, v in rows if v != ""],
                        columns=["setting", "value"])


def _decimal(value: object) -> object:
    return decimal(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def _scenario_table(comparison: Comparison) -> pd.DataFrame:
    """Each scenario: its name, role, file, the values set, and its label and description in the
    report's language (from batch-meta.json, else the scenario itself)."""
    listed = {s["name"]: s for s in comparison.results.batch_meta.get("scenarios", [])}
    rows = []
    for run in comparison.results.runs:
        entry = listed.get(run.name, {})
        words = entry if entry.get("description") or entry.get("label") else run.scenario
        values = ", ".join(f"{k}={v}" for k, v in entry.get("set", {}).items())
        rows.append({"scenario": run.name, "label": localized(words.get("label"), words.get("label_id")),
                     "role": _(ROLES[entry["role"]]) if entry.get("role") in ROLES else entry.get("role", ""),
                     "file": entry.get("file") or run.meta.get("scenario_file", ""), "values set": values,
                     "description": localized(words.get("description"), words.get("description_id"))})
    table = pd.DataFrame(rows)
    return table.drop(columns="label") if not table.empty and not table.label.any() else table


def _ranked_view(comparison: Comparison, kpi: str) -> pd.DataFrame:
    columns = ["rank", "scenario", "mean", "ci95_low", "ci95_high", "n", "diff", "diff_ci95_low",
               "diff_ci95_high", "diff_pct", "significant", "bottleneck"]
    return comparison.ranked(kpi)[columns].assign(unit=unit_of(kpi))


def _assumptions(comparison: Comparison) -> pd.DataFrame:
    files = []
    for run in comparison.results.runs:
        listed = next((s["file"] for s in comparison.results.batch_meta.get("scenarios", [])
                       if s["name"] == run.name), None)
        path = listed or run.meta.get("scenario_file")
        if path and Path(path).is_file():
            files.append(Path(path))
    rows = [vars(e) | _range_of(e) for e in estimates_of_files(files)]
    return pd.DataFrame(rows, columns=["file", "line", "key", "value", "note", "plausible range", "why"])


def _range_of(estimate) -> dict[str, str]:
    """The estimate's plausible range from the nearest estimates.yaml, as text ("" if none)."""
    path = ranges_file_for(Path(estimate.file))
    try:
        entry = load_ranges(path).find(estimate.key) if path else None
    except ScenarioError:
        entry = None
    return {"plausible range": describe(entry) if entry else "", "why": entry.why if entry else ""}
