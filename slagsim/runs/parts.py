"""Finished replications on disk, one small JSON file each, so that nothing finished is lost.

``<batch folder>/parts/<scenario>/rep-00007.json`` holds replication 7 of a scenario with the
fingerprint of what it computed (scenario, seed, run length, version). Each file is written to a
temporary name and renamed into place, so a crash or ``kill -9`` leaves either the whole file or
none. A resumed batch reuses a part only when its fingerprint matches.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import slagsim
from slagsim.results.files import remove_stale_temporaries, write_json
from slagsim.runs.experiment import ReplicationResult, RunSettings
from slagsim.scenario.labels import without_words
from slagsim.scenario.schema import Scenario

PART_PATTERN = "rep-*.json"
PART_KEYS = frozenset({"fingerprint", "replication", "kpis", "yearly", "wall_s", "series", "daily_output",
                       "monthly"})


class PartStore:
    """The ``parts/`` folder of a batch."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def path(self, run: str, replication: int) -> Path:
        return self.folder / run / f"rep-{replication:05d}.json"

    def write(self, run: str, fingerprint: str, result: ReplicationResult) -> None:
        """Write one replication atomically."""
        content = {
            "fingerprint": fingerprint,
            "replication": result.replication,
            "wall_s": result.wall_s,
            "kpis": result.kpis,
            "yearly": result.yearly,
            "series": result.series,
            "daily_output": result.daily_output,
            "monthly": result.monthly,
        }
        write_json(content, self.path(run, result.replication), durable=True, indent=None)

    def load(self, run: str, fingerprint: str, replications: int) -> StoredParts:
        """The stored replications ``0..replications-1`` of ``run`` that match ``fingerprint``.

        A part that cannot be read or does not hold what a replication holds (text where a KPI
        should be, a NaN) is listed in ``damaged`` and run again, never used.
        """
        stored = StoredParts()
        remove_stale_temporaries(self.folder / run)  # a write cut short by kill -9
        for file in sorted((self.folder / run).glob(PART_PATTERN)):
            content, problem = _read(file)
            if problem is not None:
                stored.damaged.append(f"{file}: {problem}")
                continue
            if content["fingerprint"] != fingerprint:
                continue
            replication = content["replication"]
            if replication < replications:
                stored.found[replication] = ReplicationResult(
                    replication, content["kpis"], content["yearly"], float(content["wall_s"]),
                    content["series"], content["daily_output"], content["monthly"])
        return stored


@dataclass
class StoredParts:
    """The usable parts of one scenario, and the damaged ones (file: what is wrong)."""

    found: dict[int, ReplicationResult] = field(default_factory=dict)
    damaged: list[str] = field(default_factory=list)


def _read(file: Path) -> tuple[dict, str | None]:
    """A part file's content and None, or what is wrong with it."""
    try:
        content = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return {}, f"cannot be read ({type(exc).__name__})"
    return content, part_problem(content)


def part_problem(content: object) -> str | None:
    """What makes ``content`` unusable as a stored replication, or None."""
    if not isinstance(content, dict):
        return "not a JSON object"
    missing = PART_KEYS - content.keys()
    if missing:
        return f"missing {', '.join(sorted(missing))}"
    if not isinstance(content["fingerprint"], str):
        return "fingerprint is not text"
    replication = content["replication"]
    if not isinstance(replication, int) or isinstance(replication, bool) or replication < 0:
        return "replication is not a whole number >= 0"
    if not _finite_number(content["wall_s"]):
        return "wall_s is not a number"
    kpis = content["kpis"]
    if not isinstance(kpis, dict) or not kpis:
        return "kpis is not a table of KPI values"
    bad = next((k for k, v in kpis.items() if not _finite_number(v)), None)
    if bad is not None:
        return f"KPI {bad!r} is {kpis[bad]!r}, not a finite number"
    for key in ("yearly", "series", "monthly"):
        rows = content[key]
        if not isinstance(rows, list) or not all(_plain_row(row) for row in rows):
            return f"{key} is not a list of rows of numbers"
    daily = content["daily_output"]
    if not isinstance(daily, list) or not all(_finite_number(v) for v in daily):
        return "daily_output is not a list of numbers"
    return None


def _finite_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _plain_row(row: object) -> bool:
    return isinstance(row, dict) and all(isinstance(v, str) or _finite_number(v) for v in row.values())


# The sources that decide a replication's numbers: the engine and everything it reads. Editing
# anything else (a figure caption, the report, the command line) keeps stored replications.
MODEL_SOURCES = ("model", "scenario/schema.py", "scenario/distributions.py", "scenario/references.py",
                 "scenario/yamlfile.py", "scenario/limits.py", "analysis/metrics.py", "analysis/margins.py",
                 "analysis/kpis.py", "analysis/people.py", "analysis/firms.py", "analysis/monthly.py",
                 "analysis/warmup.py", "runs/experiment.py")
# what a replication imports but that decides no number: words, error types, file names, packages' faces
WORDS_ONLY = ("errors.py", "i18n.py", "layout.py", "scenario/names.py")


def code_fingerprint(package: Path | None = None) -> str:
    """A hash of the sources in ``MODEL_SOURCES`` (of this package, or of ``package``)."""
    return _code_fingerprint(Path(package or Path(slagsim.__file__).parent).resolve())


@functools.cache
def _code_fingerprint(package: Path) -> str:
    digest = hashlib.sha256()
    for source in MODEL_SOURCES:
        place = package / source
        for path in sorted(place.rglob("*.py")) if place.is_dir() else [place]:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def fingerprint(scenario: Scenario, settings: RunSettings) -> str:
    """A hash of everything that decides a replication's numbers (not how many are run).

    The code is part of it: a stored replication made by other code (a new KPI, a fixed bug) is
    run again rather than mixed with new ones.
    """
    content = {
        "scenario": without_words(scenario.model_dump(mode="json", by_alias=True)),
        "seed": settings.seed,
        "years": settings.years,
        "warmup_days": settings.warmup_days,
        "version": slagsim.__version__,
        "code": code_fingerprint(),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:16]
