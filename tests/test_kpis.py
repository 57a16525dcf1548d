"""The KPI registry is the one place a KPI is declared."""

from __future__ import annotations

import pytest

from slagsim.analysis import kpis as K
from tests.common import PACKAGE, SCENARIOS, run_kpis


@pytest.fixture(scope="module")
def produced() -> set[str]:
    root = SCENARIOS
    names: set[str] = set()
    for file in (root / "baseline.yaml", root / "pre-2021.yaml", root / "options" / "add-press.yaml"):
        names |= set(run_kpis(file, reps=1, years=0.1)[0])
    return names


def test_every_kpi_a_replication_produces_is_registered(produced):
    unknown = sorted(name for name in produced if K.find(name) is None)
    assert not unknown
    for name in produced:
        found = K.find(name)
        assert found.unit and found.label and found.description


def test_every_registered_kpi_is_produced(produced):
    silent = [kpi.name for kpi in K.REGISTRY if not any(kpi.matches(name) for name in produced)]
    assert not silent


def test_patterns_build_and_take_apart_names():
    assert K.UTILIZATION.key("press") == "utilization.press"
    assert K.FIRM_WAIT.parts("firm_wait_h.press.07") == ("press", "07")
    assert K.TIME_SHARE.parts("time_share.blocks.machine.press") == ("blocks", "machine.press")
    assert K.find("lost_sales_t_per_year") is K.LOST_SALES
    assert K.find("lost_sales_t_per_year.paving") is K.LOST_SALES_OF
    assert K.find("output_t_per_year.ingot") is K.OUTPUT
    assert K.find("firm_output_t_per_year.01") is K.FIRM_OUTPUT
    assert K.label_of("utilization.press") == "Utilisation (press)"
    assert K.unit_of("gross_margin_rp_per_year") == "Rp/yr" and K.unit_of("nonsense") == ""


ALSO_A_SCENARIO_KEY = {"workers"}  # firms.template.workers: the same word, not the KPI


@pytest.mark.parametrize("kpi", [k for k in K.REGISTRY if k.name not in ALSO_A_SCENARIO_KEY],
                         ids=lambda kpi: kpi.name)
def test_no_other_module_spells_a_kpi_name(kpi):
    """The registry and at most one other file (a command's help example) spell each name."""
    spelled = kpi.prefix if kpi.is_pattern else kpi.name
    files = [p for p in PACKAGE.rglob("*.py") if _spells(p.read_text(encoding="utf-8"), spelled)]
    assert PACKAGE / "analysis" / "kpis.py" in files
    assert len(files) <= 2, [str(p.relative_to(PACKAGE)) for p in files]


def _spells(text: str, name: str) -> bool:
    """Whether a string literal in ``text`` spells ``name`` (a pattern's prefix starts one)."""
    quotes = "\"'`"
    start = text.find(name)
    while start >= 0:
        before = text[start - 1] if start else " "
        end = start + len(name)
        after = text[end] if end < len(text) else " "
        if before in quotes and (name.endswith(".") or after in quotes):
            return True
        start = text.find(name, start + 1)
    return False
