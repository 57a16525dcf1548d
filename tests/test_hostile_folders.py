"""Hostile cases of issue 27 on what slagsim keeps: refusals before anything is deleted, the locks of
studies kept in a run's folder, names too long for the disk, ``--out`` links, report sets written
as a unit and result tables cut short.

Each test asserts the exit code, the one line the user sees and that nothing was lost or written.
Commands run in a sandbox (a copy of the scenarios in a temporary working folder).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from slagsim.results.folders import CALIBRATION, RUN, SENSITIVITY, write_marker
from slagsim.results.locks import OutputLock
from tests.common import BASELINE, ROOT, SCENARIOS, invoke
from tests.test_hostile import QUICK, assert_one_line_error, tree, write

EXAMPLE_BOOKS = SCENARIOS / "records" / "example-simulated.csv"
ONE_RANGE = "ranges:\n  - {key: supply.smelters.reach, low: 0.05, high: 0.45, why: test - dross supply}\n"


@pytest.fixture
def sandbox(tmp_path, monkeypatch) -> Path:
    """A working folder with the shipped scenarios, a results folder holding its README, two months
    of books and a scenario with one estimate (``mine/small.yaml``)."""
    shutil.copytree(SCENARIOS, tmp_path / "scenarios")
    write(tmp_path / "results" / "README.md", "outputs go here\n")
    write(tmp_path / "books.csv", "".join(EXAMPLE_BOOKS.read_text().splitlines(keepends=True)[:3]))
    text = BASELINE.read_text(encoding="utf-8").replace("# estimate", "# guess")
    text = text.replace("name: baseline\n", "name: small\n", 1)
    reach = "    reach: 0.25"
    text = "\n".join(f"{reach}   # estimate" if raw.split("#")[0].rstrip() == reach else raw
                     for raw in text.splitlines())
    shutil.copytree(SCENARIOS / "prices", tmp_path / "mine" / "prices")
    write(tmp_path / "mine" / "estimates.yaml", ONE_RANGE)
    write(tmp_path / "mine" / "small.yaml", text + "\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def stored_study(sandbox: Path, kind: str) -> Path:
    """``results/small/<kind>/`` as a finished study leaves it: marked, with stored parts."""
    folder = sandbox / "results" / "small" / kind
    folder.mkdir(parents=True)
    write_marker(folder.parent, RUN)
    write_marker(folder, kind)
    method = "morris/" if kind == SENSITIVITY else ""
    for index in range(3):
        write(folder / "parts" / f"{method}small-p{index:05d}" / "rep-00000.json", '{"stored": true}')
    return folder


CALIBRATE = ["calibrate", "books.csv", "--scenario", "mine/small.yaml", "--draws", "10", "--quiet"]
SENSITIVITY_RUN = ["sensitivity", "mine/small.yaml", "--trajectories", "2", "--reps", "1", "--quiet"]


# ------------------------------------------------------------------ refusals before any deletion


@pytest.mark.parametrize("command, kind", [(CALIBRATE, CALIBRATION), (SENSITIVITY_RUN, SENSITIVITY)])
def test_a_wrong_scheduler_refuses_before_stored_parts_are_deleted(sandbox, command, kind):
    stored_study(sandbox, kind)
    before = tree(sandbox)
    result = invoke([*command, "--scheduler", "nonsense"])
    assert_one_line_error(result, 2, "--scheduler: cannot use a Dask scheduler at 'nonsense': not a "
                                     "scheduler address; give it as tcp://HOST:PORT")
    assert tree(sandbox) == before


@pytest.mark.parametrize("command, kind", [(CALIBRATE, CALIBRATION), (SENSITIVITY_RUN, SENSITIVITY)])
def test_a_run_that_needs_yes_refuses_before_stored_parts_are_deleted(sandbox, monkeypatch, command, kind):
    monkeypatch.setattr("slagsim.runs.duration.RUN_TIME_NEEDS_YES_S", 0.0)  # every run "too long"
    stored_study(sandbox, kind)
    before = tree(sandbox)
    result = invoke([*command, "--jobs", "1"])
    assert_one_line_error(result, 2, "--yes: this ", "add --yes to run it anyway")
    assert tree(sandbox) == before


# --------------------------------------------------------------------------- the one-writer lock


def test_a_study_locks_beside_the_run_folder_never_inside_it(sandbox):
    with OutputLock(Path("results/small/calibration")) as lock:
        assert lock.paths == [(sandbox / "results" / ".small.calibration.lock")]
        assert lock.path.read_text().startswith("process ")
    assert not lock.path.exists()
    run = OutputLock(Path("results/small"))
    assert run.paths == [sandbox / "results" / name for name in (
        ".small.lock", ".small.calibration.lock", ".small.sensitivity.lock")]


@pytest.mark.parametrize("held, command", [
    ("results/small/calibration", ["run", "mine/small.yaml", *QUICK]),
    ("results/small/sensitivity", ["run", "mine/small.yaml", *QUICK]),
    ("results/small", [*CALIBRATE, "--jobs", "1"]),
    ("results/small", [*SENSITIVITY_RUN, "--jobs", "1"]),
    ("results/small/calibration", [*CALIBRATE, "--jobs", "1"]),
])
def test_a_run_and_a_study_of_one_scenario_exclude_each_other(sandbox, held, command):
    stored_study(sandbox, CALIBRATION)
    before = tree(sandbox)
    with OutputLock(Path(held)):
        result = invoke(command)
        assert_one_line_error(result, 2, "--out: ", "is being written by another slagsim (process ",
                              "wait for it to finish")
    assert tree(sandbox) == before


def test_a_calibration_and_a_sensitivity_run_of_one_scenario_may_run_side_by_side(sandbox):
    with OutputLock(Path("results/small/calibration")), OutputLock(Path("results/small/sensitivity")):
        pass


def test_a_lock_left_by_a_killed_study_never_blocks_a_run(sandbox):
    stored_study(sandbox, CALIBRATION)
    write(sandbox / "results" / ".small.calibration.lock", "process 999999: slagsim calibrate books.csv\n")
    write(sandbox / "results" / "small" / ".calibration.lock", "process 999999: slagsim calibrate\n")  # older
    result = invoke(["run", "mine/small.yaml", "--quiet", *QUICK])
    assert result.exit_code == 0, result.output
    assert (sandbox / "results" / "small" / "calibration" / "parts").is_dir()  # the study is kept
    assert not (sandbox / "results" / "small" / ".calibration.lock").exists()
    assert json.loads((sandbox / "results" / "small" / "meta.json").read_text())["replications"] == 1


HOLD = """import sys
from pathlib import Path
from slagsim.results.locks import OutputLock
with OutputLock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def holder(sandbox):
    """``holder(folder)``: another process holding ``folder``'s lock as a command does, until killed."""
    started = []

    def hold(folder: str) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "-c", HOLD, folder], cwd=sandbox, text=True,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   env={**os.environ, "PYTHONPATH": str(ROOT)})
        started.append(process)
        assert process.stdout.readline() == "held\n"
        return process

    yield hold
    for process in started:
        process.kill()
        process.wait()


