"""slagsim calibrate: records from the simulator itself with two estimates moved are fitted back
(each true value inside its 90 % interval), an estimate the books say nothing about is flagged, the
calibrated scenario runs; bad records are one line naming file, row and column; the template
round-trips."""

from __future__ import annotations

import pandas as pd
import pytest

from slagsim.calibration.books import read_records
from tests.common import BASELINE, SCENARIOS, invoke

pytestmark = pytest.mark.slow  # calibrates (draws simulated, posterior, Dask)

TRUTH = SCENARIOS / "records" / "example-truth.yaml"
MOVED = {"process.sorting.rate_t_per_worker_h": 0.15,  # as in example-truth.yaml
         "supply.smelters.reach": 0.35}
PINNED = "supply.smelters.reach"  # the slag column is long and loud; sorting speaks only through worker-days
SILENT = "machines.press.price_rp"  # a price paid once: the monthly books never see it
FAMILY = "firms.template.attendance"  # crews fill from the village: a family's own attendance barely shows
PRODUCTS = ["paving", "brick"]




@pytest.fixture(scope="module")
def books() -> object:
    """The shipped example: 22 months simulated from example-truth.yaml, one month left out and the
    first six months' worker-days blank (books are never complete)."""
    return SCENARIOS / "records" / "example-simulated.csv"


@pytest.fixture(scope="module")
def calibrated(books, tmp_path_factory):
    run = tmp_path_factory.mktemp("calibration") / "baseline"  # a run folder, the calibration beside it
    result = invoke(["run", BASELINE, "--reps", "2", "--years", "0.2", "--warmup-days", "10", "--out", run,
                     "--quiet"])
    assert result.exit_code == 0, result.output
    out = run / "calibration"
    args = ["calibrate", books, "--scenario", BASELINE, "--draws", "150", "--accept", "0.15", "--jobs", "2",
            "--out", out, *[part for key in [*MOVED, SILENT, FAMILY] for part in ("--estimate", key)]]
    result = invoke([*args])
    assert result.exit_code == 0, result.output
    return out, result


def test_the_moved_estimates_are_found_and_the_silent_one_is_flagged(calibrated):
    """Both moved estimates' truths lie inside their 90 % intervals; reach is pinned down; the press's
    price and the family's own attendance (which the village's helpers make up for) are flagged."""
    out, result = calibrated
    posterior = pd.read_csv(out / "posterior.csv").set_index("key")
    for key, truth in MOVED.items():
        row = posterior.loc[key]
        assert float(row.posterior_5) <= truth <= float(row.posterior_95), (key, row)
    assert posterior.loc[PINNED, "pinned_down"]
    assert not posterior.loc[SILENT, "pinned_down"] and not posterior.loc[FAMILY, "pinned_down"]
    assert "The books pin down 1 of 4 estimates" in result.output
    assert f"press: price ({SILENT})" in result.output  # the flagged one in words too
    assert {p.name for p in (out / "figures").glob("*.png")} == {"posterior-predictive.png", "posterior.png"}
    fit = pd.read_csv(out / "fit.csv")
    assert set(fit.column) >= {"slag_received_t", "turnover_rp"} and len(fit.month.unique()) == 22


def test_the_calibrated_scenario_extends_the_original_and_runs(calibrated, tmp_path):
    out, _ = calibrated
    (scenario,) = out.glob("*-calibrated.yaml")
    text = scenario.read_text(encoding="utf-8")
    assert "extends: " in text and "reach: " in text and "# calibrated: " in text
    assert "price_rp:" not in text.split("extends:")[1]  # not learnt: the original's value stays
    result = invoke(["run", scenario, "--reps", "1", "--years", "0.2", "--warmup-days", "10", "--out",
                     tmp_path / "run", "--quiet"])
    assert result.exit_code == 0, result.output


def test_the_report_of_the_run_says_what_the_books_say(calibrated):
    out, _ = calibrated
    report = out.parent / "report.html"
    result = invoke(["report", out.parent, "--out", report])
    assert result.exit_code == 0, result.output
    html = report.read_text(encoding="utf-8")
    assert "What the books say" in html and PINNED in html
    assert "Calibration" in pd.ExcelFile(report.with_suffix(".xlsx")).sheet_names


def test_a_resumed_calibration_reuses_every_draw_and_gives_the_same_posterior(calibrated, books):
    out, _ = calibrated
    before = (out / "posterior.csv").read_bytes()
    args = ["calibrate", books, "--scenario", BASELINE, "--draws", "150", "--accept", "0.15", "--jobs", "2",
            "--out", out, "--resume",
            *[part for key in [*MOVED, SILENT, FAMILY] for part in ("--estimate", key)]]
    result = invoke([*args])
    assert result.exit_code == 0, result.output
    assert "(0 run, 150 reused)" in result.output
    assert (out / "posterior.csv").read_bytes() == before


