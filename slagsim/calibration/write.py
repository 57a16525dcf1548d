"""What a calibration writes: the posterior of each estimate, the fit, figures, a calibrated scenario.

``results/<scenario>/calibration/`` gets ``posterior.csv`` (each estimate's prior range, posterior
median and 90 % interval, how much the books speak to it and the verdict), ``draws.csv`` (every
draw's values, distance and weight), ``fit.csv`` (each month and column: the records against the
accepted draws' 10-50-90 %, and whether the column lies outside what the model makes),
``figures/`` (posterior-predictive and posterior), the calibrated scenario
``<name>-calibrated.yaml`` (``extends:`` the original; only estimates the records pin down are
set, each with where its value came from) and ``calibration-meta.json`` (``status``: ``fit``, or
``misfit`` with the columns the model cannot make).
"""

from __future__ import annotations

import datetime
import os
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

import slagsim
from slagsim.calibration import abc, screen
from slagsim.calibration.books import MONTH
from slagsim.calibration.checks import misfit_line
from slagsim.calibration.draws import Result
from slagsim.calibration.figures import posterior_figure, predictive_figure
from slagsim.calibration.posterior import Posterior, posterior_of, posterior_table, three_digits
from slagsim.results.files import atomic_write_text, write_csv, write_json

POSTERIOR, DRAWS, FIT, META = "posterior.csv", "draws.csv", "fit.csv", "calibration-meta.json"
FIT_STATUS, MISFIT_STATUS = "fit", "misfit"


def fit_table(result: Result, post: Posterior) -> pd.DataFrame:
    """Each records month and column: the books, the accepted draws' 10, 50 and 90 %, and whether the
    column lies outside what the model makes (then it did not steer the fit)."""
    plan = result.plan
    months = np.stack([result.months[d] for d in post.draws[post.accepted]])
    misfit = {c.column for c in post.misfits}
    rows = []
    for position, month in enumerate(plan.records[MONTH]):
        for column_index, column in enumerate(plan.columns):
            values = months[:, position, column_index]
            finite = np.isfinite(values)
            quantiles = [abc.weighted_quantile(values[finite], post.weights[finite], q) if finite.any()
                         else np.nan for q in (0.1, 0.5, 0.9)]
            rows.append({"month": month, "column": column, "records": plan.records[column].iloc[position],
                         "simulated_10": quantiles[0], "simulated_50": quantiles[1],
                         "simulated_90": quantiles[2], "misfit": column in misfit})
    return pd.DataFrame(rows)


def calibrated_scenario(result: Result, table: pd.DataFrame) -> Path:
    """``<name>-calibrated.yaml``: the original, with every estimate the books pin down set to its
    posterior median and a comment saying so."""
    plan, out = result.plan, result.out
    learnt = {row.key: row for row in table.itertuples() if row.pinned_down}
    factors = {f.key: f for f in plan.factors.factors}
    values = {key: three_digits(factors[key].value_at(learnt[key].median_unit)) for key in learnt}
    today = datetime.date.today().isoformat()
    lines = [f"# Calibrated by slagsim {slagsim.__version__} on {today} to {plan.records_file.name} "
             f"({len(plan.records)} months):",
             "# each value set here is the median of its posterior; the comment gives the 90 % interval.",
             "# Estimates the books could not pin down keep the original's value:",
             *[f"#   {row.key} ({row.verdict.replace('_', ' ')})" for row in table.itertuples()
               if not row.pinned_down],
             *([f"# and the {int((~result.screening.fitted).sum())} estimates screening left unfitted "
                f"({screen.TABLE})"] if result.screening is not None else []),
             f"name: {plan.name}-calibrated",
             f"extends: {Path(os.path.relpath(plan.scenario_file.resolve(), out.resolve())).as_posix()}"]
    lines += _nested(values, {k: f"calibrated: {r.posterior_5} .. {r.posterior_95} (90 %), was "
                               f"{r.in_the_file}" for k, r in learnt.items()})
    return atomic_write_text(out / f"{plan.name}-calibrated.yaml", "\n".join(lines) + "\n")


def _nested(values: dict[str, object], notes: dict[str, str]) -> list[str]:
    """YAML lines for dotted keys, nested, each leaf with its comment."""
    lines, written = [], []
    for key in sorted(values):
        parts = key.split(".")
        common = 0
        while common < len(written) and common < len(parts) - 1 and written[common] == parts[common]:
            common += 1
        for depth in range(common, len(parts) - 1):
            lines.append(f"{'  ' * depth}{parts[depth]}:")
        value = yaml.safe_dump(values[key], default_flow_style=True, width=1000).strip()
        value = value.removesuffix("\n...").removesuffix("...").strip()
        lines.append(f"{'  ' * (len(parts) - 1)}{parts[-1]}: {value}  # {notes[key]}")
        written = parts[:-1]
    return lines


def write_calibration(result: Result, products: list[str]) -> tuple[pd.DataFrame, Path, Posterior]:
    """Every file of the calibration; the posterior table, the calibrated scenario's path and the
    posterior (its column checks say what the model cannot make)."""
    post = posterior_of(result)
    table = posterior_table(result, post)
    write_csv(table, result.out / POSTERIOR)
    weights = np.zeros(len(post.draws))
    weights[post.accepted] = post.weights
    draws = pd.DataFrame(result.plan.points[post.draws], columns=[f.key for f in result.plan.factors.factors])
    draws.insert(0, "draw", post.draws)
    draws["distance"], draws["weight"] = post.distances, weights
    write_csv(draws, result.out / DRAWS)
    fit = fit_table(result, post)
    write_csv(fit, result.out / FIT)
    predictive_figure(result.out, fit, products)
    posterior_figure(result.out, table)
    scenario = calibrated_scenario(result, table)
    plan = result.plan
    screening = {}
    if result.screening is not None:
        write_csv(result.screening, result.out / screen.TABLE)
        screening = {"method": "morris", "trajectories": screen.TRAJECTORIES,
                     "points": sum(result.screened), "candidates": len(result.screening),
                     "fitted": list(result.screening.key[result.screening.fitted]),
                     "min_effect": screen.MIN_EFFECT}
    write_json({"records": str(plan.records_file), "scenario": str(plan.scenario_file),
                "status": MISFIT_STATUS if post.misfits else FIT_STATUS, "products": products,
                "misfit_columns": [c.column for c in post.misfits],
                "misfits": [{**asdict(c), "says": misfit_line(c, products)} for c in post.misfits],
                "columns": [asdict(c) for c in post.columns],
                "pinned_down": [row.key for row in table.itertuples() if row.pinned_down],
                "informed_threshold": post.threshold, "screening": screening,
                "months": len(plan.records), "draws": len(post.draws), "accepted": len(post.accepted),
                "accept_share": plan.accept, "seed": plan.settings.seed,
                "years_simulated": plan.settings.years,
                "warmup_days": plan.settings.warmup_days, "method": "rejection ABC with local-linear "
                "regression adjustment (Beaumont et al. 2002) on the columns the model can make and the "
                "estimates they inform", "version": slagsim.__version__},
               result.out / META)
    return table, scenario, post
