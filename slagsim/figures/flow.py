"""The plant as a flow of tons: slag offered → received → sorted and melted → ingot, iron, fume,
residue → blocks, disposal, stock; bought cement, sand and water join the blocks.

A Sankey-style picture drawn from the mass-balance KPIs of the measured window (tons a year, mean
over replications): every band's width is its tons, so a planner sees at once where the slag goes
and how little of a block is slag. Each shared machine's utilisation and the bottleneck are written
under it. Matplotlib's own Sankey draws one diagram of a single stage; this draws the stages side
by side with bands between them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as CurvePath

from slagsim.analysis import kpis as K
from slagsim.figures.common import new_figure
from slagsim.i18n import N_, _, number, rupiah
from slagsim.model.vocabulary import Cost

COLOURS = {"slag": "#8c6d31", "ingot": "#2b7bba", "iron": "#6b6b6b", "loss": "#d73027", "residue": "#a6761d",
           "blocks": "#1b9e77", "bought": "#bdbdbd", "stock": "#fdae61"}
GAP = 0.04  # between nodes of a column, as a share of the tallest column


LABELLED_T = 0.5  # nodes smaller than this many t/yr are not named (their label would read "0 t/yr")


@dataclass(frozen=True)
class Flow:
    source: str
    target: str
    tons: float
    colour: str


def plant_flows(means: dict[str, float], blocks: list[str]) -> list[Flow]:
    """The flows of one scenario from its mean KPIs (t/yr), stage by stage; negative remainders
    (stock drawn down) are left out."""
    value = means.get
    offered, received = value(K.SLAG_OFFERED.name, 0.0), value(K.SLAG_RECEIVED.name, 0.0)
    processed, ingot = value(K.SLAG_PROCESSED.name, 0.0), value(K.INGOT.name, 0.0)
    iron, fume = value(K.FLOW.key("out.iron"), 0.0), value(K.FLOW.key("out.fume"), 0.0)
    flux = value(K.FLOW.key("in.flux"), 0.0)  # salt, out of the furnaces as salt cake
    residue = max(0.0, processed - ingot - iron - fume)
    into_blocks = max(0.0, value(K.OUTPUT_FROM_SLAG.name, 0.0) - ingot)
    disposed = value(K.RESIDUE_DISPOSED.name, 0.0)
    made = sum(value(K.OUTPUT.key(b), 0.0) for b in blocks)
    bought = sum(value(K.FLOW.key(f"in.{m}"), 0.0) for m in ("cement", "sand", "water"))
    flows = [
        Flow("slag offered", "slag received", received, COLOURS["slag"]),
        Flow("slag offered", "turned away", max(0.0, offered - received), COLOURS["loss"]),
        Flow("slag received", "processed", processed, COLOURS["slag"]),
        Flow("slag received", "slag stock", max(0.0, received - processed), COLOURS["stock"]),
        Flow("processed", "ingot", ingot, COLOURS["ingot"]),
        Flow("processed", "scrap iron", iron, COLOURS["iron"]),
        Flow("processed", "fume", fume, COLOURS["loss"]),
        Flow("processed", "residue", residue, COLOURS["residue"]),
        Flow("salt flux", "residue", flux, COLOURS["bought"]),
        Flow("residue", "blocks", into_blocks, COLOURS["residue"]),
        Flow("residue", "disposed (B3)", disposed, COLOURS["loss"]),
        Flow("residue", "residue stock", max(0.0, residue + flux - into_blocks - disposed), COLOURS["stock"]),
        Flow("cement, sand, water", "blocks", min(bought, max(0.0, made - into_blocks)), COLOURS["bought"]),
    ]
    return [f for f in flows if f.tons > 1e-9]


COLUMNS = [[N_("slag offered")], [N_("slag received"), N_("turned away")],
           [N_("processed"), N_("slag stock"), N_("salt flux")],
           [N_("ingot"), N_("scrap iron"), N_("fume"), N_("residue"), N_("cement, sand, water")],
           [N_("blocks"), N_("disposed (B3)"), N_("residue stock")]]  # node names; shown translated


def merge_passes(flows: list[Flow]) -> tuple[list[Flow], dict[str, list[str]], list[list[str]]]:
    """Join a node that passes all its tons to one next node (slag offered, all received, all
    processed) into that node, so the picture spends no width on columns that say the same thing.

    A branch under :data:`LABELLED_T` (a sliver never named) does not stop the join and is left
    out of the picture. Returns the flows, each kept node's names (``processed`` ->
    [slag offered, slag received, processed]) and the columns left.
    """
    chains = {name: [name] for column in COLUMNS for name in column}
    flows = list(flows)
    for column in COLUMNS[:-1]:
        for source in column:
            out = [f for f in flows if f.source == source]
            big = [f for f in out if f.tons >= LABELLED_T]
            if len(big) != 1 or [f for f in flows if f.target == big[0].target] != big:
                continue
            target = big[0].target
            chains[target] = chains.pop(source) + chains[target]
            flows = [f for f in flows if f.source != source]
    used = {f.source for f in flows} | {f.target for f in flows}
    columns = [[n for n in column if n in chains and n in used] for column in COLUMNS]
    return flows, chains, [column for column in columns if column]


def _layout(flows: list[Flow], columns: list[list[str]]) -> dict[str, tuple[int, float, float]]:
    """Each node's column, bottom and height (tons), stacked top-down with gaps."""
    through: dict[str, float] = {}
    for flow in flows:
        through[flow.source] = through.get(flow.source, 0.0)
        through[flow.target] = through.get(flow.target, 0.0)
    for name in through:
        incoming = sum(f.tons for f in flows if f.target == name)
        outgoing = sum(f.tons for f in flows if f.source == name)
        through[name] = max(incoming, outgoing)
    tallest = max(sum(through.get(n, 0.0) for n in column) for column in columns) or 1.0
    nodes = {}
    for index, column in enumerate(columns):
        top = tallest * (1 + GAP * 4)
        for name in column:
            if through.get(name, 0.0) <= 0:
                continue
            height = through[name]
            nodes[name] = (index, top - height, height)
            top -= height + GAP * tallest
    return nodes


def plant_flow_figure(means: dict[str, float], blocks: list[str], scenario: str,
                      note: str = "") -> tuple[Figure, pd.DataFrame]:
    """The flow picture of one scenario; ``note``: utilisation and bottleneck, under it."""
    data = pd.DataFrame([vars(f) for f in plant_flows(means, blocks)])
    flows, chains, columns = merge_passes(plant_flows(means, blocks))
    nodes = _layout(flows, columns)
    figure, axes = new_figure(11, 5.5)
    out_used = dict.fromkeys(nodes, 0.0)
    in_used = dict.fromkeys(nodes, 0.0)
    width = 0.12
    for flow in flows:
        (c0, b0, h0), (c1, b1, h1) = nodes[flow.source], nodes[flow.target]
        y0 = b0 + h0 - out_used[flow.source]
        y1 = b1 + h1 - in_used[flow.target]
        out_used[flow.source] += flow.tons
        in_used[flow.target] += flow.tons
        _band(axes, c0 + width, y0, c1, y1, flow.tons, flow.colour)
    for name, (column, bottom, height) in nodes.items():
        if height < LABELLED_T:  # a sliver (a few kilos of stock): drawn, not named
            continue
        axes.add_patch(Rectangle((column, bottom), width, height, color="#333333"))
        tons = _("{tons} t/yr").format(tons=number(height, 0))
        label = " = ".join(_(part) for part in chains.get(name, [name]))
        axes.annotate(f"{label}\n{tons}", (column + width + 0.02, bottom + height / 2), fontsize=7,
                      va="center")
    axes.set_xlim(-0.1, len(columns) - 0.3)
    axes.set_ylim(0, max(b + h for _, b, h in nodes.values()) * 1.05 if nodes else 1)
    axes.axis("off")
    axes.set_title(_("Where the tons go in {scenario} (t/yr, mean over replications; band width = tons)")
                   .format(scenario=scenario),
                   fontsize=9)
    disposal = _disposal_words(means, data)
    if disposal:
        axes.text(0.5, 1.0, disposal, transform=axes.transAxes, ha="center", va="top", fontsize=8,
                  color=COLOURS["loss"], wrap=True)
    if note:
        figure.text(0.01, 0.01, note, fontsize=7, ha="left", va="bottom", wrap=True)
    return figure, data


def _disposal_words(means: dict[str, float], data: pd.DataFrame) -> str:
    """The residue paid to send away, said out loud: the one band that costs money to get rid of."""
    sent = data[data.target == "disposed (B3)"].tons.sum() if len(data) else 0.0
    made = data[data.target == "residue"].tons.sum() if len(data) else 0.0
    if sent < LABELLED_T or made <= 0:
        return ""
    cost = means.get(K.COST.key(Cost.residue_disposal), 0.0)
    return _("{sent} of the {made} t of residue a year goes to paid B3 disposal ({cost} a year)").format(
        sent=number(sent, 0), made=number(made, 0), cost=rupiah(cost))


def _band(axes, x0: float, y0: float, x1: float, y1: float, tons: float, colour: str) -> None:
    """A curved band from (x0, y0..y0-tons) to (x1, y1..y1-tons)."""
    middle = (x0 + x1) / 2
    vertices = [(x0, y0), (middle, y0), (middle, y1), (x1, y1), (x1, y1 - tons), (middle, y1 - tons),
                (middle, y0 - tons), (x0, y0 - tons), (x0, y0)]
    codes = [CurvePath.MOVETO, CurvePath.CURVE4, CurvePath.CURVE4, CurvePath.CURVE4, CurvePath.LINETO,
             CurvePath.CURVE4, CurvePath.CURVE4, CurvePath.CURVE4, CurvePath.CLOSEPOLY]
    axes.add_patch(PathPatch(CurvePath(np.array(vertices), codes), facecolor=colour, alpha=0.45,
                             edgecolor="none"))
