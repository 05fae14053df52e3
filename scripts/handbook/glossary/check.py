"""The term check: forbidden forms of glossary terms, avoided synonyms, non-standard spellings and
style rules in the pages, and with --italics English terms kept in English but not in italics.

Indonesian pages get every rule; English pages get the English `avoid` lists (e-mail -> email).
Besides docs/<lang>/, the Markdown templates readers download (examples/templates/<lang>/) and
the filled-in examples beside them (examples/**/filled/<lang>/) are checked in their language.

Our own code because spell checkers (hunspell-id) accept non-standard but existing words such as
"antrian", or English words in Indonesian prose, or a synonym of the book's chosen term
("pekerja" for *worker*), which is what this check is for.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from handbook.glossary.model import (
    DOCS_DIR,
    GLOSSARY_FILE,
    GLOSSARY_PAGE,
    LANGUAGES,
    ROOT,
    cached_glossary,
    key,
    normal_space,
)
from handbook.glossary.prose import (
    AVOID,
    CHECK,
    ITALIC_STAR,
    ITALIC_UNDERSCORE,
    ITALICS,
    WORD_END,
    Masked,
    mask_non_prose,
    phrase_pattern,
    ui_labels,
)
from handbook.glossary.validation import avoided_forms

EXAMPLES_DIR = ROOT / "examples"
# What each kind of finding is tagged with: `file:line: [terms] "pekerja" — fix: ...`.
TAGS = {"term": "terms", "spelling": "spelling", "style": "style", "italic": "italics"}


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
        where = f"{self.path}:{self.line}: [{TAGS[self.kind]}]"
        if self.kind == "italic":
            return (f"{where} \"{self.found}\" stays English — fix: write it in italics, "
                    f"*{self.found}* (glossary: {self.term})")
        about = f" (glossary: {self.term})" if self.term else ""
        return f"{where} \"{self.found}\" — fix: write {self.suggestion}{about}"


# A relative "di mana" after a comma is the calque of ", where" (EYD V; use "yang"/"tempat").
STYLE_RULES = [
    (re.compile(r",\s+di\s+mana\b(?![^.?!\n]*\?)", re.IGNORECASE),
     "yang / tempat (\"di mana\" is not a relative pronoun)"),
]


def _whole(alternatives: list[str]) -> re.Pattern:
    alternatives = sorted(set(alternatives), key=len, reverse=True)
    body = "|".join(phrase_pattern(a) for a in alternatives) or r"(?!x)x"
    return re.compile(rf"(?<!\w)(?:{body}){WORD_END}", re.IGNORECASE)


def _whole_marked(alternatives: list[str]) -> re.Pattern:
    """Like _whole, but a word of the phrase may carry emphasis marks, as an affixed foreign word
    does: "di-*merge*", "*load balancer*", "*load* *balancer*"."""
    mark = r"[*_]{0,3}"

    def marked(phrase: str) -> str:
        parts = re.split(r"(\s+|-)", phrase.strip())
        return "".join((r"\s+" if part.isspace() else "-") if part.isspace() or part == "-"
                       else mark + re.escape(part) + mark for part in parts if part)

    alternatives = sorted(set(alternatives), key=len, reverse=True)
    body = "|".join(marked(a) for a in alternatives) or r"(?!x)x"
    return re.compile(rf"(?<![\w*])(?:{body}){WORD_END}", re.IGNORECASE)


def _unmarked(text: str) -> str:
    return key(re.sub(r"[*_]", "", text))


def _written(entry: dict, lang: str, write: str | None = None) -> str:
    """The form to write instead, as the page's language writes it (italic if kept in italics)."""
    if write is not None:
        return write
    if lang == "en":
        return entry["en"]
    return f"*{entry['id_term']}*" if entry["italic"] else entry["id_term"]


