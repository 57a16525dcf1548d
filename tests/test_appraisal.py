"""Purchase appraisal: money arithmetic by hand, ranking and selection, bundle search, the command."""

from __future__ import annotations

import dataclasses
import json
import math
import re

import pandas as pd
import pytest

from slagsim.appraisal.appraise import MARGIN, TONS, Appraisal, appraise, wilson
from slagsim.appraisal.decision import decide, parse_budgets, payback_words
from slagsim.appraisal.finance import Investment, cash_flows, npv, operating_flows, payback_years
from slagsim.appraisal.menu import Menu, Payer, TornadoInput, read_menu
from slagsim.appraisal.search import feasible_bundles, greedy, price, search
from slagsim.appraisal.selection import needed_replications, select
from slagsim.appraisal.tornado import inputs_for, tornado_table
from slagsim.errors import ScenarioError
from tests.common import ROOT, invoke

SMALL_MENU = ROOT / "tests" / "data" / "menus" / "small.yaml"


# ----------------------------------------------------------------------------- arithmetic


def test_npv_and_payback_of_a_plain_investment():
    item = Investment(price_rp=100, life_years=5)
    flows = cash_flows(item, extra_margin_rp=30, horizon_years=5)
    assert flows == [-100, 30, 30, 30, 30, 30]
    assert npv(flows, 0.10) == pytest.approx(-100 + 30 * 3.790786769, abs=1e-6)  # annuity factor 5 yr 10 %
    assert payback_years(operating_flows(item, 30, 5)) == pytest.approx(100 / 30)


def test_installation_delays_the_first_year():
    item = Investment(price_rp=100, install_months=6, life_years=5)
    assert cash_flows(item, 30, 5) == [-100, 15, 30, 30, 30, 30]
    assert payback_years(operating_flows(item, 30, 5)) == pytest.approx(3 + 25 / 30)  # -100,-85,-55,-25,+5


def test_yearly_costs_salvage_and_residual_value():
    item = Investment(price_rp=100, yearly_cost_rp=10, life_years=3, salvage_rp=10)
    assert cash_flows(item, 30, horizon_years=5) == [-100, 20, 20, 30]  # life ends first: salvage in year 3
    long_life = Investment(price_rp=100, life_years=10, salvage_rp=10)
    assert cash_flows(long_life, 0, horizon_years=2)[-1] == pytest.approx(10 + 90 * 8 / 10)
    assert operating_flows(long_life, 0, 2) == [-100, 0, 0]


def test_payback_edge_cases():
    assert payback_years([-100, 10, 10]) == math.inf
    assert payback_years([0, -5, -5]) == math.inf  # nothing bought, but it loses money
    assert payback_years([0, 5, 5]) == 0.0
    assert payback_years([-10, 20, -15, 10]) == pytest.approx(2 + 5 / 10)  # back below zero in year 2


def test_wilson_interval_matches_published_values():
    share, low, high = wilson(5, 10)
    assert (share, round(low, 4), round(high, 4)) == (0.5, 0.2366, 0.7634)
    assert wilson(0, 4)[:2] == (0.0, 0.0)


def test_the_cash_over_the_years_ends_at_each_futures_npv():
    """The money-over-the-years figure is the NPV unrolled: year 0 is the price paid, the last year
    each replication's NPV, and its band holds the middle 80 % of the futures."""
    menu = read_menu(SMALL_MENU)
    base = {r: {TONS: 100.0, MARGIN: 1e9} for r in range(10)}
    mine = {r: {TONS: 110.0, MARGIN: 1e9 + 2e7 * (r + 1)} for r in range(10)}
    press = appraise(menu, ("press",), base, mine, horizon_years=10, discount_rate=0.1)
    assert [c[0] for c in press.cash] == [-200e6] * 10
    assert [c[-1] for c in press.cash] == pytest.approx(list(press.npvs))
    years = press.cash_band()
    assert len(years) == 11 and years[0][1:] == (-200e6, -200e6, -200e6)
    from slagsim.appraisal.figures import cash_figure
    from tests.test_figures import clipped_texts

    figure, data = cash_figure([press], horizon_years=10)
    assert clipped_texts(figure) == [] and list(data.year) == list(range(11))
    low, middle, high = years[-1][1:]
    assert low < middle < high and middle == pytest.approx(sorted(press.npvs)[4:6][0] / 2
                                                           + sorted(press.npvs)[4:6][1] / 2)


