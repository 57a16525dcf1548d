"""The two figures of a fit: the values' histogram under every fitted density, and a Q-Q plot.

The histogram shows at a glance which families are wrong (an exponential's peak at zero over
values that start at 0.1 h); the Q-Q plot shows where the recommended one is wrong, if anywhere:
the measured quantiles against the fitted ones lie on the diagonal when the family is right, and
bend away in the tail it gets wrong, which matters most for a time that blocks a machine.
"""

from __future__ import annotations

import itertools
import warnings
from pathlib import Path

import numpy as np

from slagsim.figures.common import OPTION_COLOUR, new_figure, save_figure, wrapped
from slagsim.fitting.data import Measured
from slagsim.fitting.recommend import Ranked
from slagsim.i18n import _, number

COLOURS = ("#2b7bba", "#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#a6761d")  # one per family
MAX_BINS = 60


def value_label(measured: Measured) -> str:
    """The x axis: the column, and the unit the values were fitted in when slagsim knows it."""
    if measured.minutes:
        return _("{column} (hours: the minutes measured / 60)").format(column=measured.column)
    return measured.column


def histogram_figure(measured: Measured, table: list[Ranked], recommended: str, stem: Path) -> Path:
    """The values' histogram (as a density) with each fitted family's density over it; the
    recommended family's line drawn thickest."""
    values = measured.values
    figure, axis = new_figure(7.5, 4.2)
    bins = min(MAX_BINS, max(5, len(np.histogram_bin_edges(values, bins="fd")) - 1))
    axis.hist(values, bins=bins, density=True, color="#dddddd", edgecolor="#999999",
              label=_("measured ({n} values)").format(n=measured.n))
    low, high = float(values.min()), float(values.max())
    grid = np.linspace(max(0.0, low - 0.1 * (high - low)), high + 0.1 * (high - low), 400)
    tallest = 0.0
    for row, colour in zip(table, itertools.cycle(COLOURS)):  # every family: five colours left two out
        density = np.nan_to_num(np.asarray(row.fit.model.pdf(grid), dtype=float), posinf=0.0)
        chosen = row.family == recommended
        axis.plot(grid, density, color=colour, linewidth=2.4 if chosen else 1.1,
                  linestyle="-" if chosen else "--",
                  label=_("{family} (ΔAIC {delta})").format(family=row.family,
                                                             delta=number(row.delta_aic, 1)))
        tallest = max(tallest, float(density.max()))
    heights = np.histogram(values, bins=bins, density=True)[0]
    axis.set_ylim(0, 1.15 * max(float(heights.max()), min(tallest, 3 * float(heights.max()))))
    axis.set_xlabel(value_label(measured), fontsize=8)
    axis.set_ylabel(_("density"), fontsize=8)
    axis.set_title(_("The measured values and the fitted distributions"), fontsize=9)
    axis.legend(fontsize=7)
    axis.grid(alpha=0.3)
    return _saved(figure, stem)


def qq_figure(measured: Measured, row: Ranked, stem: Path) -> Path:
    """The measured quantiles against those of ``row``'s fitted distribution, with the diagonal."""
    ordered = np.sort(measured.values)
    n = len(ordered)
    fitted = np.asarray(row.fit.model.ppf((np.arange(1, n + 1) - 0.5) / n), dtype=float)
    figure, axis = new_figure(4.8, 4.6)
    axis.plot(fitted, ordered, "o", color=OPTION_COLOUR, markersize=3, alpha=0.7)
    ends = [min(fitted.min(), ordered.min()), max(fitted.max(), ordered.max())]
    axis.plot(ends, ends, color="black", linewidth=0.8)
    axis.set_xlabel(_("quantiles of the fitted {family}").format(family=row.family), fontsize=8)
    axis.set_ylabel(wrapped(_("measured quantiles: {label}").format(label=value_label(measured)), 50),
                    fontsize=8)
    axis.set_title(_("Q-Q plot: on the line where the family is right"), fontsize=9)
    axis.grid(alpha=0.3)
    return _saved(figure, stem)


def _saved(figure: object, stem: Path) -> Path:
    """Save the figure; a character of the planner's column header that the font lacks (a stopwatch
    emoji) is drawn as a box, not a matplotlib warning printed in the middle of the fit's table."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from", category=UserWarning)
        return save_figure(figure, stem)[0]
