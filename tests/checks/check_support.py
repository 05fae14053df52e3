"""Shared by the content-check tests (imported as `check_support`; not a conftest, so that the
name cannot clash with the other suites' conftest modules)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support import ROOT

FIXTURE = Path(__file__).resolve().parent / "fixture"
CHECK_SCRIPT = ROOT / "scripts" / "check.py"


def run_check(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """scripts/check.py as make and pre-commit run it."""
    return subprocess.run([sys.executable, str(CHECK_SCRIPT), *args], cwd=cwd,
                          capture_output=True, text=True, check=False, timeout=900)
