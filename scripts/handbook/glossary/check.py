"""The term check: forbidden forms of glossary terms, non-standard spellings and style rules in
the Indonesian pages, and with --italics English terms kept in English but not in italics.

Our own code because spell checkers (hunspell-id) accept non-standard but existing words such as
"antrian", or English words in Indonesian prose, which is what this check is for.
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
    cached_glossary,
    key,
    normal_space,
)
from handbook.glossary.prose import CHECK, ITALICS, WORD_END, Masked, mask_non_prose, phrase_pattern


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


def _whole(alternatives: list[str]) -> re.Pattern:
    alternatives = sorted(set(alternatives), key=len, reverse=True)
    body = "|".join(phrase_pattern(a) for a in alternatives) or r"(?!x)x"
    return re.compile(rf"(?<!\w)(?:{body}){WORD_END}", re.IGNORECASE)


class _Rules:
    """Compiled patterns for one glossary: forbidden forms and the phrases that protect them."""

    def __init__(self, entries: list[dict], spelling: list[dict]):
        self.suggestion: dict[str, tuple[str, str, str | None]] = {}
        for entry in entries:
            right = f"*{entry['id_term']}*" if entry["italic"] else entry["id_term"]
            for variant in entry["variants_forbidden"]:
                self.suggestion[key(variant)] = (right, "term", entry["id"])
        for item in spelling:
            self.suggestion.setdefault(key(item["wrong"]), (item["right"], "spelling", None))
        self.forbidden = _whole(list(self.suggestion))
        # Correct phrases that contain a forbidden word: chosen forms, English terms kept in
        # English, and each entry's `allow` list ("pull request" must not flag "request").
        candidates = [e["id_term"] for e in entries] + [e["en"] for e in entries
                                                       if e["keep_english"]]
        candidates += [a for e in entries for a in e.get("allow", [])]
        self.protected = _whole([p for p in candidates if key(p) not in self.suggestion
                                 and self.forbidden.search(p)])
        italic_terms = [e for e in entries if e["keep_english"] and e["italic"]]
        self.italic_id = {key(e["en"]): e["id"] for e in italic_terms}
        self.italic = _whole([e["en"] for e in italic_terms])
        # Allowed names (Node.js, Secure Shell) and other terms that contain an English word
        # kept in italics ("Kubernetes node" is not an entry, "OpenID Connect" could be).
        others = [form for e in entries if not e["italic"] for form in (e["id_term"], e["en"])]
        self.italic_protected = _whole(
            [a for e in italic_terms for a in e.get("allow", [])]
            + [f for f in others if key(f) not in self.italic_id and self.italic.search(f)])


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
        found = normal_space(markdown[match.start():match.end()])
        return Finding(path, line, column, found, suggestion, kind, term)

    checked = Masked(prose)
    checked.blank_all(rules.protected)
    findings = [finding(m, *rules.suggestion[key(m.group())])
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


