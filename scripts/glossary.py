"""The handbook's glossary (data/glossary.yml): validation, the glossary page, abbreviations,
term tooltips, the term check of Indonesian prose and the English hint after a term's first use.

    python scripts/glossary.py validate               # schema, unique ids, pages exist
    python scripts/glossary.py render --lang id       # the generated body of glossary.md
    python scripts/glossary.py abbr --lang en         # *[API]: ... lines for pymdownx/abbr
    python scripts/glossary.py tooltips --lang en     # where each term tooltip lands
    python scripts/glossary.py check [--italics] [FILE ...]   # forbidden forms in docs/id

The build calls render_glossary_page(), append_abbreviations(), first_use_hints() and
link_first_uses() from scripts/hooks.py (on_page_markdown), then glossary_titles() and
focusable_abbreviations() (on_page_content), so none of their output is kept in the repository.

Our own code: no MkDocs plugin generates a bilingual glossary page from data with per-language
sorting, and spell checkers (hunspell-id) accept non-standard but existing words such as
"antrian" or English words in Indonesian prose, which is what the term check is for. Markdown is
not parsed into a tree here because the check needs line numbers and the hints must edit the
source in place; instead every construct that is not prose is blanked out (same length, so
offsets stay valid) with patterns that follow Python-Markdown and pymdownx syntax.
"""

from __future__ import annotations

import argparse
import bisect
import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from html import escape as html_escape
from pathlib import Path, PurePosixPath

import yaml

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY_FILE = ROOT / "data" / "glossary.yml"
DOCS_DIR = ROOT / "docs"
LANGUAGES = ("id", "en")
GLOSSARY_PAGE = "glossary.md"
# Text the hook replaces with the generated glossary in docs/<lang>/glossary.md.
GLOSSARY_MARKER = "<!-- glossary -->"

REQUIRED_KEYS = ("id", "en", "id_term", "keep_english", "italic", "abbr", "variants_forbidden",
                 "definition", "page")
OPTIONAL_KEYS = ("expansion", "hint", "allow", "note", "tooltip", "tooltip_skip")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PAGE_SLUG = re.compile(r"^[a-z0-9-]+(?:/[a-z0-9-]+)*$")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
_WORD = re.compile(r"\w+")


class GlossaryError(ValueError):
    """data/glossary.yml breaks the schema; the message names every offending entry."""


# --------------------------------------------------------------------------------------------
# Loading and validation


def load_glossary(path: str | Path = GLOSSARY_FILE, docs_dir: str | Path | None = None,
                  *, check_pages: bool = True) -> list[dict]:
    """The validated terms of a glossary file, with optional keys filled with their defaults.

    docs_dir: where the explaining pages live (docs/id/<page>.md and docs/en/<page>.md); by
    default the `docs` folder beside the glossary's `data` folder. Raises GlossaryError listing
    every problem, each naming its entry.
    """
    path = Path(path)
    terms, spelling = _read(path)
    if docs_dir is None:
        docs_dir = path.resolve().parent.parent / "docs"
    errors = _validate_terms(terms, Path(docs_dir) if check_pages else None)
    errors += _validate_spelling(spelling, terms if not errors else [])
    if errors:
        raise GlossaryError(f"{path}: {len(errors)} problem(s)\n  " + "\n  ".join(errors))
    return [_with_defaults(entry) for entry in terms]


def load_spelling(path: str | Path = GLOSSARY_FILE) -> list[dict]:
    """The `spelling` list: general words whose non-standard forms the check flags."""
    path = Path(path)
    _terms, spelling = _read(path)
    errors = _validate_spelling(spelling, [])
    if errors:
        raise GlossaryError(f"{path}: {len(errors)} problem(s)\n  " + "\n  ".join(errors))
    return spelling


_cache: dict[tuple, tuple[list[dict], list[dict]]] = {}


def cached_glossary(path: str | Path = GLOSSARY_FILE, docs_dir: str | Path | None = None,
                    *, check_pages: bool = True) -> tuple[list[dict], list[dict]]:
    """(terms, spelling), loaded once per version of the file (for the MkDocs hook and serve).

    The build passes check_pages=False: an English page may be missing (the site then shows the
    Indonesian original with a notice), and a term's page that exists in neither language is a
    broken link the strict build reports. `glossary.py validate` checks both twins exist.
    """
    path = Path(path).resolve()
    key = (path, path.stat().st_mtime_ns, str(docs_dir), check_pages)
    if key not in _cache:
        _cache.clear()
        _cache[key] = (load_glossary(path, docs_dir, check_pages=check_pages),
                       load_spelling(path))
    return _cache[key]


def _read(path: Path) -> tuple[list, list]:
    try:
        # The C loader when PyYAML has it: the pure-Python one took 0.9 s per language build.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as error:
        raise GlossaryError(f"{path}: not valid YAML: {error}") from None
    if isinstance(data, list):  # a bare list of terms is accepted too
        return data, []
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        raise GlossaryError(f"{path}: expected a mapping with a `terms:` list")
    unknown = set(data) - {"terms", "spelling"}
    if unknown:
        raise GlossaryError(f"{path}: unknown top-level key(s): {', '.join(sorted(unknown))}")
    spelling = data.get("spelling") or []
    if not isinstance(spelling, list):
        raise GlossaryError(f"{path}: `spelling` must be a list")
    return data["terms"], spelling


def _with_defaults(entry: dict) -> dict:
    return {"expansion": None, "hint": True, "allow": [], "note": None, "tooltip": True,
            "tooltip_skip": {}, **entry}


def _label(index: int, entry) -> str:
    name = entry.get("id") if isinstance(entry, dict) else None
    return f"term #{index + 1}" + (f" '{name}'" if name else "")


