"""Prose masking: a page's Markdown with everything that is not prose blanked out.

The term check needs line numbers and the hints must edit the source in place, so Markdown is
not parsed into a tree here: every construct that is not prose is replaced by MASK characters
(same length, so offsets stay valid) with patterns that follow Python-Markdown and pymdownx
syntax. Shared by handbook.glossary.linking (hints, links) and handbook.glossary.check.
"""

from __future__ import annotations

import re

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
WORD = re.compile(r"\w+")

MASK = "\x00"
CHECK, HINT, ITALICS, LINK, AVOID = "check", "hint", "italics", "link", "avoid"
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
ITALIC_STAR = re.compile(r"(?<![*\\\w])\*(?![*\s])(?:[^*\n]|\n(?![ \t]*\n))+?(?<![*\s\\])\*"
                          r"(?![*\w])")
ITALIC_UNDERSCORE = re.compile(r"(?<![\w\\])_(?![_\s])[^_\n]+?(?<![_\s\\])_(?![\w])")
_BOLD = re.compile(r"(?<![*\\])\*\*(?=\S)(?:(?!\n[ \t]*\n).)+?(?<=\S)\*\*(?!\*)|"
                   r"(?<![\w\\])__(?=\S)[^\n]+?(?<=\S)__(?![\w])", re.DOTALL)
# A UI label as STYLE.md §7 writes it: bold, in English as the software shows it (**Create pull
# request**, **Settings → Rules**), so never translated nor italicised. Told apart from a bold
# lead-in or an emphasised phrase of the page's own prose (**Tulis *postmortem*.**, **Surel
# lewat antrean**) by what a label lacks: italics, code, the punctuation that ends a sentence or
# a lead-in, and the function words of Indonesian prose (_INDONESIAN).
_BOLD_LABEL = re.compile(r"(?<![*\\])\*\*(?=[^\s*])([^*`\n]+?)(?<=[^\s.,:;?!*])\*\*(?!\*)")
_INDONESIAN = frozenset(re.findall(r"\w+", """
yang dan di ke dari untuk dengan ini itu adalah pada tidak atau akan dalam juga sebagai oleh
karena dapat bisa agar jika saat setiap lebih ada sudah harus anda kita tetapi lalu seperti bukan
hanya belum masih semua telah bila kalau maka namun tanpa antara terhadap hingga sampai sejak
ketika sehingga bahwa apa mana perlu boleh tentang bagi para pun saja tersebut selama setelah
sebelum sesudah yaitu serta melalui
"""))


def ui_labels(text: str) -> list[tuple[int, int]]:
    """Spans of the bold UI labels in text (see _BOLD_LABEL)."""
    return [m.span() for m in _BOLD_LABEL.finditer(text)
            if not _INDONESIAN & set(m.group(1).casefold().split())]
