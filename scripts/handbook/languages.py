"""The book's languages: Indonesian is the original (site root), English a translation (/en/).

mkdocs-static-i18n builds each language in turn on the same config object; these helpers read
which language is being built and which language a page's Markdown is written in.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

DEFAULT_LANGUAGE = "id"
LANGUAGES = ("id", "en")


def building(config) -> str:
    """The language static-i18n is building now (Material's theme.language, set per build)."""
    return config.theme.get("language") or DEFAULT_LANGUAGE


def content_language(page, config) -> str:
    """The language the page's Markdown is written in (a missing twin falls back to Indonesian)."""
    source = Path(page.file.abs_src_path).resolve()
    for lang in LANGUAGES:
        if source.is_relative_to((Path(config.docs_dir) / lang).resolve()):
            return lang
    return building(config)


def root_prefix(lang: str) -> str:
    """The folder of a language in the built site: "" for Indonesian, "en/" for English."""
    return "" if lang == DEFAULT_LANGUAGE else f"{lang}/"


def depth(src_uri: str) -> int:
    """How many folders a page's source sits below docs/ (docs/en/duties/x.md: 2)."""
    return len(PurePosixPath(src_uri).parts) - 1
