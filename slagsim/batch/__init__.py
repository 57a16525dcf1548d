"""Batches of scenarios: batch files and sweeps, executors (serial, processes, Dask), resume."""
