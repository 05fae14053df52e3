"""Fixtures of the search tests."""

from __future__ import annotations

import shutil

import pytest
from support import skip_or_fail


@pytest.fixture(scope="session")
def node() -> str:
    path = shutil.which("node")
    if not path:
        skip_or_fail("Node.js not found: install Debian's `nodejs` (make system does it)")
    return path
