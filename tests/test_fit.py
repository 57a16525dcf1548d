"""slagsim fit: the shipped press timings (simulated lognormal) come back lognormal with the mean within
5 %, the written scenario validates and runs; each family a scenario can write is recovered from 500 of
the engine's own draws; bad data is one line, exit 2, nothing written; the timing sheet template; the
fit speaks Indonesian."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest
from openpyxl import Workbook
from pydantic import TypeAdapter

from slagsim.fitting.data import read_measured
from slagsim.fitting.recommend import analyse
from slagsim.scenario.distributions import Distribution
from slagsim.scenario.load import load_scenario
from tests.common import BASELINE, SCENARIOS, invoke

PRESS = SCENARIOS / "measurements" / "press-cycle-times.csv"
TRUE_MEAN_H = 0.25  # what simulate_press_cycles.py drew from: lognormal, mean 0.25 h, sd 0.08 h
KEY = "machines.press.cycle_h"


def engine_draws(spec: dict[str, object], count: int, seed: int) -> np.ndarray:
    """``count`` draws of ``spec`` as the engine makes them (a normal's negative draws dropped)."""
    dist = TypeAdapter(Distribution).validate_python(spec)
    rng, drawn = np.random.default_rng(seed), []
    while len(drawn) < count:
        drawn += dist.sample_block(rng, count)
    return np.array(drawn[:count])


def one_line_error(result) -> str:
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


def test_the_press_timings_come_back_lognormal_and_the_written_scenario_runs(tmp_path):
    """400 simulated cycle times (a lognormal, mean 0.25 h, sd 0.08 h, read in minutes to a tenth):
    lognormal is recommended with its mean within 5 % of 0.25 h (the mean of 400 values with a CV of
    0.32 has a standard error of 1.6 %), in seconds; the scenario it writes extends the baseline,
    says where the value came from, validates and runs."""
    out = tmp_path / "press-fit"
    result = invoke(["fit", PRESS, "--column", "minutes", "--minutes", "--key", KEY, "--scenario", BASELINE,
                     "--out", out])
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "fit-meta.json").read_text(encoding="utf-8"))
    # a gamma of the same mean and sd is nearly as likely from 400 values: "probable", not "clear"
    assert meta["recommended"] == meta["written"] == "lognormal"
    assert meta["certainty"] in ("clear", "probable")
    assert meta["values"] == 400 and meta["resolution"] == pytest.approx(0.1 / 60)
    assert abs(meta["spec"]["mean"] / TRUE_MEAN_H - 1) < 0.05
    assert "Recommended: lognormal {dist: lognormal, mean: 0.253" in result.output
    table = (out / "fit.csv").read_text(encoding="utf-8")
    assert table.splitlines()[1].startswith("1,lognormal,")
    figures = {p.name for p in (out / "figures").iterdir()}
    assert figures == {"histogram.png", "histogram.svg", "qq.png", "qq.svg"}
    scenario = out / "baseline-fitted.yaml"
    text = scenario.read_text(encoding="utf-8")
    assert "press-cycle-times.csv" in text and "400 values" in text and "AIC weight" in text
    assert "cycle_h: {dist: lognormal, mean: 0.253, sd: 0.0829}  # measured:" in text
    assert f"extends: {Path(os.path.relpath(BASELINE, out)).as_posix()}\n" in text  # relative to where it is
    assert load_scenario(scenario).machines["press"].cycle_h.mean == pytest.approx(0.253)
    checked = invoke(["validate", scenario])
    assert checked.exit_code == 0 and checked.output.startswith("ok: "), checked.output
    ran = invoke(["run", scenario, "--years", "0.05", "--reps", "1", "--out", tmp_path / "run", "--quiet"])
    assert ran.exit_code == 0, ran.output
    assert (tmp_path / "run" / "summary.csv").is_file()


# spec, then each parameter's tolerance: four standard errors of its estimate from 500 values,
# measured over 200 simulated sets (exponential and the uncut normal: from the textbook formulas)
RECOVERY = [
    ({"dist": "exponential", "mean": 200}, {"mean": 36}),
    ({"dist": "lognormal", "mean": 6, "sd": 4}, {"mean": 0.7, "sd": 0.9}),
    ({"dist": "normal", "mean": 45, "sd": 10}, {"mean": 1.8, "sd": 1.3}),
    ({"dist": "normal", "mean": 1, "sd": 1}, {"mean": 0.31, "sd": 0.21}),  # 16 % of draws cut at 0
    ({"dist": "triangular", "low": 0.8, "mode": 1.0, "high": 1.5}, {"low": 0.03, "mode": 0.07, "high": 0.04}),
    ({"dist": "uniform", "low": 2, "high": 5}, {"low": 0.03, "high": 0.03}),
    # about 4 standard errors from 500 values: the mean's sd/sqrt(n), the shape's 0.78 k/sqrt(n)
    ({"dist": "gamma", "mean": 2, "sd": 1}, {"mean": 0.18, "sd": 0.2}),
    ({"dist": "weibull", "shape": 1.5, "scale": 3}, {"shape": 0.21, "scale": 0.38}),
]


