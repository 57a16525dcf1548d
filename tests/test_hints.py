"""Errors that say what to type: did-you-mean for keys and names, numbers written as in prose, tabs
and indentation explained, each one line with exit 2; `show --diff` prints only what differs."""

from __future__ import annotations

import pytest

from tests.common import BASELINE, SCENARIOS, invoke


def one_line(result) -> str:
    lines = (result.stderr or result.output).strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


@pytest.mark.parametrize(("setting", "expected"), [
    ("curing_yard.palets=80", "unknown key 'palets'; did you mean 'pallets'?"),
    ("machines.press.cout=2", "unknown key 'cout'; did you mean 'count'?"),
    ("firms.template.atendance=0.5", "did you mean 'attendance'?"),
    ("machines.presss.count=2", "unknown machine 'presss'; did you mean 'press'?"),
    ("products.blocks.pavng.price_rp_per_piece=2", "unknown product 'pavng'; did you mean 'paving'?"),
    ("labour.wage_rp_per_worker_day=1.000.000", "write 1000000: no thousands separators"),
    ("firms.template.attendance=0,9", "write 0.9: a decimal point, not a comma"),
    ("firms.template.attendance=65%", "write 0.65 for 65 %"),
    ("curing_yard.pallets=+20", "+20 is read as 20, not as 20 more: write the total (for 80 + 20, write 1"),
])
def test_a_mistake_says_what_to_type(setting, expected):
    assert expected in one_line(invoke(["validate", str(BASELINE), "--set", setting]))


@pytest.mark.parametrize(("text", "expected"), [
    ("name: x\nmachines:\n\tpress: 1\n", "a tab is used for indenting; indent with spaces only"),
    ("name: x\nmachines:\n  press:\n    count: 1\n   price: 2\n", "the indentation does not line up"),
    (f"extends: {BASELINE}\ncuring_yard:\n  pallets: +20\n", "line 3: +20 is read as 20"),
])
def test_a_file_mistake_names_its_line_and_the_fix(tmp_path, text, expected):
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    line = one_line(invoke(["validate", str(path)]))
    assert expected in line and str(path) in line


def test_show_diff_prints_only_what_differs_with_its_source():
    result = invoke(["show", str(SCENARIOS / "history" / "b3-permit.yaml"),
                                      "--diff", str(BASELINE)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line and not line.startswith(("#", " "))]
    keys = [line.split(":")[0] for line in lines]
    assert "b3_store.permit" in keys and "process.residue.pooling" in keys
    assert "machines.press.count" not in keys and "name" not in keys
    assert "petisi.co 2018" in result.output  # the line's own source comment
    assert "# was: True" in result.output


def test_show_diff_of_a_file_with_itself_says_so():
    result = invoke(["show", str(BASELINE), "--diff", str(BASELINE)])
    assert result.exit_code == 0 and result.output.startswith("# no differences from")


@pytest.mark.parametrize("columns", [80, 120, 200])
def test_the_comparison_table_fits_the_terminal_with_every_rank(serial_small, columns):
    """The small batch's 4 scenarios, at three terminal widths."""
    result = invoke(["compare", str(serial_small)], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= columns and "…" not in result.output  # folded, not cut
    rows = [line.split("│") for line in lines if line.startswith("│")]
    ranks = [cells[1].strip() for cells in rows if cells[1].strip()]
    assert ranks == [str(rank) for rank in range(1, 5)]  # a rank on each of the 4 scenarios' rows
    if columns == 200:
        assert " .. " in result.output  # intervals where they fit
    if columns == 80:
        assert " .. " not in result.output and "What limits each (its bottleneck):" in result.output


def test_a_bad_value_in_the_inputs_sheet_is_one_line(tmp_path):
    """An edited inputs sheet is checked like --set: nan, or a word where a number belongs, is one line."""
    import openpyxl

    from slagsim.report.inputs import inputs_table

    table = inputs_table({"curing_yard": {"pallets": 80}}, None)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "inputs"
    sheet.append(list(table.columns))
    for value in (".nan", "eighty"):
        for row in table.itertuples(index=False):
            sheet.append([row.key, value, row.source, row[3], row[4]])
        path = tmp_path / f"{value}.xlsx"
        book.save(path)
        line = one_line(invoke(["validate", str(BASELINE), "--set-from", str(path)]))
        assert line.startswith(f"error: {path}: curing_yard.pallets: ")  # the workbook, not --set
        assert line.endswith("; change the value of this row in the inputs sheet")
        sheet.delete_rows(2)


def test_a_command_of_several_phases_shows_one_progress_with_one_time_left(monkeypatch):
    """appraise's phases (candidates, draws, ...) add to one total under one bar, each named."""
    import io

    from slagsim.cli.progress import PhasedReporter

    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    with PhasedReporter("appraise") as reporter:
        for label, units in (("candidates", 3), ("estimate draws", 2)):
            with reporter.progress(units, label) as advance:
                for _ in range(units):
                    advance(1)
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("appraise, phase 1 (candidates): ") and "/3 done" in lines[0]
    assert lines[-1].startswith("appraise, phase 2 (estimate draws): 5/5 done")
    assert all("left" in line for line in lines)
