"""Result folders on disk, whoever made them: written safely, claimed, locked, read back.

- :mod:`~slagsim.results.files`: the one atomic-write helper, and spreadsheet-safe CSV and strict JSON;
- :mod:`~slagsim.results.folders`: folder markers, the checks before anything runs, and locks;
- :mod:`~slagsim.results.meta`: what all metadata shares (status words, time stamp, versions);
- :mod:`~slagsim.results.read`: reading result folders back (never re-simulates; no engine needed).

The names of the files live in :mod:`slagsim.layout`; a run folder is written by
:mod:`slagsim.runs.folder`, a batch's metadata by :mod:`slagsim.batch.record`. Importing this
package imports nothing heavy; each module imports only what it needs.
"""
