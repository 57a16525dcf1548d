"""slagsim fit against a hostile user (issue 26 review): values no stopwatch makes, bootstraps too small to
reject anything, families the CLI could not name, output folders holding the user's own files, keys
in the wrong unit. Each is one line, exit 2, nothing written; or, where it is no error, an honest fit."""

from __future__ import annotations

import numpy as np
import pytest

from slagsim.cli.fit import FAMILY_NAMES
from slagsim.fitting.families import NAMES, fit_all
from slagsim.fitting.recommend import analyse
from tests.common import BASELINE, invoke
from tests.test_fit import engine_draws, one_line_error


def _csv(path, values, header="minutes"):
    path.write_text(header + "\n" + "\n".join(str(v) for v in values) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("values", [[1e-300, 2e-300, 3e-300, 4e-300, 5e-300, 6e-300],
                                    [1e-300, 2, 3, 4, 5, 6]], ids=["all-tiny", "one-tiny"])
def test_a_value_below_a_millionth_is_refused_not_an_internal_error(tmp_path, values):
    """1e-300 made the fits overflow ("internal error: OverflowError: math range error")."""
    data = _csv(tmp_path / "tiny.csv", values)
    line = one_line_error(invoke(["fit", data, "--resamples", "0", "--out", tmp_path / "out"]))
    assert "minutes: row 2 holds 1e-300: smaller than anything timed or weighed by hand" in line, line
    assert not (tmp_path / "out").exists()


def test_values_equal_to_seven_digits_leave_gamma_out_instead_of_failing():
    """Gamma's shape solver fails on values whose spread is a ten-millionth of their size ("internal
    error: ValueError: f(a) and f(b) must have different signs"); the others are still fitted."""
    values = 1000.0 * (1 + 1e-8 * np.array([0, 1, 0.3, 0.7, 0.5, 0.2]))
    fits, left_out = fit_all(values)
    assert "gamma" in left_out and "did not converge" in left_out["gamma"]
    assert {f.family for f in fits} >= {"normal", "uniform", "triangular"}


def test_a_small_spread_is_written_with_the_digits_it_needs():
    """Bags of 15.00-15.03 kg were written as the uniform from 15 to 15 (three significant digits of
    the value): the written parameters keep three digits of the spread."""
    values = np.array([15.01, 15.02, 15.03, 15.01, 15.02, 15.0, 15.01, 15.02])
    fits, _left_out = fit_all(values)
    uniform = next(f for f in fits if f.family == "uniform")
    assert uniform.spec["low"] == 15.0 and uniform.spec["high"] == 15.03
    press = engine_draws({"dist": "lognormal", "mean": 0.25, "sd": 0.08}, 200, seed=2)
    lognormal = next(f for f in fit_all(press)[0] if f.family == "lognormal")
    assert len(f"{lognormal.spec['mean']:g}") <= len("0.253")  # an ordinary spread: three digits as before


@pytest.mark.parametrize("resamples", ["1", "20", "79"])
def test_too_few_resamples_to_reject_anything_are_refused(tmp_path, resamples):
    """With 20 resamples the smallest p-value is 1/21 = 0.048: every family "fits", even an exponential
    on values bunched far from 0."""
    data = _csv(tmp_path / "m.csv", [10 + i % 7 for i in range(40)])
    line = one_line_error(invoke(["fit", data, "--resamples", resamples, "--out", tmp_path / "out"]))
    assert f"--resamples: {resamples} resamples can never reject a family" in line, line
    assert not (tmp_path / "out").exists()


def test_every_family_can_be_chosen_with_family(tmp_path):
    """--family offered neither gamma nor weibull, the two added to the schema for the fit."""
    assert sorted(FAMILY_NAMES) == sorted(NAMES)
    hours = engine_draws({"dist": "gamma", "mean": 5, "sd": 2}, 40, seed=4)
    data = _csv(tmp_path / "m.csv", [f"{v:.2f}" for v in hours], header="hours")
    out = tmp_path / "out"
    result = invoke(["fit", data, "--family", "weibull", "--resamples", "0",
                     "--key", "machines.press.cycle_h", "--scenario", BASELINE, "--out", out])
    assert result.exit_code == 0, result.output
    assert "cycle_h: {dist: weibull, shape: " in (out / "baseline-fitted.yaml").read_text(encoding="utf-8")


def test_the_recommendation_needs_a_test_that_could_reject():
    """The exponential on values bunched far from 0 is rejected once the bootstrap is large enough."""
    values = engine_draws({"dist": "normal", "mean": 10, "sd": 1}, 40, seed=8)
    exponential = analyse(values, None, 80, 1).row("exponential")
    assert exponential is not None and exponential.goodness.rejected


def _press_fit(tmp_path, out, *key):
    data = _csv(tmp_path / "m.csv", [f"{v:.1f}" for v in engine_draws({"dist": "lognormal", "mean": 15,
                                                                         "sd": 5}, 40, seed=6)])
    args = ["--key", "machines.press.cycle_h", "--scenario", BASELINE] if key else []
    return invoke(["fit", data, "--minutes", "--resamples", "0", *args, "--out", out])


def test_a_second_fit_removes_only_what_the_first_one_wrote(tmp_path):
    """A fit into its own earlier folder deleted every '*-fitted.yaml' and the whole figures folder,
    the planner's files in them too."""
    out = tmp_path / "press-fit"
    assert _press_fit(tmp_path, out, "key").exit_code == 0
    mine = {out / "notes.txt": "timed by Pak Budi", out / "mill-fitted.yaml": "name: my-own\n",
            out / "figures" / "photo.txt": "the stopwatch"}
    for path, text in mine.items():
        path.write_text(text, encoding="utf-8")
    result = _press_fit(tmp_path, out)  # no --key: the earlier fit's scenario goes, nothing else
    assert result.exit_code == 0, result.output
    assert all(path.read_text(encoding="utf-8") == text for path, text in mine.items())
    assert not (out / "baseline-fitted.yaml").exists()
    assert (out / "figures" / "histogram.png").is_file() and (out / "fit.csv").is_file()


def test_a_scenario_of_the_planners_is_never_overwritten(tmp_path):
    out = tmp_path / "press-fit"
    assert _press_fit(tmp_path, out).exit_code == 0
    own = out / "baseline-fitted.yaml"
    own.write_text("name: typed-by-hand\n", encoding="utf-8")
    before = sorted(p.name for p in out.rglob("*"))
    line = one_line_error(_press_fit(tmp_path, out, "key"))
    assert f"--out: {own} exists and was not written by this folder's last fit" in line, line
    assert own.read_text(encoding="utf-8") == "name: typed-by-hand\n"
    assert sorted(p.name for p in out.rglob("*")) == before  # nothing written, nothing removed


@pytest.mark.parametrize(("header", "options", "fragment"), [
    ("minutes", ["--minutes", "--key", "supply.lot_t"],
     "--key: --minutes turns minutes into hours, but supply.lot_t is not in hours"),
    ("Menit / Minutes", ["--key", "machines.press.cycle_h"],
     "--key: the column 'Menit / Minutes' holds minutes, but machines.press.cycle_h is in hours: add "
     "--minutes"),
    ("minutes", ["--minutes", "--key", ""], "--key: an empty key"),
], ids=["minutes-into-tons", "minutes-as-hours", "empty-key"])
def test_a_key_in_another_unit_or_empty_is_one_line_before_any_fitting(tmp_path, header, options, fragment):
    """Minutes fitted into tons, or 15-minute cycles written as 15 hours, gave a scenario that
    validated and ran, wrong by 60 times; --key '' wrote no scenario and said nothing."""
    data = _csv(tmp_path / "m.csv", [12.5, 14.0, 15.5, 13.0, 16.5, 14.5], header=header)
    line = one_line_error(invoke(["fit", data, "--resamples", "200", *options, "--scenario", BASELINE,
                                  "--out", tmp_path / "out"]))
    assert fragment in line, line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("shape", ["one-long-name", "deep"])
def test_an_out_path_too_long_for_the_disk_is_one_line_exit_2(tmp_path, shape):
    """It failed on the first look at the folder: "File name too long (nothing after this point was
    written)", exit 1, as if a run had failed (every command's --out goes through the same check)."""
    data = _csv(tmp_path / "m.csv", [12.5, 14.0, 15.5, 13.0, 16.5, 14.5])
    out = tmp_path / ("a" * 300) if shape == "one-long-name" else tmp_path.joinpath(*["b" * 200] * 25)
    line = one_line_error(invoke(["fit", data, "--resamples", "0", "--out", out]))
    assert line.startswith("error: --out: "), line
    assert "shorter" in line, line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.csv"]


def _workbook_bomb(path):
    """A workbook of a few kB whose shared strings unpack to 11 MB (real bombs reach gigabytes)."""
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["minutes"])
    book.save(path)
    strings = b"<sst>" + b"<si><t>aaaaaaaaaaaaaaaa</t></si>" * 350_000 + b"</sst>"
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", strings)
    return path


