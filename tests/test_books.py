"""The "why" books: a change in margin split into sales, materials and energy, disposal, labour and
upkeep, whose parts add up to the change, with the variable cost of an extra piece beside its price."""

import math

import pytest

from slagsim.analysis import kpis as K
from slagsim.analysis.books import DISPOSAL, LABOUR, MATERIALS, UPKEEP, extra_books, why_text
from slagsim.i18n import use
from slagsim.model.vocabulary import Cost
from slagsim.scenario.load import load_scenario
from tests.common import BASELINE, SCENARIOS, run_kpis

PAVING = {"paving": {"price_rp_per_piece": 1500.0, "piece_kg": 2.8}}


def test_every_cost_category_is_in_exactly_one_part():
    parts = [*MATERIALS, *DISPOSAL, *LABOUR, *UPKEEP]
    assert sorted(parts) == sorted(Cost) and len(parts) == len(set(parts))


def _books(sales: float, costs: dict[Cost, float], made_t: float, sold_t: float, pieces: float) -> dict:
    kpis = {K.TURNOVER.name: sales, K.GROSS_MARGIN.name: sales - sum(costs.values())}
    kpis |= {K.COST.key(c): v for c, v in costs.items()}
    kpis |= {K.OUTPUT.key("paving"): made_t, K.SOLD.key("paving"): sold_t, K.PIECES.key("paving"): pieces}
    return kpis


def test_a_piece_that_costs_more_than_it_sells_for_is_named_with_its_costs():
    """1,000 extra pieces (2.8 t, 0.8 t unsold) cost Rp 1.1 m in materials, Rp 0.3 m in labour and
    save Rp 0.1 m of disposal: Rp 1,300 a piece against a price of Rp 1,500; the upkeep Rp 2 m."""
    before = _books(10e6, {Cost.cement: 4e6, Cost.wages: 1e6, Cost.residue_disposal: 1e6,
                           Cost.maintenance: 1e6}, 10.0, 10.0, 3600)
    after = _books(11.5e6, {Cost.cement: 5.1e6, Cost.wages: 1.3e6, Cost.residue_disposal: 0.9e6,
                            Cost.maintenance: 3e6}, 12.8, 12.0, 4600)
    books = extra_books(before, after, PAVING)
    assert books.parts_rp == pytest.approx(books.margin_rp) == pytest.approx(-1.8e6)
    assert books.per_piece_rp(books.variable_rp) == pytest.approx(1300)
    assert books.upkeep_rp == pytest.approx(2e6) and books.unsold_t == pytest.approx(0.8)
    use("en")
    text = why_text(books)
    assert "each extra piece costs Rp 1,300 to make" in text and "sells for Rp 1,500" in text
    assert "upkeep −Rp 2.0 million" in text and "1 t of them not sold" in text


def test_a_second_press_s_books_add_up_to_its_change_in_margin():
    """Simulated, paired by seed: the extra year's parts sum to the change in gross margin in every
    replication, and the purchase's upkeep is the press's maintenance."""
    befores = run_kpis(BASELINE, reps=2, years=0.5)
    afters = run_kpis(SCENARIOS / "options" / "add-press.yaml", reps=2, years=0.5)
    blocks = load_scenario(BASELINE).model_dump(mode="json")["products"]["blocks"]
    press = load_scenario(BASELINE).machines["press"].maintenance_rp_per_year
    for before, after in zip(befores, afters, strict=True):
        books = extra_books(before, after, blocks)
        assert math.isclose(books.parts_rp, books.margin_rp, rel_tol=1e-9, abs_tol=1.0)
        assert books.upkeep_rp == pytest.approx(press)


def test_extra_bricks_and_paving_are_costed_by_the_ton_not_at_one_piece_s_price():
    """Half the extra pieces bricks, half paving: no single piece price fits, so the why speaks of
    tons, priced at the tons-weighted price of the extra blocks."""
    blocks = {"paving": {"price_rp_per_piece": 1500.0, "piece_kg": 3.0},
              "brick": {"price_rp_per_piece": 7500.0, "piece_kg": 7.5}}
    before = {K.GROSS_MARGIN.name: 0.0, K.TURNOVER.name: 0.0}
    after = {K.TURNOVER.name: 3e6, K.COST.key(Cost.cement): 1e6, K.GROSS_MARGIN.name: 2e6,
             K.OUTPUT.key("paving"): 3.0, K.PIECES.key("paving"): 1000, K.SOLD.key("paving"): 3.0,
             K.OUTPUT.key("brick"): 7.5, K.PIECES.key("brick"): 1000, K.SOLD.key("brick"): 7.5}
    books = extra_books(before, after, blocks)
    # Rp 500 a kg (3 t) and Rp 1,000 a kg (7.5 t): Rp 9 million over 10.5 t
    assert not books.one_product and books.price_rp_per_t == pytest.approx(9e6 / 10.5)
    use("en")
    text = why_text(books)
    assert "each extra ton costs Rp 95,238 to make" in text and "sells for about Rp 857,143" in text
