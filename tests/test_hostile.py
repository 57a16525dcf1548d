"""slagsim used carelessly or with hostile input: nothing lost, nothing silently wrong, no hang.

Each test is one case of issue 11. It asserts the exit code, the one line the user sees and,
where something could be damaged, that nothing outside the target folder changed. Commands run
in a sandbox (a copy of the scenarios in a temporary working folder).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from slagsim.results.files import csv_text
from tests.common import BATCH_DATA, ROOT, SCENARIOS, SMALL, invoke, start_batch, wait_for_parts

MENU = ROOT / "tests" / "data" / "menus" / "small.yaml"
QUICK = ["--reps", "1", "--years", "0.05", "--warmup-days", "1"]


def tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file below ``folder`` with its size and modification time."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_one_line_error(result, code: int, *fragments: str) -> str:
    """Exit ``code`` and exactly one ``error: ...`` line holding every fragment."""
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == code, result.output
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# ----------------------------------------------------------------------------------- data loss


@pytest.mark.parametrize("out, fragment", [
    ("scenarios", "holds the input file"),
    (".", "is the folder you are working in"),
    ("results", "holds files slagsim did not write (README.md)"),
])
def test_run_never_replaces_a_folder_it_did_not_write(sandbox, out, fragment):
    before = tree(sandbox)
    result = invoke(["run", "scenarios/baseline.yaml", "--out", out, *QUICK])
    assert_one_line_error(result, 2, "--out", fragment)
    assert tree(sandbox) == before


def test_run_keeps_files_it_did_not_write_in_its_own_folder(sandbox):
    assert invoke(["run", "scenarios/baseline.yaml", "--out", "results/mine", *QUICK]).exit_code == 0
    write(sandbox / "results" / "mine" / "notes.txt", "my notes")
    before = tree(sandbox)
    result = invoke(["run", "scenarios/baseline.yaml", "--out", "results/mine", *QUICK])
    assert_one_line_error(result, 2, "also holds files slagsim did not write (notes.txt)")
    assert tree(sandbox) == before


def test_a_run_replaces_its_own_earlier_results(sandbox):
    assert invoke(["run", "scenarios/baseline.yaml", "--out", "results/mine", *QUICK]).exit_code == 0
    assert invoke(["run", "scenarios/baseline.yaml", "--out", "results/mine", "--seed", "3",
                   *QUICK]).exit_code == 0
    assert json.loads((sandbox / "results" / "mine" / "meta.json").read_text())["seed"] == 3


@pytest.mark.parametrize("name", [".", "..", "parts", "batch.csv", "=1+1", "-x", "a/b"])
def test_scenario_names_that_would_escape_or_clash_are_refused(sandbox, name):
    before = tree(sandbox)
    result = invoke(["run", "scenarios/baseline.yaml", "--set", f"name={name}", *QUICK])
    assert_one_line_error(result, 2, "--set: name:")
    assert tree(sandbox) == before


BATCH_HEAD = "baseline: baseline.yaml\nrun: {replications: 1, years: 0.05, warmup_days: 1, seed: 1}\n"


@pytest.mark.parametrize("entry, key", [
    ("scenarios: [{file: baseline.yaml, name: parts}]", "scenarios[0].name"),
    ("scenarios: [{file: baseline.yaml, name: batch.csv}]", "scenarios[0].name"),
    ("scenarios: [{file: baseline.yaml, name: ..}]", "scenarios[0].name"),
    ("name: ..", "name"),
])
def test_batch_names_follow_the_same_rule(sandbox, entry, key):
    batch = write(sandbox / "scenarios" / "b.yaml", BATCH_HEAD + entry + "\n")
    before = tree(sandbox)
    assert_one_line_error(invoke(["batch", batch]), 2, f"b.yaml: {key}:")
    assert tree(sandbox) == before


def test_names_made_from_file_names_are_made_safe_or_refused(sandbox):
    shutil.copy(sandbox / "scenarios" / "baseline.yaml", sandbox / "scenarios" / "my base.yaml")
    shutil.copy(sandbox / "scenarios" / "baseline.yaml", sandbox / "scenarios" / "..yaml")
    good = write(sandbox / "scenarios" / "good.yaml", BATCH_HEAD.replace("baseline.yaml", "my base.yaml"))
    result = invoke(["batch", good, "--dry-run"])
    assert result.exit_code == 0 and "my_base" in result.stdout
    bad = write(sandbox / "scenarios" / "bad.yaml", BATCH_HEAD.replace("baseline.yaml", "..yaml"))
    assert_one_line_error(invoke(["batch", bad]), 2, "bad.yaml: baseline: '.' gives no usable name",
                          "rename the file")


@pytest.mark.slow
def test_two_batches_never_write_one_folder_at_once(tmp_path):
    out = tmp_path / "longer"
    first = start_batch(out, "--jobs", "1", "--reps", "40")  # long enough to be still running: ~10 s
    wait_for_parts(out, 1, first)
    second = subprocess.run([sys.executable, "-m", "slagsim", "batch", str(BATCH_DATA / "longer.yaml"),
                             "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert second.returncode == 2
    assert second.stderr.strip().splitlines() == [second.stderr.strip()]
    assert "is being written by another slagsim (process " in second.stderr
    assert first.wait(timeout=300) == 0
    assert json.loads((out / "batch-meta.json").read_text())["status"] == "complete"


@pytest.mark.slow
def test_a_fresh_batch_clears_the_old_one_so_nothing_is_mixed(tmp_path, monkeypatch):
    out = tmp_path / "small"
    assert invoke(["batch", SMALL, "--jobs", "1", "--reps", "1", "--out", out]).exit_code == 0
    write(out / "my-notes.txt", "keep me")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("slagsim.batch.session.run_batch", interrupted)
    other = BATCH_DATA / "sweep2.yaml"
    result = invoke(["batch", other, "--jobs", "1", "--reps", "1", "--out", out])
    assert result.exit_code == 130 and "continue with: slagsim batch" in result.stderr
    left = sorted(p.name for p in out.iterdir())
    assert left == [".slagsim", "batch-meta.json", "my-notes.txt"]
    meta = json.loads((out / "batch-meta.json").read_text())
    assert meta["status"] == "interrupted" and meta["batch"] == "sweep2"
    assert_one_line_error(invoke(["compare", out]), 2, "no scenario results found")


# ----------------------------------------------------------------- wrong results shown as complete


@pytest.mark.slow
def test_an_appraisal_keeps_every_folder_what_it_says(tmp_path):
    out = tmp_path / "menu"
    result = invoke(["appraise", MENU, "--out", out, "--jobs", "1"])
    assert result.exit_code == 0, result.output
    candidates = pd.read_csv(out / "appraisal" / "candidates.csv")
    for name in ["baseline", *candidates.candidate]:
        meta = json.loads((out / name / "meta.json").read_text())
        assert meta["replications"] == candidates.replications.max()
    tornado = pd.read_csv(out / "appraisal" / "tornado.csv")
    best = json.loads((out / "appraisal" / "summary.json").read_text())["tornado_candidate"]
    assert tornado.npv_base_rp.iloc[0] == candidates.set_index("candidate").npv_rp[best]
    assert sorted(p.name for p in (out / "tornado").iterdir()) == [
        "curing_yard.pallets=high", "curing_yard.pallets=low"]
    listed = {s["name"]: s for s in json.loads((out / "batch-meta.json").read_text())["scenarios"]}
    assert listed["press"]["description"] == "press" and listed["press"]["file"] == str(MENU)
    assert listed["press"]["set"] == {"machines.press.count": 2}  # each row says what the option changes
    ranked = pd.read_csv(out / "batch.csv")
    press = ranked[(ranked.scenario == "press") & (ranked.kpi == "product_output_t_per_year")].iloc[0]
    row = candidates.set_index("candidate").loc["press"]
    assert press["diff"] == pytest.approx(row.extra_t_per_year)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("setting", ["supply.price_rp_per_t=.inf", "calendar.outages.per_quarter=.inf",
                                     "run.warmup_days=.inf", "supply.growth_per_year=.nan",
                                     "materials.cement_rp_per_t=-.inf"])
def test_infinite_and_missing_numbers_are_refused(sandbox, setting):
    before = tree(sandbox)
    key = setting.split("=")[0]
    assert_one_line_error(invoke(["run", "scenarios/baseline.yaml", "--set", setting, *QUICK]), 2,
                          f"--set: {key}: Input should be a finite number")
    assert tree(sandbox) == before


@pytest.mark.slow
def test_damaged_stored_replications_are_run_again_and_said_so(tmp_path, serial_small):
    out = tmp_path / "small"
    shutil.copytree(serial_small, out)
    nan_part = out / "parts" / "baseline" / "rep-00001.json"
    part = json.loads(nan_part.read_text())
    part["kpis"]["product_output_t_per_year"] = float("nan")
    nan_part.write_text(json.dumps(part))
    oops = out / "parts" / "add-press" / "rep-00000.json"
    oops.write_text(json.dumps({**part, "kpis": "oops"}))
    result = invoke(["batch", SMALL, "--jobs", "1", "--out", out, "--resume"])
    assert result.exit_code == 0, result.output
    assert "rep-00001.json: KPI 'product_output_t_per_year' is nan, not a finite number; running it again" \
        in result.stderr
    assert "rep-00000.json: kpis is not a table of KPI values; running it again" in result.stderr
    assert "2 replications run, 10 reused" in result.output
    assert (out / "batch.csv").read_bytes() == (serial_small / "batch.csv").read_bytes()


@pytest.mark.slow
def test_ctrl_c_while_the_comparison_is_written_is_said_truthfully(tmp_path, monkeypatch):
    out = tmp_path / "small"

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("slagsim.batch.session.write_comparison", interrupted)
    result = invoke(["batch", SMALL, "--jobs", "1", "--reps", "1", "--out", out])
    assert result.exit_code == 130
    assert "interrupted while writing the comparison: every replication is finished" in result.stderr
    assert "nothing was written" not in result.stderr
    assert json.loads((out / "batch-meta.json").read_text())["status"] == "interrupted"
    monkeypatch.undo()
    result = invoke(["batch", SMALL, "--jobs", "1", "--reps", "1", "--out", out, "--resume"])
    assert result.exit_code == 0 and "0 replications run, 4 reused" in result.output
    assert json.loads((out / "batch-meta.json").read_text())["status"] == "complete"


# ------------------------------------------------------------------------------------- security


@pytest.mark.slow
def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    evil = '=HYPERLINK("http://evil.example/","Click")'
    text = f"extends: {SCENARIOS / 'baseline.yaml'}\ndescription: '{evil}'\n"
    scenario = write(tmp_path / "evil.yaml", text)
    out = tmp_path / "evil"
    assert invoke(["run", scenario, "--out", out, *QUICK]).exit_code == 0
    assert invoke(["report", out]).exit_code == 0
    book = openpyxl.load_workbook(out / "report.xlsx")
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == evil for c in cells)
    table = pd.DataFrame({"text": [evil, "+1", "@x", "-2", "\tx", "plain"], "number": [-1.5] * 6})
    lines = csv_text(table).splitlines()
    assert lines[1].startswith('"\'=HYPERLINK(""http://evil.example/""')
    assert lines[2:] == ["'+1,-1.5", "'@x,-1.5", "'-2,-1.5", "'\tx,-1.5", "plain,-1.5"]


def test_compare_refuses_a_scenario_name_that_climbs_out(tmp_path, serial_small):
    out = tmp_path / "small"
    shutil.copytree(serial_small, out)
    meta = json.loads((out / "batch-meta.json").read_text())
    meta["scenarios"][1]["name"] = "../../base"
    (out / "batch-meta.json").write_text(json.dumps(meta))
    assert_one_line_error(invoke(["compare", out]), 2, "batch-meta.json: scenarios[1].name:",
                          "cannot name a results folder")


# ------------------------------------------------------------------------ hangs and runaway memory

LAUGHS = "".join(f"{a}: &{a} [{','.join([f'*{b}'] * 9)}]\n"
                 for b, a in zip("abcdefgh", "bcdefghi", strict=True))
BOMBS = {
    "laughs.yaml": ('a: &a ["x","x","x","x","x","x","x","x","x"]\n' + LAUGHS + "baseline: x.yaml\n",
                    "more than 100,000 values once its aliases"),
    "self.yaml": ("x: &x [*x]\nbaseline: x.yaml\n", "an alias refers to the value that contains it"),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
@pytest.mark.parametrize("command", [["validate"], ["batch", "--dry-run"]])
def test_yaml_alias_bombs_end_in_one_line_at_once(tmp_path, name, command):
    text, fragment = BOMBS[name]
    bomb = write(tmp_path / name, text)
    started = time.monotonic()
    result = invoke([command[0], bomb, *command[1:]])
    assert time.monotonic() - started < 5
    assert_one_line_error(result, 2, name, fragment)


@pytest.mark.parametrize("option, value, fragment", [
    ("--years", "1e9", "--years: '1e9' is not in (0, 50]"),
    ("--years", "inf", "--years: 'inf' is not a finite number"),
    ("--years", "nan", "--years: 'nan' is not a finite number"),
    ("--warmup-days", "1e7", "--warmup-days: '1e7' is not in [0, 3650]"),
    ("--reps", "1000000000000", "--reps: 1000000000000 is not in the range 1<=x<=10000"),
])
def test_the_command_line_has_the_schemas_bounds(sandbox, option, value, fragment):
    before = tree(sandbox)
    assert_one_line_error(invoke(["run", "scenarios/baseline.yaml", option, value]), 2, fragment)
    assert tree(sandbox) == before


def test_a_batch_file_with_a_trillion_replications_is_refused(sandbox):
    text = BATCH_HEAD.replace("replications: 1", "replications: 1e12")
    batch = write(sandbox / "scenarios" / "huge.yaml", text)
    assert_one_line_error(invoke(["batch", batch, "--dry-run"]), 2, "huge.yaml: run.replications:")


@pytest.mark.slow
@pytest.mark.parametrize("setting, code, fragment", [
    ("machines.press.capacity_t_per_cycle=1e-300", 2, "greater than or equal to 0.001"),
    ("machines.press.failures.time_between_h=1e-12", 2, "needs at least 0.1 operating hours"),
    ("supply.smelters=|supply.interarrival_h={dist: exponential, mean: 1e-9}", 1,
     "the simulated clock almost stopped"),
])
def test_near_zero_durations_end_in_one_line_within_seconds(sandbox, setting, code, fragment):
    sets = [part for one in setting.split("|") for part in ("--set", one)]
    command = [sys.executable, "-m", "slagsim", "run", "scenarios/baseline.yaml", *sets, *QUICK]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=sandbox)
    lines = finished.stderr.strip().splitlines()
    assert finished.returncode == code and len(lines) == 1 and fragment in lines[0], finished.stderr
    assert not (sandbox / "results" / "baseline").exists()


@pytest.mark.slow
def test_a_long_run_is_estimated_and_needs_yes(sandbox):
    result = invoke(["batch", "scenarios/batches/purchase-options.yaml", "--dry-run"])
    assert result.exit_code == 0 and "expected run time: about" in result.stdout
    before = tree(sandbox)
    result = invoke(["run", "scenarios/baseline.yaml", "--reps", "10000", "--years", "50"])
    assert_one_line_error(result, 2, "--yes: this run would take about", "add --yes")
    assert tree(sandbox) == before


class SilentService:
    """A TCP service that accepts connections and never answers (not a Dask scheduler); with a
    ``banner`` it speaks first instead, as a web or SSH server does."""

    def __init__(self, banner: bytes = b"") -> None:
        self.banner = banner
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(5)
        self.socket.settimeout(0.2)
        self.address = f"tcp://127.0.0.1:{self.socket.getsockname()[1]}"
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        held = []
        while self.running:
            try:
                connection = self.socket.accept()[0]
                if self.banner:
                    connection.sendall(self.banner)
                held.append(connection)
            except OSError:
                continue
        for connection in held:
            connection.close()

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.socket.close()


@pytest.mark.slow
@pytest.mark.parametrize("address, fragment", [
    ("bogus", "not a scheduler address; give it as tcp://HOST:PORT"),
    ("silent", "no Dask scheduler answered within 1 s"),
    ("speaks first", "no Dask scheduler answered within 1 s"),  # read as a length: exabytes asked for
])
def test_a_scheduler_address_that_is_not_dask_fails_fast(tmp_path, address, fragment):
    service = SilentService(b"HTTP/1.1 400 Bad Request\r\n\r\n" if address == "speaks first" else b"")
    try:
        target = address if address == "bogus" else service.address
        env = {**os.environ, "DASK_SLAGSIM__SCHEDULER_TIMEOUT": "1s"}
        command = [sys.executable, "-m", "slagsim", "batch", str(SMALL), "--out", str(tmp_path / "o"),
                   "--scheduler", target]
        started = time.monotonic()
        finished = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=ROOT, env=env)
    finally:
        service.close()
    assert time.monotonic() - started < 20
    assert finished.returncode == 2 and finished.stderr.strip().splitlines() == [finished.stderr.strip()]
    assert fragment in finished.stderr and "Exception ignored" not in finished.stderr
    assert not (tmp_path / "o").exists()


def test_a_huge_scenario_file_is_refused_before_reading(sandbox):
    big = write(sandbox / "big.yaml", "extends: scenarios/baseline.yaml\n" + "# padding\n" * 200_000)
    assert_one_line_error(invoke(["run", big]), 2, "big.yaml: the file is larger than 1,000 kB")


# ------------------------------------------------------- one line, never an internal error


def test_an_out_folder_that_cannot_be_written_is_found_before_simulating(sandbox):
    before = tree(sandbox)
    result = invoke(["run", "scenarios/baseline.yaml", "--out", "/proc/slagsim-test", *QUICK])
    assert_one_line_error(result, 2, "--out: cannot write in /proc")
    write(sandbox / "a-file", "x")
    result = invoke(["run", "scenarios/baseline.yaml", "--out", "a-file/sub", *QUICK])
    assert_one_line_error(result, 2, "--out: a-file/sub lies under a-file, which is a file")
    assert set(tree(sandbox)) == {*before, "a-file"}


def test_too_little_free_space_is_found_before_simulating(sandbox, monkeypatch):
    nearly_full = shutil._ntuple_diskusage(10**9, 10**9, 10**6)
    monkeypatch.setattr("slagsim.results.folders.shutil.disk_usage", lambda _: nearly_full)
    result = invoke(["run", "scenarios/baseline.yaml", *QUICK])
    assert_one_line_error(result, 2, "--out: only 1 MB free on the disk of results")
    assert not (sandbox / "results" / "baseline").exists()


def test_a_disk_that_fills_up_while_writing_is_one_line(sandbox, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "results/baseline/meta.json")

    monkeypatch.setattr("slagsim.runs.folder.json_text", full)
    result = invoke(["run", "scenarios/baseline.yaml", "--quiet", *QUICK])
    assert_one_line_error(result, 1, "results/baseline/meta.json: No space left on device")
    assert sorted(p.name for p in (sandbox / "results").iterdir()) == ["README.md"]


@pytest.mark.parametrize("damage, fragment", [
    (("baseline/replications.csv", "replication,kpi,value\n0,product_output_t_per_year,lots\n"),
     "replications.csv: line 2: value is 'lots', not a number"),
    (("baseline/meta.json", "[1, 2]"), "baseline/meta.json: not a run's metadata"),
    (("batch-meta.json", '{"batch": "small", "scenar'), "batch-meta.json: cannot be read"),
    (("batch-meta.json", '{"batch": "small"}'), "batch-meta.json: not a batch's metadata"),
])
def test_compare_explains_a_damaged_result_folder_in_one_line(tmp_path, serial_small, damage, fragment):
    out = tmp_path / "small"
    shutil.copytree(serial_small, out)
    (out / damage[0]).write_text(damage[1])
    assert_one_line_error(invoke(["compare", out]), 2, fragment)


@pytest.mark.slow
def test_removing_the_results_folder_mid_batch_still_ends_complete(tmp_path):
    out = tmp_path / "longer"
    batch = start_batch(out, "--jobs", "1")
    wait_for_parts(out, 2, batch)
    shutil.rmtree(out)
    _, stderr = batch.communicate(timeout=300)
    assert batch.returncode == 0, stderr
    meta = json.loads((out / "batch-meta.json").read_text())
    assert meta["status"] == "complete"
    assert {p.name for p in out.iterdir()} >= {"baseline", "add-press", "second-shift", "batch.csv"}
    assert len(pd.read_csv(out / "baseline" / "replications.csv").replication.unique()) == 6


@pytest.mark.slow
def test_a_dry_run_into_a_closed_pipe_is_quiet():
    command = (f"'{sys.executable}' -m slagsim batch scenarios/batches/purchase-options.yaml --dry-run "
               "| head -1")
    finished = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert finished.stdout.startswith("purchase-options: 10 scenarios")
    assert "Traceback" not in finished.stderr and "BrokenPipe" not in finished.stderr


@pytest.mark.parametrize("option, value, fragment", [
    ("--discount-rate", "nan", "--discount-rate: 'nan' is not a finite number"),
    ("--discount-rate", "2", "--discount-rate: '2' is not in [0, 1]"),
    ("--budget", "nan", "--budget: 'nan' is not a finite number"),
])
def test_appraisal_settings_are_checked_before_simulating(tmp_path, option, value, fragment):
    out = tmp_path / "menu"
    assert_one_line_error(invoke(["appraise", MENU, "--out", out, option, value]), 2, fragment)
    assert not out.exists()


@pytest.mark.slow
def test_a_report_is_an_html_file_and_never_replaces_another(tmp_path, serial_small):
    out = tmp_path / "small"
    shutil.copytree(serial_small, out)
    assert_one_line_error(invoke(["report", out, "--out", tmp_path / "r.xlsx"]), 2,
                          "r.xlsx does not end in .html")
    mine = write(tmp_path / "mine.html", "<html>my page</html>")
    assert_one_line_error(invoke(["report", out, "--out", mine]), 2, "exists and was not written by slagsim")
    assert mine.read_text() == "<html>my page</html>"
    old = write(tmp_path / "old.html", "<html><head><title>slagsim report: small</title>")  # before the tag
    write(tmp_path / "old.xlsx", "an old workbook")
    assert invoke(["report", out, "--out", old]).exit_code == 0


@pytest.mark.parametrize("files, fragment", [
    ({"a.yaml": "name: a\nname: b\n"}, "a.yaml: line 2: key 'name' appears twice (also on line 1)"),
    ({"a.yaml": "extends: b.yaml\n", "b.yaml": "extends: a.yaml\n"},
     "extends: circular extends: a.yaml -> b.yaml -> a.yaml"),
    ({"a.yaml": "extends: /dev/zero\n"}, "a.yaml: extends: file '/dev/zero' is not a regular file"),
    ({"a.yaml": "name: a\ncalendar:\n  days_per_week: 6\n  days_per_week: 5\n"},
     "a.yaml: line 4: key 'days_per_week' appears twice"),
])
def test_misleading_scenario_files_are_one_line(tmp_path, files, fragment):
    for name, text in files.items():
        write(tmp_path / name, text)
    assert_one_line_error(invoke(["validate", tmp_path / "a.yaml"]), 2, fragment)


@pytest.mark.slow
def test_a_killed_worker_process_makes_the_batch_incomplete_never_complete(tmp_path):
    import psutil

    out = tmp_path / "longer"
    batch = start_batch(out, "--jobs", "2")
    wait_for_parts(out, 2, batch)
    family = psutil.Process(batch.pid).children(recursive=True)
    server = next(p for p in family if "forkserver" in " ".join(p.cmdline()))
    workers = [p for p in family if p.ppid() == server.pid]  # the pool's workers
    workers[-1].kill()
    _, stderr = batch.communicate(timeout=300)
    meta = json.loads((out / "batch-meta.json").read_text())
    assert b"Traceback" not in stderr
    assert batch.returncode == 1 and meta["status"] == "incomplete", stderr
    assert b"incomplete:" in stderr and b"did not come back (a worker process died" in stderr
    assert b"continue with: slagsim batch" in stderr and b"--resume" in stderr
    result = invoke(["batch", BATCH_DATA / "longer.yaml", "--jobs", "1", "--out", out, "--resume"])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "batch-meta.json").read_text())["status"] == "complete"


def test_an_input_so_large_the_arithmetic_overflows_is_a_failed_run(sandbox):
    result = invoke(["run", "scenarios/baseline.yaml", "--set", "products.ingot.price_rp_per_kg=1e307",
                     "--quiet", "--reps", "1", "--years", "0.3"])
    assert_one_line_error(result, 1, "KPI 'turnover_rp_per_year' came out as inf")
    assert not (sandbox / "results" / "baseline").exists()


def test_temporaries_left_by_a_killed_process_are_removed_under_the_lock(tmp_path):
    from slagsim.results.files import remove_stale_temporaries

    folder = tmp_path / "parts"
    folder.mkdir()
    for name in (".rep-00003.tmp-11389.json", ".baseline.tmp-12", ".baseline.old-12"):
        (folder / name).mkdir() if "json" not in name else (folder / name).write_text("{")
    for name in ("rep-00001.json", ".slagsim", "notes.txt"):
        (folder / name).write_text("keep")
    assert remove_stale_temporaries(folder) == 3
    assert sorted(p.name for p in folder.iterdir()) == [".slagsim", "notes.txt", "rep-00001.json"]
