"""What a calibration writes: the posterior of each estimate, the fit, figures, a calibrated scenario.

``results/<scenario>/calibration/`` gets ``posterior.csv`` (each estimate's prior range, posterior
median and 90 % interval, and whether the records pin it down), ``draws.csv`` (every draw's
values, distance and weight), ``fit.csv`` (each month and column: the records against the
accepted draws' 10-50-90 %), ``figures/`` (posterior-predictive and posterior), the calibrated
scenario ``<name>-calibrated.yaml`` (``extends:`` the original; only estimates the records pin
down are set, each with where its value came from) and ``calibration-meta.json``.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

import slagsim
from slagsim.calibration import abc
from slagsim.calibration.books import MONTH, column_words
from slagsim.calibration.draws import Result
from slagsim.figures.common import OPTION_COLOUR, new_figure, save_figure
from slagsim.i18n import _, language
from slagsim.layout import FIGURES
from slagsim.results.files import atomic_write_text, write_csv, write_json
from slagsim.scenario.factors import Factor
from slagsim.scenario.plain_keys import plain_key

POSTERIOR, DRAWS, FIT, META = "posterior.csv", "draws.csv", "fit.csv", "calibration-meta.json"
SHOWN_COLUMNS = 6


@dataclass(frozen=True)
class Posterior:
    """The accepted draws, their weights and adjusted unit values, and the summaries behind them."""

    draws: np.ndarray  # draw numbers, in design order
    distances: np.ndarray
    accepted: np.ndarray  # positions in ``draws``
    weights: np.ndarray
    adjusted: np.ndarray  # accepted x factors, unit values after the regression adjustment
    observed: np.ndarray
    simulated: np.ndarray


def posterior_of(result: Result) -> Posterior:
    """Summaries, distances, the accepted draws and their adjusted values."""
    plan = result.plan
    draws = np.array(sorted(result.months))
    records = plan.records[plan.columns].to_numpy(dtype=float)
    present = np.isfinite(records)
    observed = abc.summaries(records, present)
    simulated = abc.summaries(np.stack([result.months[d] for d in draws]), present)
    units = plan.points[draws]
    projections, records_projection = abc.projected(simulated, observed, units)
    distances = abc.prior_scaled_distances(projections, records_projection, units)
    accepted = abc.accepted(distances, plan.accept)
    weights = abc.epanechnikov(distances[accepted])
    adjusted = abc.regression_adjust(units[accepted], projections[accepted], records_projection, weights)
    return Posterior(draws, distances, accepted, weights, adjusted, observed, simulated)


def posterior_table(result: Result, post: Posterior) -> pd.DataFrame:
    """One row per estimate: its range, the posterior median and 90 % interval, learnt or not."""
    rows = []
    for index, factor in enumerate(result.plan.factors.factors):
        units = post.adjusted[:, index]
        low, median, high = (abc.weighted_quantile(units, post.weights, q) for q in (0.05, 0.5, 0.95))
        width = (high - low) / 0.9
        rows.append({"estimate": plain_key(factor.key), "key": factor.key, "range": factor.range_text,
                     "in_the_file": _shown(factor, factor.base), "posterior_median": _value(factor, median),
                     "posterior_5": _value(factor, low), "posterior_95": _value(factor, high),
                     "median_unit": median, "interval_share_of_range": width,
                     "pinned_down": bool(width < abc.IDENTIFIED_WIDTH)})
    return pd.DataFrame(rows)


def _value(factor: Factor, unit: float) -> object:
    """The estimate's value at ``unit`` as a planner reads it: the number, or the factor on the
    file's value for a distribution."""
    entry = factor.entry
    if entry.low is not None:
        return three_digits(factor.value_at(unit))
    return f"x{entry.low_factor + unit * (entry.high_factor - entry.low_factor):.3g}"


def three_digits(value: object) -> object:
    """A fitted number to three significant digits (the books cannot say more); others as they are."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return value if isinstance(value, int) else float(f"{value:.3g}")


def _shown(factor: Factor, value: object) -> object:
    if isinstance(value, int | float | str):
        return three_digits(value) if isinstance(value, float) and value < 1e6 else value
    return yaml.safe_dump(value, default_flow_style=True).strip()


def fit_table(result: Result, post: Posterior) -> pd.DataFrame:
    """Each records month and column: the books, and the accepted draws' 10, 50 and 90 %."""
    plan = result.plan
    months = np.stack([result.months[d] for d in post.draws[post.accepted]])
    rows = []
    for position, month in enumerate(plan.records[MONTH]):
        for column_index, column in enumerate(plan.columns):
            values = months[:, position, column_index]
            finite = np.isfinite(values)
            quantiles = [abc.weighted_quantile(values[finite], post.weights[finite], q) if finite.any()
                         else np.nan for q in (0.1, 0.5, 0.9)]
            rows.append({"month": month, "column": column, "records": plan.records[column].iloc[position],
                         "simulated_10": quantiles[0], "simulated_50": quantiles[1],
                         "simulated_90": quantiles[2]})
    return pd.DataFrame(rows)


