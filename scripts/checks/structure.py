"""Structure check of the duty and skill pages: the nine sections, in order, and enough prose.

Issues 5 and 6 fix one structure for every duty and skill page, in both languages: In short,
Why it matters, Core concepts, In practice, Common mistakes, Checklist, Exercises, Related,
Further reading (level-2 headings, identified by their shared `{ #id }`), at least three checklist
items, and at least 800 words of prose (code excluded) per page and language. The translation
check compares twins with each other; this one compares each page with the rule, so a page that
drifts in both languages at once is caught too. Project-specific, so our own code.

`python scripts/check.py words` prints the prose word count of every page (for issue notes).
"""

from __future__ import annotations

import re

from . import Finding, Project, display_path
from .markdown import Page, page

CHECK = "structure"
SECTIONS = ("in-short", "why-it-matters", "core-concepts", "in-practice", "common-mistakes",
            "checklist", "exercises", "related", "further-reading")
MIN_WORDS = 800
MIN_TASKS = 3
STRUCTURED = ("duties/", "skills/")

_INCLUDE_OR_ABBR = re.compile(r"^[ \t]*(?:-+8<-+.*|\*\[[^\]]*\]:.*)$", re.MULTILINE)
_LINK_TARGET = re.compile(r"\]\([^)]*\)|\]\[[^\]]*\]|^ {0,3}\[[^\]]+\]:.*$", re.MULTILINE)
_ATTRS = re.compile(r"\{[^{}\n]*\}")
_TAG = re.compile(r"<[^>\n]+>")
_MARKUP_LINE = re.compile(r'^[ \t]*(?:[!?]{3}\+?|===)[ \t]*[\w-]*[ \t]*(?:"([^"]*)")?.*$',
                          re.MULTILINE)
_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")


def prose_words(md: Page) -> int:
    """Words of prose: the body without front matter, code (fenced, inline, included), comments,
    link targets, attribute lists, HTML tags and abbreviation definitions. Headings, table cells,
    admonition and tab titles are prose and count."""
    text = _INCLUDE_OR_ABBR.sub(" ", md.masked_text)
    text = _LINK_TARGET.sub("]", text)
    text = _MARKUP_LINE.sub(lambda m: m.group(1) or "", text)
    text = _TAG.sub(" ", _ATTRS.sub(" ", text))
    return len(_WORD.findall(text))


def is_structured(rel: str) -> bool:
    return rel.startswith(STRUCTURED) and not rel.endswith("index.md")


def check_page(md: Page) -> list[Finding]:
    where = display_path(md.path)
    findings = []
    level2 = [h for h in md.headings if h.level == 2]
    ids = [h.id for h in level2]
    missing = [s for s in SECTIONS if s not in ids]
    if missing:
        findings.append(Finding(where, level2[-1].line if level2 else 1, CHECK,
                                f"missing section(s): {', '.join('#' + s for s in missing)}",
                                "a duty or skill page has the nine level-2 sections of "
                                "STYLE.md, each with its { #id }"))
    else:
        present = [i for i in ids if i in SECTIONS]
        if present != list(SECTIONS):
            first = next(h for h, want in zip((h for h in level2 if h.id in SECTIONS),
                                              SECTIONS) if h.id != want)
            findings.append(Finding(where, first.line, CHECK,
                                    f"sections out of order: {' → '.join(present)}",
                                    f"put them in this order: {' → '.join(SECTIONS)}"))
    if len(md.tasks) < MIN_TASKS:
        findings.append(Finding(where, 1, CHECK,
                                f"{len(md.tasks)} checklist items (at least {MIN_TASKS})",
                                "write the Checklist as a task list: `- [ ] ...`"))
    words = prose_words(md)
    if words < MIN_WORDS:
        findings.append(Finding(where, 1, CHECK,
                                f"{words} words of prose (at least {MIN_WORDS}, code excluded)",
                                "explain more: the page is for a learner"))
    return findings


def run(project: Project, files=None) -> list[Finding]:
    wanted = None
    if files:
        wanted = {project.page_of(f) for f in files} - {None}
    findings: list[Finding] = []
    for lang in project.languages:
        for rel in project.pages(lang):
            path = project.md_path(lang, rel)
            if is_structured(rel) and (wanted is None or (lang, rel) in wanted) and \
                    not project.too_big(path):
                findings += check_page(page(path))
    return findings


def word_report(project: Project) -> str:
    """A Markdown table: prose words of every page, per language."""
    languages = project.languages
    rels = sorted(set().union(*(project.pages(lang) for lang in languages)))
    lines = ["| Page | " + " | ".join(languages) + " |",
             "| --- | " + " | ".join("---:" for _ in languages) + " |"]
    for rel in rels:
        counts = []
        for lang in languages:
            path = project.md_path(lang, rel)
            counts.append(f"{prose_words(page(path)):,}" if path.is_file() else "—")
        lines.append(f"| {rel} | " + " | ".join(counts) + " |")
    return "\n".join(lines)
