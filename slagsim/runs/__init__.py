"""Replications of scenarios, run and kept: the machinery every study shares.

One scenario's replications (:mod:`~slagsim.runs.experiment`), the run-time forecast
(:mod:`~slagsim.runs.duration`), tasks and executors on processes or Dask
(:mod:`~slagsim.runs.tasks`, :mod:`~slagsim.runs.executors`, :mod:`~slagsim.runs.dask_connect`),
finished replications on disk (:mod:`~slagsim.runs.parts`), a run folder's tables
(:mod:`~slagsim.runs.folder`) and the ``slagsim run`` session (:mod:`~slagsim.runs.session`).
"""
