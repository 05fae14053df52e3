"""Shared by the benchmarks (scripts/bench_build.py, scripts/bench_serve.py) and the tests that
build the site elsewhere: a copy of the project to build in, and the stock configuration.

"Stock" is the same content built with Material + static-i18n + the same Markdown extensions and
nothing of ours: mkdocs.yml without our plugins (handbook/*), without the minifier and the
git-revision plugin, and without hooks. Comparing with it in the same run says how much the
handbook's own features cost, whatever the machine's speed or load.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
# What a build reads. The pages are copied (benchmarks edit them); the rest is linked.
COPIED = ("docs",)
LINKED = ("overrides", "examples", "data", "tests", "package-lock.json", "node_modules")
STOCK_PLUGINS = {"search", "i18n"}
QUIET = {"NO_MKDOCS_2_WARNING": "1"}


def plugin_items(text: str):
    """(name, first line, line after) of each entry of mkdocs.yml's plugins list (0-based)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    for key, value in root.value:
        if key.value == "plugins":
            for item in value.value:
                name = item.value if item.id == "scalar" else item.value[0][0].value
                # A block mapping (`- name:` with options) ends where the next token starts: at
                # the next entry's "-", comments between skipped. That line is not this entry's.
                line = text.splitlines()[item.end_mark.line] if item.end_mark.line < len(
                    text.splitlines()) else ""
                at_next = not line[:item.end_mark.column].strip()
                end = item.end_mark.line + (1 if item.end_mark.column and not at_next else 0)
                yield name, item.start_mark.line, end


def without_plugins(text: str, drop) -> str:
    """mkdocs.yml's text without the plugins for which drop(name) is true (comments between
    entries may go with them)."""
    lines = text.splitlines(keepends=True)
    for name, start, end in sorted(plugin_items(text), key=lambda item: -item[1]):
        if drop(name):
            del lines[start:end]
    return "".join(lines)


def stock_config(text: str) -> str:
    return without_plugins(text, lambda name: name not in STOCK_PLUGINS)


def project_copy(target: Path, git: bool = True) -> Path:
    """A folder to build the handbook in: docs/ copied, the rest linked, mkdocs.yml and
    mkdocs.stock.yml written. git: the copy is a git repository with the pages committed, so
    that "last updated" dates come from git as in the worktree."""
    target.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        shutil.copytree(ROOT / name, target / name, symlinks=True)
    for name in LINKED:
        if (ROOT / name).exists():
            (target / name).symlink_to(ROOT / name)
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (target / "mkdocs.yml").write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "mkdocs.serve.yml", target / "mkdocs.serve.yml")
    (target / "mkdocs.stock.yml").write_text(stock_config(text), encoding="utf-8")
    if git:
        identity = ["-c", "user.name=bench", "-c", "user.email=bench@example.com"]
        for command in (["init", "-q"], ["add", "docs"], [*identity, "commit", "-qm", "pages"]):
            subprocess.run(["git", *command], cwd=target, check=True, capture_output=True)
    return target


def timed(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of a command, its child processes included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True,
                            env={**os.environ, **QUIET, **(env or {})}, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        raise RuntimeError(f"{' '.join(command)} failed in {cwd}:\n{result.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu
