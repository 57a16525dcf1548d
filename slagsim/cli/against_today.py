"""What a run's edited inputs change against today's scenario, printed after the run's own table.

A planner who edits the inputs sheet wants the answer to "what does my edit do?", not two tables
to subtract by eye: each headline KPI of today and of the edited scenario, and the paired
difference with its 95 % CI (same seed and replications, so the noise that both share cancels).
"""

from __future__ import annotations

import pandas as pd
from rich.console import Console
from rich.table import Table

from slagsim.analysis.kpis import DEFAULT_RANKING, is_headline, label_of
from slagsim.cli.tables import difference, fmt
from slagsim.i18n import _

SHOWN_KEYS = 6  # the changed inputs named in the title line; the rest counted
SCALED = ["mean", "diff", "diff_ci95_low", "diff_ci95_high"]
MILLION = 1e6


def print_against_today(table: pd.DataFrame, changed: tuple[str, ...]) -> None:
    """Output, ingot and gross margin of today and of the edited scenario, with the paired difference
    of each, then every other headline KPI the edits change significantly (all: against-today.csv)."""
    today, edited = list(dict.fromkeys(table.scenario))[:2]
    more = len(changed) - SHOWN_KEYS
    keys = ", ".join(changed[:SHOWN_KEYS]) + (_(" and {count} more").format(count=more) if more > 0 else "")
    title = _("{edited} against today's {today} (edited: {keys})").format(edited=edited, today=today,
                                                                          keys=keys)
    caption = _("Δ = paired difference (same seed and replications) [95% CI]; * = its 95% CI excludes 0; "
                "other measures where the edits make no significant difference: against-today.csv")
    shown = Table(title=title, caption=caption)
    for column in (_("Measure"), _("Unit"), _("Today"), _("Edited"), "Δ [95% CI]"):
        shown.add_column(column, justify="left" if column in (_("Measure"), _("Unit")) else "right")
    rows = table.set_index(["scenario", "kpi"])
    always = [kpi.name for kpi in DEFAULT_RANKING]
    for kpi in dict.fromkeys([*always, *table.kpi]):
        if (today, kpi) not in rows.index or (edited, kpi) not in rows.index:
            continue
        mine, theirs = rows.loc[(edited, kpi)].copy(), rows.loc[(today, kpi)]
        if kpi not in always and not (is_headline(kpi) and bool(mine["significant"])):
            continue
        unit = str(mine["unit"]) if isinstance(mine["unit"], str) else ""
        scale = MILLION if unit == "Rp/yr" else 1.0  # Rupiah a year in millions, as `compare` shows them
        mine[SCALED] = mine[SCALED].astype(float) / scale
        shown.add_row(_(label_of(kpi)), _("Rp m/yr") if scale != 1 else _(unit) if unit else "",
                      fmt(theirs["mean"] / scale), fmt(mine["mean"]), difference(mine))
    Console(width=120).print(shown)
