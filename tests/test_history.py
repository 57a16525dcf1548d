"""Before and after as interventions: overlays, pre-2021 as the baseline with all three undone,
the dak-2021 batch and its Shapley attribution (the workforce an outcome, not an intervention)."""

from __future__ import annotations

import pandas as pd
import pytest

from slagsim.analysis.attribution import coalitions
from slagsim.batch.prepare import prepare, read_batch
from slagsim.scenario.labels import WORDS
from slagsim.scenario.load import load_scenario, scenario_to_yaml
from tests.common import BASELINE, PRE_2021, SCENARIOS, invoke

HISTORY = SCENARIOS / "history"
INTERVENTIONS = ("machines", "b3-permit", "market-access")
DAK = SCENARIOS / "batches" / "dak-2021.yaml"


def test_pre_2021_is_the_baseline_with_the_three_interventions_undone():
    plan = prepare(read_batch(DAK))
    before = next(run for run in plan.runs if run.name == "pre-2021")
    same = {"run": before.scenario.run, **{word: getattr(before.scenario, word) for word in WORDS}}  # its own
    ours = load_scenario(PRE_2021).model_copy(update=same)
    assert scenario_to_yaml(before.scenario) == scenario_to_yaml(ours)


def test_every_parameter_not_named_by_an_intervention_is_the_baselines():
    base, before = load_scenario(BASELINE), load_scenario(PRE_2021)
    for section in ("calendar", "materials", "labour"):
        assert getattr(before, section) == getattr(base, section)
    assert before.supply.lot_t == base.supply.lot_t and before.supply.dross_types == base.supply.dross_types
    assert before.supply.smelters.count == base.supply.smelters.count
    assert before.process.melting == base.process.melting
    assert before.firms.template.workers == base.firms.template.workers  # the same village and families
    assert before.firms.template.attendance == base.firms.template.attendance


@pytest.mark.parametrize("name", INTERVENTIONS)
def test_each_history_file_is_a_valid_scenario_on_its_own(name):
    assert load_scenario(HISTORY / f"{name}.yaml").name.startswith("without-")


def test_the_batch_runs_every_combination():
    plan = read_batch(DAK)
    assert len(plan.specs) == 8 and plan.specs[0].name == "baseline"
    assert {spec.present for spec in plan.specs} == set(
        coalitions(["machines", "b3_permit", "market_access"]))


@pytest.mark.slow
def test_attribution_shares_add_up_to_the_jump(tmp_path):
    batch = tmp_path / "dak.yaml"
    text = DAK.read_text().replace("../", f"{SCENARIOS}/")
    text = text.replace("replications: 10", "replications: 2").replace("warmup_days: 180", "warmup_days: 30")
    batch.write_text(text.replace("years: 1 ", "years: 0.3 "))
    result = invoke(["batch", str(batch), "--jobs", "2", "--out", str(tmp_path / "out"),
                                      "--quiet"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "out" / "attribution.csv")
    assert set(table.kpi) == {"product_output_t_per_year", "turnover_rp_per_year", "workers_absorbed",
                              "earnings_rp_per_worker_month"}
    for _, rows in table.groupby("kpi"):
        assert rows.share.sum() == pytest.approx(rows.jump.iloc[0])
        assert rows.share_pct_of_jump.sum() == pytest.approx(100)
    assert (tmp_path / "out" / "figures" / "attribution.png").is_file()
    report = invoke(["report", str(tmp_path / "out")])
    assert report.exit_code == 0, report.output
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "Who gets the credit for the jump" in html and "market_access" in html


def test_an_unknown_kpi_in_the_interventions_is_one_line_and_nothing_is_written(tmp_path):
    batch = tmp_path / "dak.yaml"
    batch.write_text(DAK.read_text().replace("../", f"{SCENARIOS}/").replace(
        "product_output_t_per_year,", "product_ouput_t_per_year,"))
    out = tmp_path / "out"
    result = invoke(["batch", str(batch), "--out", str(out)])
    assert result.exit_code == 2
    assert "interventions.kpis[0]: 'product_ouput_t_per_year' is not a KPI; did you mean" in result.stderr
    assert not out.exists()
