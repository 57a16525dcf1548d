"""The calibration's figures: the books against the kept draws, and what the books say of each estimate."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from slagsim.calibration.books import column_words
from slagsim.calibration.posterior import PINNED, SAYS_LITTLE
from slagsim.figures.common import OPTION_COLOUR, new_figure, save_figure, wrapped
from slagsim.i18n import _, language
from slagsim.layout import FIGURES

PANELS_PER_ROW = 3
MISFIT_COLOUR = "#c0392b"


def predictive_figure(out: Path, fit: pd.DataFrame, products: list[str]) -> Path:
    """Every column the books fill: the books as dots on the kept draws' 10-90 % band, month by
    month; a column the model cannot make is titled and dotted in red."""
    filled = fit[fit.records.notna()]
    columns = list(dict.fromkeys(filled.column))
    rows = max(1, (len(columns) + PANELS_PER_ROW - 1) // PANELS_PER_ROW)
    figure, axes = new_figure(11, 1.9 * rows + 0.8, rows=rows, columns=PANELS_PER_ROW, squeeze=False)
    for axis, column in zip(axes.flat, columns, strict=False):
        table = fit[fit.column == column].reset_index(drop=True)
        misfit = bool(table.misfit.any()) if "misfit" in table else False
        scale = 1e6 if column.endswith("_rp") else 1.0  # Rupiah in millions: no 1e8 above the axis
        table[["records", "simulated_10", "simulated_50", "simulated_90"]] /= scale
        positions = np.arange(len(table))
        axis.fill_between(positions, table.simulated_10, table.simulated_90, color=OPTION_COLOUR, alpha=0.25,
                          label=_("simulated, 10-90 %"))
        axis.plot(positions, table.simulated_50, color=OPTION_COLOUR, linewidth=1)
        axis.plot(positions, table.records, "o", color=MISFIT_COLOUR if misfit else "black", markersize=3,
                  label=_("the books"))
        english, indonesian = column_words(column, products)
        title = indonesian if language() == "id" else english
        if scale != 1.0:
            title = _("{column}, millions").format(column=title)
        if misfit:
            title = wrapped(_("{column}: outside what the model makes").format(column=title), 45)
        axis.set_title(title, fontsize=8, color=MISFIT_COLOUR if misfit else "black")
        step = max(1, len(table) // 4)
        axis.set_xticks(positions[::step], table.month[::step], fontsize=6)
        axis.tick_params(axis="y", labelsize=6)
        axis.grid(alpha=0.3)
    for axis in list(axes.flat)[len(columns):]:
        axis.set_visible(False)
    axes.flat[0].legend(fontsize=6)
    figure.suptitle(_("The books against the calibrated model, month by month"), fontsize=9)
    return save_figure(figure, out / FIGURES / "posterior-predictive")[0]


def posterior_figure(out: Path, table: pd.DataFrame) -> Path:
    """Each estimate's 90 % posterior interval on its range (the prior is the whole bar): blue
    where the books pin it down, grey where they say little, an empty bar where they say nothing."""
    figure, axes = new_figure(8, 1.0 + 0.45 * len(table))
    for position, row in enumerate(table.iloc[::-1].itertuples()):
        low = row.median_unit - 0.45 * row.interval_share_of_range
        axes.barh(position, 1.0, color="#eeeeee")
        verdict = getattr(row, "verdict", PINNED if row.pinned_down else SAYS_LITTLE)
        if verdict in (PINNED, SAYS_LITTLE):
            axes.barh(position, row.interval_share_of_range * 0.9, left=max(0.0, low),
                      color=OPTION_COLOUR if verdict == PINNED else "#999999")
            axes.plot(row.median_unit, position, "|", color="black", markersize=12)
        else:
            axes.barh(position, 1.0, color="none", edgecolor="#999999", hatch="//", linewidth=0.5)
    axes.set_yticks(range(len(table)), [f"{r.estimate}\n{r.key}" for r in table.iloc[::-1].itertuples()],
                    fontsize=7)
    axes.set_xlim(0, 1)
    label = _("Place in the estimate's range (0 = low end, 1 = high end); bar: 90 % posterior interval, blue "
              "where the books pin it down, hatched where they do not inform it")
    axes.set_xlabel(wrapped(label, 70), fontsize=8)
    axes.set_title(_("What the books say about each estimate"), fontsize=9)
    return save_figure(figure, out / FIGURES / "posterior")[0]