@pytest.mark.slow
def test_a_study_held_by_another_process_blocks_the_run_until_that_process_is_killed(sandbox, holder):
    stored_study(sandbox, CALIBRATION)
    before = tree(sandbox)
    study = holder("results/small/calibration")
    result = invoke(["run", "mine/small.yaml", "--quiet", *QUICK])
    line = assert_one_line_error(result, 2, "--out: results/small is being written by another slagsim "
                                            f"(process {study.pid}: slagsim results/small/calibration)")
    assert "move" not in line and ".lock" not in line  # never an invitation to delete a live lock
    assert {k: v for k, v in tree(sandbox).items() if not k.endswith(".lock")} == before
    os.kill(study.pid, signal.SIGKILL)  # kill -9: the kernel drops the lock, its file stays behind
    study.wait()
    assert (sandbox / "results" / ".small.calibration.lock").exists()
    result = invoke(["run", "mine/small.yaml", "--quiet", *QUICK])
    assert result.exit_code == 0, result.output
    assert (sandbox / "results" / "small" / "calibration" / "parts").is_dir()


# ------------------------------------------------------------------- names too long for the disk


def never_simulate(monkeypatch) -> None:
    def simulated(*args, **kwargs):
        raise AssertionError("a replication ran before the refusal")

    monkeypatch.setattr("slagsim.runs.session.run_experiment", simulated)
    monkeypatch.setattr("slagsim.runs.duration.run_replication", simulated)


@pytest.mark.parametrize("command", [["run", "mine/small.yaml", *QUICK], [*CALIBRATE, "--jobs", "1"],
                                     ["batch", "scenarios/batches/press-shift-sweep.yaml", "--reps", "1"]])
def test_an_out_name_too_long_for_its_temporaries_is_refused_before_simulating(sandbox, monkeypatch, command):
    never_simulate(monkeypatch)
    before = tree(sandbox)
    out = "results/" + "a" * 247  # a valid name; .NAME.tmp-PID and .NAME.sensitivity.lock are not
    result = invoke([*command, "--out", out])
    assert_one_line_error(result, 2, "--out: results/aaaaaaaaaaaa...aaaaaaaaaaaa: slagsim would write the "
                                     "name .aaaaaaaaaaaaaaaaaaa...", "characters, and the disk allows 255; "
                                     "choose a name ", "shorter, e.g. results/NAME")
    assert tree(sandbox) == before


def test_an_out_too_deep_for_the_disk_is_refused_before_simulating(sandbox, monkeypatch):
    never_simulate(monkeypatch)
    before = tree(sandbox)
    result = invoke(["run", "mine/small.yaml", "--out", "/".join(["results", *["b" * 200] * 20]), *QUICK])
    assert_one_line_error(result, 2, "--out: results/bbbbbbbb", "is too deep for the disk: paths inside it "
                                     "would reach ", "characters (at most 4096); choose a shorter folder")
    assert tree(sandbox) == before


def test_the_longest_name_that_fits_is_written(sandbox):
    out = sandbox / "results" / ("a" * 237)
    assert invoke(["run", "mine/small.yaml", "--quiet", "--out", out, *QUICK]).exit_code == 0
    assert (out / "meta.json").is_file()


# ----------------------------------------------------------------------------- --out as a link