# ----------------------------------------------------------------------------- selection


def fake(name: str, npvs: list[float], price_rp: float = 0.0) -> Appraisal:
    m = sum(npvs) / len(npvs)
    return Appraisal((name,), price_rp, 0.0, (0, 0, 0), (0, 0, 0), (m, m, m), m, tuple(npvs),
                     tuple([1.0] * len(npvs)), (1, 1, 1))


def test_a_clear_winner_is_selected_with_confidence():
    candidates = [fake("a", [10, 11, 12, 11, 10]), fake("b", [1, 2, 1, 2, 1]), fake("c", [0, 1, 0, 1, 0])]
    selection = select(candidates)
    assert selection.best == "a" and selection.confident
    assert "the best buy, with 95 % confidence" in selection.statement()


def test_close_candidates_ask_for_more_replications():
    selection = select([fake("a", [10, 4, 12, 6]), fake("b", [9, 5, 10, 6])])
    assert selection.best == "a" and not selection.confident
    (rival,) = selection.unresolved
    assert rival.name == "b" and rival.needed_replications > 4
    assert "cannot yet be told apart from b" in selection.statement()


def test_needed_replications_follows_the_spread():
    # mean difference 1, sd sqrt(8/3) = 1.633: n = (t * sd / mean)^2 + 1, t(3 dof, 97.5 %) = 3.182
    assert needed_replications([1, 3, -1, 1]) == math.ceil((3.1824 * 1.633 / 1) ** 2) + 1


# ----------------------------------------------------------------------------- bundle search


MENU = Menu.model_validate({
    "baseline": "b.yaml", "discount_rate": 0.1, "horizon_years": 10, "max_exhaustive_bundles": 0,
    "items": {
        "a": {"set": {"x.a": 1}, "price_rp": 100, "life_years": 10, "paid_by": "dak"},
        "b": {"set": {"x.b": 1}, "price_rp": 150, "life_years": 10, "paid_by": "cooperative"},
        "c": {"set": {"x.c": 1}, "price_rp": 200, "life_years": 10, "paid_by": "firm"},
        "c2": {"set": {"x.c": 2}, "price_rp": 50, "life_years": 10, "paid_by": "firm"},
    },
})
VALUE = {"a": 60.0, "b": 50.0, "c": 120.0, "c2": 30.0}  # NPV of each item; bundles add, b+c interact


def judge(bundles):
    def value(bundle):
        total = sum(VALUE[name] for name in bundle)
        return total + (40.0 if {"b", "c"} <= set(bundle) else 0.0)
    return {b: fake("+".join(b), [value(b)] * 3, price(MENU, b)) for b in bundles}


@pytest.mark.parametrize("budget", [0, 100, 250, 300, 350, 450, 1000])
def test_no_bundle_is_over_budget_and_the_best_is_found(budget):
    every = feasible_bundles(MENU, budget)
    assert all(price(MENU, b) <= budget for b in every)
    assert not any({"c", "c2"} <= set(b) for b in every)  # they set one key differently
    exhaustive = max(judge(every).values(), key=lambda a: a.npv_rp[0], default=None) if every else None
    ranked, method = search(MENU.model_copy(update={"max_exhaustive_bundles": 100}), budget, judge)
    assert all(a.price_rp <= budget for a in ranked) and method.startswith("every bundle")
    if exhaustive is not None:
        assert ranked[0].name == exhaustive.name
    found = greedy(MENU, budget, judge)
    assert all(price(MENU, b) <= budget for b in found)


def test_greedy_search_finds_the_known_best_bundle():
    ranked, method = search(MENU, 450, judge)
    assert method.startswith("greedy")
    assert ranked[0].name == "a+b+c"  # 60 + 50 + 120 + 40 (b and c together), price 450


