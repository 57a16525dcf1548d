"""The layers hold: the import contract in pyproject.toml passes, and an import that runs upward fails it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.common import PACKAGE, ROOT


def lint_imports(where: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` on the package found first from ``where`` (its own copy when there is one)."""
    command = shutil.which("lint-imports") or "lint-imports"
    env = {**os.environ, "PYTHONPATH": str(where)}
    return subprocess.run([command, "--config", str(where / "pyproject.toml"), "--no-cache"], cwd=where,
                          capture_output=True, text=True, env=env, timeout=300)


def test_the_layers_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_import_that_runs_upward_breaks_the_contract(tmp_path):
    """The engine importing the command line (a back-arrow) fails the check and is named."""
    shutil.copytree(PACKAGE, tmp_path / "slagsim", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    engine = tmp_path / "slagsim" / "model" / "engine.py"
    engine.write_text(engine.read_text() + "\nimport slagsim.cli.tables  # noqa: E402, F401\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout and "slagsim.model.engine -> slagsim.cli.tables" in result.stdout