def test_an_out_link_is_followed_never_replaced(sandbox, monkeypatch):
    target = sandbox / "elsewhere" / "big-disk"
    target.mkdir(parents=True)
    link = sandbox / "results" / "linked"
    link.symlink_to(target, target_is_directory=True)
    asked = []
    real_usage = shutil.disk_usage
    monkeypatch.setattr("slagsim.results.folders.shutil.disk_usage",
                        lambda path: asked.append(Path(path)) or real_usage(path))
    for seed in ("1", "2"):  # the second run replaces the first's results in the same place
        result = invoke(["run", "mine/small.yaml", "--out", "results/linked", "--seed", seed, *QUICK])
        assert result.exit_code == 0, result.output
        assert f"results in {target}/" in result.output.replace("\n", "")
    assert link.is_symlink() and link.resolve() == target
    assert json.loads((target / "meta.json").read_text())["seed"] == 2
    assert sorted(p.name for p in (sandbox / "results").iterdir()) == ["README.md", "linked"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["big-disk"]  # no temporaries or locks left
    assert asked and all(path == target for path in asked)  # the free space of the disk it points to


@pytest.mark.parametrize("points_to, fragment", [
    ("missing", "which does not exist; make that folder or give a folder, e.g. results/NAME"),
    ("loop", "results/loop is a link that leads round in a circle; give a folder, e.g. results/NAME"),
])
def test_an_out_link_that_leads_nowhere_is_one_line(sandbox, monkeypatch, points_to, fragment):
    never_simulate(monkeypatch)
    name = "loop" if points_to == "loop" else "linked"
    (sandbox / "results" / name).symlink_to(sandbox / "results" / "loop" if points_to == "loop"
                                            else sandbox / points_to)
    before = tree(sandbox)
    assert_one_line_error(invoke(["run", "mine/small.yaml", "--out", f"results/{name}", *QUICK]), 2,
                          "--out: results/", fragment)
    assert tree(sandbox) == before and (sandbox / "results" / name).is_symlink()


# ------------------------------------------------------------------------- a report set as a unit


def test_a_set_is_replaced_whole_or_not_at_all(tmp_path, monkeypatch):
    from slagsim.results.sets import atomic_set

    targets = [tmp_path / "report.html", tmp_path / "report.xlsx", tmp_path / "report-figures"]
    for target, text in zip(targets, ("old html", "old book"), strict=False):
        target.write_text(text)
    write(targets[2] / "a.png", "old figure")
    before = tree(tmp_path)
    with pytest.raises(OSError, match="No space left") as failed, atomic_set(targets) as folder:
        write(folder / "report-figures" / "a.png", "new figure")
        (folder / "report.html").write_text("new html")
        raise OSError(28, "No space left on device", str(folder / "report-figures" / "b.png"))
    assert failed.value.filename == str(tmp_path / "report-figures")  # where the user looks, not ours
    assert tree(tmp_path) == before  # the old set, whole; no temporary left
    real_rename = Path.rename

    def fails_midway(self, target):  # the second new entry cannot be moved into place
        if self.name == "report.xlsx" and ".tmp-" in str(self):
            raise OSError(5, "Input/output error", str(self))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", fails_midway)
    with pytest.raises(OSError), atomic_set(targets) as folder:
        for target in targets[:2]:
            (folder / target.name).write_text("new")
    assert tree(tmp_path) == before


@pytest.mark.slow  # draws a report's figures (about 10 s)
def test_a_disk_that_fills_up_while_the_report_is_written_leaves_the_old_report_whole(sandbox, monkeypatch):
    assert invoke(["run", "mine/small.yaml", "--quiet", *QUICK]).exit_code == 0
    assert invoke(["report", "results/small"]).exit_code == 0
    before = tree(sandbox)

    def full(path, write, durable=False):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr("slagsim.report.write.atomic_write", full)  # the workbook, written last
    result = invoke(["report", "results/small", "--lang", "id"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["menggambar grafik dan menulis laporan ...",  # the work under way
                                          "error: results/small/report.xlsx: No space left on device "
                                          "(nothing after this point was written)"]
    assert tree(sandbox) == before  # the old HTML, workbook and figures, none replaced
    assert not [p for p in (sandbox / "results" / "small").iterdir() if p.name.startswith(".report.")]


# ------------------------------------------------------------------------- tables cut short


def cut_mid_number(lines: list[str]) -> str:
    """The last value cut after its first digits, as a copy stopped midway leaves it."""
    return "".join(lines)[:-4]


def cut_after_replication_0(lines: list[str]) -> str:
    return "".join(line for line in lines if not line.startswith("1,"))


def cut_inside_replication_1(lines: list[str]) -> str:
    return "".join(lines[:-5])


@pytest.fixture
def two_runs(sandbox) -> Path:
    """Two runs of two replications each, to compare."""
    for out, extra in (("results/small", []), ("results/other", ["--set", "calendar.shifts_per_day=2"])):
        result = invoke(["run", "mine/small.yaml", "--quiet", "--out", out, *extra, *QUICK, "--reps", "2"])
        assert result.exit_code == 0, result.output
    return sandbox


@pytest.mark.parametrize("damage, fragment", [
    (cut_mid_number, "ends in the middle of a line: the file was cut short; run the command that wrote it "
                     "again"),
    (cut_after_replication_0, "holds 1 of the 2 replications meta.json lists: the file was cut short or "
                              "edited; run the command that wrote it again"),
    (cut_inside_replication_1, "replication 1 has "),
])
@pytest.mark.parametrize("command", [["compare", "results/small", "results/other"],
                                     ["report", "results/small"]])
def test_a_replications_table_cut_short_is_found_against_meta_json(two_runs, damage, fragment, command):
    table = two_runs / "results" / "small" / "replications.csv"
    table.write_text(damage(table.read_text().splitlines(keepends=True)))
    before = tree(two_runs)
    assert_one_line_error(invoke(command), 2, "error: results/small/replications.csv: ", fragment)
    assert tree(two_runs) == before


def test_a_summary_cut_short_is_found(two_runs):
    summary = two_runs / "results" / "small" / "summary.csv"
    summary.write_text("".join(summary.read_text().splitlines(keepends=True)[:-3]))
    assert_one_line_error(invoke(["compare", "results/small", "results/other"]), 2,
                          "error: results/small/summary.csv: lacks 3 of the KPIs in replications.csv (e.g. ",
                          "the file was cut short or edited; run the command that wrote it again")
