"""Issue 27, hostile cases that hung or ate memory: each bound is met before the expensive step.

A 40-item menu made the bundle search enumerate 2^40 bundles; a workbook of a million rows was
loaded whole before "at most 600 months"; a scheduler address where SSH answers made Dask ask for
exabytes. Each test asserts the exit code and the one line (or the bounded answer), and that
nothing was written; none measures time.
"""

from __future__ import annotations

import socket
import threading
import zipfile
from pathlib import Path

import dask
from openpyxl import Workbook

from slagsim.appraisal.appraise import Appraisal
from slagsim.appraisal.menu import Menu, Payer
from slagsim.appraisal.search import feasible_bundles, search
from slagsim.appraisal.workload import Workload
from slagsim.scenario import tables
from tests.common import SMALL, invoke
from tests.test_hostile import (
    assert_one_line_error,
    tree,
)

FREE_ITEMS = 40


def free_menu(items: int) -> dict:
    """A valid menu of ``items`` free DAK items that all fit together: every subset is a bundle."""
    return {"name": "many", "baseline": "../baseline.yaml", "discount_rate": 0.1, "horizon_years": 10,
            "items": {f"item{i}": {"set": {"curing_yard.pallets": 90}, "price_rp": 0, "life_years": 10,
                                   "paid_by": "dak"} for i in range(items)}}


def npv_of(bundle: tuple[str, ...]) -> Appraisal:
    """A judged bundle without simulating: each item adds its number to the NPV, fewer items first."""
    value = float(sum(int(name.removeprefix("item")) + 1 for name in bundle))
    return Appraisal(bundle, 0.0, 0.0, (0, 0, 0), (0, 0, 0), (value,) * 3, value, (value,) * 3, (1.0,) * 3,
                     (1, 1, 1))


# ------------------------------------------------------------------------------- case 1: menus


def test_forty_free_items_are_searched_greedily_never_every_bundle():
    """2^40 bundles fit a budget of 0; the search counts 33 of them, then goes greedy and says so."""
    menu = Menu.model_validate(free_menu(FREE_ITEMS))
    assert len(feasible_bundles(menu, 0, menu.max_exhaustive_bundles)) == menu.max_exhaustive_bundles + 1
    judged: list[tuple[str, ...]] = []

    def judge(bundles):
        judged.extend(bundles)
        return {bundle: npv_of(bundle) for bundle in bundles}

    ranked, method = search(menu, 0, judge)
    assert method == "greedy by NPV gain per Rupiah (820 bundles simulated of more than 32 within the budget)"
    assert len(judged) == FREE_ITEMS * (FREE_ITEMS + 1) // 2  # one item more per step, each step once
    assert len(ranked[0].bundle) == FREE_ITEMS  # every item adds NPV here, so all are bought
    work = Workload(menu, {Payer.dak: 0.0}, replications=1, tornado=False)
    assert work.bundles() == 2 * FREE_ITEMS - 3  # the progress estimate of the same menu, bounded too


def test_a_menu_beyond_the_item_cap_is_one_line_before_anything_runs(sandbox):
    import yaml

    menu = sandbox / "scenarios" / "purchases" / "many.yaml"
    menu.write_text(yaml.safe_dump(free_menu(51)))
    before = tree(sandbox)
    result = invoke(["appraise", menu, "--budget", "0", "--reps", "2"])
    line = assert_one_line_error(result, 2)
    assert line == (f"error: {menu}: 51 items; a menu holds at most 50: keep the shortlist of purchases "
                    "worth appraising, or split it into several menus")
    assert tree(sandbox) == before


# ------------------------------------------------------------------------- case 2: workbooks


