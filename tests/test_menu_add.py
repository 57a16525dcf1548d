"""`slagsim menu add`: one's own option on the purchase menu in one command, checked as `appraise`
checks a menu, the rest of the file (comments included) kept, every number marked, nothing
written on a mistake."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from slagsim.appraisal.menu import Payer, read_menu
from tests.common import ROOT, SCENARIOS, invoke

SMALL_MENU = ROOT / "tests" / "data" / "menus" / "small.yaml"
SECOND_MILL = ["--name", "second-mill", "--set", "machines.mill.count=2", "--price", "150000000",
               "--paid-by", "dak"]


def small_menu(folder: Path) -> Path:
    """The tests' small menu, its baseline found from anywhere."""
    path = folder / "menu.yaml"
    path.write_text(SMALL_MENU.read_text().replace("../../../scenarios", str(SCENARIOS)))
    return path


def shipped_menu(folder: Path) -> Path:
    """The shipped menu with the shipped estimates' ranges above it, as in scenarios/."""
    shutil.copy(SCENARIOS / "estimates.yaml", folder / "estimates.yaml")
    (folder / "purchases").mkdir()
    path = folder / "purchases" / "menu.yaml"
    path.write_text((SCENARIOS / "purchases" / "menu.yaml").read_text().replace(
        "baseline: ../baseline.yaml", f"baseline: {SCENARIOS / 'baseline.yaml'}"))
    return path


def one_line_error(result, path: Path, before: str) -> str:
    """Exit 2, one ``error:`` line, and the menu exactly as it was."""
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert path.read_text() == before
    return lines[0]


def test_the_docs_recipe_adds_a_second_mill_to_the_shipped_menu(tmp_path):
    """The four steps of docs/own-options.md, on a copy: add, validate; the new item is the
    menu's last, every old line (comments too) is kept, each number says # estimate."""
    menu = shipped_menu(tmp_path)
    before = menu.read_text()
    result = invoke(["menu", "add", menu, *SECOND_MILL, "--description", "A second mill, Pak Budi's quote"])
    assert result.exit_code == 0, result.output
    after = menu.read_text()
    added = "".join(result.stdout.splitlines(keepends=True)[1:-1])  # between "added ..." and "appraise ..."
    assert after.replace(added, "", 1) == before  # the rest of the file, byte for byte
    assert after.index(added) < after.index("\ntornado:")  # in the items block
    lines = {line.split(":")[0].strip(): line for line in added.splitlines()}
    for key in ("machines.mill.count", "price_rp"):
        assert lines[key].rstrip().endswith("# estimate"), lines[key]
    assert "# estimate: the planning horizon" in lines["life_years"]
    item = read_menu(menu).items["second-mill"]
    assert list(read_menu(menu).items)[-1] == "second-mill"
    assert item.set == {"machines.mill.count": 2} and item.price_rp == 150_000_000
    assert item.paid_by is Payer.dak and item.life_years == 10 and item.description.endswith("quote")
    checked = invoke(["validate", menu])
    assert checked.exit_code == 0 and "purchase menu of 11 items" in checked.stdout, checked.output


def test_the_source_is_the_comment_on_every_number(tmp_path):
    menu = small_menu(tmp_path)
    result = invoke(["menu", "add", menu, "--name", "contract-b", "--set", "supply.volume_factor=1.25",
                     "--set", "labour.short_crew=borrow", "--price", "0", "--yearly-cost", "2.5e7",
                     "--install-months", "1.5", "--life-years", "5", "--paid-by", "cooperative",
                     "--source", "quote from CV Maju, 2024"])
    assert result.exit_code == 0, result.output
    text = menu.read_text()
    block = text[text.index("  contract-b:"):text.index("tornado:")]
    numbers = [line for line in block.splitlines() if any(ch.isdigit() for ch in line.split("#")[0])]
    assert len(numbers) == 5 and all(line.endswith("# quote from CV Maju, 2024") for line in numbers)
    assert "labour.short_crew: borrow\n" in block  # a word, not a number: no comment
    item = read_menu(menu).items["contract-b"]
    assert (item.yearly_cost_rp, item.install_months, item.life_years) == (25_000_000, 1.5, 5)
    assert "yearly_cost_rp: 25000000 " in block  # a Rupiah amount as a whole number


def test_a_change_with_no_range_is_a_guess_not_an_estimate(tmp_path):
    """Where estimates.yaml has no range for a key, `# estimate` would fail `validate`: the line says
    it is a guess instead, and the menu stays valid."""
    (tmp_path / "estimates.yaml").write_text(
        "ranges:\n  - {key: items.*.price_rp, low_factor: 0.6, high_factor: 1.6, why: as the machines}\n")
    menu = small_menu(tmp_path)
    result = invoke(["menu", "add", menu, "--name", "contract-b", "--set", "supply.volume_factor=1.25",
                     "--price", "1000000", "--paid-by", "cooperative"])
    assert result.exit_code == 0, result.output
    text = menu.read_text()
    assert re.search(r"\n    price_rp: 1000000 +# estimate\n", text)
    assert re.search(r"\n      supply.volume_factor: 1.25 +# a guess: estimates.yaml has no range", text)
    assert re.search(r"\n    life_years: 10 +# a guess", text)
    assert invoke(["validate", menu]).exit_code == 0


