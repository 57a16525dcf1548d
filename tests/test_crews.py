"""People: who is called to work each shift, what they are paid for, and what a worker earns."""

from __future__ import annotations

from itertools import pairwise
from statistics import mean

import pytest

from slagsim.model.engine import simulate
from slagsim.model.vocabulary import SHARED
from slagsim.model.workdays import HOURS_PER_DAY
from slagsim.scenario.load import load_scenario
from tests.common import BASELINE, run_kpis

YEARS = 0.5


def test_people_called_follow_the_work():
    """Nobody is on a payroll: a firm calls the people its waiting work needs. With a tenth of the
    buyers for paving, the block lines stop at their stock caps: a fifth fewer worker-days are
    paid and fewer people are absorbed (fewer by little: the firms' own families still have a few
    hours a week). The people present a day barely change (22.9 -> 22.3): with the press's queue
    gone more firms' block crews are called at once, each for less work."""
    busy = run_kpis(BASELINE, reps=2, years=YEARS)
    few_buyers = "products.blocks.paving.demand.t_per_month={dist: normal, mean: 4.5, sd: 1}"
    quiet = run_kpis(BASELINE, [few_buyers], reps=2, years=YEARS)
    for b, q in zip(busy, quiet, strict=True):
        assert q["paid_worker_days_per_year"] < 0.8 * b["paid_worker_days_per_year"]
        assert q["workers_absorbed"] < b["workers_absorbed"]  # the families still work a little


def test_each_shift_has_its_people_once_own_workers_first():
    scenario = load_scenario(BASELINE)
    outcome = simulate(scenario, seed=11, replication=0, years=0.2, warmup_days=0)
    villagers = scenario.labour.village_people
    own = scenario.firms.template.workers
    for present in outcome.records.present:
        assert len(set(present.people)) == len(present.people) == present.workers
        mine = [p for p in present.people if p >= villagers]
        assert all(villagers + own * present.firm <= p < villagers + own * (present.firm + 1) for p in mine)
        # a firm calls a villager only when its own who came were not enough
        assert len(mine) == len(present.people) or len(mine) <= own
    by_day: dict[float, list[int]] = {}
    for present in outcome.records.present:  # one roll call a shift: nobody at two firms at once
        by_day.setdefault(present.t, []).extend(present.people)
    assert all(len(set(people)) == len(people) for people in by_day.values())


