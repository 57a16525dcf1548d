"""Planner headers for the report's tables: ``npv_ci95_low`` is shown as "NPV, 95 % CI low [Rp]".

Columns slagsim writes keep their machine names in the CSV files (scripts read them); the report and
its tables show these labels, in the report's language. A column without a label shows its name.
"""

from __future__ import annotations

from slagsim.i18n import N_, _

LABELS: dict[str, str] = {
    # what was run
    "setting": N_("Setting"), "value": N_("Value"), "role": N_("Role"), "file": N_("File"),
    "values set": N_("Values set"), "description": N_("Description"), "label": N_("Label"),
    # comparisons
    "rank": N_("Rank"), "scenario": N_("Scenario"), "kpi": N_("Measure"), "unit": N_("Unit"),
    "mean": N_("Mean"), "ci95_low": N_("95 % CI low"), "ci95_high": N_("95 % CI high"),
    "n": N_("Replications (n)"), "diff": N_("Difference to the baseline"),
    "diff_ci95_low": N_("Difference, 95 % CI low"), "diff_ci95_high": N_("Difference, 95 % CI high"),
    "diff_pct": N_("Difference [%]"), "significant": N_("Significant"), "bottleneck": N_("Bottleneck"),
    "line": N_("Line"), "share": N_("Share"), "evidence": N_("Evidence"),
    "each_line": N_("Each line's constraint"),
    # assumptions
    "key": N_("Key"), "note": N_("Note"), "plausible range": N_("Plausible range"), "why": N_("Why"),
    # appraisal
    "candidate": N_("Candidate"), "paid_by": N_("Paid by"), "over_budget": N_("Over the budget"),
    "price_rp": N_("Price [Rp]"), "grant_rp": N_("Paid by grant [Rp]"),
    "yearly_cost_rp": N_("Yearly cost [Rp]"), "firm": N_("Firm"),
    "extra_t_per_year": N_("Extra output [t/yr]"), "extra_t_ci95_low": N_("Extra output, 95 % CI low"),
    "extra_t_ci95_high": N_("Extra output, 95 % CI high"),
    "extra_margin_rp_per_year": N_("Extra margin [Rp/yr]"),
    "extra_margin_ci95_low": N_("Extra margin, 95 % CI low"),
    "extra_margin_ci95_high": N_("Extra margin, 95 % CI high"), "npv_rp": N_("NPV [Rp]"),
    "npv_ci95_low": N_("NPV, 95 % CI low"), "npv_ci95_high": N_("NPV, 95 % CI high"),
    "npv_local_rp": N_("NPV without grant-paid prices [Rp]"),
    "median_payback_years": N_("Payback, median [years]"),
    "p_payback_within_horizon": N_("Chance of paying back in time"),
    "p_payback_ci95_low": N_("Chance, 95 % CI low"), "p_payback_ci95_high": N_("Chance, 95 % CI high"),
    "replications": N_("Replications"), "draws": N_("Draws"),
    "npv_with_estimates_rp": N_("NPV, estimates drawn [Rp]"),
    "npv_with_estimates_ci95_low": N_("NPV drawn, 95 % CI low"),
    "npv_with_estimates_ci95_high": N_("NPV drawn, 95 % CI high"),
    "npv_with_estimates_p10_rp": N_("NPV drawn, 10 %"), "npv_with_estimates_p90_rp": N_("NPV drawn, 90 %"),
    "p_npv_positive_with_estimates": N_("Chance NPV > 0, estimates drawn"),
    "p_payback_with_estimates": N_("Chance of paying back, estimates drawn"),
    "p_payback_with_estimates_ci95_low": N_("Chance drawn, 95 % CI low"),
    "p_payback_with_estimates_ci95_high": N_("Chance drawn, 95 % CI high"),
    "p_best_with_estimates": N_("Chance of being the best buy"),
    # sensitivity
    "group": N_("Estimate (group)"), "mu_star": N_("Effect mu*"), "mu_star_ci95_low": N_("mu*, 95 % CI low"),
    "mu_star_ci95_high": N_("mu*, 95 % CI high"), "sigma": N_("Interaction sigma"),
    "first_order": N_("Share alone (first order)"), "total": N_("Share with others (total)"),
    "range": N_("Range"),
    # a calibration
    "in_the_file": N_("In the file"), "posterior_median": N_("Fitted (median)"),
    "posterior_5": N_("90 % interval, low"), "posterior_95": N_("90 % interval, high"),
    "pinned_down": N_("Pinned down by the books"),
    "informed_share": N_("Share of a column's spread it explains"), "verdict": N_("What the books say"),
    # the tornado
    "estimate": N_("Estimate"), "input": N_("Scenario key"), "low": N_("Low value"), "high": N_("High value"),
    "npv_at_low_rp": N_("NPV at the low value [Rp]"), "npv_at_high_rp": N_("NPV at the high value [Rp]"),
    "npv_base_rp": N_("NPV at the estimate [Rp]"), "swing_rp": N_("Swing [Rp]"),
    # the inputs sheet
    "source": N_("Source or estimate"), "set in": N_("Set in"),
    "as written": N_("As slagsim wrote it (leave as is)"),
}


def column_label(column: str) -> str:
    """The planner's header for a table column, in the report's language."""
    label = LABELS.get(str(column))
    return _(label) if label else str(column)
