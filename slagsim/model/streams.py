"""Named random-number streams: one independent generator per stochastic source.

A stream is keyed by (seed, replication, name), so adding a machine or a firm adds new streams
without shifting the numbers any existing source draws. That is what makes paired comparisons
between scenarios tight (common random numbers).
"""

from __future__ import annotations

import zlib

import numpy as np


def stream_key(name: str) -> int:
    """A stable 32-bit number for a stream name (the same on every machine and Python run)."""
    return zlib.crc32(name.encode("utf-8"))


class Streams:
    """Hands out one ``numpy.random.Generator`` per name for one replication."""

    def __init__(self, seed: int, replication: int):
        self.seed = seed
        self.replication = replication
        self._generators: dict[str, np.random.Generator] = {}

    def get(self, name: str) -> np.random.Generator:
        """The generator for ``name``, created on first use."""
        generator = self._generators.get(name)
        if generator is None:
            sequence = np.random.SeedSequence(
                entropy=self.seed, spawn_key=(self.replication, stream_key(name))
            )
            generator = self._generators[name] = np.random.Generator(np.random.PCG64(sequence))
        return generator
