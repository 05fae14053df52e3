"""MkDocs hooks for the handbook (registered in mkdocs.yml under `hooks:`).

What they add that neither Material nor mkdocs-static-i18n does:
- one 404 page per language (static-i18n renders 404.html once per language into the same
  file, so the last language built wins);
- one search index per language: static-i18n merges every language into search/search_index.json,
  so an Indonesian reader got English results. We split it into search/ (Indonesian) and
  en/search/ (English), each with locations relative to its language root, and point each page's
  Material config `base` at its language root so the browser loads the right one;
- search/search_index.js beside each index, for reading from file:// where fetch() is not
  allowed. Material's offline plugin does this too, but it also adds a script from unpkg.com,
  which must not happen here;
- pre-rendered diagrams: each ```mermaid fence becomes its light and dark SVG (see diagrams.py);
- the data of the "My progress" page: title and number of checklist items of every duty, skill
  and learning-path page, embedded in progress.md (no fetch: it must work from file://);
- translation notices: an English page whose Indonesian original changed since it was translated
  says so, linking the original; a page with no English twin is shown in Indonesian under an
  explicit notice and lang="id" (static-i18n would fall back silently, under lang="en");
- the translation status table of translation-status.md, from scripts/translations.py;
- pre-compressed .gz and .br copies of every text file, for static hosts that serve them
  (nginx gzip_static/brotli_static; the audit's server does the same);
- downloads/templates/<lang>/: the Markdown templates of examples/templates, for download;
- downloads/panduan-backend-offline.zip: the whole built site (both languages) for reading
  from disk, made at the end of every build except `mkdocs serve`.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import zipfile
from html import escape as html_escape
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from mkdocs.plugins import event_priority, get_plugin_logger

sys.path.insert(0, str(Path(__file__).resolve().parent))
import diagrams
import glossary
import translations

log = get_plugin_logger("handbook")

DEFAULT_LANGUAGE = "id"
LANGUAGES = ("id", "en")

# Search settings per language; Material's worker reads them from the index's "config".
SEARCH_CONFIG = {
    # overrides/assets/javascripts/lunr/: each word is indexed with its root or stem, and each
    # query term is extended with it (Material appends "*", which makes lunr skip the query
    # pipeline; lunr.keepstem.js). Indonesian: lunr.id, our stemmer and stop words. English:
    # lunr's own stemmer and stop words as lunr.en_stem, under that name because Material's
    # worker loads no plugin file for "en" (the page's lang stays "en").
    "id": {"lang": ["id"], "pipeline": ["trimmer", "stopWordFilter", "stemmer"]},
    "en": {"lang": ["en_stem"], "pipeline": ["trimmer", "stopWordFilter", "stemmer"]},
}

# Stop words are also dropped from queries, through the separator (see search_separator).
# English: lunr's own list (lunr.stopWordFilter in lunr 2.3.9, the words its English index
# leaves out; tests/search/test_search_quality.py checks it against node_modules/lunr).
# Indonesian: the STOP_WORDS of lunr.id.js, read from that file.
_EN_STOP_WORDS = """
a able about across after all almost also am among an and any are as at be because been but by
can cannot could dear did do does either else ever every for from get got had has have he her
hers him his how however i if in into is it its just least let like likely may me might most must
my neither no nor not of off often on only or other our own rather said say says she should since
so some than that the their them then there these they this tis to too twas us wants was we were
what when where which while who whom why will with would yet you your
"""
EN_STOP_WORDS = _EN_STOP_WORDS.split()
LUNR_ID = Path(__file__).resolve().parent.parent / "overrides/assets/javascripts/lunr/lunr.id.js"


def stop_words(lang: str) -> list[str]:
    if lang == "en":
        return EN_STOP_WORDS
    block = re.search(r"var STOP_WORDS = \[(.*?)\]\.join", LUNR_ID.read_text(encoding="utf-8"),
                      re.DOTALL)
    return " ".join(re.findall(r"'([^']*)'", block.group(1))).split()


def search_separator(separator: str, words: list[str]) -> str:
    """Material's separator, plus: a query word that is a whole stop word.

    Material appends "*" to every query word, and lunr skips the stop-word filter for a word with
    a wildcard: "a" in "add a cache" became the prefix query a* (api, analysis, attack...), "ke"
    in "menyimpan ke cache" matched every ke- word (keamanan, kerangka...), and those pages
    outranked the one asked for. Material splits the query at whitespace, then each word with
    this separator; a word that matches it whole leaves no term. Anchored (^...$), it never
    matches inside the text of a page, where the stop-word filter drops these words anyway.
    Case-insensitive letter by letter, as Material compiles the separator without flags.
    """
    def letters(word: str) -> str:
        return "".join(f"[{c}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)

    alternatives = "|".join(letters(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
    return f"{separator}|^(?:{alternatives})$"

OFFLINE_ZIP = "downloads/panduan-backend-offline.zip"
OFFLINE_FOLDER = "panduan-backend"  # the folder a reader gets when unpacking the zip

# Rendered 404 pages by language, filled while each language is built.
_not_found_pages: dict[str, str] = {}
_serving = False


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"

_CONFIG_SCRIPT = re.compile(r'(<script id="?__config"?[^>]*>)(.*?)(</script>)', re.DOTALL)


def _language(config) -> str:
    return config.theme.get("language") or DEFAULT_LANGUAGE


TRACKED_SECTIONS = ("duties/", "skills/")
TRACKED_PAGES = ("learning-path.md",)
_TASK_ITEM = re.compile(r"^\s*[-*+] \[[ xX]\] ", re.MULTILINE)
_FRONT_MATTER_TITLE = re.compile(r"\A---\n.*?^title:\s*(.+?)\s*$.*?^---\n", re.DOTALL | re.MULTILINE)


def progress_pages(config, lang: str, tracked_only: bool = True) -> list[dict]:
    """Title and checklist size of every tracked page (or every page), in nav order."""
    docs = Path(config.docs_dir) / lang
    pages = []
    for item in _nav_files(config.nav):
        tracked = item.startswith(TRACKED_SECTIONS) or item in TRACKED_PAGES
        if tracked_only and (not tracked or item.endswith("index.md")):
            continue
        path = docs / item if (docs / item).is_file() else Path(config.docs_dir) / "id" / item
        source = path.read_text(encoding="utf-8")
        title = _FRONT_MATTER_TITLE.match(source)
        slug = item.removesuffix(".md")
        pages.append({
            "slug": slug,
            "href": f"{slug}.html",
            "title": title.group(1).strip("\"'") if title else slug,
            "items": len(_TASK_ITEM.findall(source)),
        })
    return pages


def progress_rows(pages: list[dict]) -> str:
    """The summary rows of My Progress as progress.js draws them, with nothing ticked yet: the
    table has its final size before the script runs (no layout shift) and is readable without it."""
    rows = []
    for page in pages:
        title = html_escape(page["title"])
        rows.append(
            f'<tr data-slug="{page["slug"]}"><td><a href="{page["href"]}">{title}</a></td>'
            f'<td>0 / {page["items"]}</td><td><progress max="{page["items"] or 1}" value="0" '
            f'aria-label="{title}"></progress></td></tr>')
    return "<tbody>" + "".join(rows) + "</tbody>"


def _nav_files(nav) -> list[str]:
    files: list[str] = []
    for entry in nav or []:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(value, list):
            files.extend(_nav_files(value))
        elif isinstance(value, str):
            files.append(value)
    return files


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
STATUS_LABELS = {
    "id": {translations.UP_TO_DATE: "mutakhir", translations.OUTDATED: "tertinggal",
           translations.MISSING: "belum ada", translations.UNTRACKED: "belum dilacak"},
    "en": {translations.UP_TO_DATE: "up to date", translations.OUTDATED: "outdated",
           translations.MISSING: "missing", translations.UNTRACKED: "not tracked"},
}
STATUS_HEADERS = {"id": ("Halaman", "Terjemahan bahasa Inggris"), "en": ("Page", "English translation")}


def _translation_notice(markdown: str, page, config) -> str:
    lang = _language(config)
    if lang == DEFAULT_LANGUAGE:
        return markdown
    relative = PurePosixPath(page.file.src_uri)  # e.g. en/skills/apis.md
    markdown_up = "../" * (len(relative.parts) - 2)  # from the page to its language folder
    site_up = "../" * (len(relative.parts) - 1)  # from the built page to the site root
    if getattr(page.file, "locale", lang) != lang:
        # static-i18n fell back to the original: say so, and mark the text as Indonesian.
        notice = NOTICES["missing"].format(contributing=f"{markdown_up}contributing.md")
        return f'{notice}<div lang="{page.file.locale}" markdown>\n\n{markdown}\n\n</div>\n'
    page_path = PurePosixPath(*relative.parts[1:]).as_posix()
    if not (Path(config.docs_dir) / translations.ORIGINAL / page_path).is_file():
        return markdown
    status = translations.page_status(page_path, Path(config.docs_dir))
    if status.state == translations.OUTDATED:
        href = f"{site_up}{page_path.removesuffix('.md')}.html"
        return NOTICES["outdated"].format(href=href) + markdown
    return markdown


def translation_status_table(config, lang: str) -> str:
    docs = Path(config.docs_dir)
    titles = {p["slug"]: p["title"] for p in progress_pages(config, lang, tracked_only=False)}
    page_header, state_header = STATUS_HEADERS[lang]
    rows = [f"| {page_header} | {state_header} |", "| --- | --- |"]
    for status in translations.all_statuses(docs):
        slug = status.page.removesuffix(".md")
        title = titles.get(slug, slug).replace("|", "\\|")
        rows.append(f"| [{title}]({status.page}) | {STATUS_LABELS[lang][status.state]} |")
    return "\n".join(rows)


def _content_language(page, config) -> str:
    """The language the page's Markdown is written in (a missing twin falls back to Indonesian)."""
    source = Path(page.file.abs_src_path).resolve()
    for lang in LANGUAGES:
        if source.is_relative_to((Path(config.docs_dir) / lang).resolve()):
            return lang
    return _language(config)


