"""Style check: the rules of STYLE.md that a program can see, each reported with its line.

- Headings (STYLE.md §3): every H1, H2 and H3 and the front matter `title:` of every page is in
  title case as `title_case()` (handbook/glossary/rendering.py) writes it: function words
  lowercase unless first, a capitalised one in the middle is lowered ("Tanpa"), lowercase names
  (nginx, git bisect) and words with capitals inside (OAuth) kept.
- Serial comma (STYLE.md §5): English prose writes "logs, metrics and traces", with no comma
  before the "and" or "or" that ends a list, unless the comma prevents a misreading. Checked in
  the English pages and in the English templates and filled-in examples readers download
  (examples/**/en/*.md); not in code, quotations, italic titles or the link texts of sources.

What this adds that no library does: proselint and Vale know no bilingual title case and no
project list of function words; a serial-comma rule there flags every comma before "and",
including the one that joins two clauses ("If the cache is cold, the request waits, and the
user sees it"), which English requires. Here a comma before "and"/"or" counts only when it ends
a series of short, parallel items (see serial_commas); a list whose items contain "and" or "or"
is left alone (the comma then prevents a misreading), and a deliberate case is marked with
`<!-- serial-comma -->` at the end of the line.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import Finding, Project, display_path
from .markdown import page

CHECK = "style"
ESCAPE = "<!-- serial-comma -->"
_WORD = re.compile(r"[\w'’.-]+")
_CONJUNCTION = re.compile(r",(?P<space>\s+)(?P<conj>and|or)\s+(?=\S)")
# Where a list item starts: the previous comma, or a mark that ends a clause or a cell.
_BOUNDARY = set(",.;:!?|()[]\x00")
# A piece that starts with one of these opens a clause ("If the cache is cold, ..."): the comma
# before "and" then joins two clauses and is required.
_SUBORDINATORS = frozenset(re.findall(r"\S+", """
    if when whenever while because although though since after before once until unless so
    where whereas for with without which who whose that"""))
_AUXILIARIES = frozenset(re.findall(r"\S+", """
    is are was were be been being has have had do does did can could will would should may
    might must isn't aren't wasn't doesn't don't didn't can't won't"""))
# A second piece that starts like this is an aside ("X, not Y, and", "a key, such as a UUID,
# and"), not a list item.
_ASIDES = ("not ", "such as ", "including ", "namely ", "for example ", "e.g. ", "i.e. ",
           "that is ", "which ", "who ", "as ", "each ")
MAX_ITEM_WORDS = 4


def _piece_before(prose: str, end: int) -> tuple[int, str]:
    """(start, text) of the comma-separated piece that ends at `end` (a comma's position). A
    comma or point between two digits (5,000, 9.405) is part of a number, not a boundary."""
    start = end - 1
    while start >= 0 and prose[start:start + 2] != "\n\n":
        char = prose[start]
        if char in _BOUNDARY and not (char in ",." and 0 < start < len(prose) - 1
                                      and prose[start - 1].isdigit()
                                      and prose[start + 1].isdigit()):
            break
        start -= 1
    return start, prose[start + 1:end]


def serial_commas(prose: str) -> list[tuple[int, int]]:
    """(start of the list, position of the comma) of each serial comma in masked English prose.

    A comma before "and"/"or" is a serial comma when the two pieces before it are items of one
    list: both end in a comma, the last is a short phrase (at most MAX_ITEM_WORDS words), neither
    contains "and" or "or", the first does not open a clause (if, when, while...), the last is
    not an aside (not..., such as..., a year), and either both or neither hold a verb such as
    "is" or "can".
    """
    found = []
    for match in _CONJUNCTION.finditer(prose):
        comma = match.start()
        y_start, y = _piece_before(prose, comma)
        if y_start < 0 or prose[y_start] != ",":
            continue
        x_start, x = _piece_before(prose, y_start)
        y_words, x_words = _WORD.findall(y.lower()), _WORD.findall(x.lower())
        if not y_words or not x_words or len(y_words) > MAX_ITEM_WORDS:
            continue
        joined = " ".join(y_words) + " "
        if (joined.startswith(_ASIDES) or {"and", "or"} & set(x_words + y_words)
                or all(re.fullmatch(r"[\d.,%]+", w) for w in y_words)
                or x_words[0] in _SUBORDINATORS
                or bool(_AUXILIARIES & set(x_words)) != bool(_AUXILIARIES & set(y_words))):
            continue
        found.append((x_start + 1, comma))
    return found


def check_serial_commas(path: Path, text: str) -> list[Finding]:
    from handbook.glossary.prose import CHECK as PROSE
    from handbook.glossary.prose import mask_non_prose

    prose = mask_non_prose(text, PROSE)
    lines = text.split("\n")
    findings = []
    for start, comma in serial_commas(prose):
        line = text.count("\n", 0, comma) + 1
        if ESCAPE in lines[line - 1]:
            continue
        match = _CONJUNCTION.match(prose, comma)
        shown = " ".join(text[start:match.end("conj")].split())
        words = shown.split(" ")
        if len(words) > 12:
            shown = "… " + " ".join(words[-12:])
        findings.append(Finding(
            display_path(path), line, CHECK,
            f"serial comma before \"{match['conj']}\": \"{shown}\" (STYLE.md §5: no comma "
            "before the last item of a list unless it prevents a misreading)",
            f"drop the comma before \"{match['conj']}\"; if the comma prevents a misreading, "
            f"end the line with {ESCAPE}"))
    return findings


def check_headings(path: Path, lang: str) -> list[Finding]:
    from handbook.glossary.rendering import title_case

    md = page(path)
    findings = []
    items = [(h.line, h.text, "heading") for h in md.headings if h.level <= 3]
    if md.front_matter_text:
        for number, line in enumerate(md.front_matter_text.split("\n"), 2):
            match = re.match(r"^title:[ \t]*(['\"]?)(.*?)\1[ \t]*$", line)
            if match and match.group(2):
                items.insert(0, (number, match.group(2), "title"))
    for number, text, kind in items:
        raw = _raw_heading(md.lines[number - 1]) if kind == "heading" else text
        if raw is None or "`" in raw or "[" in raw:
            continue  # code or a link in a heading is the page check's business
        wanted = title_case(raw, lang)
        if wanted != raw:
            what = "front matter title" if kind == "title" else "heading"
            keep = " (the { #id } stays as it is)" if kind == "heading" else ""
            findings.append(Finding(
                display_path(path), number, CHECK,
                f"{what} is not in title case (STYLE.md §3): \"{raw}\"",
                f"write \"{wanted}\"{keep}"))
    return findings


_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(?P<text>.*?)(?:[ \t]*\{[^{}]*\})?[ \t]*#*[ \t]*$")


def _raw_heading(line: str) -> str | None:
    match = _HEADING.match(line)
    return match["text"].strip() if match else None


def english_templates(project: Project) -> list[Path]:
    """The English Markdown templates and filled-in examples readers download."""
    examples = project.root / "examples"
    return sorted(examples.rglob("en/*.md")) if examples.is_dir() else []


def run(project: Project, files: list[Path] | None = None) -> list[Finding]:
    if files is None:
        targets = [(project.md_path(lang, rel), lang) for lang in project.languages
                   for rel in project.pages(lang)]
        targets += [(path, "en") for path in english_templates(project)]
    else:
        targets = []
        for path in files:
            where = project.page_of(path)
            if where:
                targets.append((project.md_path(*where), where[0]))
            elif path.parent.name == "en" and (project.root / "examples").resolve() in \
                    path.resolve().parents:
                targets.append((path, "en"))
    findings: list[Finding] = []
    for path, lang in targets:
        if project.too_big(path):
            continue
        in_docs = project.page_of(path) is not None
        if in_docs and lang in ("id", "en"):
            findings += check_headings(path, lang)
        if lang == "en":
            text = path.read_bytes().decode("utf-8", errors="replace").replace("\r\n", "\n")
            findings += check_serial_commas(path, text)
    return findings
