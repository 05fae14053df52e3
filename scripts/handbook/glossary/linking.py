"""Linking: what the build adds to a page's prose from the glossary.

- first_use_hints(): " (*database*)" after the first use of an Indonesian term whose English form
  differs (handbook/glossary-hints);
- link_first_uses(): the first use of each term links to its glossary entry, and
  glossary_titles() gives each such link the term's definition as its title, which
  docs/assets/javascripts/tooltips.js shows as a tooltip (handbook/glossary-links);
- tooltip_uses(): where those links land, for `glossary.py tooltips`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape as html_escape
from pathlib import Path

from handbook.glossary.model import is_glossary_page, key, normal_space
from handbook.glossary.prose import (
    HINT,
    ITALIC_STAR,
    ITALIC_UNDERSCORE,
    MASK,
    WORD,
    WORD_END,
    hint_and_link_prose,
    mask_non_prose,
    phrase_pattern,
)


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
        first = WORD.search(term).group().casefold()
        pattern = re.compile(rf"{phrase_pattern(term)}(?![\w-])", re.IGNORECASE)
        index.setdefault(first, []).append(pattern)
    return index


def _find_terms(prose: str, terms: tuple[str, ...]):
    """Non-overlapping uses of the terms in reading order; the longest term wins at a word."""
    index = _term_index(terms)
    resume = 0
    for word in WORD.finditer(prose):
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
    body = phrase_pattern(english)
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
    by_term = {key(e["id_term"]): e for e in entries}
    done: set[str] = set()
    inserts: list[tuple[int, str]] = []
    for match in _find_terms(prose, tuple(sorted(e["id_term"] for e in entries))):
        entry = by_term[key(match.group())]
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
    return re.compile(rf"(?<!\w)(?:{'|'.join(bodies)}){WORD_END}", re.IGNORECASE)


def _skipped_spans(markdown: str, entries: list[dict], lang: str) -> list[tuple[int, int]]:
    """Where the tooltip_skip phrases of `lang` stand on the page: there a term's word means
    something else ("log in", "kantor pos cabang"), so it gets neither a tooltip nor an English
    hint. Only the phrases whose words all occur on the page are searched for: one alternation
    of all of them, each starting with optional marks, is tried at every position and took
    about 1 s per build."""
    lower = markdown.casefold()
    tokens = set(WORD.findall(lower))

    def on_page(word: str) -> bool:
        # A phrase matches only where each of its words stands whole (the pattern's boundaries),
        # so a word of letters must be one of the page's words; others are searched as text.
        return word in tokens if WORD.fullmatch(word) else word in lower

    phrases = (phrase for e in entries for phrase in e.get("tooltip_skip", {}).get(lang, []))
    phrases = tuple(phrase for phrase in phrases
                    if all(on_page(word) for word in phrase.casefold().split()))
    pattern = _skip_pattern(phrases)
    if pattern is None:
        return []
    firsts = {WORD.match(phrase.split()[0].casefold()) for phrase in phrases}
    if None in firsts:  # a phrase that starts with a mark: search the whole page
        return [m.span() for m in pattern.finditer(markdown)]
    # pattern.finditer() tries the alternation at every position of the page, which took a third
    # of the glossary plugins' time. A match starts with a phrase's first word, maybe after
    # marks (*, _, `): try only there, left to right as finditer() does.
    folded = lower if len(lower) == len(markdown) else None  # offsets must be the page's
    if folded is None:
        return [m.span() for m in pattern.finditer(markdown)]
    starts: set[int] = set()
    for first in {match.group() for match in firsts}:
        word_start = folded.find(first)
        while word_start != -1:
            start = word_start
            while start and markdown[start - 1] in "*_`":
                start -= 1
            starts.update(range(start, word_start + 1))
            word_start = folded.find(first, word_start + 1)
    spans, resume = [], 0
    for start in sorted(starts):
        if start >= resume and (match := pattern.match(markdown, start)):
            spans.append(match.span())
            resume = match.end()
    return spans


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
            forms.setdefault(key(form), entry)
    if not forms:
        return markdown
    skipped = _skipped_spans(markdown, entries, lang)
    hint_prose, link_prose = (_blank_spans(prose, skipped)
                              for prose in hint_and_link_prose(markdown))
    uses = [(m.start(), m.end(), forms[key(m.group())])
            for m in _find_terms(hint_prose, tuple(sorted(forms)))]
    prose = link_prose.replace("**", "\x01\x01")
    for pattern in (ITALIC_STAR, ITALIC_UNDERSCORE):
        for match in pattern.finditer(prose):
            entry = forms.get(key(match.group()[1:-1]))
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
    return normal_space(text)


_TERM_LINK = re.compile(r'<a\b(?=[^>]*\bclass="glossary-term")[^>]*?\bhref="[^"#]*#([\w-]+)"[^>]*>')


def glossary_titles(html: str, entries: list[dict], lang: str) -> str:
    """Give each link made by link_first_uses the term's definition as its title (on the
    rendered page: Markdown offers no safe way to put quotes in a title)."""
    definitions = {e["id"]: e["definition"][lang] for e in entries}

    def titled(match: re.Match) -> str:
        definition = definitions.get(match.group(1))
        if definition is None:
            return match.group()
        return f'{match.group()[:-1]} title="{html_escape(plain_text(definition))}">'

    return _TERM_LINK.sub(titled, html)


def _inside_brackets(prose: str, position: int) -> bool:
    line_start = prose.rfind("\n", 0, position) + 1
    before = prose[line_start:position]
    return before.count("(") > before.count(")")


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


