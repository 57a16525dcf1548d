"""Tables written to a file or a pipe are printed whole: every header, every cell, one line per row.

CliRunner's output is not a terminal, exactly like ``slagsim appraise ... > log``; without
``COLUMNS`` nothing may be folded, cut or ellipsised however long the names and numbers.
"""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from slagsim.appraisal.appraise import Appraisal
from slagsim.appraisal.menu import Menu
from slagsim.appraisal.selection import select
from slagsim.appraisal.session import AppraisalOutcome, Settings
from slagsim.batch.compare import DEFAULT_KPIS, compare_results
from slagsim.cli.appraisal_tables import print_appraisal
from slagsim.cli.tables import _kpi_cells, column_label, print_comparison
from slagsim.results.read import load_results

LONG = "a-candidate-with-a-name-much-longer-than-any-terminal-column-would-hold"


@pytest.fixture(autouse=True)
def no_terminal_width(monkeypatch):
    """No COLUMNS: the width a user's file or pipe gets."""
    monkeypatch.delenv("COLUMNS", raising=False)


def printed(show) -> str:
    """What ``show()`` prints to stdout when stdout is not a terminal (through click's runner)."""
    outcome = CliRunner().invoke(click.command()(lambda: show()), [])
    assert outcome.exception is None, outcome.output
    return outcome.output


def row_of(output: str, name: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith("│") and f"│ {name} " in line]
    assert len(lines) == 1, (name, output)
    return lines[0]


def test_the_comparison_table_is_whole_in_a_file(serial_small):
    """A 70-character scenario name and numbers in the billions: each row on one line, every
    header and cell unbroken, the intervals and the bottleneck column kept."""
    comparison = compare_results(load_results([serial_small]))
    comparison.table["scenario"] = comparison.table.scenario.replace("add-press", LONG)
    comparison.bottlenecks[LONG] = comparison.bottlenecks.pop("add-press")
    money = comparison.table.kpi == DEFAULT_KPIS[-1]
    scaled = ["mean", "diff", "diff_ci95_low", "diff_ci95_high"]
    comparison.table.loc[money, scaled] = comparison.table.loc[money, scaled] * 12_345.678
    kpis = list(DEFAULT_KPIS)
    output = printed(lambda: print_comparison(comparison, kpis, "title"))
    assert "…" not in output
    for kpi in kpis:
        assert all(part in output for part in column_label(kpi).splitlines())
    assert "Δ [95% CI]" in output and "Bottleneck" in output
    rows = comparison.table.set_index(["scenario", "kpi"])
    for scenario in comparison.table.scenario.unique():
        line = row_of(output, scenario)
        for kpi in kpis:
            cells = _kpi_cells(rows.loc[(scenario, kpi)].copy(), kpi, scenario == comparison.baseline)
            assert all(cell in line for cell in cells), (cells, line)
        assert comparison.bottleneck_label(scenario) in line


def fake(name: str, scale: float) -> Appraisal:
    """A candidate with numbers far wider than an 80-column table leaves room for."""
    npvs = (-686.1e6 * scale, -1411.6e6 * scale, 39.5e6 * scale)
    return Appraisal((name,), 123_456_789_000.0, 0.0, (12345.6, -1234.5, 23456.7),
                     (9.87e9 * scale, -1.23e9, 2.34e10), npvs, -5.5e12, (npvs[0], npvs[2]), (3.0, 12.0),
                     (0.5, 0.0945, 0.9055))


def test_the_appraisal_tables_are_whole_in_a_file():
    """Every column of the candidates table, the payback chance last, with every full cell."""
    names = [LONG, "mill", "press"]
    menu = Menu.model_validate({
        "baseline": "b.yaml", "discount_rate": 0.1, "horizon_years": 10,
        "items": {name: {"set": {"x.y": 1}, "price_rp": 1, "life_years": 10, "paid_by": "dak"}
                  for name in names}})
    singles = [fake(name, 10.0 ** index) for index, name in enumerate(names)]
    outcome = AppraisalOutcome(menu, Settings(10, 0.1, None, None, None, True), singles, select(singles))
    output = printed(lambda: print_appraisal(outcome))
    assert "…" not in output
    headers = ["candidate", "price Rp m", "extra t/yr [95% CI]", "extra margin Rp m/yr [95% CI]",
               "NPV Rp m [95% CI]", "NPV without grant Rp m", "median payback yr",
               "chance of payback within 10 yr"]
    assert all(header in output for header in headers), output
    for appraisal in singles:
        line = row_of(output, appraisal.name)
        npv = f"{appraisal.npv_rp[0] / 1e6:,.0f} [{appraisal.npv_rp[1] / 1e6:,.0f} .. "
        assert npv in line and "123,457" in line and "12,345.6 [-1,234.5 .. 23,456.7]" in line, line
        assert "-5,500,000" in line and "50 % [9 % .. 91 %]" in line, line
