"""examples/shell/getting_started.sh, the learning path's first commands: they run in the
order the page shows, stop at the first failure, and name files the repository really has.

git and python3.11 are replaced by stubs that log their arguments: the test proves the
script's flow without cloning from the network or installing every requirement again."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

import pytest
from bookstore.settings import settings_or_exit

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "shell" / "getting_started.sh"

GIT_STUB = """#!/usr/bin/env bash
echo "git $*" >> "$CALLS"
if [[ "$1" == clone && -z "${GIT_FAILS:-}" ]]; then mkdir -p "$3"; exit 0; fi
exit 1
"""

# python3.11 -m venv .venv creates an activate script that puts the stub `python` first on PATH.
PYTHON_STUB = """#!/usr/bin/env bash
echo "python3.11 $*" >> "$CALLS"
mkdir -p .venv/bin
printf 'export PATH="%s:$PATH"\\n' "$PWD/.venv/bin" > .venv/bin/activate
printf '#!/usr/bin/env bash\\necho "python $*" >> "$CALLS"\\n' > .venv/bin/python
chmod +x .venv/bin/python
"""


def run(tmp_path: Path, *args: str, **env: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    stubs = tmp_path / "stubs"
    stubs.mkdir(exist_ok=True)
    for name, body in (("git", GIT_STUB), ("python3.11", PYTHON_STUB)):
        path = stubs / name
        path.write_text(body)
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    calls = tmp_path / "calls.txt"
    calls.touch()
    result = subprocess.run(
        ["bash", str(SCRIPT), *args],
        cwd=tmp_path,
        env={**os.environ, "PATH": f"{stubs}:{os.environ['PATH']}", "CALLS": str(calls), **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return result, calls.read_text().splitlines()


def test_commands_run_in_the_documented_order(tmp_path):
    url = "https://github.com/reader/panduan-backend.git"
    result, calls = run(tmp_path, url)
    assert result.returncode == 0, result.stderr
    assert calls == [
        f"git clone {url} panduan-backend",
        "python3.11 -m venv .venv",
        "python -m pip install -r requirements.txt",
        "python -m pytest tests/examples -q",
    ]
    assert (tmp_path / "panduan-backend" / ".venv").is_dir()  # created inside the clone


def test_a_failed_clone_stops_the_script(tmp_path):
    result, calls = run(tmp_path, "https://example.invalid/nothing.git", GIT_FAILS="1")
    assert result.returncode != 0
    assert calls == ["git clone https://example.invalid/nothing.git panduan-backend"]


def test_without_the_fork_address_it_says_how_to_run_it(tmp_path):
    result, calls = run(tmp_path)
    assert result.returncode == 2
    assert "usage: getting_started.sh FORK_URL" in result.stderr
    assert calls == []


def test_the_files_and_version_it_names_exist():
    assert (ROOT / "requirements.txt").is_file()
    assert (ROOT / "tests" / "examples").is_dir()
    # The Makefile accepts CPython 3.11 to 3.13 (CI tests the oldest and the newest), so the page
    # may name that range and use 3.11 in its commands.
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "v = sys.version_info[:2]" in makefile and "(3, 11) <= v <= (3, 13)" in makefile


def test_stage_three_quotes_the_message_and_exit_code_the_service_really_gives(capsys):
    # The learning path once quoted "needs at least 32 characters", a line the journal never shows.
    environ = {
        "BOOKSTORE_ENVIRONMENT": "production",  # set by the unit's Environment= line
        "BOOKSTORE_SECRET_KEY": "too-short",
        "BOOKSTORE_WEBHOOK_SECRET": "w" * 32,
    }
    with pytest.raises(SystemExit) as stopped:
        settings_or_exit(environ)
    journal = capsys.readouterr().err
    unit = (ROOT / "examples" / "deploy" / "bookstore.service").read_text(encoding="utf-8")
    assert stopped.value.code == 78
    assert "BOOKSTORE_ENVIRONMENT=production" in unit and "\nRestartPreventExitStatus=78\n" in unit
    for lang in ("id", "en"):
        page = " ".join((ROOT / "docs" / lang / "learning-path.md").read_text(encoding="utf-8").split())
        quoted = re.findall(r"`(BOOKSTORE_SECRET_KEY needs[^`]*)`", page)
        assert quoted, f"{lang}: the page no longer quotes the message"
        assert all(f"bookstore: {text} — fix: " in journal for text in quoted), (quoted, journal)
        assert "RestartPreventExitStatus=78" in page and "status=78/CONFIG" in page
