"""A newcomer's first hour: what README.md, `make help` and the Makefile promise is what happens.

- make serve answers at the URLs they print (/ and /en/) and shows an edit;
- make build prints only what needs attention, and a real warning still fails it;
- the offline path they print is the zip's;
- make clean removes everything the targets create (all of .gitignore but .venv, node_modules);
- the Makefile takes any CPython 3.11 to 3.13 and says why it refuses another.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from handbook.bench import project_copy
from support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def make(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=cwd, capture_output=True,
                          text=True, check=False, env={**os.environ, **(env or {})})


def make_help_line(target: str) -> str:
    lines = [ln for ln in make("help").stdout.splitlines() if ln.split()[1:2] == [target]]
    assert len(lines) == 1, f"make help lists {target!r} {len(lines)} times"
    return lines[0]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project that make can run in (the pages copied, the rest linked)."""
    folder = project_copy(tmp_path_factory.mktemp("first-hour") / "project")
    for name in ("Makefile", "requirements.txt", "pyproject.toml"):
        shutil.copy(ROOT / name, folder / name)
    (folder / ".venv").symlink_to(ROOT / ".venv")
    return folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


@pytest.mark.timeout(900)
def test_make_serve_answers_at_the_urls_readme_and_help_print(project):
    promised = "http://127.0.0.1:8000/"
    for text in (make_help_line("serve"), next(ln for ln in README.splitlines()
                                                if ln.startswith("make serve"))):
        assert promised in text and "/en/" in text, text
    port = free_port()
    # The recipe as make runs it (the environment is already up to date: -o skips its rule).
    recipe = make("-s", "-n", "-o", ".venv/.installed", "serve", f"PORT={port}",
                  cwd=project).stdout.strip().splitlines()[-1]
    env, words = dict(os.environ, NO_MKDOCS_2_WARNING="1"), shlex.split(recipe)
    while "=" in words[0]:
        key, _, value = words.pop(0).partition("=")
        env[key] = value
    log = (project / "serve.log").open("w")
    server = subprocess.Popen(words, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    base = promised.replace("8000", str(port))
    try:
        # No deadline here: the test's timeout mark (pytest-timeout) stops a hang.
        while (home := get(base)) is None:
            assert server.poll() is None, (project / "serve.log").read_text()[-3000:]
            time.sleep(1)
        assert '<html lang="id"' in home
        assert '<html lang="en"' in (get(base + "en/") or "")
        page = project / "docs" / "id" / "overview.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nSuntingan pendatang baru.\n",
                        encoding="utf-8")
        while "Suntingan pendatang baru" not in (get(base + "overview.html") or ""):
            assert server.poll() is None, (project / "serve.log").read_text()[-3000:]
            time.sleep(0.5)
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)
        log.close()
    output = (project / "serve.log").read_text()
    assert "WARNING" not in output and "ERROR" not in output, output[-3000:]


# What a successful build may print: MkDocs's own three lines (make echoes its command first).
QUIET_LINES = re.compile(r"INFO +- +(Cleaning site directory|Building documentation to "
                         r"directory: .*|Documentation built in [\d.]+ seconds)$")


@pytest.mark.timeout(900)
def test_make_build_prints_only_what_needs_attention_and_warnings_still_fail(project):
    build = make("-o", ".venv/.installed", "build", "SITE=site-first-hour", cwd=project)
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    printed = [ln for ln in (build.stdout + build.stderr).splitlines()
               if ln.strip() and "mkdocs build" not in ln]
    noise = [ln for ln in printed if not QUIET_LINES.match(ln)]
    assert not noise, "the build printed more than it should:\n" + "\n".join(noise)

    page = project / "docs" / "id" / "about.md"
    original = page.read_text(encoding="utf-8")
    page.write_text(original + "\nLihat [halaman yang tidak ada](tidak-ada.md).\n",
                    encoding="utf-8")
    try:
        broken = make("-o", ".venv/.installed", "build", "SITE=site-first-hour", cwd=project)
    finally:
        page.write_text(original, encoding="utf-8")
    output = broken.stdout + broken.stderr
    assert broken.returncode != 0, "a broken link must fail the strict build"
    assert re.search(r"WARNING .*tidak-ada\.md", output), output[-3000:]
    assert "Aborted with 1 warnings in strict mode" in output


