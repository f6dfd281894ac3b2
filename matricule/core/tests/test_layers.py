"""The layers contract (pyproject.toml, `lint-imports`) holds, and it does catch a backward
import: a probe module importing an upper layer from core makes it fail."""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter n'est pas installé"),
]


def _lint() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_layers_contract_is_kept():
    result = _lint()
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_backward_import_breaks_the_contract(tmp_path):
    # A copy of the package, so the working tree is never touched by the probe.
    copy = tmp_path / "tree"
    shutil.copytree(ROOT / "matricule", copy / "matricule", ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    probe = copy / "matricule" / "core" / f"probe_{uuid.uuid4().hex[:8]}.py"
    probe.write_text("from matricule.personnel.models import Officer  # noqa\n")
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode != 0
    assert "matricule.core is not allowed to import matricule.personnel" in result.stdout
    assert probe.stem in result.stdout
