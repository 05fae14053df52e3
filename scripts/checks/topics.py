"""The topic map check: data/topics.yml is valid and every section it maps exists in both languages.

data/topics.yml maps each topic of roadmap.sh's Backend roadmap to the page#section that teaches
it (or says why not); the Topic Map page is rendered from it by handbook/topic-map. This check
reads the Markdown headings, so it needs no build: a renamed or deleted heading id shows up in
`make check-source`, with the line of data/topics.yml that maps it.
"""

from __future__ import annotations

import re

from . import ERROR, Finding, Project

_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<what>.*?)(?: — fix: (?P<fix>.*))?$")


def _finding(text: str) -> Finding:
    match = _LINE.match(text)
    if not match:  # every message of handbook.topics has this form; keep any other readable
        return Finding("data/topics.yml", 0, "topics", text, "", ERROR)
    return Finding(match["path"], int(match["line"]), "topics", match["what"], match["fix"] or "")


def run(project: Project) -> list[Finding]:
    from handbook.topics import TopicMapError, load_topic_map, missing_anchors

    path = project.root / "data" / "topics.yml"
    if not path.is_file():
        return []  # a project without a topic map (the check fixture) has nothing to check
    try:
        topic_map = load_topic_map(path)
    except TopicMapError as error:
        return [_finding(line) for line in str(error).splitlines()]
    return [_finding(line) for line in missing_anchors(topic_map, project.docs)]
