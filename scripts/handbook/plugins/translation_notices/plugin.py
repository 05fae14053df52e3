"""handbook/translation-notices: an English page says when it is not current, and speaks English.

- A page whose Indonesian original changed since it was translated (its `source_hash` no longer
  matches, or it says `outdated: true`) opens with a notice linking the original.
- A page with no English twin: static-i18n shows the Indonesian original in its place (silently,
  under lang="en"); this plugin adds an explicit notice and marks the text lang="id".
- The title of each heading's permalink (the toc extension's `permalink_title`, "Tautan ke
  bagian ini" in mkdocs.yml) in the language being built. static-i18n refuses per-language
  `mdx_configs`, but it runs every plugin's on_config again for each language, and MkDocs makes
  a new Markdown converter from config.mdx_configs for every page.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from mkdocs.plugins import BasePlugin, event_priority

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


def set_permalink_title(config, titles: dict[str, str], default: str | None) -> None:
    """toc's permalink_title for the language being built: titles[lang], else `default` (the
    title mkdocs.yml gives, in the default language)."""
    toc = config.mdx_configs.get("toc")
    if toc is None or not toc.get("permalink"):
        return
    title = titles.get(building(config), default)
    if title is not None:
        toc["permalink_title"] = title


class TranslationNoticesPlugin(BasePlugin[TranslationNoticesConfig]):
    def __init__(self):
        super().__init__()
        self._toc = None  # the toc options of the config being built, and its own title
        self._default_title = None

    def on_startup(self, *, command, dirty):
        pass  # kept across rebuilds of `mkdocs serve`

    @event_priority(-110)  # after static-i18n's on_config (-100) has set the language
    def on_config(self, config):
        toc = config.mdx_configs.get("toc")
        if toc is not None and toc is not self._toc:
            # A new config (a build, or a rebuild of `serve`): remember mkdocs.yml's title
            # before the first language build changes it.
            self._toc, self._default_title = toc, toc.get("permalink_title")
        set_permalink_title(config, self.config.permalink_titles, self._default_title)
        return config

    def on_page_markdown(self, markdown, *, page, config, files):
        if not self.config.enabled:
            return markdown
        return translation_notice(markdown, page, config, self.config.contributing)