@pytest.mark.parametrize(("options", "expected"), [
    (["--name", "mill", "--set", "machines.mill.count=3", "--price", "1", "--paid-by", "dak"],
     "menu.yaml: items.mill: an item of this name is already on the menu; choose another --name"),
    (["--name", "second-mill", "--set", "machines.mill.units=2", "--price", "1", "--paid-by", "dak"],
     "items.second-mill.set.machines.mill.units: not a key of"),
    (["--name", "x", "--set", "supply.volume_factor=-1", "--price", "1", "--paid-by", "dak"],
     "supply.volume_factor: Input should be greater than 0 (got -1) (in scenario 'x') (nothing was "
     "written; correct --set supply.volume_factor=... and run again)"),
    (["--name", "x", "--set", "supply.volume_factor=2", "--price", "-5", "--paid-by", "dak"],
     "items.x.price_rp: Input should be greater than or equal to 0 (got -5) (nothing was written; "
     "correct --price and run again)"),
    (["--name", "x", "--set", "supply.volume_factor=2", "--price", "100", "--salvage", "200", "--paid-by",
      "dak"], "items.x: salvage_rp must not exceed price_rp (nothing was written)"),
    (["--name", "x", "--set", "supply.volume_factor=2", "--price", "100", "--life-years", "0", "--paid-by",
      "dak"], "items.x.life_years: Input should be greater than or equal to 1"),
    (["--name", "../x", "--set", "supply.volume_factor=2", "--price", "1", "--paid-by", "dak"],
     "--name: '../x' cannot name a results folder"),
    (["--name", "x", "--set", "supply.volume_factor=2", "--price", "150.000.000", "--paid-by", "dak"],
     "--price: '150.000.000' is not a number: write 150000000: no thousands separators"),
    (["--name", "x", "--set", "supply.volume_factor=2", "--price", "1", "--paid-by", "pemda"],
     "--paid-by: 'pemda' is not one of 'dak', 'cooperative', 'firm'"),
    (["--name", "x", "--set", "supply.volume_factor=2", "--price", "1", "--paid-by", "dak", "--source",
      " "], "--source: the source must be one line of text"),
])
def test_a_mistake_is_one_line_and_nothing_is_written(tmp_path, options, expected):
    menu = small_menu(tmp_path)
    before = menu.read_text()
    line = one_line_error(invoke(["menu", "add", menu, *options]), menu, before)
    assert expected in line, line


def test_the_item_goes_into_the_items_block_wherever_it_ends(tmp_path):
    """Items last and no final newline: appended; items on one line: refused, nothing written."""
    menu = small_menu(tmp_path)
    text = menu.read_text()
    menu.write_text(text[:text.index("tornado:")].rstrip("\n"))
    assert invoke(["menu", "add", menu, *SECOND_MILL]).exit_code == 0
    assert list(read_menu(menu).items)[-1] == "second-mill"
    flow = tmp_path / "flow.yaml"
    flow.write_text(f"baseline: {SCENARIOS / 'baseline.yaml'}\ndiscount_rate: 0.1\nhorizon_years: 10\n"
                    "items: {mill: {set: {machines.mill.count: 2}, price_rp: 1, life_years: 5, "
                    "paid_by: dak}}\n")
    before = flow.read_text()
    line = one_line_error(invoke(["menu", "add", flow, *SECOND_MILL]), flow, before)
    assert "items: items is written on one line" in line


def test_the_messages_speak_indonesian(tmp_path):
    menu = small_menu(tmp_path)
    result = invoke(["menu", "add", menu, *SECOND_MILL, "--lang", "id"])
    assert result.exit_code == 0 and "second-mill ditambahkan ke" in result.stdout
    before = menu.read_text()
    line = one_line_error(invoke(["menu", "add", menu, *SECOND_MILL, "--lang", "id"]), menu, before)
    assert "sudah ada pilihan dengan nama ini" in line


def test_an_item_gets_its_words_in_both_languages(tmp_path):
    """--label, --label-id and --description-id: what an Indonesian report calls the item."""
    menu = small_menu(tmp_path)
    words = ["--label", "second mill", "--label-id", "mesin giling kedua", "--description-id",
             "Mesin giling kedua (DAK)"]
    assert invoke(["menu", "add", menu, *SECOND_MILL, *words]).exit_code == 0
    item = read_menu(menu).items["second-mill"]
    assert (item.label, item.label_id, item.description_id) == ("second mill", "mesin giling kedua",
                                                                "Mesin giling kedua (DAK)")