def _glossary_href(src_uri: str) -> str:
    """The glossary page, relative to a page of the same language ("../glossary.md")."""
    parts = PurePosixPath(src_uri).parts
    if parts and parts[0] in LANGUAGES:
        parts = parts[1:]
    return "../" * (len(parts) - 1) + glossary.GLOSSARY_PAGE


def on_page_markdown(markdown: str, page, config, files) -> str:
    content_lang = _content_language(page, config)
    terms, _spelling = glossary.cached_glossary(glossary.GLOSSARY_FILE, check_pages=False)
    if glossary.is_glossary_page(page.file.src_uri):
        markdown = glossary.expand_glossary_marker(markdown, terms, content_lang, config.docs_dir)
    else:
        markdown = glossary.first_use_hints(markdown, terms, content_lang)
        markdown = glossary.link_first_uses(markdown, terms, content_lang,
                                            _glossary_href(page.file.src_uri))
    markdown = _translation_notice(markdown, page, config)
    if "<!-- translation-status -->" in markdown:
        markdown = markdown.replace("<!-- translation-status -->",
                                    translation_status_table(config, _language(config)))
    if "mermaid" in markdown:
        depth = len(PurePosixPath(page.file.src_uri).parts) - 1
        markdown = diagrams.replace_with_images(
            markdown, Path(page.file.abs_src_path), depth, log.warning)
    if page.file.src_uri.endswith("/progress.md") or page.file.src_uri == "progress.md":
        pages = progress_pages(config, _language(config))
        data = json.dumps(pages, ensure_ascii=False)
        data = data.replace("</", "<\\/")  # never close the <script> early
        markdown = markdown.replace(
            "<!-- progress-pages -->",
            f'<script type="application/json" id="progress-pages">{data}</script>',
        )
        markdown = markdown.replace("<tbody></tbody>", progress_rows(pages), 1).replace(
            "<strong data-progress-total>0 / 0</strong>",
            f"<strong data-progress-total>0 / {sum(p['items'] for p in pages)}</strong>", 1)
    return glossary.append_abbreviations(markdown, terms, content_lang)


