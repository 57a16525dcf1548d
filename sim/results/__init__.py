"""The results layer: everything slagsim reads from and writes to disk, in one place.

- :mod:`~sim.results.layout`: the names of every file and folder in a result folder;
- :mod:`~sim.results.files`: the one atomic-write helper, and spreadsheet-safe CSV and strict JSON;
- :mod:`~sim.results.folders`: folder markers, the checks before anything runs, and locks;
- :mod:`~sim.results.meta`: the one writer of run and batch metadata (``run``, ``batch``, ``appraise``);
- :mod:`~sim.results.run`: a run folder's tables, written atomically;
- :mod:`~sim.results.read`: reading result folders back (never re-simulates; no engine needed).

Importing this package imports nothing heavy; each module imports only what it needs.
"""
