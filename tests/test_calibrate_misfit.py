"""A calibration that can say no (issue 26): books the model cannot make are named column by column
(terminal, fit.csv, calibration-meta.json's status: misfit, the report) and steer nothing; an
estimate whose draws move no column the books fill (a machine's price, maintenance, kWh) is "not
informed", never pinned down; without named estimates, Morris screening picks the few worth
fitting and lists the rest with why.

Small on purpose: 11 or 5 months of the shipped example's books, a scenario with a 30-day
warm-up, 40 draws (the pieces cost about a minute each on two busy cores)."""

from __future__ import annotations

import json
import re
import shutil

import numpy as np
import pandas as pd
import pytest

from slagsim import i18n
from slagsim.calibration import checks
from slagsim.calibration.draws import make_plan
from slagsim.calibration.screen import DEFAULT_TOP
from tests.common import BASELINE, SCENARIOS, invoke

EXAMPLE = SCENARIOS / "records" / "example-simulated.csv"
NEVER_IN_MONTHLY_BOOKS = re.compile(r"price_rp|maintenance|kwh|energy")
ESTIMATES = ["supply.smelters.reach", "process.sorting.rate_t_per_worker_h", "machines.*.price_rp",
             "machines.*.maintenance_rp_per_year", "machines.*.energy_kwh_per_h"]


def _books(folder, name: str, first: str, last: str, **scaled: float):
    """The shipped example's months ``first``..``last``, some columns multiplied."""
    example = pd.read_csv(EXAMPLE)
    rows = example[(example.month >= first) & (example.month <= last)].copy()
    for column, factor in scaled.items():
        rows[column] = (rows[column] * factor).round(3)
    path = folder / name
    rows.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("misfit")
    (folder / "short.yaml").write_text(f"name: short\nextends: {BASELINE}\nrun:\n  warmup_days: 30\n",
                                       encoding="utf-8")
    return folder


def _calibrate(folder, books, out, *extra: str):
    args = ["calibrate", books, "--scenario", folder / "short.yaml", "--accept", "0.2", "--jobs", "2",
            "--out", out, *extra]
    return invoke(args)


@pytest.fixture(scope="module")
def five_times(folder):
    """Books whose paid worker-days are five times the model's, fitted with reach, sorting and every
    machine's price, maintenance and kWh."""
    books = _books(folder, "books5.csv", "2025-02", "2026-01", paid_worker_days=5)
    out = folder / "run" / "calibration"
    result = _calibrate(folder, books, out, "--draws", "40",
                        *[part for key in ESTIMATES for part in ("--estimate", key)])
    return out, result


@pytest.mark.slow
def test_books_five_times_the_models_worker_days_are_a_misfit_and_pin_no_price(five_times):
    out, result = five_times
    assert result.exit_code == 0, result.output  # a finding, not a failure
    lines = [line for line in result.output.splitlines() if "whatever the estimates" in line]
    assert len(lines) == 1 and "Paid worker-days: the books hold" in lines[0], result.output
    assert "the model's labour or the books' definition differ" in lines[0]
    meta = json.loads((out / "calibration-meta.json").read_text(encoding="utf-8"))
    assert meta["status"] == "misfit" and meta["misfit_columns"] == ["paid_worker_days"]
    fit = pd.read_csv(out / "fit.csv")
    assert set(fit[fit.misfit].column) == {"paid_worker_days"}
    posterior = pd.read_csv(out / "posterior.csv").set_index("key")
    silent = posterior[[bool(NEVER_IN_MONTHLY_BOOKS.search(key)) for key in posterior.index]]
    assert len(silent) == 18 and not silent.pinned_down.any(), silent
    assert set(silent.verdict) <= {"not_informed", "misfit_only"}
    reach = posterior.loc["supply.smelters.reach"]
    assert reach.verdict == "pinned_down" and float(reach.posterior_5) <= 0.35 <= float(reach.posterior_95)
    (scenario,) = out.glob("*-calibrated.yaml")
    body = scenario.read_text(encoding="utf-8").split("extends:")[1]
    assert not NEVER_IN_MONTHLY_BOOKS.search(body) and "reach: " in body


@pytest.mark.slow
def test_the_figure_shows_every_column_and_the_report_names_the_misfit(five_times, folder):
    out, _ = five_times
    assert (out / "figures" / "posterior-predictive.png").is_file()
    run = out.parent
    assert invoke(["run", folder / "short.yaml", "--reps", "1", "--years", "0.1", "--warmup-days", "10",
                   "--out", run, "--quiet"]).exit_code == 0
    assert (out / "posterior.csv").is_file()  # the run kept the calibration beside it
    report = run / "report.html"
    result = invoke(["report", run, "--out", report])
    assert result.exit_code == 0, result.output
    html = report.read_text(encoding="utf-8")
    assert "The books lie outside what the model makes" in html and "Paid worker-days: the books hold" in html
    assert "not informed by these books" in html