# ----------------------------------------------------------------------------- the command


@pytest.fixture(scope="module")
def appraised(tmp_path_factory):
    out = tmp_path_factory.mktemp("appraise") / "small"
    args = ["appraise", str(SMALL_MENU), "--budget", "dak=360000000,cooperative=0", "--out", str(out),
            "--jobs", "1"]
    result = invoke(args, env={"COLUMNS": "80"})  # a terminal's width (a file's tables are whole)
    assert result.exit_code == 0, result.output
    return out, result


@pytest.mark.slow
def test_the_item_that_removes_the_constraint_ranks_first(appraised):
    out, result = appraised
    candidates = pd.read_csv(out / "appraisal" / "candidates.csv").set_index("candidate")
    assert candidates.npv_rp.idxmax() == "supply-contract"
    assert "supply-contract is the best buy, with 95 % confidence" in result.output
    # an idle mill's second unit loses money on average (its tons: tests/test_capacity.py); five
    # half-years cannot say more: some replications' noise alone would pay it back
    assert candidates.loc["mill", "npv_rp"] < 0


@pytest.mark.slow
def test_the_candidates_table_keeps_every_rank_and_name_on_an_80_column_terminal(appraised):
    """On an 80-column terminal (COLUMNS=80) no column may be squeezed to nothing."""
    out, result = appraised
    table = result.output[:result.output.index("best buy")]
    ranked = pd.read_csv(out / "appraisal" / "candidates.csv")
    assert max(len(line) for line in table.splitlines()) <= 80
    for rank, name in enumerate(ranked.sort_values("npv_rp", ascending=False).candidate, start=1):
        assert re.search(rf"│\s*{rank}\s*│\s*{re.escape(name[:8])}", table), (rank, name, table)


@pytest.mark.slow
def test_bundles_are_within_budget_and_reuse_simulations(appraised):
    out, _ = appraised
    bundles = pd.read_csv(out / "appraisal" / "bundles.csv")
    # each payer's own items within its budget: the DAK's mill, press and both; the cooperative's
    # supply contract (no price, within a budget of 0); never a bundle two payers share
    assert sorted(bundles.candidate) == ["mill", "mill+press", "press", "supply-contract"]
    assert bundles.iloc[0].candidate == "supply-contract"  # the item that removes the constraint
    parts = list((out / "parts").glob("*/rep-*.json"))
    names = {p.parent.name for p in parts}
    assert {"baseline", "mill", "press", "supply-contract", "mill+press"} <= names
    assert sum(p.parent.name == "mill" for p in parts) == 5  # simulated once, reused for the bundles


@pytest.mark.slow
def test_a_one_item_bundle_is_its_candidate_row(appraised):
    """One answer per item: the same replications, the same NPV, payback and chance."""
    out, _ = appraised
    candidates = pd.read_csv(out / "appraisal" / "candidates.csv").set_index("candidate")
    bundles = pd.read_csv(out / "appraisal" / "bundles.csv").set_index("candidate")
    for name in ("mill", "press", "supply-contract"):
        pd.testing.assert_series_equal(bundles.loc[name], candidates.loc[name])