def test_a_second_shift_calls_other_people_or_keeps_the_first_on_overtime():
    two = ["calendar.shifts_per_day=2"]
    own = simulate(load_scenario(BASELINE, two), seed=3, replication=0, years=0.1, warmup_days=0)
    firsts = {(p.firm, p.t // 24): set(p.people) for p in own.records.present if p.t % 24 < 10}
    seconds = [(p.firm, p.t // 24, set(p.people)) for p in own.records.present if p.t % 24 >= 10]
    assert seconds and all(not (people & firsts.get((firm, day), set())) for firm, day, people in seconds)
    assert not any(p.overtime for p in own.records.present)
    stay = load_scenario(BASELINE, [*two, "labour.second_shift=overtime"])
    overtime = simulate(stay, seed=3, replication=0, years=0.1, warmup_days=0)
    shifts = overtime.records.present
    assert any(p.overtime for p in shifts)
    for before, after in pairwise(shifts):
        if after.overtime and after.firm == before.firm:
            assert after.people == before.people


def test_overtime_hours_are_paid_at_the_overtime_factor():
    base = ["calendar.shifts_per_day=2", "labour.second_shift=overtime"]
    plain = run_kpis(BASELINE, [*base, "labour.overtime_pay_factor=1"], reps=1, years=YEARS)[0]
    paid = run_kpis(BASELINE, [*base, "labour.overtime_pay_factor=2"], reps=1, years=YEARS)[0]
    assert paid["product_output_t_per_year"] == plain["product_output_t_per_year"]  # money only
    assert plain["paid_worker_days_per_year"] < paid["paid_worker_days_per_year"] \
        < 2 * plain["paid_worker_days_per_year"]


def test_with_no_village_few_own_workers_make_the_block_line_wait_for_people():
    """Without helpers to call, a firm's own five come with the firm's attendance; the press needs
    five. The press is never held for absent people (a job gets it only with its crew): the block
    line's time goes on labour instead."""
    alone = ["labour.village_people=0", "firms.template.workers=5"]
    low = run_kpis(BASELINE, [*alone, "firms.template.attendance=0.55"], reps=2, years=YEARS)
    high = run_kpis(BASELINE, [*alone, "firms.template.attendance=0.95"], reps=2, years=YEARS)
    assert all(r["starved_share.press"] == 0 for r in low + high)
    # five of five come on 5 % of days at 0.55, on 77 % at 0.95
    waiting_low = mean(r["time_share.blocks.labour"] for r in low)
    assert waiting_low > 0.9
    assert waiting_low > mean(r["time_share.blocks.labour"] for r in high) + 0.2


def test_paid_days_count_every_task_with_people_and_loading():
    with_loading = run_kpis(BASELINE, reps=1, years=YEARS)[0]
    without = run_kpis(BASELINE, ["labour.loading_worker_h_per_t=0"], reps=1, years=YEARS)[0]
    sold = sum(v for k, v in with_loading.items() if k.startswith("sold_t_per_year."))
    extra_days = sold * 1.5 / 7  # 1.5 worker-hours a ton, 7-hour days
    assert with_loading["paid_worker_days_per_year"] - without["paid_worker_days_per_year"] == \
        pytest.approx(extra_days, rel=1e-6)
    assert with_loading["product_output_t_per_year"] == without["product_output_t_per_year"]


def test_paying_by_attendance_pays_every_day_present():
    kpis = run_kpis(BASELINE, ["labour.pay_basis=attendance"], reps=1, years=YEARS)[0]
    plant_days = kpis["paid_worker_days_per_year"] / kpis["fte"]
    assert kpis["paid_worker_days_per_year"] == pytest.approx(kpis["crew_present_per_day"] * plant_days)
    assert kpis["earnings_rp_per_worker_month"] == pytest.approx(
        kpis["paid_worker_days_per_year"] * 100_000 / kpis["workers_absorbed"] / 12)
    assert 0 < kpis["worker_utilisation"] < 1


@pytest.mark.slow
def test_borrowing_idle_workers_frees_the_press_from_waiting_for_a_crew():
    """With no village to call and five own workers each, a firm short of its press crew of five
    borrows the rest from firms with idle workers (short_crew: borrow): the block line loses less
    than half the time to missing people and makes more than twice the output (paired; measured
    over a year: 0.90-0.94 of the line's time -> 0.34-0.41, 160-183 t -> 596-617 t). The press was
    never held for them."""
    alone = ["labour.village_people=0", "firms.template.workers=5", "firms.template.attendance=0.65"]
    wait = run_kpis(BASELINE, alone, reps=3, years=1.0)  # a year: half a year's start-up weighs less
    borrow = run_kpis(BASELINE, [*alone, "labour.short_crew=borrow"], reps=3, years=1.0)
    pairs = list(zip(wait, borrow, strict=True))
    labour = [(w["time_share.blocks.labour"], b["time_share.blocks.labour"]) for w, b in pairs]
    assert mean(b for _, b in labour) <= 0.5 * mean(w for w, _ in labour), labour
    assert mean(w for w, _ in labour) > 0.005
    assert all(b["product_output_t_per_year"] > 2 * w["product_output_t_per_year"] for w, b in pairs)
    assert all(b["starved_share.press"] == w["starved_share.press"] == 0 for w, b in pairs)
    assert all(abs(b["mass_balance_error_t"]) < 1e-6 for b in borrow)


def test_a_second_shift_cleans_and_waters_once_a_day():
    """Cleaning and watering are a day's chores: a second shift's roll call does not repeat them
    (it did, and paid ~1,100 worker-days a year for nothing)."""
    outcome = simulate(load_scenario(BASELINE, ["calendar.shifts_per_day=2"]), seed=3, replication=0,
                       years=YEARS, warmup_days=0)
    cleaning: dict[tuple[int, int], float] = {}
    for hours in outcome.records.worker_hours:
        if hours.product == SHARED:
            key = (hours.firm, int(hours.t // HOURS_PER_DAY))
            cleaning[key] = cleaning.get(key, 0.0) + hours.hours
    assert cleaning and max(cleaning.values()) <= 0.5 + 1e-9  # baseline: 0.5 worker-hours a day
