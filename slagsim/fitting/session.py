"""``slagsim fit DATA`` without the terminal: read, fit, test, recommend, and write it all.

Everything that can be wrong is found before the first file is written: the data (one line naming
file, column and row), the options, the output folder, and the key in the scenario (the fitted
distribution is set there and the scenario validated in memory). Then the folder gets ``fit.csv``
(every family: its mapping, mean, AIC and weight, both tests), ``figures/`` (histogram and Q-Q
plot), ``fit-meta.json`` and, with ``--key``, ``<scenario>-fitted.yaml``; the command line prints
the :class:`Outcome` returned.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

import slagsim
from slagsim.errors import ScenarioError
from slagsim.figures.common import FORMATS
from slagsim.fitting.data import Measured, read_measured
from slagsim.fitting.families import EMPIRICAL, empirical_spec
from slagsim.fitting.figures import histogram_figure, qq_figure
from slagsim.fitting.goodness import MIN_RESAMPLES, RESAMPLES
from slagsim.fitting.recommend import Analysis, analyse
from slagsim.fitting.written import FITTED_SUFFIX, Target, check_target, check_unit, file_name, scenario_text
from slagsim.i18n import _
from slagsim.layout import FIGURES
from slagsim.results.files import atomic_write_text, remove_stale_temporaries, write_csv, write_json
from slagsim.results.folders import OutputLock, check_output, marker_kind, write_marker
from slagsim.scenario.names import derived_name

KIND = "fit"  # the marker of a fit's folder
TABLE, META = "fit.csv", "fit-meta.json"
HISTOGRAM, QQ = "histogram", "qq"
SEED = 1
MAX_RESAMPLES = 1000


@dataclass(frozen=True)
class Request:
    """What the planner asked for."""

    data: Path
    column: str | None = None
    minutes: bool = False
    key: str | None = None
    scenario_file: Path | None = None
    family: str | None = None  # write this family instead of the recommended one
    resamples: int = RESAMPLES
    seed: int = SEED
    out: Path | None = None


@dataclass(frozen=True)
class Outcome:
    """What the fit found and where it went."""

    measured: Measured
    analysis: Analysis
    family: str  # the family written (the recommended one unless the planner chose)
    spec: dict[str, object]
    mean: float
    out: Path
    scenario: Path | None
    target: Target | None
    seconds: float


def default_out(data: Path) -> Path:
    """``results/<data file's name>-fit``."""
    return Path("results") / f"{derived_name(Path(data).stem) or 'measurements'}-fit"


def fit_measurements(request: Request) -> Outcome:
    """Read, fit, check, then write; a ScenarioError (nothing written) for anything wrong."""
    started = time.perf_counter()
    _check_options(request)
    measured = read_measured(request.data, request.column, request.minutes)
    out = Path(request.out or default_out(request.data))
    inputs = [request.data, *([request.scenario_file] if request.scenario_file else [])]
    out = check_output(out, KIND, inputs)
    if request.key is not None:  # a mistyped key is found before the bootstrap's seconds, not after
        check_target(request.scenario_file, request.key, empirical_spec(measured.values))
        check_unit(request.key, measured.column, measured.minutes)
    analysis = analyse(measured.values, measured.resolution, request.resamples, request.seed)
    family, spec, mean = _chosen(analysis, measured, request.family)
    target = check_target(request.scenario_file, request.key, spec) if request.key is not None else None
    _check_own(out, target)
    with OutputLock(out):
        _claim(out)
        write_csv(table_of(analysis, measured), out / TABLE)
        shown = analysis.row(family) or (analysis.table[0] if analysis.table else None)
        histogram_figure(measured, analysis.table, family, out / FIGURES / HISTOGRAM)
        if shown is not None:
            qq_figure(measured, shown, out / FIGURES / QQ)
        scenario = None
        if target is not None:
            text = scenario_text(target, out, spec, provenance(measured, analysis, family, request),
                                 f"measured: {measured.file.name}, {measured.column!r}, n = {measured.n}")
            scenario = atomic_write_text(out / file_name(target), text)
        seconds = time.perf_counter() - started
        write_json(_meta(request, measured, analysis, family, spec, target, scenario, seconds), out / META)
    return Outcome(measured, analysis, family, spec, mean, out, scenario, target, seconds)