@pytest.mark.slow
def test_the_answer_comes_first_with_the_budget_and_its_payer(appraised):
    """The DAK's machines on the small menu lose money: the grant's answer is to do nothing, said
    first, naming the budget and the nearest miss; the cooperative's is its supply contract."""
    out, result = appraised
    decision = json.loads((out / "appraisal" / "decision.json").read_text())
    dak, cooperative = decision["decisions"]
    assert dak["paid_by"] == "dak" and dak["budget_rp"] == 360_000_000 and dak["do_nothing"]
    assert dak["buy"] == [] and dak["nearest"] in ("mill", "press") and dak["p_npv_positive"] <= 0.5
    assert cooperative["buy"] == ["supply-contract"] and not cooperative["do_nothing"]
    for key in ("price_rp", "npv_rp", "npv_ci95_low", "npv_ci95_high", "p_npv_positive",
                "median_payback_years", "over_budget"):
        assert key in dak and key in cooperative
    said = " ".join(result.output[:result.output.index("Candidates:")].split())  # the lines before the table
    assert "With Rp 360.0 million of DAK: do nothing with this money." in said
    assert said.index("of DAK") < said.index("of the cooperative's money")
    assert "nothing to pay up front; it earns" in said  # the supply contract: not "0.0 years"
    # then why (the nearest miss's extra year in the books, against its price) and what would
    # change it (the tornado: no estimate within its range turns the mill's or press's NPV)
    assert dak["why"].startswith("Why: ") and "margin" in dak["why"] and "against its price of" in dak["why"]
    assert dak["what_would_change"] and dak["what_would_change"] in said
    html = (out / "report.html").read_text()
    assert html.index("With Rp 360.0 million of DAK") < html.index("Purchase appraisal")


@pytest.mark.slow
def test_fairness_tornado_figures_and_report(appraised):
    out, _ = appraised
    fairness = pd.read_csv(out / "appraisal" / "fairness.csv")
    assert set(fairness.candidate) == {"mill", "press"} and fairness.firm.nunique() == 25
    assert "d_wait_h_press" in fairness.columns
    tornado = pd.read_csv(out / "appraisal" / "tornado.csv")
    assert list(tornado.input) == ["curing_yard.pallets"]
    summary = json.loads((out / "appraisal" / "summary.json").read_text())
    grant = json.loads((out / "appraisal" / "decision.json").read_text())["decisions"][0]
    assert summary["tornado_candidate"] == ("+".join(grant["buy"]) or grant["nearest"])
    assert summary["confident"]
    assert {p.name for p in (out / "appraisal" / "figures").glob("*.png")} == {
        "cash.png", "frontier.png", "payback.png", "tornado.png"}
    cash = pd.read_csv(out / "appraisal" / "cash.csv")
    assert cash.candidate.iloc[0] == summary["tornado_candidate"]  # the decision's answer drawn first
    html = (out / "report.html").read_text()
    assert ">Purchase appraisal<" in html and "supply-contract is the best buy" in html
    sheets = pd.read_excel(out / "report.xlsx", sheet_name=None)
    assert {"Candidates", "Bundles within budget", "Tornado"} <= set(sheets)
    assert "With estimates drawn" not in sheets and all(not table.empty for table in sheets.values())


@pytest.mark.slow
def test_the_appraisal_report_fits_the_screen_and_prints_on_at_most_15_a4_pages(appraised):
    from tests.browser import page_fit

    out, _ = appraised
    width, inner, pages = page_fit(out / "report.html")
    assert width <= inner and 1 <= pages <= 15


@pytest.mark.slow
def test_the_appraisal_figures_cut_no_words(appraised):
    from slagsim.appraisal.figures import frontier_figure, tornado_figure
    from tests.test_figures import clipped_texts

    out, _ = appraised
    tables = [pd.read_csv(out / "appraisal" / f"{name}.csv") for name in ("candidates", "bundles")]
    everything = pd.concat(tables, ignore_index=True).drop_duplicates("candidate")
    assert clipped_texts(frontier_figure(everything)[0]) == []
    assert clipped_texts(tornado_figure(pd.read_csv(out / "appraisal" / "tornado.csv"), "press")[0]) == []