def far_row(path: Path, row: int) -> Path:
    """A records workbook whose one month sits in row ``row``: a few bytes, a million rows to a reader."""
    book = Workbook()
    book.active.append(["month", "slag_received_t"])
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    cell = f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>2024-01</t></is></c></row>'
    members[sheet] = members[sheet].replace(b"</sheetData>", cell.encode() + b"</sheetData>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def months_workbook(path: Path, months: int) -> Path:
    """A records workbook of ``months`` filled rows, written as it streams (openpyxl write_only)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("records")
    sheet.append(["month", "slag_received_t"])
    for index in range(months):
        sheet.append([f"{1900 + index // 12:04d}-{index % 12 + 1:02d}", 10.0])
    book.save(path)
    return path


def test_a_records_workbook_of_a_million_rows_stops_at_the_bound(sandbox):
    books = far_row(sandbox / "books.xlsx", 1_000_000)
    out = sandbox / "results" / "cal"
    result = invoke(["calibrate", books, "--scenario", "scenarios/baseline.yaml", "--out", out])
    line = assert_one_line_error(result, 2)
    assert line == (f"error: {books}: more than 50,000 rows, empty ones included: delete the rows below the "
                    "table and save it")
    assert not out.exists()


def test_a_records_workbook_of_more_months_than_read_stops_at_the_bound(sandbox):
    books = months_workbook(sandbox / "books.xlsx", 700)
    result = invoke(["calibrate", books, "--scenario", "scenarios/baseline.yaml", "--dry-run"])
    line = assert_one_line_error(result, 2)
    assert line == f"error: {books}: more than 600 rows of months; at most 600 months are read"


def test_a_set_from_workbook_of_many_rows_stops_at_the_bound(sandbox, monkeypatch):
    """The bound lowered to 100 rows so the workbook is cheap to build: 700 rows are refused at row 101."""
    monkeypatch.setattr(tables, "MAX_TABLE_ROWS_SCANNED", 100)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Inputs")
    sheet.append(["key", "value", "source", "set in", "as written"])
    for row in range(700):
        sheet.append([f"made.up.key{row}", row, "", "", row])
    edited = sandbox / "edited.xlsx"
    book.save(edited)
    before = tree(sandbox)
    result = invoke(["run", "scenarios/baseline.yaml", "--set-from", edited, "--reps", "1", "--years",
                     "0.05"])
    line = assert_one_line_error(result, 2)
    assert line.replace(" (see cli run --help)", "") == (  # in-process, the program is called cli
        f"error: --set-from: {edited}: more than 100 rows, empty ones included: delete the rows below the "
        "table and save it")
    assert tree(sandbox) == before


def test_a_workbook_that_unpacks_beyond_the_bound_is_refused_before_it_is_opened(sandbox, monkeypatch):
    monkeypatch.setattr(tables, "MAX_WORKBOOK_UNZIPPED_BYTES", 1_000_000)
    books = months_workbook(sandbox / "books.xlsx", 3)
    with zipfile.ZipFile(books, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * 2_000_000)  # a few kB packed
    result = invoke(["calibrate", books, "--scenario", "scenarios/baseline.yaml", "--dry-run"])
    line = assert_one_line_error(result, 2)
    assert line == f"error: {books}: unpacks to more than 1 MB; a sheet slagsim reads is far smaller"


# ------------------------------------------------------------------------ case 4: a scheduler


class SpeaksFirst:
    """A local service that greets like SSH, then sends bytes Dask would read as a length."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.address = f"tcp://127.0.0.1:{self.socket.getsockname()[1]}"
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        peers = []
        while self.running:
            try:
                peer, _ = self.socket.accept()
            except OSError:
                continue
            peer.sendall(b"SSH-2.0-OpenSSH_9.6\r\n" + bytes(range(256)) * 8)
            peers.append(peer)
        for peer in peers:
            peer.close()

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.socket.close()


def test_a_scheduler_address_where_ssh_answers_is_one_line(tmp_path):
    service = SpeaksFirst()
    out = tmp_path / "o"
    try:
        with dask.config.set({"slagsim.scheduler-timeout": "5s"}):
            result = invoke(["batch", SMALL, "--out", out, "--scheduler", service.address])
    finally:
        service.close()
    line = assert_one_line_error(result, 2)
    assert line == (f"error: --scheduler: cannot use a Dask scheduler at {service.address!r}: no Dask "
                    "scheduler answered within 5 s (the service there speaks another protocol, e.g. SSH or "
                    "HTTP); is this the address `dask scheduler` printed?")
    assert not out.exists()

