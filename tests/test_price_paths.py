"""The outside world as risk: the aluminium price's monthly path, the dross price tied to it, and
seasonal and public-works block demand; the appraisal's NPV carries the price along its horizon.

Statistical checks use fixed seeds and tolerances from the 95 % confidence interval.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import simpy

from slagsim.analysis.stats import mean_ci
from slagsim.appraisal.appraise import horizon_margins
from slagsim.appraisal.finance import Investment, cash_flows
from slagsim.errors import ScenarioError
from slagsim.model.engine import simulate
from slagsim.model.market import FinishedStock, Market
from slagsim.model.price_paths import (
    HOURS_PER_MONTH,
    PriceIndex,
    index_path,
    monthly_returns,
    path_of,
    yearly_means,
)
from slagsim.model.records import Records
from slagsim.scenario.load import load_scenario
from slagsim.scenario.price_series import read_log_returns
from slagsim.scenario.schema import Demand, PricePath
from tests.common import BASELINE, SCENARIOS

SERIES = SCENARIOS / "prices" / "aluminium-imf-usd.csv"
KEY = "products.ingot.price_path.series"


@pytest.fixture(scope="module")
def history() -> PricePath:
    return PricePath(series=str(SERIES), log_returns=read_log_returns(SERIES, "s.yaml", KEY))


# ------------------------------------------------------------------------------ the price path


def test_the_shipped_series_gives_the_cited_volatility(history):
    """IMF monthly aluminium 2010-2025: monthly log returns with sd ~4.5 % (the file's header)."""
    returns = np.asarray(history.log_returns)
    assert len(returns) == 188
    assert np.std(returns) == pytest.approx(0.045, abs=0.002)


def test_the_path_keeps_todays_price_as_its_expectation_and_the_series_spread(history):
    """Centred returns: the mean index is 1 at 1 and 5 years (inside the 95 % CI of 400 paths), and
    the resampled months move as much as the history did."""
    paths = np.array([index_path(history, np.random.default_rng(seed)) for seed in range(400)])
    for month in (11, 59):
        mean, low, high = mean_ci(list(paths[:, month]))
        assert low <= 1.0 <= high, (month, mean, low, high)
    moved = np.diff(np.log(paths[:, :120]), axis=1).std()
    assert moved == pytest.approx(np.std(history.log_returns), rel=0.1)
    assert paths[:, 59].std() > 0.2  # five years on, the price is far from certain


def test_a_stated_volatility_is_an_alternative_to_a_series():
    config = PricePath(volatility_per_month=0.05)
    returns = monthly_returns(config, np.random.default_rng(1), 6000)
    assert returns.std() == pytest.approx(0.05, rel=0.05)
    assert np.exp(returns).mean() == pytest.approx(1.0, abs=0.003)


def test_the_index_is_one_until_the_decision_then_follows_the_path(history):
    index = PriceIndex(history, np.random.default_rng(3), start_h=1000.0)
    assert index.at(0.0) == index.at(1000.0) == 1.0
    assert index.at(1000.0 + HOURS_PER_MONTH) == pytest.approx(index.path[0])
    assert index.at(1000.0 + 2.5 * HOURS_PER_MONTH) == pytest.approx(index.path[2])
    assert PriceIndex(None, None, 0.0).at(5000.0) == 1.0


def test_one_replication_sees_one_path_whatever_else_changes(history):
    """Common random numbers: the path depends on seed and replication only."""
    assert np.array_equal(path_of(history, 11, 2), path_of(history, 11, 2))
    assert not np.array_equal(path_of(history, 11, 2), path_of(history, 11, 3))
    base = simulate(load_scenario(BASELINE), 5, 0, 0.5, 30)
    more = simulate(load_scenario(BASELINE, ["machines.press.count=2"]), 5, 0, 0.5, 30)
    ratios = {s.t: s.rp / (s.tons * 25_000_000) for s in base.records.sales if s.product == "ingot"}
    others = {s.t: s.rp / (s.tons * 25_000_000) for s in more.records.sales if s.product == "ingot"}
    both = sorted(ratios.keys() & others.keys())  # ingot sells on the days stock holds some
    assert len(both) > 0.8 * len(ratios)
    assert [ratios[t] for t in both] == pytest.approx([others[t] for t in both])
    assert len({round(r, 9) for r in ratios.values()}) > 3  # the price really moved


def test_sales_and_dross_are_booked_at_the_months_index():
    """An ingot sale fetches today's price times the month's index; the metal part of each dross
    lot bought moves with it, and the exposure KPI adds both at today's price."""
    outcome = simulate(load_scenario(BASELINE), 5, 1, 0.5, 30)
    moves = outcome.records.price_moves
    sales = [m for m in moves if m.exposure_rp > 0]
    lots = [m for m in moves if m.exposure_rp < 0]
    assert sales and lots
    ingot = [s for s in outcome.records.sales if s.product == "ingot"]
    assert sum(s.rp for s in ingot) == pytest.approx(sum(m.exposure_rp + m.gain_rp for m in sales))
    fixed_dross = load_scenario(BASELINE, ["products.ingot.price_path.dross_follows=false"])
    still = simulate(fixed_dross, 5, 1, 0.5, 30)
    assert all(m.exposure_rp > 0 for m in still.records.price_moves)


# ------------------------------------------------------------------------------ the series file


@pytest.mark.parametrize(("text", "fragment"), [
    ("price,month\n", "header month,price"),
    ("month,price\n" + "".join(f"2020-{m:02d},100\n" for m in range(1, 8)), "7 months of prices"),
    ("month,price\n2020-01,100\n2020-03,101\n", "months must follow each other"),
    ("month,price\n2020-01,1.000,5\n", "expected two cells"),
    ("month,price\n2020-01,abc\n", "not a number"),
    ("month,price\n2020-13,100\n", "not YYYY-MM"),
    ("month,price\n2020-01,-5\n", "positive"),
])
def test_a_bad_series_is_one_line_naming_the_row(tmp_path, text, fragment):
    path = tmp_path / "p.csv"
    path.write_text(text)
    with pytest.raises(ScenarioError) as caught:
        read_log_returns(path, "s.yaml", KEY)
    assert fragment in str(caught.value) and "\n" not in str(caught.value)


def test_a_missing_series_says_where_it_looked(tmp_path):
    scenario = tmp_path / "mine.yaml"
    scenario.write_text(f"extends: {BASELINE}\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(scenario)
    message = str(caught.value)
    assert message.startswith(str(scenario)) and KEY in message and "relative to the scenario" in message


# ------------------------------------------------------------------------------ block demand


def _market(demand: Demand, years: int, seed: int = 1) -> Market:
    env = simpy.Environment()
    stock = FinishedStock(env, ["paving"])
    stock.tons["paving"] = 1e12  # never short: what sells is what is asked
    rngs = np.random.default_rng(seed), np.random.default_rng(seed + 1000)
    market = Market(env, "paving", demand, 1.0, stock, rngs[0], Records(), project_rng=rngs[1])
    env.process(market.run())
    env.run(until=years * 12 * HOURS_PER_MONTH + 1)
    return market


def _monthly(sales: list) -> list[float]:
    """Tons sold in each month (the days' sales of month m fall in its span, the last at its end)."""
    months: dict[int, float] = {}
    for sale in sales:
        month = math.ceil(sale.t / HOURS_PER_MONTH - 1e-9) - 1
        months[month] = months.get(month, 0.0) + sale.tons
    return [months.get(m, 0.0) for m in range(max(months) + 1)]


def _contracts(env: simpy.Environment, stock: FinishedStock, demand: Demand,
               orders: dict[int, float]) -> Market:
    """A paving market whose public-works orders are ``orders`` (month -> tons), none drawn."""
    market = Market(env, "paving", demand, 1.0, stock, np.random.default_rng(1), Records(),
                    project_rng=np.random.default_rng(2))
    market._projects = dict(orders)
    market._draw_projects = lambda first_month: None
    return market


def test_buyers_come_every_day_and_contracts_wait_for_blocks():
    """A month's demand is sold over its days (the stock is never drawn down at one instant); a
    public-works order is delivered as blocks are made, and lost only past its deadline."""
    env = simpy.Environment()
    stock = FinishedStock(env, ["paving"])
    demand = Demand(t_per_month=30, projects={"share": 0.5, "per_year": 1, "months": [1],
                                              "deliver_within_months": 2})
    market = _contracts(env, stock, demand, {1: 40.0})  # one order of 40 t in the first month

    def make(tons_a_day: float):  # made at midday between sale days (no tie with the buyers)
        yield env.timeout(HOURS_PER_MONTH / 60)
        while True:
            stock.add("paving", tons_a_day)
            yield env.timeout(HOURS_PER_MONTH / 30)

    env.process(make(1.0))
    env.process(market.run())
    env.run(until=3 * HOURS_PER_MONTH + 1)
    sales, lost = market.records.sales, market.records.lost_sales
    assert len(sales) > 60  # daily, not monthly
    assert max(s.tons for s in sales) <= 1.0 + 1e-9
    # 1 t made a day: the 40-t order takes the first 40 days' blocks (the contract comes first),
    # then the usual buyers' 0.5 t a day for the other 50 days; nothing of the order is lost
    assert sum(s.tons for s in sales) == pytest.approx(40 + 50 * 0.5)
    assert max(m.tons for m in lost) == pytest.approx(0.5)  # only days' buyers, never the order


def test_a_contract_not_delivered_in_time_is_lost():
    env = simpy.Environment()
    stock = FinishedStock(env, ["paving"])
    demand = Demand(t_per_month=0, projects={"share": 1.0, "per_year": 1, "months": [1]})
    market = _contracts(env, stock, demand, {1: 40.0})
    stock.add("paving", 10.0)
    env.process(market.run())
    env.run(until=1.5 * HOURS_PER_MONTH)
    assert sum(s.tons for s in market.records.sales) == pytest.approx(10)
    assert [m.tons for m in market.records.lost_sales] == pytest.approx([30.0])


def test_sale_days_and_deadlines_keep_to_the_calendar_over_long_runs():
    """The market's days are counted from the month, not added up: after years of daily steps a
    month's last sale still falls in that month (its books, its price), and a contract still owed
    at its deadline is lost on that month's last day, not a day later."""
    env = simpy.Environment()
    stock = FinishedStock(env, ["paving"])
    demand = Demand(t_per_month=30, projects={"share": 0.5, "per_year": 1, "months": [1],
                                              "deliver_within_months": 7})
    market = _contracts(env, stock, demand, dict.fromkeys(range(1, 12 * 12 + 1), 5.0))  # one a month
    env.process(market.run())
    env.run(until=12 * 12 * HOURS_PER_MONTH + 1)
    lost = market.records.lost_sales
    orders = [m for m in lost if m.tons == pytest.approx(5.0)]
    assert len(orders) == 12 * 12 - 6  # every order due within the run, none left over a day
    for order, month in zip(orders, range(7, 12 * 12 + 1), strict=True):
        assert order.t == pytest.approx(month * HOURS_PER_MONTH, abs=1e-6), month
    days = [m for m in lost if m.tons != pytest.approx(5.0)]  # the usual buyers, 15 t a month
    assert _monthly(days) == pytest.approx([15.0] * (12 * 12))


def test_seasons_move_demand_between_months_and_keep_the_year():
    demand = Demand(t_per_month=10, seasons={"wet": {"months": [11, 12, 1, 2, 3], "factor": 0.7},
                                             "lebaran": {"months": [4], "factor": 0.6}})
    factors = demand.month_factors()
    assert sum(factors) == pytest.approx(12)
    sold = _monthly(_market(demand, 1).records.sales)
    assert sold == pytest.approx([10 * f for f in factors])
    assert sold[0] / sold[6] == pytest.approx(0.7)


def test_public_works_orders_keep_the_years_demand_and_make_it_lumpy():
    """A third of the demand as ~4 orders a year in the dry months: the same tons a year on
    average (inside the 95 % CI over 30 years), nothing ordered outside those months."""
    demand = Demand(t_per_month=10, projects={"share": 0.3, "per_year": 4, "months": [6, 7, 8, 9, 10]})
    monthly = _monthly(_market(demand, 30, seed=4).records.sales)
    yearly = [sum(monthly[12 * y:12 * y + 12]) for y in range(30)]
    mean, low, high = mean_ci(yearly)
    assert low <= 120 <= high, (mean, low, high)
    off_season = [tons for month, tons in enumerate(monthly) if month % 12 + 1 not in range(6, 11)]
    assert off_season == pytest.approx([7.0] * len(off_season))
    assert np.std(yearly) > 5  # some years bring more projects than others


def test_a_month_in_two_seasons_is_refused():
    with pytest.raises(ValueError, match="month 1 is in two seasons"):
        Demand(t_per_month=10, seasons={"a": {"months": [1, 2], "factor": 0.5},
                                        "b": {"months": [1], "factor": 2}})


# ------------------------------------------------------------------------------ the appraisal


def test_each_horizon_year_carries_the_price_move_on_the_extra_exposure():
    base = {"gross_margin_rp_per_year": 100.0, "price_effect_rp_per_year": 10.0,
            "price_exposure_rp_per_year": 1000.0}
    mine = {"gross_margin_rp_per_year": 150.0, "price_effect_rp_per_year": 14.0,
            "price_exposure_rp_per_year": 1200.0}
    assert horizon_margins(base, mine, None) == 50.0
    # 50 - 4 = 46 at today's price; +200 of exposure moves with each year's index
    assert horizon_margins(base, mine, [1.0, 1.1, 0.9]) == pytest.approx([46.0, 66.0, 26.0])
    flows = cash_flows(Investment(100.0, life_years=5), [46.0, 66.0, 26.0], 5)
    assert flows == pytest.approx([-100.0, 46.0, 66.0, 26.0, 26.0, 26.0])


def test_yearly_means_follow_the_path(history):
    path = path_of(history, 3, 0)
    years = yearly_means(path, 10)
    assert len(years) == 10 and years[2] == pytest.approx(path[24:36].mean())
    assert not all(math.isclose(y, years[0]) for y in years)
