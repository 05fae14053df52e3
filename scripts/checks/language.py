"""Is this paragraph written in Indonesian or in English? A stop-word count, tuned for this book.

What this adds that no library does: language identifiers (langdetect, lingua, fastText) need
models and guess badly on short technical text full of English terms, which Indonesian pages
rightly keep (italicised, per the style guide). Here the question is narrower — "is this
paragraph of an Indonesian page actually English (or the reverse)?" — and function words answer
it well: prose in either language is full of its own small words (yang, dan, di, untuk / the, and,
of, to) and almost never uses the other language's. We drop what may legitimately be foreign
(code, link text, italic terms, tables, headings, HTML) and compare the two counts.

Tuning (MIN_WORDS, MIN_FOREIGN, RATIO below): on the handbook as written, no paragraph scores
above 0.12 foreign-to-own function words, while an English paragraph in an Indonesian page
scores 3 or more; the threshold of 2.0 with at least 3 foreign function words sits between.
A quotation kept in its language on purpose is marked `{ lang="en" }` and skipped.
"""

from __future__ import annotations

import re

from .markdown import Page


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


INDONESIAN = _words("""
yang dan di ke dari untuk dengan ini itu adalah pada tidak atau akan dalam juga sebagai oleh
karena dapat bisa agar jika saat setiap lebih ada sudah harus anda kita kami mereka tetapi lalu
seperti bukan hanya sama sebuah satu dua tiga belum masih sangat semua telah bila kalau maka
namun supaya tanpa antara terhadap hingga sampai sejak ketika sehingga bahwa apa siapa mana
bagaimana mengapa kapan beberapa banyak sedikit lain baru perlu boleh mau ingin sedang pernah
selalu biasanya misalnya yaitu yakni serta maupun melalui tentang bagi para pun saja tersebut
nya begitu demikian apabila walaupun meskipun selama setelah sebelum sesudah kembali pula
""")

ENGLISH = _words("""
the and of to in is that for it with as on are be this by an or from at not your you can which
when if has have will was were been their they them what there these those would should could
its into than then also but about more only other such how each any all our we do does did so
because while where who whom whose after before between through over under again further once
here both few most some same very just being having doing until against above below off own
""")

_WORD = re.compile(r"[A-Za-z]+")
_LINK = re.compile(r"!?\[((?:[^\[\]]|\[[^\]]*\])*)\]\([^)]*\)|!?\[([^\]]*)\]\[[^\]]*\]")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\*)[^*\n]+?\*(?!\*)|(?<![_\w])_(?!_)[^_\n]+?_(?!_)")
_HTML_TAG = re.compile(r"<[^>]+>")
_URL = re.compile(r"https?://\S+")
_SHORTCODE = re.compile(r":[a-z0-9_+-]+:|\{[^{}]*\}")
_BLOCK_START = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+")
_SKIP_LINE = re.compile(
    r"^[ \t]*(?:#|\||!!!|\?\?\?|===|<|\*\[|\[[^\]]+\]:|-{3,}[ \t]*$|:{1,2}[a-z]|--8<--)")
# A paragraph needs this many words, this many foreign function words, and this ratio of
# foreign to own function words before it counts as written in the other language.
MIN_WORDS, MIN_FOREIGN, RATIO = 8, 3, 2.0


def counts(text: str) -> tuple[int, int, int]:
    """(words, English function words, Indonesian function words) of plain text."""
    words = [w.lower() for w in _WORD.findall(text)]
    english = sum(w in ENGLISH for w in words)
    indonesian = sum(w in INDONESIAN for w in words)
    return len(words), english, indonesian


def strip_markup(text: str) -> str:
    """Keep the prose: drop link text and targets, italic (foreign) terms, HTML, URLs."""
    text = _LINK.sub(" ", text)
    text = _ITALIC.sub(" ", text)
    text = _HTML_TAG.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _SHORTCODE.sub(" ", text)
    return text.replace("**", " ").replace("__", " ")


def units(md: Page) -> list[tuple[int, str]]:
    """Paragraphs and list items of a page's prose as (first line, text), without code,
    tables, headings, HTML blocks, admonition/tab titles, definitions and link-only lines."""
    found: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(md.masked_lines, 1):
        if not line.strip() or _SKIP_LINE.match(line) or _BLOCK_START.match(line):
            if current:
                found.append((start, " ".join(current)))
                current = []
            if not line.strip() or _SKIP_LINE.match(line):
                continue
            line = _BLOCK_START.sub("", line)
        if not current:
            start = number
        current.append(line.strip())
    if current:
        found.append((start, " ".join(current)))
    return found


def foreign(text: str, lang: str, min_words: int = MIN_WORDS) -> bool:
    """Is `text` (from a page in `lang`) written in the other language?"""
    words, english, indonesian = counts(strip_markup(text))
    own, other = (english, indonesian) if lang == "en" else (indonesian, english)
    return words >= min_words and other >= MIN_FOREIGN and other >= RATIO * max(own, 0.5)


_DECLARED = re.compile(r"\{[^{}]*\blang=")


def foreign_paragraphs(md: Page, lang: str) -> list[tuple[int, str]]:
    """(line, first words) of every paragraph of `md` that reads as the other language. A
    paragraph that declares its language on purpose (a quotation kept in the original, with an
    attribute list: `{ lang="en" }` on the line after it) is left alone."""
    return [(line, text) for line, text in units(md)
            if not _DECLARED.search(text) and foreign(text, lang)]
