"""The code stays clean under the ruff configuration in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys

from tests.common import ROOT


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or f"{sys.executable} -m ruff"
    result = subprocess.run([*ruff.split(), "check", str(ROOT / "slagsim"), str(ROOT / "tests"),
                             str(ROOT / "benchmarks")], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