@pytest.mark.slow
@pytest.mark.parametrize(("name", "scaled", "expected"), [
    ("books.csv", {}, None),
    ("books-kg.csv", {"slag_received_t": 1000}, "are the books in kilograms rather than tons?"),
])
def test_other_books_on_the_same_draws(five_times, folder, name, scaled, expected):
    """The draws do not depend on the books: a copy resumed with other books runs nothing. Books
    as simulated fit (reach's truth inside its interval); slag received in kilograms is named,
    with the hint, and reach is still learnt from the other columns."""
    out, _ = five_times
    copy = folder / f"copy-{name}" / "calibration"
    shutil.copytree(out, copy)
    books = _books(folder, name, "2025-02", "2026-01", **scaled)
    result = _calibrate(folder, books, copy, "--draws", "40", "--resume",
                        *[part for key in ESTIMATES for part in ("--estimate", key)])
    assert result.exit_code == 0 and "(0 run, 40 reused)" in result.output, result.output
    meta = json.loads((copy / "calibration-meta.json").read_text(encoding="utf-8"))
    if expected is None:
        assert meta["status"] == "fit" and "whatever the estimates" not in result.output
    else:
        assert meta["status"] == "misfit" and meta["misfit_columns"] == ["slag_received_t"]
        assert expected in result.output
    reach = pd.read_csv(copy / "posterior.csv").set_index("key").loc["supply.smelters.reach"]
    assert reach.pinned_down, reach  # slag processed still speaks to it when slag received cannot
    if expected is None:
        assert float(reach.posterior_5) <= 0.35 <= float(reach.posterior_95), reach


@pytest.mark.slow
def test_screening_fits_the_estimates_that_move_the_books_and_lists_the_rest(folder):
    books = _books(folder, "books-short.csv", "2025-02", "2025-07")
    out = folder / "screened" / "calibration"
    result = _calibrate(folder, books, out, "--draws", "20", "--top", "2",
                        *[part for key in ["supply.smelters.reach", "process.sorting.rate_t_per_worker_h",
                                           "machines.*.price_rp", "firms.template.attendance"]
                          for part in ("--estimate", key)])
    assert result.exit_code == 0, result.output
    screening = pd.read_csv(out / "screening.csv")
    assert len(screening) == 9 and screening.fitted.sum() == 2
    assert set(screening.key[screening.fitted]) == {"supply.smelters.reach",
                                                    "process.sorting.rate_t_per_worker_h"}
    prices = screening[screening.key.str.endswith("price_rp")]
    assert (prices.effect == 0).all() and prices.why.str.startswith("moves no column the books fill").all()
    assert "chose the 2 of 9 estimates" in result.output and "7 not fitted" in result.output
    posterior = pd.read_csv(out / "posterior.csv")
    assert list(posterior.key) == ["supply.smelters.reach", "process.sorting.rate_t_per_worker_h"]
    meta = json.loads((out / "calibration-meta.json").read_text(encoding="utf-8"))
    assert meta["screening"]["points"] == 20 and meta["screening"]["candidates"] == 9


def test_without_named_estimates_screening_picks_six_and_the_dry_run_counts_it(tmp_path):
    plan = make_plan(EXAMPLE, BASELINE, [], 400, 0.1)
    assert plan.screening is not None and plan.screening.top == DEFAULT_TOP
    assert len(plan.screening.candidates.factors) > 90 and not plan.factors.factors
    assert plan.runs == 400 + len(plan.screening.points)
    named = make_plan(EXAMPLE, BASELINE, ["supply.smelters.reach"], 50, 0.1)
    assert named.screening is None and [f.key for f in named.factors.factors] == ["supply.smelters.reach"]
    result = invoke(["calibrate", EXAMPLE, "--scenario", BASELINE, "--dry-run", "--out", tmp_path / "out"])
    assert result.exit_code == 0 and "screening: " in result.output and "to fit the 6" in result.output
    assert not (tmp_path / "out").exists()


def test_a_column_beyond_every_draw_is_a_misfit_and_one_inside_is_not():
    rng = np.random.default_rng(1)
    months = rng.normal(100, 10, size=(50, 12, 2))  # 50 draws, 12 months, 2 columns
    records = np.column_stack([rng.normal(100, 10, 12), rng.normal(500, 50, 12)])
    present = np.isfinite(records)
    observed = records.mean(axis=0)
    simulated = months.mean(axis=1)
    found = checks.column_checks(["inside", "beyond"], records, months, simulated, observed)
    assert [c.misfit for c in found] == [False, True]
    assert found[1].model_low < 100 < found[1].model_high and found[1].books_low > 300
    assert present.all()


def test_an_estimate_that_moves_nothing_is_not_informed_whatever_the_noise():
    rng = np.random.default_rng(2)
    units = rng.uniform(size=(60, 3))
    simulated = np.column_stack([10 + 5 * units[:, 0] + rng.normal(0, 0.5, 60), rng.normal(0, 1, 60)])
    shares = checks.informed_shares(units, simulated)
    threshold = checks.informed_threshold(60, 3, 2)
    assert shares[0, 0] > 0.8 > threshold
    assert shares[1:].max() < threshold  # noise: below what chance gives 60 draws


def test_the_misfit_line_names_the_column_in_the_planners_language():
    check = checks.ColumnCheck("paid_worker_days", 945.5, 1739.0, 1203.0, 133.6, 310.5, 157.6, 255.4, True)
    try:
        assert checks.misfit_line(check, ["paving", "brick"]).startswith(
            "Paid worker-days: the books hold 946 to 1,739 a month (mean 1,203), the model makes 134 to 310")
        i18n.use("id")
        line = checks.misfit_line(check, ["paving", "brick"])
        assert line.startswith("Hari-orang dibayar: catatan berisi 946 sampai 1.739 sebulan"), line
    finally:
        i18n.use("en")
    tons = checks.ColumnCheck("slag_received_t", 26191, 57203, 38429, 1.1, 73.0, 9.7, 48.3, True)
    assert "kilograms rather than tons" in checks.misfit_line(tons, ["paving", "brick"])