class _Rules:
    """Compiled patterns for one glossary: forbidden and avoided forms, the phrases that protect
    them, per language."""

    def __init__(self, entries: list[dict], spelling: list[dict]):
        self.suggestion: dict[str, tuple[str, str, str | None]] = {}
        for entry in entries:
            for variant in entry["variants_forbidden"]:
                self.suggestion[key(variant)] = (_written(entry, "id"), "term", entry["id"])
        for item in spelling:
            self.suggestion.setdefault(key(item["wrong"]), (item["right"], "spelling", None))
        self.forbidden = _whole(list(self.suggestion))
        # Correct phrases that contain a forbidden word: chosen forms, English terms kept in
        # English, and each entry's `allow` list ("pull request" must not flag "request").
        allowed = [a for e in entries for a in e.get("allow", [])]
        candidates = [e["id_term"] for e in entries] + [e["en"] for e in entries
                                                       if e["keep_english"]]
        self.protected = _whole([p for p in candidates + allowed if key(p) not in self.suggestion
                                 and self.forbidden.search(p)])
        # Avoided synonyms (`avoid`), per language, checked in italics too.
        self.avoid: dict[str, dict[str, tuple[str, str, str | None]]] = {}
        self.avoided: dict[str, re.Pattern] = {}
        self.avoid_protected: dict[str, re.Pattern] = {}
        for lang in LANGUAGES:
            found = {key(form): (_written(entry, lang, write), "term", entry["id"])
                     for entry in entries for form, write in avoided_forms(entry, lang)}
            self.avoid[lang] = found
            self.avoided[lang] = _whole_marked(list(found))
            chosen = ([e["id_term"] for e in entries] + [e["en"] for e in entries
                                                        if e["keep_english"]]
                      if lang == "id" else [e["en"] for e in entries])
            self.avoid_protected[lang] = _whole(
                [p for p in chosen + allowed if key(p) not in found
                 and self.avoided[lang].search(p)])
        italic_terms = [e for e in entries if e["keep_english"] and e["italic"]]
        self.italic_id = {key(e["en"]): e["id"] for e in italic_terms}
        self.italic = _whole([e["en"] for e in italic_terms])
        # Allowed names (Node.js, Secure Shell) and other terms that contain an English word
        # kept in italics ("Kubernetes node" is not an entry, "OpenID Connect" could be).
        others = [form for e in entries if not e["italic"] for form in (e["id_term"], e["en"])]
        self.italic_protected = _whole(
            [a for e in italic_terms for a in e.get("allow", [])]
            + [f for f in others if key(f) not in self.italic_id and self.italic.search(f)])


def _glosses(text: str) -> list[tuple[int, int]]:
    """Italic spans that open a bracket: the English gloss after a term, "penyeimbang beban
    (*load balancer*)", which STYLE.md §4 asks for where the gloss matters. A form named there is
    mentioned, not used."""
    unbolded = text.replace("**", "\x01\x01")
    spans = []
    for pattern in (ITALIC_STAR, ITALIC_UNDERSCORE):
        for match in pattern.finditer(unbolded):
            if re.search(r"\(\s*$", unbolded[max(0, match.start() - 3):match.start()]):
                spans.append(match.span())
    return spans


