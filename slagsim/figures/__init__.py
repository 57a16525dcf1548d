"""Comparison figures drawn from result folders (never from a simulation).

Every figure function returns the figure and the data frame it plots, so tests check the data
behind a figure rather than its pixels. :func:`make_figures` builds the whole set for a report.
"""
