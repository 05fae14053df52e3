"""Markdown lint (pymarkdownlnt, configured in .pymarkdown.json for Material's syntax) and English
spelling (codespell, configured in .codespellrc: English pages, code and comments; Indonesian
text is skipped).

What this adds that neither tool does: both run as separate processes started before the other
checks (pymarkdownlnt is pure Python and the slowest check, so its files are split over the
machine's cores by size), and their output becomes the same `file:line: [lint] ... — fix: ...`
lines as the other checks, with the rule's documentation as the fix.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import ERROR, Finding, Project, display_path

CHECK = "lint"
_PYMARKDOWN_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<rule>MD\d+): "
                              r"(?P<message>.*?)(?: \((?P<aliases>[\w,-]+)\))?$")
_CODESPELL_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<word>.+?) ==> (?P<fix>.+)$")


@dataclass
class Job:
    processes: list[tuple[str, subprocess.Popen]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _balanced(files: list[Path], parts: int) -> list[list[Path]]:
    """Split files into `parts` groups of about the same total size (largest first)."""
    groups: list[tuple[int, list[Path]]] = [(0, []) for _ in range(parts)]
    for path in sorted(files, key=lambda p: p.stat().st_size, reverse=True):
        size, members = min(groups, key=lambda g: g[0])
        groups.remove((size, members))
        groups.append((size + path.stat().st_size, members + [path]))
    return [members for _, members in groups if members]


REPOSITORY = Path(__file__).resolve().parents[2]
TIMEOUT = 600.0  # a hang guard, not a budget: the size limit keeps lint to seconds per page


def _size(name: str) -> int:
    try:
        return Path(name).stat().st_size
    except OSError:
        return 0


def config_file(project: Project, name: str) -> Path | None:
    """The project's own lint configuration, else this repository's (a fixture site, or docs
    checked from elsewhere, are linted with the handbook's rules)."""
    for folder in (project.root, REPOSITORY):
        if (folder / name).is_file():
            return folder / name
    return None


def start(project: Project, files: list[Path] | None = None) -> Job:
    """Start pymarkdownlnt and codespell; collect their results with finish()."""
    job = Job()
    root = project.root
    config = config_file(project, ".pymarkdown.json")
    markdown = [f for f in files if f.suffix == ".md"] if files else sorted(
        project.docs.rglob("*.md"))
    # Pages the page check refuses (too big, not UTF-8, broken front matter) would stop
    # pymarkdownlnt, hang it or make it report every line: the page check reports them once.
    from .pages import unfit

    markdown = [f for f in markdown if not unfit(f)]
    if markdown:
        base = [sys.executable, str(Path(__file__).with_name("pymarkdown_runner.py"))]
        if config:
            base += ["--config", str(config)]
        parts = max(1, min(os.cpu_count() or 1, len(markdown) // 4 or 1))
        for group in _balanced(markdown, parts):
            command = base + ["scan", *map(str, group)]
            job.processes.append(("pymarkdown", subprocess.Popen(
                command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    codespell = Path(sys.executable).parent / "codespell"
    command = [str(codespell) if codespell.exists() else "codespell"]
    codespell_config = config_file(project, ".codespellrc")
    if codespell_config:
        command += ["--config", str(codespell_config)]
    if files:
        # Only English text: Indonesian pages are not spell-checked with an English dictionary.
        others = {lang for lang in project.language_dirs if lang != "en"}
        targets = [str(f.resolve()) for f in files if (project.page_of(f) or ("en",))[0]
                   not in others]
        if not targets:
            return job
        command += targets
    else:
        command += ["."]
    try:
        job.processes.append(("codespell", subprocess.Popen(
            command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    except FileNotFoundError:
        job.findings.append(Finding(".codespellrc", 0, CHECK, "codespell is not installed",
                                    "pip install codespell (it is in requirements.txt)", "warning"))
    return job


def finish(job: Job | None) -> list[Finding]:
    if job is None:
        return []
    findings = list(job.findings)
    deadline = time.monotonic() + TIMEOUT
    for name, process in job.processes:
        try:
            out, err = process.communicate(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            files = [a for a in process.args if str(a).endswith(".md")]
            findings.append(Finding(
                ".pymarkdown.json" if name == "pymarkdown" else ".codespellrc", 0, CHECK,
                f"{name} did not finish in {TIMEOUT:.0f} s" + (
                    f" on {len(files)} pages, the largest {max(files, key=_size)}"
                    if files else ""),
                "run `.venv/bin/python scripts/check.py lint FILE` on single pages to find the "
                "one that takes long, and split it"))
            continue
        if name == "pymarkdown":
            findings += _pymarkdown(out, err, process.returncode)
        else:
            findings += _codespell(out, err, process.returncode)
    return findings


def _pymarkdown(out: str, err: str, code: int) -> list[Finding]:
    findings = []
    for line in out.splitlines():
        match = _PYMARKDOWN_LINE.match(line.strip())
        if not match:
            continue
        rule = match["rule"]
        findings.append(Finding(
            display_path(match["path"]), int(match["line"]), CHECK,
            f"{rule} {match['message']}",
            f"see https://pymarkdown.readthedocs.io/en/latest/plugins/rule_{rule.lower()}.md "
            f"(many can be fixed with `pymarkdown --config .pymarkdown.json fix FILE`)"))
    if code not in (0, 1) or (code == 1 and not findings):
        message = (err or out).strip().splitlines()
        findings.append(Finding(".pymarkdown.json", 0, CHECK, "pymarkdownlnt failed: " +
                                (message[-1] if message else f"exit status {code}"),
                                "run `.venv/bin/pymarkdown --config .pymarkdown.json scan docs`"))
    return findings


def _codespell(out: str, err: str, code: int) -> list[Finding]:
    findings = []
    for line in out.splitlines():
        match = _CODESPELL_LINE.match(line.strip())
        if match:
            findings.append(Finding(
                display_path(match["path"].removeprefix("./")), int(match["line"]), CHECK,
                f"spelling: {match['word']}", f"write {match['fix']} (a word that is right: "
                "ignore-words-list in .codespellrc; a typo on purpose, in code: end the line "
                "with `# codespell:ignore`)"))
    if code not in (0, 65) or (code == 65 and not findings):
        message = (err or out).strip().splitlines()
        findings.append(Finding(".codespellrc", 0, CHECK, "codespell failed: " +
                                (message[-1] if message else f"exit status {code}"), "", ERROR))
    return findings