def test_offline_path_in_readme_and_make_is_the_zips(built_site):
    row = next(ln for ln in README.splitlines() if ln.startswith("| `make offline`"))
    zip_name, opened = re.search(r"unpack `dist/([^`]+\.zip)`, open `([^`]+)`", row).groups()
    said = make("-n", "-o", ".venv/.installed", "-o", "build", "offline").stdout
    assert f"Unpack dist/{zip_name} and open {opened}" in said
    with zipfile.ZipFile(built_site / "downloads" / zip_name) as zf:
        assert opened in zf.namelist()


# One file or folder for each line of .gitignore, as the targets make them.
CREATED = {
    ".venv/": ".venv/bin/python", "node_modules/": "node_modules/.installed",
    "/site/": "site/index.html", "/build/": "build/lib/x.py", "/dist/": "dist/x.zip",
    "__pycache__/": "scripts/__pycache__/x.cpython-311.pyc", "*.pyc": "tests/x.pyc",
    ".pytest_cache/": ".pytest_cache/README.md", ".ruff_cache/": ".ruff_cache/x",
    ".coverage": ".coverage", "htmlcov/": "htmlcov/index.html",
    ".cache/": ".cache/handbook/precompress/ab/x.gz", "/reports/": "reports/bench-build.json",
    "*.sqlite3": "examples/x.sqlite3", "*.db": "examples/bookstore.db",
    "*.db-wal": "examples/bookstore.db-wal", "*.db-shm": "examples/bookstore.db-shm",
    "*.egg-info/": "scripts/panduan_backend.egg-info/PKG-INFO",
}
KEPT = {".venv/", "node_modules/"}


def test_make_clean_removes_all_that_targets_create(tmp_path):
    patterns = [ln.strip() for ln in (ROOT / ".gitignore").read_text().splitlines()
                if ln.strip() and not ln.startswith("#")]
    assert set(patterns) == set(CREATED), (
        "each .gitignore line needs an example here, and `make clean` must remove it: "
        f"{sorted(set(patterns) ^ set(CREATED))}")
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    for path in CREATED.values():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("x")
    (tmp_path / "examples" / "keep.py").write_text("x")
    result = make("clean", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    left = {pattern for pattern, path in CREATED.items() if (tmp_path / path).exists()}
    assert left == KEPT, f"make clean left {sorted(left - KEPT)}, removed {sorted(KEPT - left)}"
    assert (tmp_path / "examples" / "keep.py").exists()


def interpreter(version: str) -> str | None:
    """A python<version> that runs (pyenv's shims exist for versions that are not active)."""
    candidates = sorted(Path("/root/.pyenv/versions").glob(f"{version}.*/bin/python{version}"))
    candidates += [Path(p) for p in [shutil.which(f"python{version}")] if p]
    for candidate in candidates:
        probe = subprocess.run([candidate, "-c", "pass"], capture_output=True, check=False)
        if probe.returncode == 0:
            return str(candidate)
    return None


@pytest.mark.parametrize("version", ["3.11", "3.12", "3.13"])
def test_makefile_takes_cpython_3_11_to_3_13(version):
    python = interpreter(version)
    if python is None:
        pytest.skip(f"no python{version} on this machine")
    result = make("check-python", f"PYTHON={python}")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("version", ["3.10", "2.7"])
def test_makefile_names_the_python_it_refuses(version):
    python = interpreter(version)
    if python is None:
        pytest.skip(f"no python{version} on this machine to refuse")
    result = make("check-python", f"PYTHON={python}")
    assert result.returncode != 0
    assert "CPython 3.11 to 3.13 is needed" in result.stderr and python in result.stderr


def test_makefile_finds_a_python_by_itself():
    result = make("check-python")
    assert result.returncode == 0, result.stdout + result.stderr
    assert sys.version_info[:2] >= (3, 11)