def test_a_workbook_that_unpacks_beyond_the_bound_is_refused_before_it_is_opened(tmp_path, monkeypatch):
    """A 120 kB workbook unpacking to 48 MB took 0.5 GB and 35 s to open (fit) and 0.7 GB and 80 s
    (calibrate's records); its size on disk bounded nothing. (The bound is lowered to 10 MB here.)"""
    from slagsim.calibration.sheet import read_table
    from slagsim.errors import ScenarioError
    from slagsim.scenario import tables

    monkeypatch.setattr(tables, "MAX_WORKBOOK_UNZIPPED_BYTES", 10_000_000)
    bomb = _workbook_bomb(tmp_path / "timings.xlsx")
    assert bomb.stat().st_size < 100_000
    line = one_line_error(invoke(["fit", bomb, "--resamples", "0", "--out", tmp_path / "out"]))
    assert "timings.xlsx: unpacks to more than 10 MB; a sheet slagsim reads is far smaller" in line, line
    assert not (tmp_path / "out").exists()
    with pytest.raises(ScenarioError, match="unpacks to more than 10 MB"):
        read_table(bomb, 600, "too many")


def test_the_histogram_shows_every_fitted_family_in_the_language_of_the_fit(tmp_path, monkeypatch):
    """Five colours for seven families: uniform and exponential were silently missing from the figure;
    and its ΔAIC kept a decimal point in Indonesian. A column header the font cannot draw (an emoji)
    printed a matplotlib warning amid the table."""
    import warnings

    from slagsim import i18n
    from slagsim.fitting import figures
    from slagsim.fitting.data import read_measured

    shown = {}

    def captured(figure, stem):
        figure.canvas.draw()  # where matplotlib warns of a glyph its font lacks
        shown[stem.name] = [text.get_text() for text in figure.axes[0].get_legend().get_texts()] \
            if figure.axes[0].get_legend() else []
        return [stem.with_suffix(".png")]

    monkeypatch.setattr(figures, "save_figure", captured)
    values = engine_draws({"dist": "lognormal", "mean": 8, "sd": 2.5}, 40, seed=9)
    data = _csv(tmp_path / "m.csv", [f"{v:.1f}" for v in values], header="Waktu \u23f1 menit")
    measured = read_measured(data, None)
    analysis = analyse(measured.values, measured.resolution, 0, 1)
    assert len(analysis.table) == 7
    i18n.use("id")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            figures.histogram_figure(measured, analysis.table, "lognormal", tmp_path / "histogram")
    finally:
        i18n.use("en")
    legend = shown["histogram"]
    assert all(any(text.startswith(f"{row.family} (ΔAIC ") for text in legend) for row in analysis.table)
    assert "lognormal (ΔAIC 0,0)" in legend