def _nonempty(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _validate_terms(terms: list, docs_dir: Path | None) -> list[str]:
    errors: list[str] = []
    seen: dict[str, dict[str, str]] = {"id": {}, "en": {}, "id_term": {}}
    for index, entry in enumerate(terms):
        label = _label(index, entry)
        if not isinstance(entry, dict):
            errors.append(f"{label}: must be a mapping")
            continue
        problems = _validate_entry(entry, docs_dir)
        errors += [f"{label}: {problem}" for problem in problems]
        for key, labels in seen.items():
            value = entry.get(key)
            if not _nonempty(value):
                continue
            folded = value.casefold()
            if folded in labels:
                errors.append(f"{label}: duplicate {key} {value!r} (also {labels[folded]})")
            else:
                labels[folded] = label
    if not errors:
        errors += _validate_variants(terms)
    return errors


def _validate_entry(entry: dict, docs_dir: Path | None) -> list[str]:
    problems = [f"missing key '{key}'" for key in REQUIRED_KEYS if key not in entry]
    unknown = set(entry) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS)
    problems += [f"unknown key '{key}'" for key in sorted(unknown)]
    if problems:
        return problems
    if not _nonempty(entry["id"]) or not _SLUG.match(entry["id"]):
        problems.append(f"id {entry['id']!r} must be a lowercase slug (letters, digits, hyphens)")
    elif entry["id"].startswith("letter-") or entry["id"] == "top":
        problems.append(f"id {entry['id']!r} collides with the glossary page's own anchors")
    for key in ("en", "id_term"):
        if not _nonempty(entry[key]):
            problems.append(f"'{key}' must be a non-empty string")
    for key in ("keep_english", "italic") + tuple(k for k in ("hint", "tooltip") if k in entry):
        if not isinstance(entry[key], bool):
            problems.append(f"'{key}' must be true or false")
    if problems:
        return problems
    if entry["keep_english"] and entry["id_term"].casefold() != entry["en"].casefold():
        problems.append("keep_english is true, so id_term must be the English term")
    if entry["italic"] and not entry["keep_english"]:
        problems.append("italic is only for terms that stay in English (keep_english: true)")
    abbr = entry["abbr"]
    if abbr is not None:
        if not _nonempty(abbr):
            problems.append("'abbr' must be null or a non-empty string")
        if entry["italic"]:
            problems.append("abbreviations are not italicised (italic: false)")
        expansion = entry.get("expansion")
        if not isinstance(expansion, dict) or not all(_nonempty(expansion.get(lang))
                                                       for lang in LANGUAGES):
            problems.append("abbreviation needs expansion: {en: ..., id: ...}")
        elif set(expansion) - set(LANGUAGES):
            problems.append("expansion takes only 'en' and 'id'")
    elif entry.get("expansion") is not None:
        problems.append("expansion is only for abbreviations (abbr is null)")
    variants = entry["variants_forbidden"]
    if not isinstance(variants, list) or not all(_nonempty(v) for v in variants):
        problems.append("variants_forbidden must be a list of non-empty strings")
    allow = entry.get("allow", [])
    if not isinstance(allow, list) or not all(_nonempty(a) for a in allow):
        problems.append("allow must be a list of non-empty strings")
    skip = entry.get("tooltip_skip", {})
    if (not isinstance(skip, dict) or set(skip) - set(LANGUAGES)
            or not all(isinstance(v, list) and all(_nonempty(p) for p in v)
                       for v in skip.values())):
        problems.append("tooltip_skip must be {id: [phrases], en: [phrases]}")
    if entry.get("note") is not None and not _nonempty(entry["note"]):
        problems.append("note must be a non-empty string when present")
    definition = entry["definition"]
    if not isinstance(definition, dict):
        problems.append("definition must be a mapping {id: ..., en: ...}")
    else:
        for lang in LANGUAGES:
            if not _nonempty(definition.get(lang)):
                problems.append(f"definition.{lang} is missing or empty")
        if set(definition) - set(LANGUAGES):
            problems.append("definition takes only 'id' and 'en'")
    page = entry["page"]
    if not _nonempty(page) or not _PAGE_SLUG.match(page) or page.endswith(".md"):
        problems.append(f"page {page!r} must be a page slug without .md, e.g. duties/x")
    elif docs_dir is not None:
        for lang in LANGUAGES:
            if not (docs_dir / lang / f"{page}.md").is_file():
                problems.append(f"page '{page}' does not exist as docs/{lang}/{page}.md")
    return problems


def _validate_variants(terms: list[dict]) -> list[str]:
    """A forbidden form must never be a form the glossary chooses, nor belong to two terms."""
    chosen: dict[str, str] = {}
    for index, entry in enumerate(terms):
        chosen[entry["id_term"].casefold()] = _label(index, entry)
        if entry["keep_english"]:
            chosen[entry["en"].casefold()] = _label(index, entry)
    errors = []
    owner: dict[str, str] = {}
    for index, entry in enumerate(terms):
        label = _label(index, entry)
        for variant in entry["variants_forbidden"]:
            folded = _normal_space(variant).casefold()
            if folded in chosen:
                errors.append(f"{label}: forbidden variant {variant!r} is the chosen form of "
                              f"{chosen[folded]}")
            if folded in owner:
                errors.append(f"{label}: forbidden variant {variant!r} is also listed by "
                              f"{owner[folded]}")
            owner[folded] = label
    return errors


def _validate_spelling(spelling: list, terms: list[dict]) -> list[str]:
    errors = []
    chosen = {t["id_term"].casefold() for t in terms}
    for index, item in enumerate(spelling):
        label = f"spelling #{index + 1}"
        if not isinstance(item, dict) or set(item) != {"wrong", "right"} or not all(
                _nonempty(item[k]) for k in ("wrong", "right")):
            errors.append(f"{label}: must be {{wrong: ..., right: ...}} with non-empty strings")
            continue
        if item["wrong"].casefold() == item["right"].casefold():
            errors.append(f"{label}: 'wrong' and 'right' are the same ({item['wrong']!r})")
        if item["wrong"].casefold() in chosen:
            errors.append(f"{label}: {item['wrong']!r} is a form the glossary chooses")
    return errors