@pytest.mark.parametrize(("menu_text", "message"), [
    ("items: {}", "items"),
    ("tornado: [{key: machines.press.count, low: 1, high: 3}]",
     "tornado[0].key: machines.press.count is not marked"),
    ("tornado: [{key: machines.press.setup_h, low: -1, high: 0.2}]",
     "tornado[0].low: machines.press.setup_h = -1 makes the baseline invalid"),
    ("tornado: [{key: supply.smelters.reach, low: 0.28, high: 0.44}]",  # both ends above today's 0.25
     "tornado[0].low: 0.28 is above the file's value 0.25"),
])
def test_bad_menus_exit_2(tmp_path, menu_text, message):
    base = SMALL_MENU.read_text().replace("../../../scenarios", str(ROOT / "scenarios"))
    if menu_text.startswith("items"):
        base = base.split("items:")[0] + menu_text + "\n"
    else:
        base = base.split("tornado:")[0] + menu_text + "\n"
    menu = tmp_path / "menu.yaml"
    menu.write_text(base)
    result = invoke(["appraise", str(menu), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def edited_inputs(path, key: str, written: object, value: object):
    """A workbook whose inputs sheet has one row, ``key``, edited from ``written`` to ``value``."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Inputs"
    sheet.append(["Key", "Value", "Source or estimate", "Set in", "As slagsim wrote it (leave as is)"])
    sheet.append([key, value, "", "", str(written)])
    book.save(path)
    return path


def test_a_bad_edited_input_for_an_appraisal_is_one_line_naming_the_workbook(tmp_path):
    """--set-from applies to the baseline and every candidate; a value the scenario refuses, or one
    the tornado cannot bracket, stops it in one line before anything is written."""
    key = "products.blocks.paving.price_rp_per_piece"
    sheet = edited_inputs(tmp_path / "edited.xlsx", key, 1500, "lots")
    result = invoke(["appraise", SMALL_MENU, "--set-from", sheet, "--out", tmp_path / "out"])
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1, result.output
    assert lines[0].startswith(f"error: {sheet}: {key}: ") and "(got 'lots')" in lines[0]
    assert lines[0].endswith("change the value of this row in the inputs sheet")
    pallets = edited_inputs(tmp_path / "pallets.xlsx", "curing_yard.pallets", 80, 120)  # the tornado: 60-100
    result = invoke(["appraise", SMALL_MENU, "--set-from", pallets, "--out", tmp_path / "out"])
    assert result.exit_code == 2 and "tornado[0].high: 100 is below the file's value 120" in result.stderr
    assert not (tmp_path / "out").exists()


def test_estimate_draws_hold_an_edited_estimate_at_the_planner_s_value():
    """With --uncertainty estimates, every draw carries the edits; an estimate the planner edited is
    known now, so it is not drawn from its range."""
    from slagsim.analysis import screening
    from slagsim.appraisal.design import menu_design

    design = menu_design(SMALL_MENU, 0, 1, lambda problem: screening.latin_design(problem, 3, 1),
                         edits=("curing_yard.pallets=120",))
    assert "curing_yard.pallets" not in {factor.key for factor in design.factors.factors}
    assert {scenario.curing_yard.pallets for scenario in design.scenarios.values()} == {120}


@pytest.mark.slow
def test_an_appraisal_of_edited_inputs_has_its_own_name_and_applies_them_everywhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    key = "products.blocks.paving.price_rp_per_piece"
    sheet = edited_inputs(tmp_path / "edited.xlsx", key, 1500, 3000)
    result = invoke(["appraise", SMALL_MENU, "--set-from", sheet, "--reps", "2", "--max-reps", "2",
                     "--no-tornado", "--jobs", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "results" / "small-menu-edited"
    assert [p.name for p in (tmp_path / "results").iterdir()] == ["small-menu-edited"]
    for name, presses in (("baseline", 1), ("press", 2)):  # the edit under every candidate's own change
        scenario = json.loads((out / name / "meta.json").read_text())["scenario"]
        assert scenario["products"]["blocks"]["paving"]["price_rp_per_piece"] == 3000
        assert scenario["machines"]["press"]["count"] == presses
    assert json.loads((out / "appraisal" / "summary.json").read_text())["edits"] == [f"{key}=3000"]
    assert "slagsim report: small-menu-edited" in (out / "report.html").read_text()


# ----------------------------------------------------------------------------- the decision


def test_a_plain_budget_is_a_dak_grant_and_payers_are_named():
    assert parse_budgets("400000000") == {Payer.dak: 4e8}
    assert parse_budgets("dak=4e8, cooperative=50000000") == {Payer.dak: 4e8, Payer.cooperative: 5e7}
    for text, fragment in [("bank=1", "'bank' is not a payer"), ("dak=1,dak=2", "given twice"),
                           ("dak=-5", "below 0"), ("dak=inf", "not a finite number"), ("", "give an amount")]:
        with pytest.raises(ScenarioError, match=fragment):
            parse_budgets(text)


def _priced(name: str, npvs: list[float], price_rp: float, paybacks: list[float] | None = None) -> Appraisal:
    a = fake(name, npvs, price_rp)
    if paybacks is None:
        return a
    share = sum(p <= 10 for p in paybacks) / len(paybacks)
    return Appraisal(a.bundle, a.price_rp, 0.0, a.extra_t, a.extra_margin_rp, a.npv_rp, a.npv_local_rp,
                     a.npvs, tuple(paybacks), (share, share, share))


def test_each_payer_gets_the_best_affordable_candidate_that_pays_in_most_futures():
    candidates = [_priced("a", [50, 60, -5, 70], 100), _priced("c", [500, 600, 700, 800], 200),
                  _priced("b", [900, 900, 900, 900], 150), _priced("c2", [-1, -2, 5, -3], 50)]
    budgets = {Payer.dak: 150, Payer.cooperative: 100, Payer.firm: 100}
    dak, cooperative, firm = decide(MENU, budgets, candidates)
    assert dak.chosen.name == "a" and not dak.do_nothing  # positive in 3 of 4 futures
    assert cooperative.do_nothing and cooperative.over_budget == ("b",)  # b costs 150
    assert cooperative.nearest.name == "b"
    assert firm.do_nothing and firm.nearest.name == "c"  # c pays but costs 200; c2 rarely pays
    assert "do nothing with this money" in firm.headline(10) and "over the budget" in firm.headline(10)
    assert firm.record()["do_nothing"] and firm.record()["nearest"] == "c"


def test_each_candidate_says_who_pays_and_whether_it_is_over_that_budget():
    from slagsim.appraisal.decision import who_pays

    menu = read_menu(SMALL_MENU)
    press, contract = fake("press", [1.0], price_rp=200e6), fake("supply-contract", [1.0])
    assert who_pays(menu, {Payer.dak: 150e6}, press) == ("DAK", True)
    assert who_pays(menu, {Payer.dak: 400e6}, press) == ("DAK", False)
    assert who_pays(menu, {Payer.dak: 150e6}, contract) == ("cooperative", False)  # no budget of its own
    both = dataclasses.replace(press, bundle=("press", "supply-contract"))
    assert who_pays(menu, None, both)[0] == "several payers"


def test_payback_words_agree_with_the_chance_of_paying_back():
    rarely = _priced("a", [-10, -20, 5, -30, -40, -50, -60, -70, -80, -90], 100, [math.inf] * 9 + [8.0])
    assert payback_words(rarely, 10) == "pays back within 10 years in only 10 % of futures"
    never = _priced("a", [-10, -20], 100, [math.inf, math.inf])
    assert payback_words(never, 10) == "never pays back within 10 years"
    free = Appraisal(("b",), 0.0, 0.0, (0, 0, 0), (80e6, 0, 0), (1, 1, 1), 1, (1,), (0.0,), (1, 1, 1),
                     yearly_cost_rp=60e6)
    assert payback_words(free, 10) == "nothing to pay up front; it earns Rp 20.0 million net a year"


def test_a_candidate_s_tornado_never_varies_what_the_candidate_sets():
    menu = MENU.model_copy(update={"tornado": [TornadoInput(key="x.a", low=0, high=2),
                                               TornadoInput(key="x.b", low=0, high=2)]})
    assert [entry.key for entry in inputs_for(menu, ("a",))] == ["x.b"]
    assert [entry.key for entry in inputs_for(menu, ("c",))] == ["x.a", "x.b"]
    table = tornado_table(inputs_for(menu, ("c",)), lambda key, level, value: float(value), 1.0,
                          {"x.a": 1, "x.b": 1})
    assert list(table.columns[:4]) == ["input", "low", "value", "high"]
    assert (table.low <= table.value).all() and (table.value <= table.high).all()
