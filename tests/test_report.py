"""slagsim report: a self-contained HTML file that a real browser shows, and an Excel workbook."""

from __future__ import annotations

import json
import re
import shutil

import openpyxl
import pandas as pd
import pytest

from slagsim.batch.compare import compare_results
from slagsim.report.formats import RUPIAH, TONS
from slagsim.report.labels import LABELS
from slagsim.report.sheets import kpi_header
from slagsim.results.read import load_results
from tests.browser import chromium, first_screen_summary, page_fit
from tests.common import BASELINE, invoke

pytestmark = pytest.mark.slow  # writes whole reports and opens them in a browser


@pytest.fixture(scope="module")
def report(serial_small, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "small.html"
    result = invoke(["report", str(serial_small), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_report_is_self_contained_and_complete(report):
    text = report.read_text(encoding="utf-8")
    images = re.findall(r'<img src="([^"]+)"', text)
    assert len(images) == 10 and all(src.startswith("data:image/png;base64,") for src in images)
    assert not re.search(r'(src|href)="(http|//)', text)  # nothing fetched from a network
    for section in ("What was run", "Ranked results", "Bottlenecks", "Figures",
                    "Assumptions to replace with measured figures"):
        assert f">{section}<" in text
    assert "tests/data/batches/small.yaml" in text and "<td>seed</td><td>7</td>" in text
    assert "curing_yard.pallets" in text  # an estimate from baseline.yaml
    assert ">The firms<" in text and "<td>IKM 01</td>" in text and "<td>IKM 25</td>" in text
    assert "Margin of a firm [Rp/yr]" in text and "Wages paid by a firm [Rp/yr]" in text


def test_workbook_reads_back_to_the_same_numbers(report, serial_small):
    """Sheets named in planner words, none empty; the comparison wide (one row per scenario, one
    column per measure headed by the registry's label and unit) and, last, long: both give back the
    CSV's numbers."""
    sheets = pd.read_excel(report.with_suffix(".xlsx"), sheet_name=None)
    order = list(sheets)
    assert order[0] == "Summary" and order[-3:] == ["What was run", "Scenarios", "Data, one row per figure"]
    assert {"Ranked by product output", "Comparison", "Bottlenecks", "Assumptions", "Inputs"} <= set(sheets)
    assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in order)
    assert all(not table.empty for table in sheets.values())
    comparison = pd.read_csv(serial_small / "comparison.csv")
    wide = sheets["Comparison"].set_index("Scenario")
    headers = {kpi_header(kpi): kpi for kpi in comparison.kpi.unique()}
    assert list(wide.index) == list(dict.fromkeys(comparison.scenario)) and set(wide.columns) == set(headers)
    assert {"Product output [t/yr]", "Gross margin [Rp/yr]", "Utilisation (press) [%]"} <= set(wide.columns)
    means = comparison.pivot(index="scenario", columns="kpi", values="mean")
    shown = wide.rename(columns=headers).loc[means.index, means.columns]
    pd.testing.assert_frame_equal(shown, means, check_names=False, check_dtype=False, rtol=1e-12)
    names = {label: name for name, label in LABELS.items()}  # planner headers back to the CSV's names
    data = sheets["Data, one row per figure"].drop(columns="Measure").rename(columns=names | {"Key": "kpi"})
    data["unit"] = data.unit.replace("%", "share")
    data["diff_pct"] = data.diff_pct * 100  # a share in Excel, shown as %
    pd.testing.assert_frame_equal(data, comparison, check_dtype=False, rtol=1e-12)
    ranked = sheets["Ranked by product output"].rename(columns=names)
    expected = compare_results(load_results([serial_small])).ranked("product_output_t_per_year")
    assert list(ranked.scenario) == list(expected.scenario)
    assert ranked["mean"].tolist() == pytest.approx(expected["mean"].tolist(), rel=1e-12)
    assert (sheets["Assumptions"].rename(columns=names).key == "curing_yard.pallets").any()


def test_the_workbook_is_dressed_for_people(report):
    """A summary of plain sentences first; frozen planner headers with filters; whole Rupiah for
    money, tons to one decimal, shares and differences as percentages."""
    book = openpyxl.load_workbook(report.with_suffix(".xlsx"))
    summary = book["Summary"]
    assert any("t/yr of product output" in str(row[0].value) for row in summary.iter_rows(min_row=3))
    ranked = book["Ranked by product output"]
    assert ranked.freeze_panes == "A2" and ranked.auto_filter.ref
    headers = [cell.value for cell in ranked[1]]
    assert "Scenario" in headers and "Mean" in headers and "Difference to the baseline" in headers
    assert ranked.cell(2, headers.index("Mean") + 1).number_format == TONS
    assert ranked.cell(2, headers.index("Difference [%]") + 1).number_format == "0.0%"
    assert ranked.column_dimensions["B"].width >= len("Scenario")
    money = book["Ranked by gross margin"]
    assert {money.cell(row, headers.index(column) + 1).number_format for row in (2, 3)
            for column in ("Mean", "95 % CI low", "Difference to the baseline")} == {RUPIAH}
    wide = book["Comparison"]
    assert wide.freeze_panes == "B2" and wide.max_row == 5  # four scenarios under the header
    formats = {cell.value: wide.cell(2, cell.column).number_format for cell in wide[1]}
    assert formats["Gross margin [Rp/yr]"] == formats["Turnover [Rp/yr]"] == RUPIAH
    assert formats["Product output [t/yr]"] == TONS and formats["Utilisation (press) [%]"] == "0.0%"
    money_columns = [cell.column for cell in wide[1] if str(cell.value).endswith(("[Rp/yr]", "[Rp/month]"))]
    assert money_columns and all(wide.cell(2, column).number_format == RUPIAH for column in money_columns)


def test_report_opens_in_headless_chromium_without_errors(report):
    with chromium(report) as browser:
        shown = browser.execute_script(
            "return Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)")
        errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
        title = browser.title
    assert shown == [True] * 10
    assert errors == []
    assert title == "slagsim report: small"


def test_the_report_never_scrolls_sideways_at_1400_px(report):
    """Wide tables fold (a value and its CI in one cell; the workbook keeps every column)."""
    width, inner, _pages = page_fit(report)
    assert width <= inner


def test_the_first_screen_gives_the_answer_for_every_option(report, serial_small):
    """At 1400 x 900 the decision summary starts on the first screen and names every option with
    its payback (or why there is none); what was run comes last."""
    top, screen, text = first_screen_summary(report)
    assert 0 <= top < screen <= 900
    options = [run.name for run in load_results([serial_small]).runs if run.name != "baseline"]
    for line in (line for line in text.splitlines() if line.split(":")[0] in options):
        assert any(word in line for word in ("pays back", "never pays back", "no payback", "pays from")), line
    assert {line.split(":")[0] for line in text.splitlines()} >= set(options)
    html = report.read_text(encoding="utf-8")
    assert html.index('id="decision-summary"') < html.index(">Ranked results<") < html.index(">What was run<")


def test_the_inputs_sheet_round_trips_an_edit_into_a_run(report, tmp_path):
    """Edit one value of the inputs sheet in a copy of the workbook; --set-from applies that edit,
    and nothing else (an untouched workbook changes nothing)."""
    copy = tmp_path / "edited.xlsx"
    shutil.copy(report.with_suffix(".xlsx"), copy)
    book = openpyxl.load_workbook(copy)
    sheet = book["Inputs"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "curing_yard.pallets")
    assert row[1].value == 80 and row[2].value.startswith("estimate")  # its source is shown
    row[1].value = 120
    book.save(copy)
    out = tmp_path / "run"
    result = invoke(["run", str(BASELINE), "--set-from", str(copy), "--reps", "1",
                                      "--years", "0.05", "--warmup-days", "1", "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["scenario"]["curing_yard"]["pallets"] == 120 and meta["scenario_name"] == "baseline-edited"
    against = pd.read_csv(out / "against-today.csv")  # compared with today's baseline, paired
    assert list(dict.fromkeys(against.scenario)) == ["baseline", "baseline-edited"]
    shown = invoke(["show", str(BASELINE), "--set-from", str(report.with_suffix(".xlsx")),
                                     "--diff", str(BASELINE)])
    assert shown.output.startswith("# no differences")
