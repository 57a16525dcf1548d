"""The village workforce: people near the centre who take slag work when a firm calls them.

Home industries do not keep a payroll of 200: the owner's family works most days and, when there
is more work than they can do, the owner calls helpers from the village for the day. Each working
day every villager either can come or cannot (the day's draw, seasonal dips included); a firm calls
its regular helpers first (its share of the village, fixed for the run: from the top of the list,
or, when helpers take turns, from where it stopped last time) and then anyone still free, so who
works, and how many, follows the work, not a registered number.
"""

from __future__ import annotations

import numpy as np


class Village:
    """Who can come today, and who has been called: one flag per villager."""

    def __init__(self, people: int, availability: float, dip_factors: np.ndarray,
                 rng: np.random.Generator, firms: int, rotate: bool = False):
        self.people = people
        self._chances = availability * dip_factors
        self._rng = rng
        self._free = np.zeros(people, dtype=bool)
        ids = np.arange(people)
        # each active firm's regular helpers: every ``firms``-th villager, fixed for the run
        self._rosters = [ids[rank::firms] for rank in range(firms)] if firms else []
        self._offset = 0
        self._rotate = rotate  # each firm calls its roster from where it stopped last time
        self._next = [0] * firms

    def new_day(self, day_of_year: int, day: int) -> None:
        """Draw who can come on this working day (``day`` counts the run's working days and turns
        who calls the unattached villagers first, so no firm always has first pick)."""
        if self.people:
            self._free = self._rng.random(self.people) < self._chances[day_of_year]
            self._offset = day % self.people

    def call(self, rank: int, wanted: int) -> list[int]:
        """Up to ``wanted`` villagers for the firm of ``rank``: its regulars who can come, then any
        villager still free; those called are no longer free this day."""
        if wanted <= 0 or not self.people:
            return []
        free = self._free
        roster = self._rosters[rank]
        if self._rotate and len(roster):
            roster = np.roll(roster, -self._next[rank])
        chosen = roster[free[roster]][:wanted]
        if self._rotate and len(chosen):
            last = int(np.flatnonzero(roster == chosen[-1])[0])
            self._next[rank] = (self._next[rank] + last + 1) % len(roster)
        if len(chosen) < wanted:
            others = np.flatnonzero(np.roll(free, -self._offset))
            others = (others[:wanted] + self._offset) % self.people
            others = others[~np.isin(others, chosen)][:wanted - len(chosen)]
            chosen = np.concatenate([chosen, others])
        free[chosen] = False
        return chosen.tolist()