_EXTERNAL = re.compile(r"^<?(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
# Quoted text is mentioned, not used: a commit message "update", a title "Manajemen Database".
_QUOTED = re.compile(r"\"(?:[^\"\n]|\n(?![ \t]*\n)){1,300}?\"|“[^”]{1,300}?”")


# Text each pattern needs to match at all (_URL also matches "www." in any case).
_NEEDS = {_COMMENT: ("<!--",), _CODE_SPAN: ("`",), _RAW_HTML: ("<",), _KEYS: ("++",),
          _ICON: (":",), _SNIPPET_LINE: ("8<",), _ABBR_DEF: ("*[",), _REF_DEF: ("]:",),
          _ATTR_LIST: ("{",), _AUTOLINK: ("<",), _URL: ("://",), _EMAIL: ("@",)}


def _may_match(pattern: re.Pattern, text: str) -> bool:
    """False when the text lacks what the pattern needs: scanning a page costs more."""
    needed = _NEEDS[pattern]
    return (any(part in text for part in needed)
            or (pattern is _URL and "www." in text.lower()))


class Masked:
    """A page's text with ranges blanked out; positions and line breaks never move.

    blank() only records a range; reading `text` applies the recorded ranges in one pass (a
    page is masked with a few thousand ranges: blanking each at once, character by character,
    was most of the build time of the glossary plugins).
    """

    def __init__(self, text: str):
        self._text = text
        self._pending: list[tuple[int, int]] = []

    @property
    def text(self) -> str:
        if self._pending:
            self._apply()
        return self._text

    def blank(self, start: int, end: int) -> None:
        if start < end:
            self._pending.append((start, end))

    def blank_all(self, pattern: re.Pattern, group: int | str = 0) -> None:
        for match in pattern.finditer(self.text):
            if match.group(group) is not None:
                self.blank(*match.span(group))

    def restore(self, start: int, text: str) -> None:
        """Put text back at start (same length), over any blanking."""
        current = self.text
        self._text = current[:start] + text + current[start + len(text):]

    def _apply(self) -> None:
        text, pieces, last = self._text, [], 0
        for start, end in sorted(self._pending):
            start = max(start, last)
            if start >= end:
                continue
            pieces.append(text[last:start])
            pieces.append(_NOT_NEWLINE.sub(MASK, text[start:end]))
            last = end
        pieces.append(text[last:])
        self._text = "".join(pieces)
        self._pending = []


_NOT_NEWLINE = re.compile(r"[^\n]")


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

    CHECK and ITALICS modes blank bold UI labels (**Create pull request**: English as the
    software shows it, STYLE.md §7; see ui_labels), which Indonesian prose does not translate
    nor italicise. AVOID mode (avoided forms, STYLE.md §9) is
    CHECK mode with the italic spans left in: a synonym to avoid is as wrong in italics
    (*load balancer*) as without.

    HINT mode also blanks headings, admonition and tab titles, every link text, bold spans and
    lines of raw HTML, where an inserted hint would not belong. LINK mode (glossary links) is
    HINT mode with the italic spans left in, for terms written in italics (*cache*). ITALICS
    mode (the italics check) blanks the same except bold spans: headings, titles and link texts
    (mostly page titles) are never italicised, and raw HTML cannot be.
    """
    if mode not in (CHECK, HINT, ITALICS, LINK, AVOID, _BASE):
        raise ValueError(f"unknown mode {mode!r}")
    emphasis_mode = mode
    if mode == AVOID:  # CHECK without the italic spans: an avoided form is wrong in italics too
        mode = CHECK
    masked = Masked(text)
    _mask_front_matter(masked, text, keep_meta=mode == CHECK)
    _mask_fences(masked, text)
    for line in re.finditer(rf"^.*{re.escape(IGNORE_MARKER)}.*$", text, re.MULTILINE):
        masked.blank(*line.span())
    for pattern in (_COMMENT, _CODE_SPAN, _RAW_HTML, _KEYS, _ICON, _SNIPPET_LINE, _ABBR_DEF,
                    _REF_DEF, _ATTR_LIST, _AUTOLINK, _URL, _EMAIL):
        if _may_match(pattern, text):
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
    if emphasis_mode in (CHECK, ITALICS):
        for span in ui_labels(masked.text):  # kept as the software writes them (STYLE.md §7)
            masked.blank(*span)
    if emphasis_mode in (_BASE, AVOID):
        return masked.text
    return _mask_emphasis(masked, mode)


def _mask_emphasis(masked: Masked, mode: str) -> str:
    # Bold delimiters are hidden while looking for italics, so that ***x* y** and *a **b** c*
    # are seen as italic spans (same length, so the spans apply to the page unchanged).
    unbolded = masked.text.replace("**", "\x01\x01")
    for pattern in (ITALIC_STAR, ITALIC_UNDERSCORE):
        for match in pattern.finditer(unbolded) if mode != LINK else ():
            masked.blank(*match.span())
    if mode in (HINT, LINK):
        masked.blank_all(_BOLD)
    return masked.text


def hint_and_link_prose(text: str) -> tuple[str, str]:
    """mask_non_prose(text, HINT) and mask_non_prose(text, LINK) in one pass: the two modes
    differ only in the italic spans (a build runs this on every page)."""
    base = mask_non_prose(text, _BASE)
    link = Masked(base)
    return _mask_emphasis(Masked(base), HINT), _mask_emphasis(link, LINK)


def _mask_front_matter(masked: Masked, text: str, keep_meta: bool) -> None:
    match = FRONT_MATTER.match(text)
    if not match:
        return
    masked.blank(*match.span())
    if keep_meta and match.group(1):
        start = match.start(1)
        for line in re.finditer(r"^(?:title|description):[ \t]*(.*)$", match.group(1), re.MULTILINE):
            value_start = line.start(1)
            masked.restore(start + value_start, line.group(1))


def _mask_fences(masked: Masked, text: str) -> None:
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



def phrase_pattern(phrase: str) -> str:
    return r"\s+".join(re.escape(word) for word in phrase.split())


# A word followed by a hyphen is part of a compound (Retry-After), unless the hyphen brings an
# Indonesian suffix or particle (database-nya).
WORD_END = r"(?!\w)(?!-(?!(?:nya|kan|an|i|lah|pun)\b)\w)"

