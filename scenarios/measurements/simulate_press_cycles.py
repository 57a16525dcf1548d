"""Write press-cycle-times.csv: 400 SIMULATED press cycles, not measured ones.

The draws stand in for a week of stopwatch readings at the paving press until the cooperative times
its own: a lognormal with mean 0.25 h and sd 0.08 h (of the time itself, as a scenario writes it),
seed 26 (the issue that asked for them), read to a tenth of a minute as a stopwatch shows it, 50
cycles a working day from Monday 10 March 2025. `slagsim fit` on them should find that lognormal
again (tests/test_fit.py). Run from the project's root: python scenarios/measurements/simulate_press_cycles.py
"""

from __future__ import annotations

import datetime
import math
from pathlib import Path

import numpy as np

SEED, COUNT, MEAN_H, SD_H, PER_DAY = 26, 400, 0.25, 0.08, 50
FIRST_DAY = datetime.date(2025, 3, 10)
OUT = Path(__file__).with_name("press-cycle-times.csv")


def working_days(first: datetime.date, count: int) -> list[datetime.date]:
    days, day = [], first
    while len(days) < count:
        if day.weekday() < 6:  # Monday to Saturday, the centre's working week
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def main() -> None:
    sigma2 = math.log(1 + (SD_H / MEAN_H) ** 2)
    hours = np.random.default_rng(SEED).lognormal(math.log(MEAN_H) - sigma2 / 2, math.sqrt(sigma2), COUNT)
    minutes = np.round(hours * 60, 1)
    days = working_days(FIRST_DAY, math.ceil(COUNT / PER_DAY))
    lines = [
        "# SIMULATED, NOT MEASURED: 400 press cycle times drawn by simulate_press_cycles.py (seed 26) from a",
        "# lognormal with mean 0.25 h and sd 0.08 h, in minutes to a tenth as a stopwatch shows them.",
        "# An example of a timing sheet (slagsim records-template --kind timings) for slagsim fit, until the",
        "# cooperative times its own press: slagsim fit THIS --column minutes --minutes",
        "Tanggal / Date,Mesin atau langkah / Machine or step,Menit / Minutes,Catatan / Note",
    ]
    lines += [f"{days[i // PER_DAY].isoformat()},press,{value:.1f}," for i, value in enumerate(minutes)]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {COUNT} values, mean {hours.mean():.4f} h, sd {hours.std(ddof=1):.4f} h")


if __name__ == "__main__":
    main()