def test_a_stopwatch_reading_typed_as_a_clock_time_gets_the_minutes_hint(tmp_path):
    """'15:30' typed in a spreadsheet is stored as a time of day; it was "holds '15:30:00', not a
    number: write the measured number", which does not say how."""
    import datetime

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Menit / Minutes"])
    for minutes in (12.5, 14.0, 15.0, 13.5):
        book.active.append([minutes])
    book.active.append([datetime.time(15, 30)])
    path = tmp_path / "timings.xlsx"
    book.save(path)
    line = one_line_error(invoke(["fit", path, "--minutes", "--out", tmp_path / "out"]))
    assert "row 6 holds 15:30:00, a time on a clock, not a number: type the minutes" in line, line
    text = _csv(tmp_path / "m.csv", [12.5, "15:30", 14.0])
    assert "row 3 holds 15:30, a time on a clock" in one_line_error(
        invoke(["fit", text, "--out", tmp_path / "out"]))


def test_without_tests_the_recommendation_says_aic_cannot_tell_whether_anything_fits(tmp_path):
    """--resamples 0 recommended "(AIC weight 0.53 among the families the tests keep)" with no test run."""
    values = engine_draws({"dist": "lognormal", "mean": 8, "sd": 2.5}, 40, seed=9)
    data = _csv(tmp_path / "m.csv", [f"{v:.1f}" for v in values], header="hours")
    result = invoke(["fit", data, "--resamples", "0", "--out", tmp_path / "out"])
    assert result.exit_code == 0, result.output
    assert "No test of fit was run (--resamples 0): AIC only ranks the families" in result.output
    tested = invoke(["fit", data, "--resamples", "80", "--out", tmp_path / "out"])
    assert tested.exit_code == 0 and "No test of fit" not in tested.output, tested.output


def test_no_family_fitted_recommends_the_measured_values():
    """Now that a family whose solver fails is left out, every family may be: ranking nothing was an
    IndexError."""
    from slagsim.fitting.recommend import ranked, recommend

    assert ranked([], {}) == []
    chosen = recommend([], np.linspace(1, 2, 40))
    assert chosen.family == "empirical" and chosen.certainty == "none fits"