def on_page_content(html: str, page, config, files) -> str:
    """Glossary tooltips: each term link gets its definition as title, and the first use of each
    abbreviation is focusable; docs/assets/javascripts/tooltips.js shows both on hover and
    focus."""
    terms, _spelling = glossary.cached_glossary(glossary.GLOSSARY_FILE, check_pages=False)
    html = glossary.glossary_titles(html, terms, _content_language(page, config))
    return glossary.focusable_abbreviations(html)


# Quoted or not: the minify plugin may already have rewritten the markup.
_SELECTOR_LINK = re.compile(r'href=(?:"[^"]*"|[^\s>"]+)(\s+hreflang="?([\w-]+)"?)')


def _language_home_links(html: str, config) -> str:
    """The 404 page has no twin: its language selector leads to each language's home page.

    Rendered after the content pages, it would otherwise keep the alternates of the last page
    built (for example skills/web-security.html), which the reader never asked for.
    """
    base = urlsplit(config.site_url or "/").path.rstrip("/") + "/"

    def home(match: re.Match) -> str:
        lang = match.group(2)
        prefix = "" if lang == DEFAULT_LANGUAGE else f"{lang}/"
        return f'href="{base}{prefix}index.html"{match.group(1)}'

    return _SELECTOR_LINK.sub(home, html)


