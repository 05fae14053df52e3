"""MkDocs hooks for the handbook (registered in mkdocs.yml under `hooks:`).

What they add that neither Material nor mkdocs-static-i18n does:
- one 404 page per language (static-i18n renders 404.html once per language into the same
  file, so the last language built wins);
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_LANGUAGE = "id"

# Rendered 404 pages by language, filled while each language is built.
_not_found_pages: dict[str, str] = {}


def _language(config) -> str:
    return config.theme.get("language") or DEFAULT_LANGUAGE


def on_post_template(output_content: str, template_name: str, config) -> str:
    if template_name == "404.html":
        _not_found_pages[_language(config)] = output_content
    return output_content


def on_post_build(config) -> None:
    # static-i18n builds the other languages from inside the default language's on_post_build,
    # so the last call of this hook sees every language; each call writes what it has.
    site = Path(config.site_dir)
    for lang, html in _not_found_pages.items():
        target = site / "404.html" if lang == DEFAULT_LANGUAGE else site / lang / "404.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
