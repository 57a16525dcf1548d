"""The full set of figures for a comparison or report, with titles and captions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from slagsim.analysis import kpis as K
from slagsim.analysis.bottleneck import find_bottleneck, translated
from slagsim.figures.common import save_figure
from slagsim.figures.flow import plant_flow_figure
from slagsim.figures.machines import utilization_states, wait_heatmap
from slagsim.figures.scenarios import gain_forest, replication_spread, throughput_comparison
from slagsim.figures.sweep import sweep_figure
from slagsim.figures.time import cumulative_output, store_and_yard, yearly_output
from slagsim.figures.waterfall import margin_waterfall
from slagsim.i18n import N_, _, percent
from slagsim.results.read import ResultSet

HEADLINE = K.PRODUCT_OUTPUT.name


@dataclass
class Plot:
    """A figure with its file stem, title, caption and the data behind it."""

    stem: str
    title: str
    caption: str
    figure: Figure
    data: pd.DataFrame
    files: tuple[Path, ...] = ()


def make_figures(results: ResultSet, table: pd.DataFrame, kpi: str = HEADLINE,
                 only: tuple[str, ...] | None = None, chosen: tuple[str, ...] = ()) -> list[Plot]:
    """Every figure that applies to these results (sweep and yearly ones only when relevant).

    ``only`` limits the set to those stems (drawing is the slow part); ``chosen`` are the options a
    decision named (an appraisal's answer), drawn first wherever a figure picks some options.
    """
    baseline, runs = results.baseline, results.runs
    makers = {
        "throughput": lambda: Plot(
            "throughput", N_("Throughput by scenario"), N_("Mean with 95% CI; baseline grey; paired "
                                                           "difference to the baseline in brackets."),
            *throughput_comparison(table, baseline, kpi)),
        "gain": lambda: Plot(
            "gain", N_("Gain over the baseline"), N_("Differences to the baseline with 95% CI; blue where "
                                                     "the CI excludes zero."),
            *gain_forest(table, baseline, kpi)),
        "spread": lambda: Plot(
            "spread", N_("Spread across replications"), N_("One value per replication."),
            *replication_spread(_kpi_values(results, kpi), baseline, kpi)),
        "cumulative": lambda: Plot(
            "cumulative", N_("Cumulative output over simulated time"), N_("Median and 10-90% band."),
            *cumulative_output(runs, baseline)),
        "yearly": lambda: Plot(
            "yearly", N_("Output per simulated year"), N_("Mean over replications."),
            *yearly_output(runs, baseline)),
        "machine-states": lambda: Plot(
            "machine-states", N_("Machine time by state"),
            N_("Share of working hours per machine type, off-shift time left out."),
            *utilization_states(runs)),
        "firm-waits": lambda: Plot(
            "firm-waits", N_("Who waits at the machines"),
            N_("Mean wait per job at each machine, over the firms, with the range from the firm waiting "
               "least to the one waiting most."),
            *wait_heatmap(runs, baseline)),
        "store-and-yard": lambda: Plot(
            "store-and-yard", N_("B3 store and curing yard over time"), N_("Against their capacities."),
            *store_and_yard(runs, baseline)),
        "sweep": lambda: _sweep_plot(results, table, kpi),
        "margin-waterfall": lambda: _waterfall_plot(table, baseline, chosen),
        "plant-flow": lambda: _flow_plot(results),
    }
    if max(float(run.meta.get("years", 1)) for run in runs) <= 1:
        del makers["yearly"]
    chosen = [maker() for stem, maker in makers.items() if only is None or stem in only]
    return [plot for plot in chosen if plot is not None]


def _flow_plot(results: ResultSet) -> Plot | None:
    """Where the baseline's tons go, with each shared machine's utilisation and the bottleneck."""
    base = next((run for run in results.runs if run.name == results.baseline), None)
    if base is None:
        return None
    means = base.means()
    if K.FLOW.key("out.iron") not in means:  # results written before the flows were measured
        return None
    blocks = list(base.scenario.get("products", {}).get("blocks", {}))
    busy = sorted((K.UTILIZATION.part(k), v) for k, v in means.items() if K.UTILIZATION.matches(k))
    found = find_bottleneck(means, base.kpi_table().values())
    used = ", ".join(f"{machine} {percent(share)}" for machine, share in busy)
    note = "; ".join(part for part in (
        _("Utilisation: {machines}").format(machines=used) if busy else "",
        _("bottleneck: {what}").format(what=translated(found.label)) if found else "") if part)
    return Plot("plant-flow", N_("Where the tons go"),
                N_("The baseline as a flow of tons a year: slag offered, received, processed; ingot, scrap "
                   "iron, fume and residue; residue into blocks with bought cement, sand and water, or "
                   "to licensed disposal; band width is tons."),
                *plant_flow_figure(means, blocks, base.name, note))


def _waterfall_plot(table: pd.DataFrame, baseline: str, named: tuple[str, ...] = ()) -> Plot | None:
    """The margin waterfall of the options a decision named, the one earning most and the one
    making the most tons (at most three, each once)."""
    others = table[(table.scenario != baseline)]
    margin = others[others.kpi == K.GROSS_MARGIN.name]
    tons = others[others.kpi == K.PRODUCT_OUTPUT.name]
    if margin.empty or tons.empty or K.TURNOVER.name not in set(table.kpi):
        return None
    known = set(margin.scenario)
    best = [margin.sort_values("diff").scenario.iloc[-1], tons.sort_values("diff").scenario.iloc[-1]]
    chosen = list(dict.fromkeys([*(n for n in named if n in known), *best]))[:3]
    return Plot("margin-waterfall", N_("Where the money comes from"),
                N_("From today's gross margin to the option's: the change in turnover, then each cost line "
                   "(red: it costs more), paired mean differences, Rp million a year."),
                *margin_waterfall(table, baseline, chosen))


def _sweep_plot(results: ResultSet, table: pd.DataFrame, kpi: str) -> Plot | None:
    sweep = sweep_figure(results.batch_meta, table, kpi)
    if sweep is None:
        return None
    return Plot("sweep", N_("Sweep"), N_("The KPI over the swept parameters."), *sweep)


def _kpi_values(results: ResultSet, kpi: str) -> pd.DataFrame:
    frames = [run.replications[run.replications.kpi == kpi].assign(scenario=run.name)
              for run in results.runs]
    return pd.concat(frames, ignore_index=True)[["scenario", "replication", "value"]]


def save_plots(plots: list[Plot], folder: Path) -> list[Plot]:
    """Save every plot as PNG and SVG under ``folder``; return them with their files."""
    for plot in plots:
        plot.files = tuple(save_figure(plot.figure, Path(folder) / plot.stem))
    return plots
