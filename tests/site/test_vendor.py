"""Vendored scripts are byte-identical to the versions pinned in package-lock.json."""

from __future__ import annotations

import json
import re

import pytest
from support import ROOT

VENDOR = ROOT / "docs" / "assets" / "javascripts" / "vendor"
MODULES = ROOT / "node_modules"
FILES = {"iframe-worker": {"shim.js": "shim/index.js", "LICENSE": "LICENSE"}}


@pytest.mark.parametrize("package", sorted(FILES))
def test_vendored_copy_matches_the_pinned_package(package):
    lock = json.loads((ROOT / "package-lock.json").read_text())
    version = lock["packages"][f"node_modules/{package}"]["version"]
    readme = (VENDOR / "README.md").read_text()
    assert re.search(rf"`{package}`.*\| {re.escape(version)} \|", readme), \
        f"docs/assets/javascripts/vendor/README.md must record {package} {version}"
    if not (MODULES / package).is_dir():
        pytest.skip("node_modules missing: run `npm ci` to compare the vendored bytes")
    for vendored, original in FILES[package].items():
        assert (VENDOR / package / vendored).read_bytes() == \
            (MODULES / package / original).read_bytes(), f"run `make vendor` ({vendored})"