def _normal_space(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------------------------
# Title case (EYD V for Indonesian, AP/Chicago-style short words for English)

SMALL_WORDS = {
    # EYD V: function words (prepositions, conjunctions, "yang") stay lowercase unless first.
    "id": {"dan", "di", "ke", "dari", "untuk", "yang", "atau", "pada", "dengan", "dalam",
           "sebagai", "tentang", "per", "bagi", "oleh", "serta", "tanpa", "kepada", "terhadap",
           "antara", "hingga", "sampai", "agar", "bahwa", "karena", "jika", "si", "sang"},
    "en": {"a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at", "by",
           "in", "of", "off", "on", "per", "to", "up", "via", "vs"},
}


def title_case(text: str, lang: str) -> str:
    """Capitalise each word except function words that are not first; words that already
    contain a capital (API, OAuth, N+1) are kept as written."""
    small = SMALL_WORDS[lang]
    words = text.split(" ")
    out = []
    for position, word in enumerate(words):
        parts = word.split("-")
        for i, part in enumerate(parts):
            first = position == 0 and i == 0
            if part and part == part.lower() and part[0].isalpha() and (
                    first or part not in small):
                parts[i] = part[0].upper() + part[1:]
        out.append("-".join(parts))
    return " ".join(out)


# --------------------------------------------------------------------------------------------
# The glossary page

LABELS = {
    "id": {"english": "Bahasa Inggris", "expansion": "Kepanjangan", "page": "Dibahas di",
           "kept": "tetap dalam bahasa Inggris", "kept_italic":
           "tetap dalam bahasa Inggris, ditulis miring"},
    "en": {"english": "English", "indonesian": "Indonesian", "expansion": "Stands for",
           "page": "Explained in", "kept": "kept in English",
           "kept_italic": "kept in English, in italics"},
}


def sort_key(text: str) -> str:
    """Alphabetical key: accents, case, spaces and punctuation ignored (N+1 sorts as n1)."""
    plain = unicodedata.normalize("NFKD", text).casefold()
    return "".join(ch for ch in plain if ch.isalnum())


def display_term(entry: dict, lang: str) -> str:
    """The term as the glossary page of `lang` shows it (Markdown, not yet title-cased)."""
    return entry["id_term"] if lang == "id" else entry["en"]


def _heading(entry: dict, lang: str) -> str:
    text = title_case(display_term(entry, lang), lang)
    return f"*{text}*" if lang == "id" and entry["italic"] else text


def _letter(entry: dict, lang: str) -> str:
    key = sort_key(display_term(entry, lang))
    return key[0].upper() if key[:1].isalpha() else "0-9"


def page_titles(docs_dir: str | Path, lang: str, slugs) -> dict[str, str]:
    """`title:` of each page's front matter (the slug itself when there is none)."""
    titles = {}
    for slug in slugs:
        path = Path(docs_dir) / lang / f"{slug}.md"
        title = None
        if path.is_file():
            match = _FRONT_MATTER.match(path.read_text(encoding="utf-8"))
            if match:
                try:
                    meta = yaml.safe_load(match.group(1) or "") or {}
                    title = meta.get("title") if isinstance(meta, dict) else None
                except yaml.YAMLError:  # the page's own check reports it; take the line
                    line = re.search(r"^title:[ \t]*(.+?)[ \t]*$", match.group(1), re.MULTILINE)
                    title = line.group(1).strip("\"'") if line else None
        titles[slug] = str(title) if title else slug
    return titles


def sorted_entries(entries: list[dict], lang: str) -> list[dict]:
    return sorted(entries, key=lambda e: (sort_key(display_term(e, lang)), e["id"]))


def render_glossary_page(entries: list[dict], lang: str,
                         docs_dir: str | Path | None = None) -> str:
    """Markdown for docs/<lang>/glossary.md below its heading and introduction: a letter index,
    then one H2 per first letter ({ #letter-a }) and one H3 per term ({ #<id> }), each with its
    definition, its form in the other language and a link to the page that explains it.

    Links are relative to docs/<lang>/glossary.md. With docs_dir, link texts are the pages'
    titles in that language; without it, the page slugs.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    labels = LABELS[lang]
    slugs = sorted({e["page"] for e in entries})
    titles = page_titles(docs_dir, lang, slugs) if docs_dir else {s: s for s in slugs}
    groups: dict[str, list[dict]] = {}
    for entry in sorted_entries(entries, lang):
        groups.setdefault(_letter(entry, lang), []).append(entry)
    letters = sorted(groups, key=lambda g: (g == "0-9", g))
    index = " · ".join(f"[{g}](#letter-{g.lower()})" for g in letters)
    lines = [index, "{ .glossary-letters }", ""]
    for group in letters:
        lines += [f"## {group} {{ #letter-{group.lower()} }}", ""]
        for entry in groups[group]:
            lines += [f"### {_heading(entry, lang)} {{ #{entry['id']} }}", "",
                      entry["definition"][lang].strip(), "",
                      _meta_line(entry, lang, labels, titles), "{ .glossary-meta }", ""]
    return "\n".join(lines).rstrip() + "\n"


def _meta_line(entry: dict, lang: str, labels: dict, titles: dict[str, str]) -> str:
    parts = []
    if entry["abbr"]:
        parts.append(f"{labels['expansion']}: {entry['expansion'][lang]}")
    if lang == "id":
        if entry["keep_english"]:
            if entry["italic"]:
                parts.append(labels["kept_italic"].capitalize())
        else:
            parts.append(f"{labels['english']}: *{entry['en']}*")
    else:
        if entry["keep_english"]:
            if entry["italic"]:
                parts.append(f"{labels['indonesian']}: *{entry['id_term']}* "
                             f"({labels['kept_italic']})")
        else:
            parts.append(f"{labels['indonesian']}: {entry['id_term']}")
    title = titles.get(entry["page"], entry["page"]).replace("[", "\\[").replace("]", "\\]")
    parts.append(f"{labels['page']}: [{title}]({entry['page']}.md)")
    return " · ".join(parts)


def is_glossary_page(src_uri: str) -> bool:
    """True for the glossary page of any language (src_uri such as 'id/glossary.md')."""
    parts = PurePosixPath(src_uri).parts
    return parts[-1:] == (GLOSSARY_PAGE,) and len(parts) <= 2


def expand_glossary_marker(markdown: str, entries: list[dict], lang: str,
                           docs_dir: str | Path | None = None) -> str:
    """Replace GLOSSARY_MARKER in glossary.md with the generated glossary (hook helper)."""
    if GLOSSARY_MARKER not in markdown:
        raise GlossaryError(f"glossary.md ({lang}) has no {GLOSSARY_MARKER} marker")
    return markdown.replace(GLOSSARY_MARKER, render_glossary_page(entries, lang, docs_dir), 1)


# --------------------------------------------------------------------------------------------
# Abbreviations (Python-Markdown's abbr extension, which pymdownx builds on)


def abbr_lines(entries: list[dict], lang: str, markdown: str | None = None) -> list[str]:
    """`*[API]: Application Programming Interface` lines in `lang`, sorted by abbreviation.

    With `markdown`, only the abbreviations that occur in it as whole words (case-sensitive,
    as the abbr extension matches them).
    """
    lines = []
    words = set(_WORD.findall(markdown)) if markdown is not None else set()
    for entry in sorted((e for e in entries if e["abbr"]), key=lambda e: e["abbr"]):
        abbr = entry["abbr"]
        if markdown is not None and not (
                abbr in words if _WORD.fullmatch(abbr)
                else re.search(rf"(?<!\w){re.escape(abbr)}(?!\w)", markdown)):
            continue
        lines.append(f"*[{abbr}]: {entry['expansion'][lang]}")
    return lines


def append_abbreviations(markdown: str, entries: list[dict], lang: str) -> str:
    """The page with the definitions of the abbreviations it uses appended (hook helper)."""
    lines = abbr_lines(entries, lang, markdown)
    if not lines:
        return markdown
    return markdown.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Prose masking: blank out everything that is not prose, keeping offsets and newlines

MASK = "\x00"
CHECK, HINT, ITALICS, LINK = "check", "hint", "italics", "link"
IGNORE_MARKER = "<!-- glossary-ignore -->"

_FENCE_OPEN = re.compile(r"^(?P<ws>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<rest>.*)$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.DOTALL)
_KEYS = re.compile(r"\+\+[\w+-]+\+\+")
_ICON = re.compile(r":(?:material|fontawesome|octicons|simple)-[\w-]+:")
_SNIPPET_LINE = re.compile(r"^[ \t]*-+8<-+.*$", re.MULTILINE)
_ABBR_DEF = re.compile(r"^\*\[[^\]\n]*\]:.*$", re.MULTILINE)
_REF_DEF = re.compile(r"^ {0,3}\[(?!\^)[^\]\n]+\]:[ \t]*\S.*$", re.MULTILINE)
_ATTR_LIST = re.compile(r"\{[ \t]*:?[ \t]*(?:[#.][\w-]|[\w-]+=)[^{}\n]*\}")
_RAW_HTML = re.compile(r"<(script|style|pre|code|kbd|svg|math)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_AUTOLINK = re.compile(r"<(?:[a-z][a-z0-9+.-]*:|www\.)[^<>\s]*>", re.IGNORECASE)
_URL = re.compile(r"\b(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>()\[\]`]+", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
_HTML_LINE = re.compile(r"^[ \t]*</?[A-Za-z!].*$", re.MULTILINE)
_INLINE_LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\n]|\n(?![ \t]*\n)|\[[^\[\]\n]*\])*)\]"
    r"(?P<target>\([ \t]*(?P<url><[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))*)"
    r"(?:[ \t\n]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*\))"
)
_REF_LINK = re.compile(r"(?P<bang>!?)\[(?P<text>[^\[\]\n]+)\](?P<target>\[[^\[\]\n]*\])")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\n]+\]")
_HEADING = re.compile(r"^(?P<marks> {0,3}#{1,6})(?=[ \t]|$).*$", re.MULTILINE)
_BLOCK_TITLE = re.compile(r"^(?P<marker>[ \t]*(?:!!!|\?\?\?\+?|===[+!]?)[ \t]*[\w-]*).*$",
                          re.MULTILINE)
_ITALIC_STAR = re.compile(r"(?<![*\\\w])\*(?![*\s])(?:[^*\n]|\n(?![ \t]*\n))+?(?<![*\s\\])\*"
                          r"(?![*\w])")
_ITALIC_UNDERSCORE = re.compile(r"(?<![\w\\])_(?![_\s])[^_\n]+?(?<![_\s\\])_(?![\w])")
_BOLD = re.compile(r"(?<![*\\])\*\*(?=\S)(?:(?!\n[ \t]*\n).)+?(?<=\S)\*\*(?!\*)|"
                   r"(?<![\w\\])__(?=\S)[^\n]+?(?<=\S)__(?![\w])", re.DOTALL)
_EXTERNAL = re.compile(r"^<?(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
# Quoted text is mentioned, not used: a commit message "update", a title "Manajemen Database".
_QUOTED = re.compile(r"\"(?:[^\"\n]|\n(?![ \t]*\n)){1,300}?\"|“[^”]{1,300}?”")


class _Masked:
    """A page's text with ranges blanked out; positions and line breaks never move."""

    def __init__(self, text: str):
        self.chars = list(text)

    @property
    def text(self) -> str:
        return "".join(self.chars)

    def blank(self, start: int, end: int) -> None:
        for i in range(start, end):
            if self.chars[i] != "\n":
                self.chars[i] = MASK

    def blank_all(self, pattern: re.Pattern, group: int | str = 0) -> None:
        for match in pattern.finditer(self.text):
            if match.group(group) is not None:
                self.blank(*match.span(group))


# HINT and LINK up to the emphasis (italic and bold) step, for hint_and_link_prose().
_BASE = "base"


def mask_non_prose(text: str, mode: str = CHECK) -> str:
    """The text with every non-prose character replaced by MASK (newlines kept).

    Always blanked: front matter (in CHECK mode the values of `title:` and `description:`
    stay), fenced code, lines with IGNORE_MARKER, HTML comments and tags, inline code, keys,
    icons, snippet lines, abbreviation and link reference definitions, attribute lists, URLs,
    e-mail addresses, link targets, footnote references, quoted text, heading marks, admonition
    and tab markers, and italic spans (foreign words, glosses and titles are italic by our
    style). External link texts are blanked too: they are mostly titles of English sources.

    HINT mode also blanks headings, admonition and tab titles, every link text, bold spans and
    lines of raw HTML, where an inserted hint would not belong. LINK mode (glossary links) is
    HINT mode with the italic spans left in, for terms written in italics (*cache*). ITALICS
    mode (the italics check) blanks the same except bold spans: headings, titles and link texts
    (mostly page titles) are never italicised, and raw HTML cannot be.
    """
    if mode not in (CHECK, HINT, ITALICS, LINK, _BASE):
        raise ValueError(f"unknown mode {mode!r}")
    masked = _Masked(text)
    _mask_front_matter(masked, text, keep_meta=mode == CHECK)
    _mask_fences(masked, text)
    for line in re.finditer(rf"^.*{re.escape(IGNORE_MARKER)}.*$", text, re.MULTILINE):
        masked.blank(*line.span())
    for pattern in (_COMMENT, _CODE_SPAN, _RAW_HTML, _KEYS, _ICON, _SNIPPET_LINE, _ABBR_DEF,
                    _REF_DEF, _ATTR_LIST, _AUTOLINK, _URL, _EMAIL):
        masked.blank_all(pattern)
    if mode != CHECK:
        masked.blank_all(_HTML_LINE)
    masked.blank_all(_TAG)
    for match in list(_INLINE_LINK.finditer(masked.text)) + list(_REF_LINK.finditer(masked.text)):
        masked.blank(*match.span("target"))
        url = text[slice(*match.span("url"))] if match.groupdict().get("url") else ""
        if mode != CHECK or (not match.group("bang") and _EXTERNAL.match(url)):
            masked.blank(*match.span())
    masked.blank_all(_FOOTNOTE_REF)
    titles = [m.span() for m in _BLOCK_TITLE.finditer(masked.text)]
    for match in _QUOTED.finditer(masked.text):
        # Admonition and tab titles are quoted too, but in CHECK mode they are prose to check.
        if mode != CHECK or not any(s <= match.start() < e for s, e in titles):
            masked.blank(*match.span())
    if mode == CHECK:
        masked.blank_all(_HEADING, "marks")
        masked.blank_all(_BLOCK_TITLE, "marker")
    else:
        masked.blank_all(_HEADING)
        masked.blank_all(_BLOCK_TITLE)
    return masked.text if mode == _BASE else _mask_emphasis(masked, mode)


def _mask_emphasis(masked: _Masked, mode: str) -> str:
    # Bold delimiters are hidden while looking for italics, so that ***x* y** and *a **b** c*
    # are seen as italic spans (same length, so the spans apply to the page unchanged).
    unbolded = masked.text.replace("**", "\x01\x01")
    for pattern in (_ITALIC_STAR, _ITALIC_UNDERSCORE):
        for match in pattern.finditer(unbolded) if mode != LINK else ():
            masked.blank(*match.span())
    if mode in (HINT, LINK):
        masked.blank_all(_BOLD)
    return masked.text


def hint_and_link_prose(text: str) -> tuple[str, str]:
    """mask_non_prose(text, HINT) and mask_non_prose(text, LINK) in one pass: the two modes
    differ only in the italic spans (a build runs this on every page)."""
    base = mask_non_prose(text, _BASE)
    link = _Masked(base)
    return _mask_emphasis(_Masked(base), HINT), _mask_emphasis(link, LINK)


def _mask_front_matter(masked: _Masked, text: str, keep_meta: bool) -> None:
    match = _FRONT_MATTER.match(text)
    if not match:
        return
    masked.blank(*match.span())
    if keep_meta and match.group(1):
        start = match.start(1)
        for line in re.finditer(r"^(?:title|description):[ \t]*(.*)$", match.group(1), re.MULTILINE):
            value_start, value_end = line.span(1)
            masked.chars[start + value_start:start + value_end] = list(line.group(1))


def _mask_fences(masked: _Masked, text: str) -> None:
    offset = 0
    fence: tuple[str, int] | None = None
    start = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\n")
        if fence is None:
            match = _FENCE_OPEN.match(body)
            if match and not (match.group("fence")[0] == "`" and "`" in match.group("rest")):
                fence = (match.group("fence")[0], len(match.group("fence")))
                start = offset
        else:
            stripped = body.strip()
            char, size = fence
            if len(stripped) >= size and set(stripped) == {char}:
                masked.blank(start, offset + len(body))
                fence = None
        offset += len(line)
    if fence is not None:  # unclosed: the rest of the page is code
        masked.blank(start, len(text))


# --------------------------------------------------------------------------------------------
# The term check


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    column: int
    found: str
    suggestion: str
    kind: str  # "term", "spelling", "style" or "italic"
    term: str | None = None  # glossary id, for kind "term" and "italic"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        if self.kind == "italic":
            return f"{where}: {self.found!r} stays English: write it in italics, *{self.found}*"
        about = f" (glossary: {self.term})" if self.term else ""
        return f"{where}: {self.found!r} -> {self.suggestion}{about}"


# A relative "di mana" after a comma is the calque of ", where" (EYD V; use "yang"/"tempat").
STYLE_RULES = [
    (re.compile(r",\s+di\s+mana\b(?![^.?!\n]*\?)", re.IGNORECASE),
     "yang / tempat (\"di mana\" is not a relative pronoun)"),
]


def _phrase_pattern(phrase: str) -> str:
    return r"\s+".join(re.escape(word) for word in phrase.split())


# A word followed by a hyphen is part of a compound (Retry-After), unless the hyphen brings an
# Indonesian suffix or particle (database-nya).
_WORD_END = r"(?!\w)(?!-(?!(?:nya|kan|an|i|lah|pun)\b)\w)"


def _whole(alternatives: list[str]) -> re.Pattern:
    alternatives = sorted(set(alternatives), key=len, reverse=True)
    body = "|".join(_phrase_pattern(a) for a in alternatives) or r"(?!x)x"
    return re.compile(rf"(?<!\w)(?:{body}){_WORD_END}", re.IGNORECASE)


class _Rules:
    """Compiled patterns for one glossary: forbidden forms and the phrases that protect them."""

    def __init__(self, entries: list[dict], spelling: list[dict]):
        self.suggestion: dict[str, tuple[str, str, str | None]] = {}
        for entry in entries:
            right = f"*{entry['id_term']}*" if entry["italic"] else entry["id_term"]
            for variant in entry["variants_forbidden"]:
                self.suggestion[_key(variant)] = (right, "term", entry["id"])
        for item in spelling:
            self.suggestion.setdefault(_key(item["wrong"]), (item["right"], "spelling", None))
        self.forbidden = _whole(list(self.suggestion))
        # Correct phrases that contain a forbidden word: chosen forms, English terms kept in
        # English, and each entry's `allow` list ("pull request" must not flag "request").
        candidates = [e["id_term"] for e in entries] + [e["en"] for e in entries
                                                       if e["keep_english"]]
        candidates += [a for e in entries for a in e.get("allow", [])]
        self.protected = _whole([p for p in candidates if _key(p) not in self.suggestion
                                 and self.forbidden.search(p)])
        italic_terms = [e for e in entries if e["keep_english"] and e["italic"]]
        self.italic_id = {_key(e["en"]): e["id"] for e in italic_terms}
        self.italic = _whole([e["en"] for e in italic_terms])
        # Allowed names (Node.js, Secure Shell) and other terms that contain an English word
        # kept in italics ("Kubernetes node" is not an entry, "OpenID Connect" could be).
        others = [form for e in entries if not e["italic"] for form in (e["id_term"], e["en"])]
        self.italic_protected = _whole(
            [a for e in italic_terms for a in e.get("allow", [])]
            + [f for f in others if _key(f) not in self.italic_id and self.italic.search(f)])


def _key(text: str) -> str:
    return _normal_space(text).casefold()


def check_markdown(markdown: str, entries: list[dict], spelling: list[dict] | None = None,
                   *, italics: bool = False, path: str = "<text>",
                   _rules: _Rules | None = None) -> list[Finding]:
    """Findings for one Indonesian page: forbidden variants of glossary terms, non-standard
    spellings, style rules and, with italics=True, English terms written without italics."""
    rules = _rules or _Rules(entries, spelling or [])
    prose = mask_non_prose(markdown, CHECK)
    line_starts = [0] + [m.end() for m in re.finditer("\n", markdown)]

    def finding(match: re.Match, suggestion: str, kind: str, term: str | None) -> Finding:
        line = bisect.bisect_right(line_starts, match.start())
        column = match.start() - line_starts[line - 1] + 1
        found = _normal_space(markdown[match.start():match.end()])
        return Finding(path, line, column, found, suggestion, kind, term)

    checked = _Masked(prose)
    checked.blank_all(rules.protected)
    findings = [finding(m, *rules.suggestion[_key(m.group())])
                for m in rules.forbidden.finditer(checked.text)]
    for pattern, suggestion in STYLE_RULES:
        findings += [finding(m, suggestion, "style", None) for m in pattern.finditer(prose)]
    if italics:
        plain = _Masked(mask_non_prose(markdown, ITALICS))
        plain.blank_all(rules.italic_protected)
        findings += [finding(m, "italics", "italic", rules.italic_id[_key(m.group())])
                     for m in rules.italic.finditer(plain.text)
                     if not m.group().isupper()]  # COMMIT, the SQL keyword, wants `code`
    return sorted(findings, key=lambda f: (f.line, f.column))


def check_terms(docs_dir: str | Path = DOCS_DIR, entries: list[dict] | None = None,
                spelling: list[dict] | None = None, *, files=None,
                italics: bool = False) -> list[Finding]:
    """Findings in the Indonesian pages under docs_dir/id (the glossary page excluded).

    files: only these pages (paths to .md files under docs_dir/id; others are ignored).
    entries/spelling default to data/glossary.yml.
    """
    docs_dir = Path(docs_dir)
    if entries is None:
        entries, default_spelling = cached_glossary(GLOSSARY_FILE)
        spelling = default_spelling if spelling is None else spelling
    rules = _Rules(entries, spelling or [])
    root = (docs_dir / "id").resolve()
    if files is None:
        pages = sorted(root.rglob("*.md"))
    else:
        pages = [Path(f).resolve() for f in files]
        pages = [p for p in pages if p.suffix == ".md" and p.is_file() and root in p.parents]
    findings = []
    for page in pages:
        if page == root / GLOSSARY_PAGE:
            continue
        shown = _shown_path(page)
        findings += check_markdown(page.read_text(encoding="utf-8"), entries, spelling,
                                   italics=italics, path=shown, _rules=rules)
    return findings


def _shown_path(page: Path) -> str:
    try:
        return page.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return page.as_posix()


# --------------------------------------------------------------------------------------------
# First-use hints


def _wants_hint(entry: dict) -> bool:
    return (entry.get("hint", True) and not entry["keep_english"]
            and entry["id_term"].casefold() != entry["en"].casefold())


@lru_cache(maxsize=8)
def _term_index(terms: tuple[str, ...]) -> dict[str, list[re.Pattern]]:
    """First word of each term -> the patterns of the terms starting with it, longest first.

    Our own index instead of one regex alternation of all terms: Python's re tries every
    alternative at every position, which took about 20 ms per page for 256 terms; a dict
    lookup per word takes well under 1 ms.
    """
    index: dict[str, list[re.Pattern]] = {}
    for term in sorted(terms, key=len, reverse=True):
        first = _WORD.search(term).group().casefold()
        pattern = re.compile(rf"{_phrase_pattern(term)}(?![\w-])", re.IGNORECASE)
        index.setdefault(first, []).append(pattern)
    return index


def _find_terms(prose: str, terms: tuple[str, ...]):
    """Non-overlapping uses of the terms in reading order; the longest term wins at a word."""
    index = _term_index(terms)
    resume = 0
    for word in _WORD.finditer(prose):
        start = word.start()
        if start < resume or (start and prose[start - 1] == "-"):
            continue
        for pattern in index.get(word.group().casefold(), ()):
            match = pattern.match(prose, start)
            if match:
                resume = match.end()
                yield match
                break


def _already_glossed(markdown: str, english: str) -> bool:
    """The page already gives the English term: in italics anywhere or in brackets."""
    body = _phrase_pattern(english)
    return re.search(rf"(?:[*_]|\(\s*)[*_]?{body}(?![\w])", markdown, re.IGNORECASE) is not None


def first_use_hints(markdown: str, entries: list[dict], lang: str = "id") -> str:
    """Append " (*english*)" after the first prose use of each Indonesian term whose English
    form differs (basis data -> "basis data (*database*)"), once per page.

    Skipped: English pages; terms with hint: false or kept in English; terms whose English form
    the page already gives (in italics or in brackets) anywhere; uses inside code, front matter,
    headings, admonition and tab titles, link texts and URLs, bold or italic spans, raw HTML,
    and inside brackets, and the term's tooltip_skip phrases (where the word means something
    else). A longer term wins over a shorter one inside it (basis data relasional
    over basis data). Running it twice changes nothing.
    """
    if lang != "id":
        return markdown
    prose = _blank_spans(mask_non_prose(markdown, HINT), _skipped_spans(markdown, entries, lang))
    by_term = {_key(e["id_term"]): e for e in entries}
    done: set[str] = set()
    inserts: list[tuple[int, str]] = []
    for match in _find_terms(prose, tuple(sorted(e["id_term"] for e in entries))):
        entry = by_term[_key(match.group())]
        if entry["id"] in done or not _wants_hint(entry):
            continue
        start, end = match.span()
        # Not inside brackets, and not right before an opening one: "(a) (*b*) (c)".
        if _inside_brackets(prose, start) or re.match(r"\s*\(", prose[end:end + 80]):
            continue
        done.add(entry["id"])
        if not _already_glossed(markdown, entry["en"]):
            inserts.append((end, f" (*{entry['en']}*)"))
    for position, text in sorted(inserts, reverse=True):
        markdown = markdown[:position] + text + markdown[position:]
    return markdown


def _english_forms(term: str) -> list[str]:
    """The term and, for a lower-case English term, its plural (cache: caches, query: queries)."""
    if not term.islower() or not term[-1].isalpha():
        return [term]
    if term.endswith("y") and term[-2:-1] not in tuple("aeiou"):
        return [term, term[:-1] + "ies"]
    if term.endswith(("s", "x", "z", "ch", "sh")):
        return [term, term + "es"]
    return [term, term + "s"]


@lru_cache(maxsize=256)
def _skip_pattern(phrases: tuple[str, ...]) -> re.Pattern | None:
    """The tooltip_skip phrases as they may stand in Markdown: any word may carry italic or code
    marks ("area *staging*", "*f-string* atau penggabungan")."""
    if not phrases:
        return None
    mark = r"[*_`]*"
    bodies = [r"\s+".join(mark + re.escape(word) + mark for word in phrase.split())
              for phrase in sorted(set(phrases), key=len, reverse=True)]
    return re.compile(rf"(?<!\w)(?:{'|'.join(bodies)}){_WORD_END}", re.IGNORECASE)


def _skipped_spans(markdown: str, entries: list[dict], lang: str) -> list[tuple[int, int]]:
    """Where the tooltip_skip phrases of `lang` stand on the page: there a term's word means
    something else ("log in", "kantor pos cabang"), so it gets neither a tooltip nor an English
    hint. Only the phrases whose words all occur on the page are searched for: one alternation
    of all of them, each starting with optional marks, is tried at every position and took
    about 1 s per build."""
    lower = markdown.casefold()
    phrases = (phrase for e in entries for phrase in e.get("tooltip_skip", {}).get(lang, []))
    pattern = _skip_pattern(tuple(phrase for phrase in phrases
                                  if all(word in lower for word in phrase.casefold().split())))
    return [] if pattern is None else [m.span() for m in pattern.finditer(markdown)]


def _blank_spans(prose: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        prose = prose[:start] + MASK * (end - start) + prose[end:]
    return prose


def link_first_uses(markdown: str, entries: list[dict], lang: str, glossary_href: str) -> str:
    """Link the first prose use of each glossary term on a page to its entry on the glossary
    page: "[basis data](../glossary.md#database){ .glossary-term }". The build then gives each
    such link the term's definition as its title (glossary_titles), which
    docs/assets/javascripts/tooltips.js shows as a tooltip on hover and on keyboard focus.

    Terms are matched in the page's language: id_term on Indonesian pages, the English term and
    its plural on English pages; a term written in italics (*cache*) is linked whole, italics
    included. Abbreviations are left to the abbreviation tooltips. Skipped like the English
    hints (first_use_hints): code, headings, titles, link texts, bold spans, raw HTML, and an
    English gloss in brackets ("basis data (*database*)": the term is linked, not the gloss).
    Running it twice changes nothing (the first run's link texts are link texts).
    Entries with tooltip: false are never linked; the phrases of an entry's tooltip_skip (in
    the page's language) are passed over, for uses where the word means something else.
    """
    forms: dict[str, dict] = {}
    for entry in entries:
        if entry["abbr"] or not entry.get("tooltip", True):
            continue
        for form in [entry["id_term"]] if lang == "id" else _english_forms(entry["en"]):
            forms.setdefault(_key(form), entry)
    if not forms:
        return markdown
    skipped = _skipped_spans(markdown, entries, lang)
    hint_prose, link_prose = (_blank_spans(prose, skipped)
                              for prose in hint_and_link_prose(markdown))
    uses = [(m.start(), m.end(), forms[_key(m.group())])
            for m in _find_terms(hint_prose, tuple(sorted(forms)))]
    prose = link_prose.replace("**", "\x01\x01")
    for pattern in (_ITALIC_STAR, _ITALIC_UNDERSCORE):
        for match in pattern.finditer(prose):
            entry = forms.get(_key(match.group()[1:-1]))
            if entry and not re.search(r"\(\s*$", prose[max(0, match.start() - 3):match.start()]):
                uses.append((match.start(), match.end(), entry))
    # Terms linked by an earlier run stay the only link of their kind.
    done = set(re.findall(r"\]\([^()\s]*#([\w-]+)\)\{ \.glossary-term \}", markdown))
    links: list[tuple[int, int, str]] = []
    for start, end, entry in sorted(uses, key=lambda use: use[0]):
        if entry["id"] not in done:
            done.add(entry["id"])
            links.append((start, end, entry["id"]))
    for start, end, anchor in reversed(links):
        markdown = (f"{markdown[:start]}[{markdown[start:end]}]({glossary_href}#{anchor})"
                    f"{{ .glossary-term }}{markdown[end:]}")
    return markdown


def plain_text(markdown: str) -> str:
    """A definition as a tooltip shows it: no code marks or italics (`GET /x`, *cache*)."""
    text = re.sub(r"`([^`]+)`", r"\1", markdown)
    text = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"\1", text)
    return _normal_space(text)


_TERM_LINK = re.compile(r'<a\b(?=[^>]*\bclass="glossary-term")[^>]*?\bhref="[^"#]*#([\w-]+)"[^>]*>')


def glossary_titles(html: str, entries: list[dict], lang: str) -> str:
    """Give each link made by link_first_uses the term's definition as its title (hook helper,
    on the rendered page: Markdown offers no safe way to put quotes in a title)."""
    definitions = {e["id"]: e["definition"][lang] for e in entries}

    def titled(match: re.Match) -> str:
        definition = definitions.get(match.group(1))
        if definition is None:
            return match.group()
        return f'{match.group()[:-1]} title="{html_escape(plain_text(definition))}">'

    return _TERM_LINK.sub(titled, html)


_ABBR = re.compile(r"<abbr title=\"[^\"]*\">([^<]+)</abbr>")


def focusable_abbreviations(html: str) -> str:
    """Make the first <abbr> of each abbreviation on a page focusable (tabindex="0"), so that its
    tooltip also shows on keyboard focus; the others keep their tooltip on hover only, so that
    a keyboard user does not tab through every "API" of a long page."""
    seen: set[str] = set()

    def first(match: re.Match) -> str:
        if match.group(1) in seen:
            return match.group()
        seen.add(match.group(1))
        return match.group().replace("<abbr ", '<abbr tabindex="0" ', 1)

    return _ABBR.sub(first, html)


def _inside_brackets(prose: str, position: int) -> bool:
    line_start = prose.rfind("\n", 0, position) + 1
    before = prose[line_start:position]
    return before.count("(") > before.count(")")


# --------------------------------------------------------------------------------------------
# Command line


def tooltip_uses(docs_dir: Path, entries: list[dict], lang: str, files=None):
    """(page, line, term id, the line with the linked use in [brackets]) for every term tooltip
    the build would add to the pages of `lang` (Indonesian: after the English hints)."""
    root = (Path(docs_dir) / lang).resolve()
    for path in sorted(Path(f).resolve() for f in files) if files else sorted(root.rglob("*.md")):
        if is_glossary_page(str(path.relative_to(root))):
            continue
        source = path.read_text(encoding="utf-8")
        if lang == "id":
            source = first_use_hints(source, entries, lang)
        marked = link_first_uses(source, entries, lang, "\0")
        link = re.compile(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\0#([\w-]+)\)\{ \.glossary-term \}")
        for match in link.finditer(marked):
            line_start = marked.rfind("\n", 0, match.start()) + 1
            line_end = marked.find("\n", match.end())
            line = marked[line_start:None if line_end == -1 else line_end]
            own = match.start() - line_start
            text = (link.sub(lambda m: m.group(1), line[:own]) + f"[{match.group(1)}]"
                    + link.sub(lambda m: m.group(1), line[own + len(match.group()):]))
            yield (path.relative_to(root).as_posix(), marked.count("\n", 0, match.start()) + 1,
                   match.group(2), " ".join(text.split()))


def _check_command(args) -> int:
    files = args.files or None
    if files and any(Path(f).name == GLOSSARY_FILE.name for f in files):
        files = None  # the glossary changed: every page may be affected
    entries, spelling = cached_glossary(args.glossary)
    findings = check_terms(args.docs, entries, spelling, files=files, italics=args.italics)
    for item in findings:
        print(item)
    pages = len({f.path for f in findings})
    if findings:
        print(f"{len(findings)} finding(s) in {pages} page(s); see STYLE.md and "
              f"docs/id/glossary.md", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--glossary", type=Path, default=GLOSSARY_FILE, help=argparse.SUPPRESS)
    parser.add_argument("--docs", type=Path, default=DOCS_DIR, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="check data/glossary.yml against the schema")
    render = sub.add_parser("render", help="print the generated glossary page body")
    render.add_argument("--lang", choices=LANGUAGES, default="id")
    abbr = sub.add_parser("abbr", help="print the abbreviation lines of a language")
    abbr.add_argument("--lang", choices=LANGUAGES, default="id")
    tips = sub.add_parser("tooltips", help="where each term tooltip lands (first uses)")
    tips.add_argument("--lang", choices=LANGUAGES, default="id")
    tips.add_argument("files", nargs="*", help="only these files (default: all of docs/<lang>)")
    check = sub.add_parser("check", help="forbidden forms in the Indonesian pages")
    check.add_argument("--italics", action="store_true",
                       help="also report English terms written without italics")
    check.add_argument("files", nargs="*", help="only these files (default: all of docs/id)")
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            return _check_command(args)
        entries = load_glossary(args.glossary, args.docs)
        if args.command == "validate":
            spelling = load_spelling(args.glossary)
            print(f"{args.glossary.name}: {len(entries)} terms, "
                  f"{sum(1 for e in entries if e['abbr'])} abbreviations, "
                  f"{len(spelling)} spelling rules: OK")
        elif args.command == "render":
            print(render_glossary_page(entries, args.lang, args.docs), end="")
        elif args.command == "abbr":
            print("\n".join(abbr_lines(entries, args.lang)))
        elif args.command == "tooltips":
            for page, line, term, text in tooltip_uses(args.docs, entries, args.lang, args.files):
                print(f"{page}:{line}: {term}: {text}")
    except GlossaryError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
