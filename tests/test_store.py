"""The B3 store and the 90-day rule for slag (PP 22/2021): a lot still held at the limit goes to a
licensed processor at the fee, or purchases stop while the oldest lot nears the limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from slagsim.analysis.stats import mean_ci
from slagsim.scenario.load import load_scenario
from tests.common import BASELINE, ROOT, invoke, run_kpis

# a mill twelve times slower, and room to hold what waits: slag piles up and ages
SLOW_MILL = ["machines.mill.cycle_h=12", "b3_store.capacity_t=400", "supply.max_backlog_t=400"]
REPS, YEARS = 2, 1.0


@pytest.fixture(scope="module")
def by_rule() -> dict[str, list[dict[str, float]]]:
    return {rule: run_kpis(BASELINE, [*SLOW_MILL, f"b3_store.age_rule={rule}"], reps=REPS, years=YEARS)
            for rule in ("hold", "send_away", "stop_buying")}


def test_held_slag_goes_past_the_limit_when_nothing_is_done(by_rule):
    for k in by_rule["hold"]:
        assert k["b3_max_age_days"] > 150 and k["b3_lots_over_limit"] > 0
        assert k["slag_sent_away_t_per_year"] == 0


def test_slag_at_the_limit_is_sent_to_a_licensed_processor_and_paid_for(by_rule):
    fee = load_scenario(BASELINE).process.residue.disposal_rp_per_t  # a licensed processor's fee per ton
    assert fee > 0
    for k in by_rule["send_away"]:
        assert k["b3_max_age_days"] <= 90 + 1e-6 and k["b3_lots_over_limit"] == 0
        assert k["slag_sent_away_t_per_year"] > 10
        assert k["cost_rp_per_year.slag_disposal"] == pytest.approx(fee * k["slag_sent_away_t_per_year"])
        assert k["flow_t_per_year.out.slag_disposed"] == pytest.approx(k["slag_sent_away_t_per_year"])
        assert abs(k["mass_balance_error_t"]) < 1e-6
    # the same offers (common random numbers): what is bought is unchanged, what waits is not
    for held, sent in zip(by_rule["hold"], by_rule["send_away"], strict=True):
        assert sent["slag_received_t_per_year"] == pytest.approx(held["slag_received_t_per_year"])


def test_stop_buying_turns_lots_away_while_the_oldest_nears_the_limit(by_rule):
    for k in by_rule["stop_buying"]:
        assert k["slag_turned_away_t_per_year.age"] > 0
        assert k["b3_max_age_days"] <= 90 + 1e-6 and k["b3_lots_over_limit"] == 0
        assert abs(k["mass_balance_error_t"]) < 1e-6
    fewer = mean_ci([s["slag_sent_away_t_per_year"] - a["slag_sent_away_t_per_year"]
                     for s, a in zip(by_rule["stop_buying"], by_rule["send_away"], strict=True)])
    assert fewer[0] < 0  # less is bought, so less reaches the limit


def test_todays_centre_never_nears_the_limit():
    """The rule costs the baseline nothing: its oldest slag is days old, never months."""
    for k in run_kpis(BASELINE, reps=2, years=0.5):
        assert k["slag_sent_away_t_per_year"] == 0 and k["slag_turned_away_t_per_year.age"] == 0
        assert k["b3_max_age_days"] < 30


def test_stopping_at_or_after_the_limit_is_one_line():
    result = invoke(["show", BASELINE, "--set", "b3_store.stop_buying_after_days=90"])
    assert result.exit_code == 2
    assert "stop_buying_after_days (90) must be below storage_limit_days (90)" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_every_source_a_replication_imports_is_in_its_fingerprint():
    """A KPI module left out of ``MODEL_SOURCES`` (the firms' wages, the people's days) would let a
    stored replication outlive the code that computed it: everything ``runs/experiment.py`` imports,
    transitively, is fingerprinted, or decides no number."""
    import ast

    from slagsim.runs.parts import MODEL_SOURCES, WORDS_ONLY

    package = ROOT / "slagsim"

    def imported(path: Path) -> set[Path]:
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("slagsim"):
                for name in [node.module, *(f"{node.module}.{a.name}" for a in node.names)]:
                    module = ROOT / name.replace(".", "/")
                    found |= {p for p in (module.with_suffix(".py"), module / "__init__.py") if p.is_file()}
        return found

    seen, todo = set(), [package / "runs" / "experiment.py"]
    while todo:
        path = todo.pop()
        if path not in seen:
            seen.add(path)
            todo += imported(path)
    names = {p.relative_to(package).as_posix() for p in seen}
    missing = sorted(n for n in names if not n.endswith("__init__.py") and n not in WORDS_ONLY
                     and not any(n == s or n.startswith(s + "/") for s in MODEL_SOURCES))
    assert missing == []
