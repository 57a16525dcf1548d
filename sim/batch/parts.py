"""Finished replications on disk, one small JSON file each, so that nothing finished is lost.

``<batch folder>/parts/<scenario>/rep-00007.json`` holds replication 7 of a scenario with the
fingerprint of what it computed (scenario, seed, run length, version). Each file is written to a
temporary name and renamed into place, so a crash or ``kill -9`` leaves either the whole file or
none. A resumed batch reuses a part only when its fingerprint matches.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from sim.experiment import ReplicationResult

PART_PATTERN = "rep-*.json"


class PartStore:
    """The ``parts/`` folder of a batch."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def path(self, run: str, replication: int) -> Path:
        return self.folder / run / f"rep-{replication:05d}.json"

    def write(self, run: str, fingerprint: str, result: ReplicationResult) -> None:
        """Write one replication atomically."""
        final = self.path(run, result.replication)
        final.parent.mkdir(parents=True, exist_ok=True)
        temporary = final.with_name(f".{final.name}.tmp-{os.getpid()}")
        content = {
            "fingerprint": fingerprint,
            "replication": result.replication,
            "wall_s": result.wall_s,
            "kpis": result.kpis,
            "yearly": result.yearly,
            "series": result.series,
        }
        with temporary.open("w", encoding="utf-8") as handle:
            json.dump(content, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, final)

    def load(self, run: str, fingerprint: str, replications: int) -> dict[int, ReplicationResult]:
        """The stored replications ``0..replications-1`` of ``run`` that match ``fingerprint``."""
        found: dict[int, ReplicationResult] = {}
        for file in sorted((self.folder / run).glob(PART_PATTERN)):
            part = _read(file)
            if part is None or part.get("fingerprint") != fingerprint:
                continue
            replication = int(part["replication"])
            if replication < replications:
                found[replication] = ReplicationResult(replication, part["kpis"], part["yearly"],
                                                       float(part["wall_s"]), part["series"])
        return found

    def clear(self) -> None:
        """Forget every stored replication (a batch started afresh)."""
        shutil.rmtree(self.folder, ignore_errors=True)


def _read(file: Path) -> dict | None:
    """A part file's content, or None if it cannot be read (it is then simply run again)."""
    try:
        content = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    needed = {"fingerprint", "replication", "kpis", "yearly", "wall_s", "series"}
    return content if isinstance(content, dict) and needed <= content.keys() else None
