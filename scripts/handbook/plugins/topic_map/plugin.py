"""handbook/topic-map: the Topic Map page, generated from data/topics.yml.

docs/<lang>/topic-map.md holds three markers: `<!-- topic-map:coverage -->` becomes the coverage
figures (computed here, at build time, from the data), `<!-- topic-map:groups -->` one section per
roadmap group with a table of its topics, each linking to the section that teaches it, and
`<!-- topic-map:not-taught -->` the list of topics not taught yet and out of scope, with why.
The map is validated when loaded (handbook.topics): data that breaks the schema fails the build
with its line. A mapped section missing in a language is reported by `scripts/check.py topics`
(make check), not here: like every page, the map still builds while an English twin is missing,
its links then reaching the Indonesian page the site shows in its place.
"""

from __future__ import annotations

import html
import re
from pathlib import Path, PurePosixPath

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from handbook.languages import DEFAULT_LANGUAGE, content_language
from handbook.plugins.topic_map.config import TopicMapConfig
from handbook.topics import (
    GAP,
    OUT_OF_SCOPE,
    TAUGHT,
    TopicMap,
    TopicMapError,
    cached_topic_map,
    page_headings,
)

COVERAGE_MARKER = "<!-- topic-map:coverage -->"
GROUPS_MARKER = "<!-- topic-map:groups -->"
NOT_TAUGHT_MARKER = "<!-- topic-map:not-taught -->"
MARKERS = (COVERAGE_MARKER, GROUPS_MARKER, NOT_TAUGHT_MARKER)
GOAL_PERCENT = 90

TEXT = {
    "id": {
        "header": ("Topik roadmap.sh", "Status", "Tempat atau alasan"),
        TAUGHT: "diajarkan",
        OUT_OF_SCOPE: "di luar cakupan",
        GAP: "belum diajarkan",
        "vendor": "produk {vendor}, tidak dihitung",
        "home": "Tempat yang cocok: {link}.",
        "coverage": (
            "Dari {topics} topik roadmap, {vendor} adalah produk vendor tertentu dan tidak "
            "dihitung. Dari {counted} topik lainnya, sebanyak {taught} ({percent}) diajarkan di "
            "panduan ini, {out_of_scope} di luar cakupan, dan {gap} belum diajarkan. Targetnya "
            "{goal}%: {verdict}"),
        "met": "target tercapai.",
        "unmet": "masih kurang {missing} topik.",
        "gaps": "Belum diajarkan ({count})",
        "out": "Di luar cakupan ({count})",
        "vendors": "Produk vendor, tidak dihitung ({count})",
        "group": "kelompok {label}",
    },
    "en": {
        "header": ("roadmap.sh topic", "Status", "Where, or why not"),
        TAUGHT: "taught",
        OUT_OF_SCOPE: "out of scope",
        GAP: "not taught yet",
        "vendor": "{vendor} product, not counted",
        "home": "Natural home: {link}.",
        "coverage": (
            "Of the roadmap's {topics} topics, {vendor} are a specific vendor's product and are "
            "not counted. Of the other {counted}, {taught} ({percent}) are taught in this "
            "handbook, {out_of_scope} are out of scope and {gap} are not taught yet. The goal "
            "is {goal}%: {verdict}"),
        "met": "met.",
        "unmet": "{missing} topics short.",
        "gaps": "Not taught yet ({count})",
        "out": "Out of scope ({count})",
        "vendors": "Vendor products, not counted ({count})",
        "group": "group {label}",
    },
}

_TITLE = re.compile(r"\A---\n.*?^title:\s*(.+?)\s*$.*?^---\n", re.DOTALL | re.MULTILINE)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _label(topic_label: str, lang: str) -> str:
    """A roadmap name as roadmap.sh writes it: English, so marked as such on Indonesian pages
    (screen readers pronounce it in English; it is a name quoted, not a term to translate)."""
    return topic_label if lang == "en" else f'<span lang="en">{html.escape(topic_label)}</span>'


def percent(value: float, lang: str) -> str:
    """One decimal, rounded down (a figure the book must reach is never rounded up)."""
    tenths = int(value * 10 + 1e-9)
    text = f"{tenths // 10}.{tenths % 10}%"
    return text.replace(".", ",") if lang == "id" else text


