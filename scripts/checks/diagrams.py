"""`check.py diagrams` (part of `check.py source`): every ```mermaid fence of a page has its
pre-rendered light and dark SVG, current for the fence's text.

handbook/diagrams swaps each fence for its two SVGs at build time, and a strict build fails on a
fence that has none; `make check` runs `check.py source` before the build, so a contributor who
changed a diagram learns it here, in a second, with the fence's line. The rule itself (file names
keyed on a hash of the fence and the renderer's version) lives in handbook.diagrams, which the
plugin and `scripts/diagrams.py` share; this module only reports its findings as the checks do.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import Finding, Project, display_path

CHECK = "diagrams"


def _settings(project: Project) -> tuple[Path, Path] | None:
    """The SVG folder and the renderer's lock file (handbook/diagrams' `output` and `lock_file`
    options), or None when mkdocs.yml does not switch the plugin on: fences are then code."""
    for plugin in project.mkdocs.get("plugins") or []:
        options = plugin.get("handbook/diagrams") if isinstance(plugin, dict) else None
        if plugin == "handbook/diagrams" or isinstance(options, dict):
            options = options or {}
            if options.get("enabled", True) is False:
                return None
            return (project.docs / str(options.get("output") or "assets/diagrams").strip("/"),
                    project.root / str(options.get("lock_file") or "package-lock.json"))
    return None


def run(project: Project, files: list[Path] | None = None) -> list[Finding]:
    from handbook import diagrams

    settings = _settings(project)
    if settings is None:
        return []
    output, lock = settings
    try:
        renderer = diagrams.mermaid_version(lock) if lock.is_file() else None
    except json.JSONDecodeError as error:  # a merge left conflict markers in it
        _where, rest = diagrams.lock_problem(lock, error).split(": [diagrams] ", 1)
        what, fix = rest.split(" — fix: ", 1)
        return [Finding(display_path(lock), error.lineno, CHECK, what, fix)]
    found: list[Finding] = []
    pages = [f for f in files if f.suffix == ".md"] if files else sorted(project.docs.rglob("*.md"))
    for path in pages:
        if project.too_big(path):
            continue  # the page check reports it; no other check reads it
        try:
            text = path.read_bytes().decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
        except OSError:
            continue
        if "mermaid" not in text:
            continue
        for diagram in diagrams.find(text, path, renderer):
            wrong = diagrams.problem(diagram, output)
            if wrong:
                found.append(Finding(display_path(path), diagram.line, CHECK, *wrong))
    return found
