"""Shared look and saving of figures (matplotlib with the Agg backend: no screen needed)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from slagsim.analysis.kpis import label_of
from slagsim.i18n import _
from slagsim.results.files import atomic_write

BASELINE_COLOUR = "#4d4d4d"
OPTION_COLOUR = "#2b7bba"
FORMATS = (".png", ".svg")


def kpi_title(kpi: str) -> str:
    """The planner's label of a KPI, from the registry."""
    return _(label_of(kpi))


def wrapped(text: str, width: int = 40) -> str:
    """``text`` broken into lines of at most ``width`` characters: an axis label longer than its
    axis would be cut at the figure's edge."""
    return "\n".join(textwrap.wrap(text, width)) or text


def new_figure(width: float, height: float, rows: int = 1, columns: int = 1,
               **options: object) -> tuple[Figure, Axes]:
    """A figure with a constrained layout; its axes (an array when rows or columns > 1)."""
    return plt.subplots(rows, columns, figsize=(width, height), layout="constrained", **options)


def save_figure(figure: Figure, stem: Path) -> list[Path]:
    """Save ``figure`` as ``stem.png`` and ``stem.svg`` (each through a temporary file); close it."""
    stem = Path(stem)
    paths = [atomic_write(stem.with_suffix(suffix), lambda temporary: figure.savefig(temporary, dpi=150))
             for suffix in FORMATS]
    plt.close(figure)
    return paths