class _Pages:
    """Titles and heading texts of the pages the map links to, per language."""

    def __init__(self, docs_dir: str | Path, lang: str):
        self.docs_dir = Path(docs_dir)
        self.lang = lang
        self._titles: dict[str, str] = {}
        self._headings: dict[str, dict[str, str]] = {}

    def _source(self, page: str) -> Path:
        """The page in this language, or the Indonesian original the site shows in its place."""
        path = self.docs_dir / self.lang / PurePosixPath(page)
        return path if path.is_file() else self.docs_dir / DEFAULT_LANGUAGE / PurePosixPath(page)

    def title(self, page: str) -> str:
        if page not in self._titles:
            path = self._source(page)
            match = _TITLE.match(path.read_text(encoding="utf-8")) if path.is_file() else None
            self._titles[page] = match.group(1).strip("\"'") if match else page
        return self._titles[page]

    def heading(self, page: str, anchor: str) -> str:
        if page not in self._headings:
            self._headings[page] = page_headings(self._source(page))
        return self._headings[page].get(anchor, anchor)

    def link(self, target: str) -> str:
        page, _, anchor = target.partition("#")
        text = self.title(page)
        if anchor:
            text = f"{text}: {self.heading(page, anchor)}"
        return f"[{text}]({target})"


def render_coverage(topic_map: TopicMap, lang: str) -> str:
    figures = topic_map.coverage()
    text = TEXT[lang]
    needed = -(-GOAL_PERCENT * figures["counted"] // 100)  # ceiling
    missing = max(0, needed - figures["taught"])
    verdict = text["met"] if missing == 0 else text["unmet"].format(missing=missing)
    return text["coverage"].format(**{**figures, "percent": percent(figures["percent"], lang)},
                                   goal=GOAL_PERCENT, verdict=verdict)


def render_groups(topic_map: TopicMap, lang: str, pages: _Pages) -> str:
    text = TEXT[lang]
    blocks = []
    for group in topic_map.groups:
        first, second, third = text["header"]
        rows = [f"### {group.title[lang]} {{ #{group.id} }}", "",
                f"| {first} | {second} | {third} |", "| --- | --- | --- |"]
        for topic in group.topics:
            status = text[topic.status]
            if topic.vendor:
                status += f" ({text['vendor'].format(vendor=topic.vendor)})"
            if topic.status == TAUGHT:
                where = pages.link(topic.target)
            elif topic.status == GAP:
                where = f"{topic.reason[lang]} {text['home'].format(link=pages.link(topic.target))}"
            else:
                where = topic.reason[lang]
            rows.append(f"| {_cell(_label(topic.label, lang))} | {_cell(status)} | {_cell(where)} |")
        blocks.append("\n".join(rows))
    return "\n\n".join(blocks)


def render_not_taught(topic_map: TopicMap, lang: str, pages: _Pages) -> str:
    text = TEXT[lang]
    sections = []
    for status, title in ((GAP, "gaps"), (OUT_OF_SCOPE, "out")):
        items = []
        for group in topic_map.groups:
            for topic in group.topics:
                if topic.status != status or topic.vendor:
                    continue
                where = f"[{text['group'].format(label=_label(group.label, lang))}](#{group.id})"
                line = f"- **{_label(topic.label, lang)}** ({where}): {topic.reason[lang]}"
                if status == GAP:
                    line += " " + text["home"].format(link=pages.link(topic.target))
                items.append(line)
        sections.append(f"**{text[title].format(count=len(items))}**\n\n" + "\n".join(items))
    vendors = [f"{_label(t.label, lang)} ({t.vendor})" for t in topic_map.topics if t.vendor]
    sections.append(f"**{text['vendors'].format(count=len(vendors))}**: " + ", ".join(vendors)
                    + ".")
    return "\n\n".join(sections)


def expand(markdown: str, topic_map: TopicMap, lang: str, docs_dir: str | Path) -> str:
    pages = _Pages(docs_dir, lang)
    return (markdown
            .replace(COVERAGE_MARKER, render_coverage(topic_map, lang))
            .replace(GROUPS_MARKER, render_groups(topic_map, lang, pages))
            .replace(NOT_TAUGHT_MARKER, render_not_taught(topic_map, lang, pages)))


class TopicMapPlugin(BasePlugin[TopicMapConfig]):
    def on_startup(self, *, command, dirty):
        pass  # kept across rebuilds of `mkdocs serve`

    def on_page_markdown(self, markdown, *, page, config, files):
        if not self.config.enabled or not any(marker in markdown for marker in MARKERS):
            return markdown
        try:
            topic_map = cached_topic_map(self.config.topics)
        except TopicMapError as error:
            raise PluginError(str(error)) from None
        return expand(markdown, topic_map, content_language(page, config), config.docs_dir)
