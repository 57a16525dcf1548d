"""Ranking and selection: which candidate is best, with what confidence, and how many more
replications would settle it.

The best candidate is the one with the highest mean NPV. It is *best with 95 % confidence* when,
against every other candidate, the paired (common random numbers) difference in NPV has a
Bonferroni-corrected confidence interval (level 1 - 0.05 / (k - 1)) above zero. Where it does not,
the replications needed are estimated from the paired differences' spread,
n = (t * s / mean difference)^2; :func:`needed_replications` gives that, and the appraisal command
adds replications in steps until the intervals separate or a cap is reached.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.special import stdtrit

from slagsim.analysis.stats import mean_ci
from slagsim.appraisal.appraise import Appraisal
from slagsim.i18n import _, percent

LEVEL = 0.95


@dataclass(frozen=True)
class Rival:
    """The best candidate against one other."""

    name: str
    npv_difference: tuple[float, float, float]  # mean, low, high (Bonferroni level)
    separated: bool
    needed_replications: int


@dataclass(frozen=True)
class Selection:
    """The outcome of ranking and selection."""

    best: str
    rivals: tuple[Rival, ...]
    level: float
    replications: int

    @property
    def confident(self) -> bool:
        return all(r.separated for r in self.rivals)

    @property
    def unresolved(self) -> list[Rival]:
        return [r for r in self.rivals if not r.separated]

    def statement(self) -> str:
        """One sentence for a planner."""
        if not self.rivals:
            return _("{best} is the only candidate.").format(best=self.best)
        if self.confident:
            sentence = _("{best} is the best buy, with {level} confidence: its NPV beats every other "
                         "candidate's over the same {replications} replications, allowing for the number of "
                         "comparisons.")
            return sentence.format(best=self.best, level=percent(LEVEL), replications=self.replications)
        names = ", ".join(_("{name} (about {needed} replications needed to tell)").format(
            name=r.name, needed=r.needed_replications) for r in self.unresolved)
        return _("{best} has the highest mean NPV, but after {replications} replications it cannot yet be "
                 "told apart from {names}.").format(best=self.best, replications=self.replications,
                                                    names=names)


def select(appraisals: list[Appraisal]) -> Selection:
    """Compare the highest-mean-NPV candidate with every other one."""
    ordered = sorted(appraisals, key=lambda a: a.npv_rp[0], reverse=True)
    best, others = ordered[0], ordered[1:]
    level = 1 - (1 - LEVEL) / max(1, len(others))
    rivals = tuple(_rival(best, other, level) for other in others)
    return Selection(best.name, rivals, level, len(best.npvs))


def _rival(best: Appraisal, other: Appraisal, level: float) -> Rival:
    n = min(len(best.npvs), len(other.npvs))
    differences = [best.npvs[i] - other.npvs[i] for i in range(n)]
    mean, low, high = mean_ci(differences, level)
    separated = not math.isnan(low) and low > 0
    return Rival(other.name, (mean, low, high), separated,
                 n if separated else needed_replications(differences, level))


def needed_replications(differences: list[float], level: float = LEVEL, cap: int = 100_000) -> int:
    """Replications for the CI of the mean difference to exclude zero, at the observed spread."""
    n = len(differences)
    if n < 2:
        return cap
    mean = math.fsum(differences) / n
    sd = math.sqrt(math.fsum((d - mean) ** 2 for d in differences) / (n - 1))
    if mean == 0:
        return cap
    t = float(stdtrit(max(n - 1, 1), 0.5 + level / 2))
    return min(cap, max(n, math.ceil((t * sd / abs(mean)) ** 2) + 1))
