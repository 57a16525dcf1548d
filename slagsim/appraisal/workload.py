"""How many replications an appraisal has still to run, estimated from the menu and the settings.

``appraise`` shows one progress bar over several phases (the candidates, more replications where
the best is unclear, each payer's bundles, the tornado, the estimate draws). Told of each phase
only as it started, the bar's total was the work known so far, and its time left fell to nothing
at the end of every phase. The appraisal now tells its reporter up front what it expects in all
and corrects that at each step, when the next phases' real sizes are known. Estimates count runs
as if nothing were stored yet; reused replications only make the bar finish early.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from slagsim.appraisal.menu import Menu, Payer
from slagsim.appraisal.search import feasible_bundles

TORNADO_RUNS_PER_INPUT = 4  # low and high, each the baseline and the candidate
GREEDY_STEPS = 2  # bundles of two and three items: where a greedy search usually stops


@dataclass(frozen=True)
class Workload:
    """The appraisal's work in replications, phase by phase."""

    menu: Menu
    budgets: Mapping[Payer, float] | None
    replications: int  # per scenario, before any are added to separate the best
    tornado: bool
    draw_runs: int = 0  # the estimate draws' runs (0 without --uncertainty estimates)

    def candidates(self) -> int:
        """The baseline and every item."""
        return (1 + len(self.menu.items)) * self.replications

    def bundles(self, replications: Mapping[str, int] | None = None) -> int:
        """Each payer's bundles of two or more items within its budget (one-item bundles are the
        candidates' runs); a bundle runs as many replications as the most any of its items ran
        (``replications`` by item name, once the candidates are known)."""
        def reps(bundle: tuple[str, ...]) -> int:
            return max((replications or {}).get(name, self.replications) for name in bundle)

        total = 0
        for payer, budget in (self.budgets or {}).items():
            items = {name: item for name, item in self.menu.items.items() if item.paid_by is payer}
            if len(items) < 2:
                continue
            feasible = feasible_bundles(self.menu.model_copy(update={"items": items}), budget,
                                        self.menu.max_exhaustive_bundles)
            if len(feasible) <= self.menu.max_exhaustive_bundles:
                total += sum(reps(b) for b in feasible if len(b) > 1)
            else:  # greedy: from the best single item, one item more per step
                most = max(reps((name,)) for name in items)
                total += most * sum(max(0, len(items) - step) for step in range(1, GREEDY_STEPS + 1))
        return total

    def tornado_runs(self, inputs: int | None = None, replications: int | None = None) -> int:
        """Every tornado input at its low and high value (``inputs`` of the candidate once known,
        at the ``replications`` of its row)."""
        if not self.tornado:
            return 0
        count = len(self.menu.tornado) if inputs is None else inputs
        return TORNADO_RUNS_PER_INPUT * count * (replications or self.replications)

    def everything(self) -> int:
        """The whole appraisal, as the menu and settings say before anything runs."""
        return self.candidates() + self.bundles() + self.tornado_runs() + self.draw_runs