# A section of the navigation with an index page: its title is the link, and the toggle beside
# it (a <label> that also names the section's <nav> through aria-labelledby) holds only an icon.
# Quoted or not, as above.
_SECTION_TOGGLE = re.compile(
    r'(<a href=[^>]*class="?md-nav__link[^>]*>\s*<span class="?md-ellipsis"?>\s*([^<]*?)\s*</span>'
    r'\s*</a>\s*<label class="?md-nav__link[^>]*?id="?__nav_[\d_]+_label"?)')


def _name_section_toggles(html: str) -> str:
    """Give each section toggle the section's title as its accessible name.

    Without it the toggle is a focusable control with no name, and every section's <nav> has an
    empty label, so the landmarks cannot be told apart (axe: landmark-unique).
    """
    return _SECTION_TOGGLE.sub(lambda m: f'{m.group(1)} aria-label="{m.group(2)}"', html)


def on_post_template(output_content: str, template_name: str, config) -> str:
    if template_name == "404.html":
        html = _name_section_toggles(_language_home_links(output_content, config))
        _not_found_pages[_language(config)] = html
    return output_content


@event_priority(50)  # before the minify plugin rewrites the markup
def on_post_page(output: str, page, config) -> str:
    """Name the navigation's section toggles; point Material's `base` at the page's language
    root (Indonesian: the site root)."""
    output = _name_section_toggles(output)
    lang = _language(config)
    if lang == DEFAULT_LANGUAGE:
        return output

    def rebase(match: re.Match) -> str:
        settings = json.loads(match.group(2))
        settings["base"] = f"{settings['base'].rstrip('/')}/{lang}/"
        return match.group(1) + json.dumps(settings, separators=(",", ":")) + match.group(3)

    output, count = _CONFIG_SCRIPT.subn(rebase, output, count=1)
    if count != 1:
        raise RuntimeError(f"{page.file.src_uri}: Material's __config script not found")
    return output


