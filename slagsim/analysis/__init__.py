"""From an engine's records to the numbers a planner reads: KPIs and the statistics over them.

The KPI registry (:mod:`~slagsim.analysis.kpis`), a replication's KPIs (:mod:`~slagsim.analysis.metrics`,
:mod:`~slagsim.analysis.margins`, :mod:`~slagsim.analysis.monthly`), the binding constraint
(:mod:`~slagsim.analysis.bottleneck`), paired differences with CIs (:mod:`~slagsim.analysis.paired`),
attribution of a jump to its interventions (:mod:`~slagsim.analysis.attribution`), the warm-up
(:mod:`~slagsim.analysis.warmup`), means and CIs (:mod:`~slagsim.analysis.stats`) and the designs
of a sensitivity screening (:mod:`~slagsim.analysis.screening`). No files, no processes.
"""