@pytest.mark.parametrize(("spec", "tolerance"), RECOVERY,
                         ids=[f"{s['dist']}-{s.get('mean', s.get('low', s.get('shape')))}"
                              for s, _t in RECOVERY])
def test_each_family_is_recovered_from_500_of_the_engines_draws(spec, tolerance):
    """The family the values were drawn from ranks first by AIC or within 2 of the first, and its
    parameters, as the scenario writes them, come back within tolerance."""
    values = engine_draws(spec, 500, seed=11)
    analysis = analyse(values, resamples=50, seed=1)
    row = analysis.row(str(spec["dist"]))
    assert row is not None and row.delta_aic < 2, [(r.family, r.delta_aic) for r in analysis.table]
    for parameter, within in tolerance.items():
        found = float(row.fit.spec[parameter])
        assert abs(found - float(spec[parameter])) <= within, (parameter, row.fit.spec)


def test_few_values_give_the_measured_values_and_a_triangle_and_that_scenario_validates(tmp_path):
    """With fewer than 30 values the families cannot be told apart: the values themselves are
    written (empirical, repeats as weights), and the triangle is named as the alternative."""
    data = tmp_path / "mill.csv"
    values = [55, 61, 58, 72, 66, 58, 63, 70, 59, 64, 61, 68]
    data.write_text("menit\n" + "\n".join(str(v) for v in values) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(["fit", data, "--minutes", "--key", "machines.mill.cycle_h", "--scenario", BASELINE,
                     "--resamples", "80", "--out", out])
    assert result.exit_code == 0, result.output
    assert "only 12 values, too few" in result.output
    assert "use the triangle {dist: triangular" in result.output
    scenario = out / "baseline-fitted.yaml"
    mill = load_scenario(scenario).machines["mill"].cycle_h
    assert mill.dist == "empirical" and mill.mean == pytest.approx(np.mean(values) / 60)
    assert mill.weights is not None and sum(mill.weights) == 12  # 58 and 61 were measured twice
    assert invoke(["validate", scenario]).exit_code == 0


def test_whole_minutes_do_not_make_the_right_family_fail_its_tests():
    """A stopwatch read to whole minutes gives ties no continuous family makes; the bootstrap rounds its
    draws the same way, so the family the values came from is still kept."""
    hours = engine_draws({"dist": "lognormal", "mean": 0.25, "sd": 0.08}, 300, seed=5)
    minutes = np.round(hours * 60)
    analysis = analyse(minutes / 60, resolution=1 / 60, resamples=100, seed=1)
    assert analysis.recommendation.family == "lognormal", [(r.family, r.goodness) for r in analysis.table]


def test_a_semicolon_file_with_decimal_commas_is_read(tmp_path):
    data = tmp_path / "timbang.csv"
    data.write_text("tanggal;berat_t\n2025-03-10;1,25\n2025-03-10;0,75\n2025-03-11;1,5\n2025-03-11;\n"
                    "2025-03-12;2\n2025-03-12;1,05\n", encoding="utf-8")
    measured = read_measured(data, "berat_t")
    assert measured.values.tolist() == [1.25, 0.75, 1.5, 2.0, 1.05]
    assert measured.blanks == 1 and measured.separator == "semicolon" and measured.resolution == 0.05


def _workbook_with_a_formula(path: Path) -> None:
    book = Workbook()
    book.active.append(["Menit / Minutes"])
    for value in range(10, 20):
        book.active.append([value])
    book.active.append(["=A2*2"])  # written by a program: no value stored until a spreadsheet saves it
    book.save(path)


def test_a_formula_whose_value_a_spreadsheet_stored_is_read(tmp_path):
    """The same workbook once a spreadsheet has saved it: the formula's value is stored and read."""
    written, saved = tmp_path / "written.xlsx", tmp_path / "saved.xlsx"
    _workbook_with_a_formula(written)
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(saved, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":  # what Excel adds on saving: the value
                data = data.replace(b"<f>A2*2</f>", b"<f>A2*2</f><v>20</v>")
            target.writestr(item, data)
    measured = read_measured(saved, "minutes")
    assert measured.n == 11 and measured.values[-1] == 20


BAD = {  # name: (file contents, what the one line must say)
    "text": ("minutes\n1\n2\nabc\n4\n5\n6\n", "minutes: row 4 holds 'abc', not a number"),
    "negative": ("minutes\n1\n2\n-3\n4\n5\n6\n", "row 4 holds -3: a time or a weight cannot be negative"),
    "equal": ("minutes\n2\n2\n2\n2\n2\n2\n", "minutes: all 6 values are 2: nothing varies"),
    "few": ("minutes\n1\n2\n3\n4\n", "minutes: only 4 values; a fit needs at least 5"),
    "inf": ("minutes\n1\n2\ninf\n4\n5\n6\n", "minutes: row 4 holds inf, not a finite number"),
    "nan": ("minutes\n1\n2\nNaN\n4\n5\n6\n", "minutes: row 4 holds NaN, not a finite number"),
    "huge": ("minutes\n1\n2\n1e300\n4\n5\n6\n", "beyond anything slagsim simulates"),
    "comma-decimals": ("date,minutes\n2025-03-10,15,3\n2025-03-10,14,1\n",
                       "row 2 has 3 fields but the header has 2: decimal commas split the numbers. Save the "
                       "file with semicolons (;)"),
    "quoted-comma": ('date,minutes\n2025-03-10,"15,3"\n', "write 15.3, or save the file with semicolons (;)"),
    "unknown-column": ("minute\n1\n2\n3\n4\n5\n", "no column 'minutes'; did you mean 'minute'?"),
    "one-long-cell": ("minutes\n" + "7" * 200_000 + "\n", "cannot be read as a table"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_data_is_one_line_exit_2_and_nothing_written(tmp_path, name):
    contents, fragment = BAD[name]
    data = tmp_path / f"{name}.csv"
    data.write_text(contents, encoding="utf-8")
    out = tmp_path / "out"
    line = one_line_error(invoke(["fit", data, "--column", "minutes", "--out", out]))
    assert f"{data}: " in line and fragment in line, line
    assert not out.exists()


@pytest.mark.parametrize(("case", "fragment"), [
    ("formula", "row 12 holds a formula whose value is not stored: open the file in Excel or LibreOffice"),
    ("too-large", "larger than 1 MB"),
    ("key-without-scenario", "--key: --key and --scenario go together"),
    ("unknown-machine", "machines.pres: unknown machine 'pres'; did you mean 'press'?"),
    ("not-a-distribution", "--key: machines.press is a section, not a distribution"),
    ("count", "machines.press.count"),
])
def test_bad_files_and_keys_are_one_line_and_nothing_written(tmp_path, case, fragment):
    data = tmp_path / "minutes.csv"
    data.write_text("minutes\n" + "\n".join(f"{10 + (i * 37) % 11}.{i % 10}" for i in range(40)) + "\n",
                    encoding="utf-8")
    args = ["--key", KEY, "--scenario", BASELINE]
    if case == "formula":
        data = tmp_path / "timings.xlsx"
        _workbook_with_a_formula(data)
    elif case == "too-large":
        data.write_text("minutes\n" + "12.5\n" * 300_000, encoding="utf-8")
    elif case == "key-without-scenario":
        args = ["--key", KEY]
    else:
        key = {"unknown-machine": "machines.pres.cycle_h", "not-a-distribution": "machines.press",
               "count": "machines.press.count"}[case]
        args = ["--key", key, "--scenario", BASELINE]
    out = tmp_path / "out"
    line = one_line_error(invoke(["fit", data, "--column", "minutes", "--minutes", "--resamples", "0",
                                  *args, "--out", out]))
    assert fragment in line, line
    assert not out.exists()


def test_the_timing_sheet_template_and_the_books_stay_the_default(tmp_path):
    sheet = tmp_path / "timings.xlsx"
    result = invoke(["records-template", "--kind", "timings", "--out", sheet])
    assert result.exit_code == 0, result.output
    from openpyxl import load_workbook

    book = load_workbook(sheet)
    assert book.sheetnames == ["timings - waktu", "about - keterangan"]
    assert [c.value for c in book.worksheets[0][1]][2] == "Menit / Minutes"
    empty = one_line_error(invoke(["fit", sheet, "--column", "menit", "--out", tmp_path / "out"]))
    assert "Menit / Minutes: only 0 values" in empty  # the template's column is found by either name
    books = tmp_path / "books.xlsx"
    assert invoke(["records-template", "--out", books]).exit_code == 0
    assert load_workbook(books).worksheets[0]["A1"].value == "Bulan (TTTT-BB) / Month (YYYY-MM)"


def test_the_fit_speaks_indonesian(tmp_path):
    data = tmp_path / "waktu.csv"
    values = engine_draws({"dist": "lognormal", "mean": 15, "sd": 5}, 60, seed=3)
    data.write_text("menit\n" + "\n".join(f"{v:.1f}" for v in values) + "\n", encoding="utf-8")
    result = invoke(["fit", data, "--resamples", "80", "--out", tmp_path / "out", "--lang", "id"])
    assert result.exit_code == 0, result.output
    assert "Direkomendasikan: lognormal" in result.output and "nilai dari 'menit'" in result.output
    assert "Recommended" not in result.output and "values of" not in result.output
    bad = tmp_path / "buruk.csv"
    bad.write_text("menit\n1\n2\n-3\n4\n5\n6\n", encoding="utf-8")
    line = one_line_error(invoke(["fit", bad, "--lang", "id", "--out", tmp_path / "out2"]))
    assert "baris 4 berisi -3: waktu atau berat tidak boleh negatif" in line, line