def check_markdown(markdown: str, entries: list[dict], spelling: list[dict] | None = None,
                   *, italics: bool = False, path: str = "<text>", lang: str = "id",
                   _rules: _Rules | None = None) -> list[Finding]:
    """Findings for one page in `lang`. Indonesian: forbidden variants of glossary terms,
    avoided synonyms, non-standard spellings, style rules and, with italics=True, English terms
    written without italics. English: the avoided synonyms of the English lists."""
    rules = _rules or _Rules(entries, spelling or [])
    line_starts = [0] + [m.end() for m in re.finditer("\n", markdown)]

    def finding(match: re.Match, suggestion: str, kind: str, term: str | None,
                marked: bool = False) -> Finding:
        line = bisect.bisect_right(line_starts, match.start())
        column = match.start() - line_starts[line - 1] + 1
        found = normal_space(markdown[match.start():match.end()])
        if marked:  # an avoided form as written, less its emphasis marks (di-*merge*)
            found = re.sub(r"[*_]", "", found)
        return Finding(path, line, column, found, suggestion, kind, term)

    findings = []
    if rules.avoid[lang]:
        avoid = Masked(mask_non_prose(markdown, AVOID))
        # Glosses name a form; an Indonesian page keeps English UI labels as the software shows
        # them (an English page has no label to tell apart from its own bold prose).
        for span in _glosses(avoid.text) + (ui_labels(avoid.text) if lang == "id" else []):
            avoid.blank(*span)
        avoid.blank_all(rules.avoid_protected[lang])
        findings += [finding(m, *rules.avoid[lang][_unmarked(m.group())], marked=True)
                     for m in rules.avoided[lang].finditer(avoid.text)]
    if lang != "id":
        return sorted(findings, key=lambda f: (f.line, f.column))
    prose = mask_non_prose(markdown, CHECK)
    checked = Masked(prose)
    checked.blank_all(rules.protected)
    findings += [finding(m, *rules.suggestion[key(m.group())])
                 for m in rules.forbidden.finditer(checked.text)]
    for pattern, suggestion in STYLE_RULES:
        findings += [finding(m, suggestion, "style", None) for m in pattern.finditer(prose)]
    if italics:
        plain = Masked(mask_non_prose(markdown, ITALICS))
        plain.blank_all(rules.italic_protected)
        findings += [finding(m, "italics", "italic", rules.italic_id[key(m.group())])
                     for m in rules.italic.finditer(plain.text)
                     if not m.group().isupper()]  # COMMIT, the SQL keyword, wants `code`
    return sorted(findings, key=lambda f: (f.line, f.column))


def page_language(path: Path, docs_dir: Path, examples_dir: Path | None) -> str | None:
    """The language of a page this check reads, or None: docs/<lang>/**.md, and the templates
    and filled-in examples under examples/ (examples/**/<lang>/*.md)."""
    path = path.resolve()
    if path.suffix != ".md" or not path.is_file():
        return None
    for lang in LANGUAGES:
        root = (docs_dir / lang).resolve()
        if root in path.parents:
            return None if path == root / GLOSSARY_PAGE else lang
    if examples_dir is not None and examples_dir.resolve() in path.parents:
        lang = path.parent.name
        return lang if lang in LANGUAGES else None
    return None


def pages_to_check(docs_dir: Path, examples_dir: Path | None) -> list[Path]:
    pages = [p for lang in LANGUAGES for p in sorted((docs_dir / lang).rglob("*.md"))]
    if examples_dir is not None and examples_dir.is_dir():
        pages += sorted(p for lang in LANGUAGES for p in examples_dir.rglob(f"{lang}/*.md"))
    return pages


def check_terms(docs_dir: str | Path = DOCS_DIR, entries: list[dict] | None = None,
                spelling: list[dict] | None = None, *, files=None, italics: bool = False,
                examples_dir: str | Path | None = None) -> list[Finding]:
    """Findings in the pages under docs_dir/<lang> (the glossary pages excluded) and, with
    examples_dir, in the Markdown templates under it (examples/**/<lang>/*.md).

    files: only these pages (others are ignored). entries/spelling default to data/glossary.yml.
    """
    docs_dir = Path(docs_dir)
    examples = Path(examples_dir) if examples_dir is not None else None
    if entries is None:
        entries, default_spelling = cached_glossary(GLOSSARY_FILE)
        spelling = default_spelling if spelling is None else spelling
    rules = _Rules(entries, spelling or [])
    candidates = pages_to_check(docs_dir, examples) if files is None else [Path(f) for f in files]
    findings = []
    for page in candidates:
        lang = page_language(page, docs_dir, examples)
        if lang is None:
            continue
        findings += check_markdown(page.read_text(encoding="utf-8"), entries, spelling,
                                   italics=italics, path=_shown_path(page.resolve()), lang=lang,
                                   _rules=rules)
    return findings


def _shown_path(page: Path) -> str:
    try:
        return page.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return page.as_posix()