def split_search_index(site: Path) -> None:
    """Write one search index per language, each with locations relative to its own root."""
    merged_file = site / "search" / "search_index.json"
    if not merged_file.is_file():
        return
    merged = json.loads(merged_file.read_text(encoding="utf-8"))
    others = tuple(f"{lang}/" for lang in LANGUAGES if lang != DEFAULT_LANGUAGE)
    for lang in LANGUAGES:
        prefix = "" if lang == DEFAULT_LANGUAGE else f"{lang}/"
        if lang == DEFAULT_LANGUAGE:
            docs = [d for d in merged["docs"] if not d["location"].startswith(others)]
        else:
            docs = [
                {**d, "location": d["location"][len(prefix):]}
                for d in merged["docs"]
                if d["location"].startswith(prefix)
            ]
        config = {**merged["config"], **SEARCH_CONFIG[lang]}
        config["separator"] = search_separator(merged["config"]["separator"], stop_words(lang))
        index = {"config": config, "docs": docs}
        folder = site / prefix / "search"
        folder.mkdir(parents=True, exist_ok=True)
        data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
        (folder / "search_index.json").write_text(data, encoding="utf-8")
        # From file://, Material loads this script instead of fetching the JSON.
        (folder / "search_index.js").write_text(f"var __index = {data}", encoding="utf-8")


COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".md"}
COMPRESSED = (".gz", ".br")


# Brotli quality 10, not 11: on the full book (256 files, 12.6 MB) quality 11 took 14.7 s and
# quality 10 5.4 s for 2.5 % more bytes (2,493 KB against 2,433 KB); quality 11 alone made the
# clean build miss its 20 s budget. zlib and brotli release the GIL, so threads use every core.
BROTLI_QUALITY = 10


def _precompress(path: Path) -> None:
    import gzip

    import brotli

    data = path.read_bytes()
    if len(data) < 512:
        return
    for suffix, packed in ((".gz", gzip.compress(data, compresslevel=9, mtime=0)),
                           (".br", brotli.compress(data, quality=BROTLI_QUALITY))):
        if len(packed) < len(data):
            path.with_name(path.name + suffix).write_bytes(packed)


def write_precompressed(site: Path) -> None:
    """file.ext.gz and file.ext.br beside each text file (only where it saves bytes)."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    paths = [p for p in site.rglob("*") if p.suffix in COMPRESSIBLE and p.is_file()]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(_precompress, paths))  # list(): re-raise the first error, if any


TEMPLATES = Path(__file__).resolve().parent.parent / "examples" / "templates"


def copy_templates(site: Path) -> None:
    """examples/templates/<lang>/ -> <language root>/downloads/templates/<lang>/, for the
    download links of the skill pages (a .md file in docs/ would become a page instead)."""
    for lang in LANGUAGES:
        root = site if lang == DEFAULT_LANGUAGE else site / lang
        if (TEMPLATES / lang).is_dir():
            shutil.copytree(TEMPLATES / lang, root / "downloads" / "templates" / lang,
                            dirs_exist_ok=True)


def write_offline_zip(site: Path) -> Path:
    """Zip the built site so that a reader can unpack it and open index.html from disk."""
    target = site / OFFLINE_ZIP
    target.parent.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in site.rglob("*")
                   if p.is_file() and p != target and p.suffix not in COMPRESSED)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in files:
            zf.write(path, f"{OFFLINE_FOLDER}/{path.relative_to(site).as_posix()}")
    return target


@event_priority(-200)  # after static-i18n (-100) has built every language and merged the index
def on_post_build(config) -> None:
    i18n = config.plugins.get("i18n")
    if i18n is not None and i18n.building:
        return  # a nested build of another language; the default language's call comes last
    site = Path(config.site_dir)
    for lang, html in _not_found_pages.items():
        target = site / "404.html" if lang == DEFAULT_LANGUAGE else site / lang / "404.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    split_search_index(site)
    copy_templates(site)
    if not _serving:
        write_offline_zip(site)
        write_precompressed(site)