def predictive_figure(result: Result, fit: pd.DataFrame, products: list[str]) -> Path:
    """The records against the accepted draws' 10-90 % band, month by month, for the columns the
    records fill most."""
    filled = (result.plan.records[result.plan.columns].notna().sum().sort_values(ascending=False))
    columns = [c for c in filled.index if filled[c] > 0][:SHOWN_COLUMNS]
    figure, axes = new_figure(11, 2.2 * ((len(columns) + 1) // 2) + 0.8, rows=(len(columns) + 1) // 2,
                              columns=2, squeeze=False)
    for axis, column in zip(axes.flat, columns, strict=False):
        rows = fit[fit.column == column].reset_index(drop=True)
        positions = np.arange(len(rows))
        axis.fill_between(positions, rows.simulated_10, rows.simulated_90, color=OPTION_COLOUR, alpha=0.25,
                          label=_("simulated, 10-90 %"))
        axis.plot(positions, rows.simulated_50, color=OPTION_COLOUR, linewidth=1)
        axis.plot(positions, rows.records, "o", color="black", markersize=3, label=_("the books"))
        english, indonesian = column_words(column, products)
        axis.set_title(indonesian if language() == "id" else english, fontsize=8)
        step = max(1, len(rows) // 6)
        axis.set_xticks(positions[::step], rows.month[::step], fontsize=7)
        axis.grid(alpha=0.3)
    for axis in list(axes.flat)[len(columns):]:
        axis.set_visible(False)
    axes.flat[0].legend(fontsize=7)
    figure.suptitle(_("The books against the calibrated model, month by month"), fontsize=9)
    return save_figure(figure, result.out / FIGURES / "posterior-predictive")[0]


def posterior_figure(result: Result, table: pd.DataFrame) -> Path:
    """Each estimate's 90 % posterior interval on its range (the prior is the whole bar)."""
    figure, axes = new_figure(8, 1.0 + 0.45 * len(table))
    for position, row in enumerate(table.iloc[::-1].itertuples()):
        low = row.median_unit - 0.45 * row.interval_share_of_range
        axes.barh(position, 1.0, color="#eeeeee")
        axes.barh(position, row.interval_share_of_range * 0.9, left=max(0.0, low),
                  color=OPTION_COLOUR if row.pinned_down else "#999999")
        axes.plot(row.median_unit, position, "|", color="black", markersize=12)
    axes.set_yticks(range(len(table)), [f"{r.estimate}\n{r.key}" for r in table.iloc[::-1].itertuples()],
                    fontsize=7)
    axes.set_xlim(0, 1)
    axes.set_xlabel(_("Place in the estimate's range (0 = low end, 1 = high end); bar: 90 % posterior "
                      "interval, blue where the books pin it down"), fontsize=8)
    axes.set_title(_("What the books say about each estimate"), fontsize=9)
    return save_figure(figure, result.out / FIGURES / "posterior")[0]


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
             *[f"#   {row.key}" for row in table.itertuples() if not row.pinned_down],
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


def write_calibration(result: Result, products: list[str]) -> tuple[pd.DataFrame, Path]:
    """Every file of the calibration; the posterior table and the calibrated scenario's path."""
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
    predictive_figure(result, fit, products)
    posterior_figure(result, table)
    scenario = calibrated_scenario(result, table)
    plan = result.plan
    write_json({"records": str(plan.records_file), "scenario": str(plan.scenario_file),
                "months": len(plan.records), "draws": len(post.draws), "accepted": len(post.accepted),
                "accept_share": plan.accept, "seed": plan.settings.seed,
                "years_simulated": plan.settings.years,
                "warmup_days": plan.settings.warmup_days, "method": "rejection ABC with local-linear "
                "regression adjustment (Beaumont et al. 2002)", "version": slagsim.__version__},
               result.out / META)
    return table, scenario
