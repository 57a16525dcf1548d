"""``batch-meta.json``: what a batch or an appraisal ran, how, and how it ended.

``slagsim batch`` and ``slagsim appraise`` both describe themselves through :class:`BatchRecord`,
so a batch folder and an appraisal folder answer the same questions the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from slagsim.layout import BATCH_META
from slagsim.results.files import write_json
from slagsim.results.meta import now, versions
from slagsim.runs.experiment import RunSettings


@dataclass
class ScenarioEntry:
    """One scenario of a batch or appraisal as ``batch-meta.json`` lists it."""

    name: str
    role: str  # baseline, scenario or sweep
    file: Path
    values: dict[str, object]
    fingerprint: str
    replications_done: int
    description: str = ""  # what this scenario is, or what the option changes
    description_id: str = ""  # the same in Bahasa Indonesia
    label: str = ""  # a short name a planner reads beside ``name`` (an option's, an item's)
    label_id: str = ""


@dataclass
class BatchRecord:
    """What ``batch-meta.json`` says about a batch or an appraisal."""

    name: str
    description: str
    source: Path
    baseline: str
    settings: RunSettings
    scenarios: list[ScenarioEntry]
    status: str
    started_at: str
    executor: str = ""
    executed: int = 0
    reused: int = 0
    wall_s: float = 0.0
    failures: list[dict[str, object]] = field(default_factory=list)
    lost: list[dict[str, object]] = field(default_factory=list)
    missing: dict[str, int] = field(default_factory=dict)
    sweep_parameters: list[str] = field(default_factory=list)
    description_id: str = ""  # the description in Bahasa Indonesia

    def content(self) -> dict:
        settings = self.settings
        return {
            "batch": self.name, "description": self.description, "description_id": self.description_id,
            "batch_file": str(self.source),
            "batch_file_text": _text(self.source), "baseline": self.baseline, "seed": settings.seed,
            "replications": settings.replications, "years": settings.years,
            "warmup_days": settings.warmup_days,
            "scenarios": [{"name": s.name, "role": s.role, "file": str(s.file), "set": s.values,
                           "description": s.description, "description_id": s.description_id,
                           "label": s.label, "label_id": s.label_id, "fingerprint": s.fingerprint,
                           "replications_done": s.replications_done} for s in self.scenarios],
            "sweep_parameters": self.sweep_parameters, "executor": self.executor,
            "replications_run": self.executed, "replications_reused": self.reused,
            "failures": self.failures, "lost": self.lost, "missing": self.missing, "status": self.status,
            "versions": versions(), "wall_time_s": round(self.wall_s, 3), "started_at": self.started_at,
            "finished_at": now(),
        }


def write_batch_meta(record: BatchRecord, folder: Path) -> Path:
    """Write ``batch-meta.json`` in ``folder`` atomically."""
    return write_json(record.content(), Path(folder) / BATCH_META)


def _text(source: Path) -> str:
    try:
        return Path(source).read_text(encoding="utf-8")
    except OSError:
        return ""
