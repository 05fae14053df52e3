"""handbook/translation-notices: an English page says when it is not current.

- A page whose Indonesian original changed since it was translated (its `source_hash` no longer
  matches, or it says `outdated: true`) opens with a notice linking the original.
- A page with no English twin: static-i18n shows the Indonesian original in its place (silently,
  under lang="en"); this plugin adds an explicit notice and marks the text lang="id".
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from mkdocs.plugins import BasePlugin

from handbook import translations
from handbook.languages import DEFAULT_LANGUAGE, building
from handbook.plugins.translation_notices.config import TranslationNoticesConfig

NOTICES = {
    "outdated": (
        '!!! warning "Translation behind the original"\n\n'
        "    The Indonesian original of this page has changed since this translation was made. "
        '<a href="{href}" hreflang="id" lang="id">Read the Indonesian original</a> '
        "for the latest content.\n\n"
    ),
    "missing": (
        '!!! warning "Not translated yet"\n\n'
        "    This page has no English translation yet, so the Indonesian original is shown below. "
        "You can help by translating it (see [Contributing]({contributing})).\n\n"
    ),
}


def translation_notice(markdown: str, page, config, contributing: str = "contributing.md") -> str:
    lang = building(config)
    if lang == DEFAULT_LANGUAGE:
        return markdown
    relative = PurePosixPath(page.file.src_uri)  # e.g. en/skills/apis.md
    markdown_up = "../" * (len(relative.parts) - 2)  # from the page to its language folder
    site_up = "../" * (len(relative.parts) - 1)  # from the built page to the site root
    if getattr(page.file, "locale", lang) != lang:
        # static-i18n fell back to the original: say so, and mark the text as Indonesian.
        notice = NOTICES["missing"].format(contributing=f"{markdown_up}{contributing}")
        return f'{notice}<div lang="{page.file.locale}" markdown>\n\n{markdown}\n\n</div>\n'
    page_path = PurePosixPath(*relative.parts[1:]).as_posix()
    if not (Path(config.docs_dir) / translations.ORIGINAL / page_path).is_file():
        return markdown
    status = translations.page_status(page_path, Path(config.docs_dir))
    if status.state == translations.OUTDATED:
        href = f"{site_up}{page_path.removesuffix('.md')}.html"
        return NOTICES["outdated"].format(href=href) + markdown
    return markdown


class TranslationNoticesPlugin(BasePlugin[TranslationNoticesConfig]):
    def on_startup(self, *, command, dirty):
        pass  # kept across rebuilds of `mkdocs serve`

    def on_page_markdown(self, markdown, *, page, config, files):
        if not self.config.enabled:
            return markdown
        return translation_notice(markdown, page, config, self.config.contributing)
