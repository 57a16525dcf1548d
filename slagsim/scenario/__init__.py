"""What a scenario is and how it is read: the bottom layer, which every other layer builds on.

The schema (:mod:`~slagsim.scenario.schema`), loading with ``extends``, overlays and ``--set``
(:mod:`~slagsim.scenario.load`), cross-references (:mod:`~slagsim.scenario.references`), bounds
(:mod:`~slagsim.scenario.limits`), YAML reading and merging (:mod:`~slagsim.scenario.yamlfile`),
price series (:mod:`~slagsim.scenario.price_series`), estimate ranges and ``# estimate`` marks
(:mod:`~slagsim.scenario.ranges`, :mod:`~slagsim.scenario.marks`, :mod:`~slagsim.scenario.factors`),
the differences between two scenarios (:mod:`~slagsim.scenario.diff`), planner words for keys
(:mod:`~slagsim.scenario.plain_keys`), names (:mod:`~slagsim.scenario.names`) and the random
distributions (:mod:`~slagsim.scenario.distributions`). Nothing here simulates.
"""