@pytest.mark.parametrize(("rows", "expected"), [
    ("month,slag_received_t\n2024-01,5\n2024-01,6\n",
     "row 3, column month: 2024-01 appears twice (also in row 2)"),
    ("month,slag_received_t\n2024-01,-5\n", "row 2, column slag_received_t: -5 cannot be negative"),
    ("month,slag_received_t\n2024-01,inf\n", "row 2, column slag_received_t: 'inf' is not a finite number"),
    ("month,slag_received_t\n2024-01,lima\n", "row 2, column slag_received_t: 'lima' is not a number"),
    ("month,slag_received_t\n2024-01,\"1.000.000\"\n", "write 1000000: no thousands separators"),
    ("month,slag_recieved_t\n2024-01,5\n", "row 1, column 2: unknown column 'slag_recieved_t'; did you mean "
                                           "'slag_received_t'?"),
    ("month,slag_received_t\nJan 2024,5\n",
     "row 2, column month: 'Jan 2024' is not a month: write it YYYY-MM"),
])
def test_bad_records_are_one_line_naming_row_and_column_and_nothing_is_written(tmp_path, rows, expected):
    books = tmp_path / "books.csv"
    books.write_text(rows, encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(["calibrate", books, "--scenario", BASELINE, "--out", out])
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert str(books) in lines[0] and expected in lines[0]
    assert not out.exists()


def test_an_unknown_estimate_is_one_line(books, tmp_path):
    result = invoke(["calibrate", books, "--scenario", BASELINE, "--estimate", "machines.press.colour",
                     "--out", tmp_path / "out"])
    assert result.exit_code == 2 and "machines.press.colour is not an estimate with a range" in result.output


def test_the_template_has_both_languages_and_reads_back_once_filled(tmp_path):
    from openpyxl import load_workbook

    template = tmp_path / "books.xlsx"
    result = invoke(["records-template", "--out", template, "--scenario", BASELINE])
    assert result.exit_code == 0, result.output
    book = load_workbook(template)
    sheet = book["records"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[0] == "Bulan (TTTT-BB) / Month (YYYY-MM)" and "Omzet [Rp] / Turnover [Rp]" in headers
    sheet.append(["2025-01", 12.5, None, 2.25])  # a partial row: the rest left empty
    sheet.append(["2024-12", 10.0])
    book.save(template)
    records = read_records(template, PRODUCTS)
    assert list(records.month) == ["2024-12", "2025-01"]  # sorted
    assert records.slag_received_t.tolist() == [10.0, 12.5] and records.slag_processed_t.isna().all()
    again = invoke(["records-template", "--out", template])
    assert again.exit_code == 2 and "already exists" in again.output  # never overwritten


def test_a_runs_months_become_records_dated_from_the_first_year(tmp_path):
    run = tmp_path / "run"
    assert invoke(["run", BASELINE, "--reps", "1", "--years", "0.5", "--warmup-days", "10", "--out", run,
                   "--quiet"]).exit_code == 0
    books = tmp_path / "books.csv"
    result = invoke(["records-template", "--out", books, "--from-run", run, "--first-year", "2030"])
    assert result.exit_code == 0, result.output
    records = read_records(books, PRODUCTS)
    assert records.month.iloc[0] == "2030-02" and len(records) == 5  # whole months from day 10 to day 192
    monthly = pd.read_csv(run / "monthly.csv")
    assert records.slag_received_t.sum() == pytest.approx(monthly.slag_received_t.sum(), abs=0.01)


def test_the_posterior_is_the_same_in_this_process_and_on_a_dask_cluster(tmp_path):
    """Draws come back in any order on a cluster; the answer must not depend on it."""
    distributed = pytest.importorskip("distributed")
    books = tmp_path / "books.csv"
    example = pd.read_csv(SCENARIOS / "records" / "example-simulated.csv")
    example.head(4).to_csv(books, index=False)
    common = ["calibrate", books, "--scenario", BASELINE, "--draws", "12", "--accept", "0.25",
              "--estimate", "firms.template.attendance", "--quiet"]
    assert invoke([*common, "--jobs", "1", "--out", tmp_path / "serial"]).exit_code == 0
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        result = invoke([*common, "--scheduler", cluster.scheduler_address, "--out", tmp_path / "dask"])
    assert result.exit_code == 0, result.output
    for name in ("posterior.csv", "draws.csv", "fit.csv"):
        assert (tmp_path / "serial" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes(), name


@pytest.mark.parametrize("share", ["nan", "inf", "1e-300", "0.9"])
def test_a_share_to_keep_that_is_no_share_is_one_line(share, tmp_path):
    result = invoke(["calibrate", SCENARIOS / "records" / "example-simulated.csv", "--scenario", BASELINE,
                     "--accept", share, "--out", tmp_path / "out"])
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1 and lines[0].startswith("error: --accept: ")
    assert not (tmp_path / "out").exists()
