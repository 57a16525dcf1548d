"""The attribution figure: each intervention's Shapley share of a jump, per KPI, with its CI."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from slagsim.analysis.kpis import unit_of
from slagsim.figures.common import kpi_title, new_figure
from slagsim.i18n import _, percent, signed

COLOURS = ("#2b7bba", "#e08214", "#4dac26", "#b2182b", "#8073ac", "#8c510a")


def attribution_figure(rows: pd.DataFrame) -> Figure:
    """One panel per KPI: horizontal bars of each intervention's share of the jump, 95 % CI."""
    kpis = list(dict.fromkeys(rows.kpi))
    figure, axes = new_figure(8, 1.0 + 1.5 * len(kpis) + 0.2 * rows.intervention.nunique(),
                              rows=len(kpis), squeeze=False)
    for panel, kpi in zip(axes[:, 0], kpis, strict=True):
        data = rows[rows.kpi == kpi].reset_index(drop=True)
        errors = [(data.share - data.share_ci95_low).fillna(0), (data.share_ci95_high - data.share).fillna(0)]
        panel.barh(data.intervention, data.share, xerr=errors, capsize=3,
                   color=[COLOURS[i % len(COLOURS)] for i in range(len(data))])
        for position, row in enumerate(data.itertuples()):
            outside = row.share_ci95_high if row.share >= 0 else row.share_ci95_low
            share = percent(row.share_pct_of_jump / 100)
            panel.text(outside, position, f"  {share}  ", fontsize=8, va="center",
                       ha="left" if row.share >= 0 else "right")
        panel.axvline(0, color="#4d4d4d", linewidth=1)
        low, high = min(0, data.share_ci95_low.min()), max(0, data.share_ci95_high.max())
        panel.set_xlim(low - 0.25 * (high - low) * (low < 0), high + 0.2 * (high - low))
        jump = data.jump.iloc[0]
        panel.set_title(_("{kpi}: a jump of {jump} {unit} from before to today, shared out").format(
            kpi=kpi_title(kpi), jump=signed(jump, 0), unit=_(unit_of(kpi))), fontsize=9)
        panel.set_xlabel(_("Shapley share [{unit}], mean with 95% CI; % of the jump").format(
            unit=_(unit_of(kpi))))
        panel.grid(axis="x", alpha=0.3)
    figure.suptitle(_("Which intervention explains the jump (each share averaged over every order "
                      "the interventions could be added in)"), fontsize=9)
    return figure
