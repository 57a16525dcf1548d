"""The machine pool against queueing theory: Erlang C, a Jackson network, Little's law.

Each check runs 10 replications with fixed seeds and asserts that the exact value lies inside the
Student-t 95 % confidence interval of the replication means (see docs/validation.md).
``python -m tests.validation.report`` prints the figures.
"""

from __future__ import annotations

import pytest

from slagsim.analysis.stats import mean_ci
from tests.validation.queues import erlang_c_wait, run_network

pytestmark = pytest.mark.slow  # many replications against exact queueing results

REPLICATIONS = 10
HORIZON_H = 12_000.0
WARMUP_H = 2_000.0
SEED = 20241128
MMC_CASES = [(1, 0.5), (1, 0.9), (2, 0.7), (3, 0.5), (3, 0.85)]

Check = tuple[str, float, tuple[float, float, float]]  # what, exact value, (mean, low, high)


def mmc_checks(servers: int, rho: float) -> list[Check]:
    """Mean wait in queue and utilisation of an M/M/c pool against Erlang C."""
    service_rate = 1.0
    arrival_rate = rho * servers * service_rate
    waits, utilisations = [], []
    for replication in range(REPLICATIONS):
        records, _ = run_network([service_rate], [servers], arrival_rate, HORIZON_H, SEED, replication)
        jobs = [job for job in records.jobs if job.asked >= WARMUP_H]
        waits.append(sum(job.wait_h for job in jobs) / len(jobs))
        busy = sum(job.busy_h for job in records.jobs if job.start >= WARMUP_H)
        utilisations.append(busy / (servers * (HORIZON_H - WARMUP_H)))
    exact = erlang_c_wait(servers, arrival_rate, service_rate)
    return [(f"M/M/{servers} rho={rho} Wq [h]", exact, mean_ci(waits)),
            (f"M/M/{servers} rho={rho} utilisation", rho, mean_ci(utilisations))]


def jackson_checks() -> list[Check]:
    """Three M/M/1 pools in series: time in system and throughput."""
    rates, arrival_rate = [1.5, 2.0, 1.25], 1.0
    times, throughputs = [], []
    for replication in range(REPLICATIONS):
        _, sojourns = run_network(rates, [1, 1, 1], arrival_rate, HORIZON_H, SEED + 1, replication)
        done = [(a, d) for a, d in sojourns if a >= WARMUP_H]
        times.append(sum(d - a for a, d in done) / len(done))
        throughputs.append(sum(WARMUP_H <= d < HORIZON_H for _, d in sojourns) / (HORIZON_H - WARMUP_H))
    exact_time = sum(1 / (mu - arrival_rate) for mu in rates)
    return [("Jackson 3 stations: time in system [h]", exact_time, mean_ci(times)),
            ("Jackson 3 stations: throughput [1/h]", arrival_rate, mean_ci(throughputs))]


def little_machine_check() -> Check:
    """L (time-average number in the system) against lambda * W from the job records.

    Over a finite window the two differ by boundary terms (jobs in the system when it opens and
    closes), so the check is that the mean of lambda * W lies inside the 95 % CI of L.
    """
    servers, arrival_rate, window = 2, 1.4, HORIZON_H - WARMUP_H
    averages, products = [], []
    for replication in range(REPLICATIONS):
        records, _ = run_network([1.0], [servers], arrival_rate, HORIZON_H, SEED + 2, replication)
        events = sorted([(job.asked, 1) for job in records.jobs] + [(job.end, -1) for job in records.jobs])
        area, count, last = 0.0, 0, WARMUP_H
        for t, step in events:
            if t > WARMUP_H:
                area += count * (min(t, HORIZON_H) - last)
                last = min(t, HORIZON_H)
            count += step
        averages.append(area / window)
        inside_window = [job for job in records.jobs if job.asked >= WARMUP_H]
        w = sum(job.end - job.asked for job in inside_window) / len(inside_window)
        products.append(len(inside_window) / window * w)
    return ("Little at an M/M/2 pool: L vs lambda W", sum(products) / len(products), mean_ci(averages))


def holds(check: Check) -> bool:
    _, exact, (_, low, high) = check
    return low <= exact <= high


@pytest.mark.parametrize(("servers", "rho"), MMC_CASES)
def test_machine_pool_is_an_mmc_queue(servers, rho):
    for check in mmc_checks(servers, rho):
        assert holds(check), check


def test_three_pools_in_series_are_a_jackson_network():
    for check in jackson_checks():
        assert holds(check), check


def test_littles_law_at_a_machine_pool():
    check = little_machine_check()
    assert holds(check), check