def _check_options(request: Request) -> None:
    if request.key is not None and not request.key.strip():
        raise ScenarioError(_("an empty key; name the time or weight the fit sets, e.g. "
                              "machines.press.cycle_h"), file="--key")
    if (request.key is None) != (request.scenario_file is None):
        given = "--key" if request.key else "--scenario"
        raise ScenarioError(_("--key and --scenario go together: the scenario the fit extends, and the key "
                              "it sets (machines.press.cycle_h)"), file=given)
    if request.scenario_file is not None and not Path(request.scenario_file).is_file():
        raise ScenarioError(_("scenario file not found"), file=str(request.scenario_file))
    if not 0 <= request.resamples <= MAX_RESAMPLES:
        raise ScenarioError(_("{n} resamples; use 0 to {most}").format(
            n=request.resamples, most=MAX_RESAMPLES), file="--resamples")
    if 0 < request.resamples < MIN_RESAMPLES:
        raise ScenarioError(_("{n} resamples can never reject a family (a p-value is at least 1 / (1 + the "
                              "resamples), above the 0.025 that rejects); use {least} to {most}, or 0 for "
                              "no test").format(n=request.resamples, least=MIN_RESAMPLES, most=MAX_RESAMPLES),
                            file="--resamples")


def _chosen(analysis: Analysis, measured: Measured,
            family: str | None) -> tuple[str, dict[str, object], float]:
    """The family written: the recommended one, or the one the planner named if it was fitted."""
    recommendation = analysis.recommendation
    if family is None or family == recommendation.family:
        return recommendation.family, recommendation.spec, recommendation.mean
    if family == EMPIRICAL:
        return EMPIRICAL, empirical_spec(measured.values), float(np.mean(measured.values))
    row = analysis.row(family)
    if row is None:
        raise ScenarioError(_("{family} cannot be fitted to these values: {why}").format(
            family=family, why=_(analysis.left_out.get(family, ""))), file="--family")
    return family, row.fit.spec, row.fit.mean


def _earlier_files(out: Path) -> list[Path]:
    """What an earlier fit wrote in ``out``: its table, meta and figures, and the scenario its
    fit-meta.json names. Nothing else in the folder is slagsim's to remove (a planner's notes, a
    scenario copied in by hand), so nothing else is ever touched."""
    if marker_kind(out) != KIND:
        return []
    files = [out / TABLE, out / META,
             *(out / FIGURES / f"{stem}{suffix}" for stem in (HISTOGRAM, QQ) for suffix in FORMATS)]
    try:
        scenario = json.loads((out / META).read_text(encoding="utf-8")).get("fitted_scenario")
    except (OSError, ValueError, AttributeError):
        scenario = None
    if isinstance(scenario, str) and Path(scenario).name.endswith(FITTED_SUFFIX):
        files.append(out / Path(scenario).name)
    return files


def _check_own(out: Path, target: Target | None) -> None:
    """Nothing the fit writes would replace a file slagsim did not write in ``out``."""
    if not out.exists():
        return
    earlier = set(_earlier_files(out))
    figures = out / FIGURES
    if figures.exists() and not figures.is_dir():
        raise ScenarioError(_("{out} holds a file named {name}, where the figures go; move it or choose "
                              "another folder").format(out=out, name=FIGURES), file="--out")
    if target is not None:
        scenario = out / file_name(target)
        if scenario.exists() and scenario not in earlier:
            raise ScenarioError(_("{file} exists and was not written by this folder's last fit; slagsim "
                                  "never overwrites it: move it or choose another folder").format(
                file=scenario), file="--out")


def _claim(out: Path) -> None:
    """Make ``out`` a fit's folder; what the earlier fit there wrote goes (a fit is written whole),
    and only that."""
    out.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(out)
    for entry in _earlier_files(out):
        if entry.is_file():
            entry.unlink()
    with contextlib.suppress(OSError):
        (out / FIGURES).rmdir()  # only when empty: a file the planner put there stays
    write_marker(out, KIND)


