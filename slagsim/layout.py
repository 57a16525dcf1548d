"""The on-disk layout of results, declared once.

``results/<scenario>/`` (a *run folder*) holds ``RUN_FILES``. ``results/<batch>/`` (a *batch* or
*appraisal folder*) holds one run folder per scenario plus ``GROUP_ENTRIES``. Every folder slagsim
writes also holds ``MARKER``. Names of scenarios must never collide with any of these
(:mod:`slagsim.scenario.names`).
"""

from __future__ import annotations

MARKER = ".slagsim"
META, SUMMARY, REPLICATIONS, YEARLY, SERIES = ("meta.json", "summary.csv", "replications.csv",
                                               "yearly.csv", "series.csv")
MONTHLY = "monthly.csv"  # the records format: what a cooperative's books hold, month by month
RUN_FILES = (META, SUMMARY, REPLICATIONS, YEARLY, SERIES, MONTHLY)
AGAINST_TODAY = "against-today.csv"  # a run of edited inputs: today's scenario beside it, paired
REQUIRED_RUN_FILES = (META, SUMMARY, REPLICATIONS)

BATCH_META, BATCH_TABLE = "batch-meta.json", "batch.csv"
COMPARISON, RANKED, BOTTLENECKS = "comparison.csv", "ranked.csv", "bottlenecks.csv"
ATTRIBUTION = "attribution.csv"
PARTS, FIGURES, APPRAISAL, TORNADO = "parts", "figures", "appraisal", "tornado"
REPORT_HTML, REPORT_WORKBOOK, REPORT_FIGURES = "report.html", "report.xlsx", "report-figures"
GROUP_ENTRIES = frozenset({PARTS, FIGURES, APPRAISAL, TORNADO, BATCH_META, BATCH_TABLE, COMPARISON,
                           RANKED, BOTTLENECKS, ATTRIBUTION, REPORT_HTML, REPORT_WORKBOOK, REPORT_FIGURES})
RESERVED_NAMES = frozenset({*GROUP_ENTRIES, *RUN_FILES, AGAINST_TODAY, MARKER, "sensitivity", "calibration"})
