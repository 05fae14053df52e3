"""handbook/translation-status: the table of every page and the state of its English twin.

translation-status.md (both languages) holds the marker; the states come from
handbook.translations (`python scripts/translations.py status` prints the same list).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import BasePlugin

from handbook import translations
from handbook.languages import building
from handbook.pages import checklist_pages
from handbook.plugins.translation_status.config import TranslationStatusConfig

STATUS_LABELS = {
    "id": {translations.UP_TO_DATE: "mutakhir", translations.OUTDATED: "tertinggal",
           translations.MISSING: "belum ada", translations.UNTRACKED: "belum dilacak"},
    "en": {translations.UP_TO_DATE: "up to date", translations.OUTDATED: "outdated",
           translations.MISSING: "missing", translations.UNTRACKED: "not tracked"},
}
STATUS_HEADERS = {"id": ("Halaman", "Terjemahan bahasa Inggris"),
                  "en": ("Page", "English translation")}


def translation_status_table(config, lang: str) -> str:
    docs = Path(config.docs_dir)
    titles = {p["slug"]: p["title"] for p in checklist_pages(config, lang)}
    page_header, state_header = STATUS_HEADERS[lang]
    rows = [f"| {page_header} | {state_header} |", "| --- | --- |"]
    for status in translations.all_statuses(docs):
        slug = status.page.removesuffix(".md")
        title = titles.get(slug, slug).replace("|", "\\|")
        rows.append(f"| [{title}]({status.page}) | {STATUS_LABELS[lang][status.state]} |")
    return "\n".join(rows)


class TranslationStatusPlugin(BasePlugin[TranslationStatusConfig]):
    def on_startup(self, *, command, dirty):
        pass  # kept across rebuilds of `mkdocs serve`

    def on_page_markdown(self, markdown, *, page, config, files):
        if not self.config.enabled or self.config.marker not in markdown:
            return markdown
        return markdown.replace(self.config.marker,
                                translation_status_table(config, building(config)))
