"""The simulation engine: the only package that imports simpy. It never touches files or prints.

Its entry point is :func:`slagsim.model.engine.simulate`. This package imports nothing itself, so
the words the engine shares with the analysis (:mod:`~slagsim.model.vocabulary`, prices in
:mod:`~slagsim.model.money`) can be read without loading SimPy, as ``compare`` and ``report`` do.
"""
