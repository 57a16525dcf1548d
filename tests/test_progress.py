"""The appraisal's progress knows its whole work from the start, and progress stays on stderr."""

from __future__ import annotations

import io
import re

from slagsim.appraisal.menu import Payer, read_menu
from slagsim.appraisal.workload import Workload
from slagsim.cli.progress import PhasedReporter, Progress
from tests.common import ROOT

SMALL_MENU = ROOT / "tests" / "data" / "menus" / "small.yaml"


def test_the_small_menu_s_work_is_known_before_anything_runs():
    """Baseline and 3 items x 5 replications; the DAK's one bundle of two (the cooperative has one
    item); the tornado's one input at its low and high value, baseline and candidate."""
    menu = read_menu(SMALL_MENU)
    work = Workload(menu, {Payer.dak: 360e6, Payer.cooperative: 0}, 5, True)
    assert (work.candidates(), work.bundles(), work.tornado_runs()) == (20, 5, 20)
    assert work.everything() == 45  # what `appraise` of this menu runs from an empty folder
    assert work.bundles({"mill": 5, "press": 12}) == 12  # a bundle runs as its items' most
    assert Workload(menu, None, 5, False, draw_runs=8).everything() == 28


def test_a_greedy_search_is_estimated_by_its_first_steps():
    menu = read_menu(SMALL_MENU)
    greedy = menu.model_copy(update={"max_exhaustive_bundles": 0})
    assert Workload(greedy, {Payer.dak: 1e9}, 5, False).bundles() == 5  # two items: one step of one


def test_the_bar_s_total_is_the_whole_work_from_the_first_line(monkeypatch):
    """Told 10 up front and 4 after the first phase, the plain lines count to 7 and are done (no
    time left) only at the very end, never between phases."""
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    with PhasedReporter("appraise") as reporter:
        reporter.expect(10)
        for units, rest in ((3, 4), (4, 0)):
            with reporter.progress(units, "phase") as advance:
                for _ in range(units):
                    advance(1)
            reporter.expect(rest)
    lines = stream.getvalue().splitlines()
    assert "1/10 done" in lines[0]
    assert lines[-1].startswith("appraise, phase 2 (phase): 7/7 done")
    assert [line for line in lines if re.search(r" (\d+)/\1 done", line)] == [lines[-1]]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_draws_on_stderr_not_among_the_tables(capsys):
    stream = Terminal()
    with Progress(3, "replications", stream=stream) as progress:
        for _ in range(3):
            progress.advance()
    assert capsys.readouterr().out == ""
    assert stream.getvalue()  # the bar was drawn (and taken down) where it was asked to be
