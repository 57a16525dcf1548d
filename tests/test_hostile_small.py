"""Hostile cases of issue 27 on small things: a report written into a result folder, a report's
``--out`` that is a link, the records template's ``--out`` and where the run-time estimate says the
work runs.

Each test asserts the exit code, the one line the user sees and what was kept, written or refused.
Commands run in a sandbox (a copy of the scenarios in a temporary working folder).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from slagsim.errors import ScenarioError
from slagsim.results.folders import FIGURES, write_marker
from slagsim.results.locks import OutputLock
from slagsim.results.reports import CREATOR, GENERATOR
from tests.common import SMALL, invoke
from tests.test_hostile import QUICK, assert_one_line_error, tree, write
from tests.test_hostile_folders import sandbox  # noqa: F401  (the fixture)

RUN = ["run", "mine/small.yaml", "--quiet", *QUICK]
BATCH = ["batch", SMALL, "--jobs", "1", "--reps", "1", "--years", "0.05", "--quiet", "--out", "results/sb"]
OLD_REPORT = "show the earlier results; write the report again: slagsim report "


def fake_report(folder: Path, stem: str = "report") -> list[str]:
    """A report set as ``slagsim report`` leaves it (its HTML, workbook and marked figures), without
    drawing a figure; the names written."""
    from openpyxl import Workbook

    write(folder / f"{stem}.html", f"<!DOCTYPE html>\n<html><head>{GENERATOR}</head></html>\n")
    book = Workbook()
    book.properties.creator = CREATOR
    book.save(folder / f"{stem}.xlsx")
    write(folder / f"{stem}-figures" / "throughput.png", "a figure")
    write_marker(folder / f"{stem}-figures", FIGURES)
    return sorted([f"{stem}-figures", f"{stem}.html", f"{stem}.xlsx"])


def seed_of(folder: Path) -> int:
    return json.loads((folder / "meta.json").read_text())["seed"]


# ------------------------------------------------------------- a report in a result folder


@pytest.mark.slow  # draws a report's figures (about 10 s)
def test_a_report_written_into_a_run_folder_never_blocks_the_next_run(sandbox):  # noqa: F811
    folder = sandbox / "results" / "small"
    assert invoke(RUN).exit_code == 0
    assert invoke(["report", "results/small"]).exit_code == 0
    (folder / ".report.tmp-4194303").mkdir()  # what a killed report leaves
    write(folder / ".report.tmp-4194303" / "report.html", "half a report")
    report = {name: value for name, value in tree(folder).items() if name.startswith("report")}
    result = invoke([*RUN, "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert seed_of(folder) == 2
    assert {name: value for name, value in tree(folder).items() if name.startswith("report")} == report
    assert not (folder / ".report.tmp-4194303").exists()
    assert f"warning: report-figures, report.html, report.xlsx in results/small {OLD_REPORT}" \
           "results/small" in result.stderr


@pytest.mark.parametrize("stem", ["report", "for-the-board"])
def test_slagsims_report_files_count_as_its_own_in_a_run_folder(sandbox, stem):  # noqa: F811
    folder = sandbox / "results" / "small"
    assert invoke(RUN).exit_code == 0
    names = fake_report(folder, stem)
    (folder / f".{stem}.old-4194303").mkdir()
    kept = {name: value for name, value in tree(folder).items() if name.startswith(stem)}
    result = invoke([*RUN, "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert seed_of(folder) == 2
    assert {name: value for name, value in tree(folder).items() if name.startswith(stem)} == kept
    assert f"warning: {', '.join(names)} in results/small {OLD_REPORT}" in result.stderr
    assert not [p for p in folder.iterdir() if ".tmp-" in p.name or ".old-" in p.name]


@pytest.mark.parametrize("put, shown", [
    ("own html", "report.html"),     # a report.html slagsim did not write
    ("own workbook", "report.xlsx"),  # a workbook of the same name, not slagsim's
    ("own figures", "report-figures"),  # a folder of pictures without slagsim's marker
    ("link", "report.html"),         # a link to slagsim's report is the user's link
])
def test_a_users_file_named_like_a_report_still_stops_the_run(sandbox, put, shown):  # noqa: F811
    folder = sandbox / "results" / "small"
    assert invoke(RUN).exit_code == 0
    if put == "own html":
        write(folder / "report.html", "<html><title>our own notes</title></html>")
    elif put == "own workbook":
        write(folder / "report.xlsx", "not slagsim's")
    elif put == "own figures":
        write(folder / "report-figures" / "photo.jpg", "a photo")
    else:
        fake_report(sandbox / "elsewhere")
        (folder / "report.html").symlink_to(sandbox / "elsewhere" / "report.html")
    before = tree(sandbox)
    assert_one_line_error(invoke([*RUN, "--seed", "2"]), 2, "--out: results/small also holds files slagsim "
                          f"did not write ({shown}); move them or choose another folder")
    assert tree(sandbox) == before


def test_a_report_in_a_batch_folder_is_kept_and_named_by_the_next_batch(sandbox):  # noqa: F811
    batch = BATCH
    assert invoke(batch).exit_code == 0
    folder = sandbox / "results" / "sb"
    fake_report(folder)
    fake_report(folder / "baseline")  # a report of one scenario of the batch
    (folder / ".report.tmp-4194303").mkdir()
    kept = {name: value for name, value in tree(folder).items() if name.startswith("report")}
    result = invoke(batch)
    assert result.exit_code == 0, result.output
    assert f"warning: report-figures, report.html, report.xlsx in results/sb {OLD_REPORT}" in result.stderr
    assert {name: value for name, value in tree(folder).items() if name.startswith("report")} == kept
    assert not (folder / ".report.tmp-4194303").exists()
    assert not (folder / "baseline" / "report.html").exists()  # went with the old scenario folder


def test_a_fresh_batch_never_deletes_a_users_file_named_like_a_report(sandbox):  # noqa: F811
    batch = BATCH
    assert invoke(batch).exit_code == 0
    own = write(sandbox / "results" / "sb" / "report.html", "<html>the board's own summary</html>")
    result = invoke(batch)
    assert result.exit_code == 0, result.output
    assert own.read_text() == "<html>the board's own summary</html>"
    assert "warning: report" not in result.stderr  # not slagsim's: not named as an old report


@pytest.mark.slow  # an appraisal and its report (about 30 s)
def test_a_report_in_an_appraisal_folder_never_blocks_the_next_appraisal(sandbox):  # noqa: F811
    from tests.test_appraisal import SMALL_MENU

    menu = sandbox / "menus" / "small.yaml"
    write(menu, SMALL_MENU.read_text().replace("../../../scenarios", "../scenarios")
          .replace("replications: 5, years: 0.5", "replications: 2, years: 0.05"))
    appraise = ["appraise", menu, "--no-tornado", "--max-reps", "2", "--jobs", "1", "--quiet"]
    assert invoke(appraise).exit_code == 0
    folder = sandbox / "results" / "small-menu"
    fake_report(folder / "baseline")
    (folder / ".report.tmp-4194303").mkdir()
    result = invoke(appraise)
    assert result.exit_code == 0, result.output
    assert (folder / "report.html").read_text().count(GENERATOR) == 1  # the appraisal's own, written again
    assert not (folder / ".report.tmp-4194303").exists()


def test_a_report_waits_for_no_run_it_would_be_swapped_under(sandbox):  # noqa: F811
    assert invoke(RUN).exit_code == 0
    before = tree(sandbox)
    with OutputLock(Path("results/small")):  # a run of the folder is under way
        assert_one_line_error(invoke(["report", "results/small"]), 2, "RESULT_DIR: results/small is being "
                              "written by another slagsim (process ", "wait for it to finish")
    assert tree(sandbox) == before


# --------------------------------------------------------------------- a report's --out link


def test_a_report_out_link_to_a_file_is_followed(tmp_path):
    from slagsim.report.write import check_report_path

    fake_report(tmp_path / "web")
    link = tmp_path / "latest.html"
    link.symlink_to(tmp_path / "web" / "report.html")
    assert check_report_path(link) == (tmp_path / "web" / "report.html").resolve()
    assert check_report_path(tmp_path / "plain.html") == tmp_path / "plain.html"
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "report.html").symlink_to(tmp_path / "web")  # RESULT_DIR/report.html, no --out
    with pytest.raises(ScenarioError, match=r"report\.html links to the folder .*web; the report is a file"):
        check_report_path(tmp_path / "run" / "report.html")


@pytest.mark.parametrize("make, fragments", [
    (lambda d: (d / "latest.html").symlink_to(d / "gone.html"),
     ("latest.html is a link to ", "gone.html, which does not exist; give a file name, e.g. --out "
      "report.html")),
    (lambda d: (d / "latest.html").symlink_to(d / "latest.html"),
     ("latest.html is a link that leads round in a circle; give a file name, e.g. --out report.html",)),
    (lambda d: (d / "latest.html").symlink_to(d),
     ("File 'latest.html' is a directory.",)),  # click's word for it, one line
    (lambda d: (d / "latest.xlsx").symlink_to(d / "kept.xlsx"),
     ("latest.xlsx is a link; slagsim replaces a report's workbook and figures whole and would replace "
      "the link: remove it or choose another name",)),
], ids=["to nothing", "loop", "to a folder", "workbook link"])
def test_a_report_out_link_that_cannot_be_followed_is_one_line(sandbox, make, fragments):  # noqa: F811
    assert invoke(RUN).exit_code == 0
    write(sandbox / "kept.xlsx", "the user's")
    make(sandbox)
    before = tree(sandbox)
    links = {p.name: p.readlink() for p in sandbox.iterdir() if p.is_symlink()}
    result = invoke(["report", "results/small", "--out", "latest.html"])
    assert_one_line_error(result, 2, "--out: ", *fragments)
    assert tree(sandbox) == before
    assert {p.name: p.readlink() for p in sandbox.iterdir() if p.is_symlink()} == links


@pytest.mark.slow  # draws a report's figures (about 10 s)
def test_a_report_written_through_a_link_leaves_the_link_a_link(sandbox):  # noqa: F811
    assert invoke(RUN).exit_code == 0
    fake_report(sandbox / "web")
    link = sandbox / "latest.html"
    link.symlink_to(Path("web") / "report.html")
    result = invoke(["report", "results/small", "--out", "latest.html"])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.readlink() == Path("web") / "report.html"
    assert "results/small" in (sandbox / "web" / "report.html").read_text()  # the new report, where it points
    assert sorted(p.name for p in (sandbox / "web").iterdir()) == ["report-figures", "report.html",
                                                                    "report.xlsx"]
    assert f"report: {(sandbox / 'web' / 'report.html').resolve()}" in result.output


# ------------------------------------------------------------------ records-template --out


def test_a_csv_records_template_is_csv_and_reads_back(sandbox):  # noqa: F811
    from slagsim.calibration.books import read_records
    from slagsim.scenario.load import load_scenario

    result = invoke(["records-template", "--out", "new-books.csv"])
    assert result.exit_code == 0, result.output
    text = (sandbox / "new-books.csv").read_text(encoding="utf-8")
    assert text.count("\n") == 1 and text.startswith("Bulan (TTTT-BB) / Month (YYYY-MM),")  # the headers
    products = list(load_scenario(Path("scenarios/baseline.yaml")).products.blocks)
    write(sandbox / "new-books.csv", text + "2024-03" + ",1" * text.count(",") + "\n")
    assert read_records(sandbox / "new-books.csv", products).turnover_rp.tolist() == [1.0]


@pytest.mark.parametrize("kind, out, fragment", [
    ("books", "books.ods", "--out: books.ods ends in .ods; the template is .xlsx (a workbook to fill in) "
                           "or .csv (its header row alone): e.g. --out books.xlsx"),
    ("books", "books", "--out: books has no suffix; the template is .xlsx"),
    ("timings", "timings.ods", "--out: timings.ods ends in .ods; the template is .xlsx (a workbook to fill "
                               "in) or .csv (its header row alone): e.g. --out press-timings.xlsx"),
    ("timings", "timings", "--out: timings has no suffix; "),
    ("books", "books.csv", "--out: books.csv already exists; slagsim never writes over a file (a template "
                           "may hold what was filled in): choose another name, e.g. --out books.xlsx"),
    ("books", "dangling.xlsx", "--out: dangling.xlsx already exists; slagsim never writes over a file"),
    ("timings", "books.csv/t.xlsx", "--out: books.csv/t.xlsx lies under books.csv, which is a file; choose "
                                    "another name, e.g. --out press-timings.xlsx"),
    ("books", "a" * 250 + ".xlsx", "characters, and the disk allows 255; choose a name 13 shorter, e.g. "
                                   "--out books.xlsx"),
    ("books", "scenarios", "--out: File 'scenarios' is a directory."),
])
def test_a_records_template_never_writes_over_a_file_or_under_a_wrong_name(sandbox, kind, out, fragment):  # noqa: F811
    (sandbox / "dangling.xlsx").symlink_to(sandbox / "nowhere.xlsx")
    before = tree(sandbox)
    assert_one_line_error(invoke(["records-template", "--kind", kind, "--out", out]), 2, fragment)
    assert tree(sandbox) == before and (sandbox / "dangling.xlsx").is_symlink()


def test_a_records_template_is_never_written_over_even_slagsims_own(sandbox):  # noqa: F811
    assert invoke(["records-template", "--out", "books.xlsx"]).exit_code == 0
    write(sandbox / "books.xlsx", "filled in by the bookkeeper")
    assert_one_line_error(invoke(["records-template", "--out", "books.xlsx"]), 2, "already exists")
    assert (sandbox / "books.xlsx").read_text() == "filled in by the bookkeeper"


# ------------------------------------------------------------------- where the work runs


def test_the_estimate_says_the_work_goes_to_the_dask_cluster():
    from slagsim.runs.duration import Estimate

    local = Estimate(2.0, 12, 1).describe()
    assert local == "about 2 s for 12 replications in this process"
    assert Estimate(40.0, 140, 2).describe() == "about 40 s for 140 replications on 2 processes"
    assert Estimate(2.0, 12, 1, "tcp://10.0.0.5:8786").describe() == (
        "about 2 s for 12 replications on one worker of the Dask cluster at tcp://10.0.0.5:8786 (less with "
        "more workers)")


def test_a_batch_estimate_names_the_cluster_it_is_sent_to():
    from slagsim.batch import session

    prepared = session.plan(SMALL, 1, 0.05)
    there = session.expected_time(prepared, {}, session.workers_for(None, "tcp://10.0.0.5:8786"),
                                  "tcp://10.0.0.5:8786")
    assert there.describe().endswith("replications on one worker of the Dask cluster at tcp://10.0.0.5:8786 "
                                     "(less with more workers)")
    assert "in this process" in session.expected_time(prepared, {}, 1).describe()
    result = invoke(["batch", SMALL, "--dry-run", "--scheduler", "tcp://10.0.0.5:8786"])
    assert "on one worker of the Dask cluster at tcp://10.0.0.5:8786" in result.output


def test_the_cluster_estimate_speaks_indonesian():
    from slagsim import i18n
    from slagsim.runs.duration import Estimate

    i18n.use("id")
    assert Estimate(2.0, 12, 1, "tcp://h:1").describe() == (
        "sekitar 2 detik untuk 12 simulasi pada satu pekerja klaster Dask di tcp://h:1 (lebih singkat dengan "
        "lebih banyak pekerja)")
