"""Print every validation check's exact value and the 95 % CI the simulation gave (for docs/validation.md).

Run: python -m tests.validation.report
"""

from __future__ import annotations

from tests.validation.test_curing_yard import little_yard_check, pure_delay_check
from tests.validation.test_queueing_theory import (
    MMC_CASES,
    holds,
    jackson_checks,
    little_machine_check,
    mmc_checks,
)


def main() -> None:
    """One line per check."""
    checks = [c for servers, rho in MMC_CASES for c in mmc_checks(servers, rho)]
    checks += [*jackson_checks(), little_machine_check(), little_yard_check(), pure_delay_check()]
    print("| check | exact | simulated mean | 95% CI | inside |")
    print("|---|---|---|---|---|")
    for check in checks:
        what, exact, (mean, low, high) = check
        verdict = "yes" if holds(check) else "NO"
        print(f"| {what} | {exact:.4g} | {mean:.4g} | {low:.4g} .. {high:.4g} | {verdict} |")


if __name__ == "__main__":
    main()