def table_of(analysis: Analysis, measured: Measured) -> pd.DataFrame:
    """One row per family, best AIC first, then the measured values themselves and the families
    left out with why."""
    recommended = analysis.recommendation.family
    rows = []
    for rank, row in enumerate(analysis.table, start=1):
        test = row.goodness
        rows.append({"rank": rank, "family": row.family, "written_as": _flow(row.fit.spec),
                     "mean": row.fit.mean, "sd": row.fit.sd, "parameters": row.fit.parameters,
                     "log_likelihood": row.fit.log_likelihood, "aic": row.fit.aic, "delta_aic": row.delta_aic,
                     "aic_weight": row.weight, "ks_d": test.ks, "ks_p": test.ks_p, "ad_a2": test.ad,
                     "ad_p": test.ad_p, "resamples": test.resamples, "rejected": test.rejected,
                     "recommended": row.family == recommended,
                     "note": "untestable: most resamples could not be fitted again" if test.untestable
                     else ""})
    values = measured.values
    rows.append({"family": EMPIRICAL, "written_as": f"the {measured.n} measured values",
                 "mean": values.mean(), "sd": values.std(ddof=1), "recommended": recommended == EMPIRICAL,
                 "note": "the values themselves: no value beyond those measured is ever drawn"})
    rows += [{"family": family, "note": f"not fitted: {why}"} for family, why in analysis.left_out.items()]
    return pd.DataFrame(rows).astype({"rank": "Int64", "parameters": "Int64", "resamples": "Int64",
                                      "rejected": "boolean"})


def _flow(spec: dict[str, object]) -> str:
    return "{" + ", ".join(f"{key}: {value:g}" if isinstance(value, float) else f"{key}: {value}"
                           for key, value in spec.items()) + "}"


def provenance(measured: Measured, analysis: Analysis, family: str, request: Request) -> list[str]:
    """The comment lines heading a fitted scenario: the data, the family and its statistics."""
    unit = ", minutes / 60 = hours" if measured.minutes else ""
    lines = [f"{measured.file} (column {measured.column!r}, {measured.n} values{unit}).",
             f"{request.key} is {family}"]
    row = analysis.row(family)
    if row is not None and row.goodness.asked == 0:
        lines[-1] += f" by maximum likelihood: AIC weight {row.weight:.2f}; no test of fit (--resamples 0)."
    elif row is not None:
        test = row.goodness
        lines[-1] += (f" by maximum likelihood: AIC weight {row.weight:.2f}; Kolmogorov-Smirnov D "
                      f"{test.ks:.3f} (p {test.ks_p:.2f}), Anderson-Darling A2 {test.ad:.2f} "
                      f"(p {test.ad_p:.2f}), "
                      f"{test.resamples} parametric-bootstrap resamples, seed {request.seed}.")
    else:
        lines[-1] += ": the measured values themselves (" + analysis.recommendation.certainty + ")."
    others = [f"{r.family} {r.delta_aic:.1f}" for r in analysis.table if r.family != family]
    if others:
        lines.append("Other families, AIC above the best: " + ", ".join(others) + "; all of it in fit.csv.")
    return lines


def _meta(request: Request, measured: Measured, analysis: Analysis, family: str, spec: dict[str, object],
          target: Target | None, scenario: Path | None, seconds: float) -> dict[str, object]:
    return {"data": str(measured.file), "column": measured.column, "values": measured.n,
            "empty_cells": measured.blanks, "minutes": measured.minutes, "resolution": measured.resolution,
            "separator": measured.separator, "recommended": analysis.recommendation.family,
            "certainty": analysis.recommendation.certainty, "written": family, "spec": spec,
            "key": request.key, "scenario": str(request.scenario_file) if request.scenario_file else None,
            "fitted_scenario": str(scenario) if scenario else None, "resamples": request.resamples,
            "seed": request.seed, "seconds": round(seconds, 2), "version": slagsim.__version__,
            "method": "maximum likelihood; AIC weights; Kolmogorov-Smirnov and Anderson-Darling with "
                      "parametric-bootstrap p-values"}
