"""Translation check: every page exists in both languages and the twins have the same shape.

What this adds that no library or plugin does: mkdocs-static-i18n builds each language but does
not compare them, and scripts/translations.py tracks *whether* a translation is current (content
hashes). This module compares *what* the twins contain, structure by structure, and says where:
  * both twins exist (docs/id/x.md and docs/en/x.md);
  * front matter: title and description present, description <= 160 characters, both in the
    page's language (not a copy of the twin's, and not reading as the other language);
  * headings: every heading has an explicit `{ #id }`; both twins have the same headings (level
    and id, in order), so the same count per level;
  * the same snippet includes, internal link targets and images (in order of appearance for
    includes and images; as sets for links, since a translation may word a sentence twice);
  * the same admonitions (kinds, in order), number of content tabs and of checklist items;
  * no paragraph in the other language (see language.py).
Findings about a difference are reported on the translation (the non-default language), which
is the page a translator edits; the message names the original's line.

`--status` prints, per page, which twin changed last in git (`git log -1 --format=%ct`), so that
translators see what is outdated.
"""

from __future__ import annotations

import posixpath
import subprocess
import time
from collections import Counter
from pathlib import Path

from . import Finding, Project, display_path
from .language import foreign, foreign_paragraphs
from .markdown import Page, is_internal, page

CHECK = "translations"
MAX_DESCRIPTION = 160
LANGUAGE_NAMES = {"id": "Indonesian", "en": "English"}


def _name(lang: str) -> str:
    return LANGUAGE_NAMES.get(lang, lang)


class Pair:
    """A page and its twin: original (default language) and translation."""

    def __init__(self, project: Project, rel: str, original: str, translation: str):
        self.rel = rel
        self.original_lang, self.translation_lang = original, translation
        self.original = page(project.md_path(original, rel))
        self.translation = page(project.md_path(translation, rel))
        self.findings: list[Finding] = []

    def report(self, md: Page, line: int, message: str, fix: str = "") -> None:
        self.findings.append(Finding(display_path(md.path), line, CHECK, message, fix))

    @staticmethod
    def same(target: str, lang: str) -> str:
        """An include path with a folder named after the page's language written as {lang}
        (templates/id/bug-report.md and templates/en/bug-report.md are the same include)."""
        return "/".join("{lang}" if part == lang else part for part in target.split("/"))

    def section_line(self, original_line: int) -> int:
        """Where in the translation something of the original's line belongs: the heading
        with the id of the original's section (else the first line after the front matter)."""
        before = [h for h in self.original.headings if h.line <= original_line and h.id]
        if before:
            for heading in self.translation.headings:
                if heading.id == before[-1].id:
                    return heading.line
        return self.translation.body_start + 1

    def where(self, md: Page, line: int) -> str:
        return f"{display_path(md.path)}:{line}"

    def compare_sequences(self, what: str, ours: list[tuple[int, str]],
                          theirs: list[tuple[int, str]], fix: str) -> None:
        """Ordered lists of (line, value): report the first place they differ."""
        t = self.translation
        for index in range(max(len(ours), len(theirs))):
            mine = ours[index] if index < len(ours) else None
            other = theirs[index] if index < len(theirs) else None
            if mine and other and mine[1] == other[1]:
                continue
            if other is None:
                self.report(t, mine[0], f"{what} {mine[1]} is not in the "
                            f"{_name(self.original_lang)} original", fix)
            elif mine is None:
                self.report(t, self.section_line(other[0]), f"{what} {other[1]} of the original "
                            f"({self.where(self.original, other[0])}) is missing here", fix)
            else:
                self.report(t, mine[0], f"{what} {mine[1]} here, but {other[1]} at this place "
                            f"in the original ({self.where(self.original, other[0])})", fix)
            return

    def check(self) -> list[Finding]:
        o, t = self.original, self.translation
        for md, lang in ((o, self.original_lang), (t, self.translation_lang)):
            self.check_front_matter(md, lang)
            for heading in md.headings:
                if not heading.id:
                    self.report(md, heading.line, f"heading {heading.text!r} has no id",
                                "add { #english-id } at its end, the same id in both twins")
            for line, text in foreign_paragraphs(md, lang):
                other = "en" if lang != "en" else self.original_lang
                self.report(md, line, f"this paragraph reads as {_name(other)}, in the "
                            f"{_name(lang)} page: {text[:50].strip()!r}...",
                            f"write it in {_name(lang)}")
        self.check_twin_front_matter()
        self.check_headings()
        self.compare_sequences(
            "include", [(i.line, repr(self.same(i.target, self.translation_lang)))
                        for i in t.includes],
            [(i.line, repr(self.same(i.target, self.original_lang))) for i in o.includes],
            "include the same snippets, in the same order, in both twins")
        self.compare_sequences(
            "image", [(ln.line, self.normal(t, self.translation_lang, ln.url))
                      for ln in t.links if ln.image],
            [(ln.line, self.normal(o, self.original_lang, ln.url)) for ln in o.links if ln.image],
            "show the same images in both twins (alt text in the page's language)")
        self.check_links()
        self.compare_sequences(
            "admonition", [(line, f"!!! {kind}") for line, kind in t.admonitions],
            [(line, f"!!! {kind}") for line, kind in o.admonitions],
            "use the same admonitions (kinds, order) in both twins")
        for what, ours, theirs in (("content tabs", t.tabs, o.tabs),
                                   ("checklist items", t.tasks, o.tasks)):
            if len(ours) != len(theirs):
                line = ours[min(len(ours), len(theirs))] if len(ours) > len(theirs) else (
                    ours[-1] if ours else t.body_start + 1)
                self.report(t, line, f"{len(ours)} {what} here, {len(theirs)} in the original "
                            f"({display_path(o.path)})", f"give both twins the same {what}")
        return self.findings

    def check_front_matter(self, md: Page, lang: str) -> None:
        import yaml

        try:
            meta = md.front_matter
        except yaml.YAMLError:
            return  # the page check reports it, at the line of the fault (pages.py)
        if md.front_matter_text is None and md.lines and md.lines[0].strip() == "---":
            return  # front matter never closed: the page check reports it
        if md.front_matter_text is None:
            self.report(md, 1, "page has no front matter",
                        "start the page with ---, title: ..., description: ..., ---")
            return
        for key in ("title", "description"):
            if not str(meta.get(key) or "").strip():
                self.report(md, 1, f"front matter has no {key}",
                            f"add `{key}:` in {_name(lang)}")
        description = str(meta.get("description") or "")
        if len(description) > MAX_DESCRIPTION:
            self.report(md, self._front_matter_line(md, "description"),
                        f"description is {len(description)} characters long "
                        f"(at most {MAX_DESCRIPTION})", "shorten it to one sentence")
        if description and foreign(description, lang, min_words=5):
            self.report(md, self._front_matter_line(md, "description"),
                        f"description reads as the other language, not {_name(lang)}",
                        f"write it in {_name(lang)}")

    def check_twin_front_matter(self) -> None:
        import yaml

        try:
            mine, theirs = self.translation.front_matter, self.original.front_matter
        except yaml.YAMLError:
            return
        for key in ("title", "description"):
            value = str(mine.get(key) or "").strip()
            if value and value == str(theirs.get(key) or "").strip():
                self.report(self.translation, self._front_matter_line(self.translation, key),
                            f"{key} is the same as the {_name(self.original_lang)} original's",
                            f"translate it into {_name(self.translation_lang)}")

    @staticmethod
    def _front_matter_line(md: Page, key: str) -> int:
        for number, line in enumerate(md.lines[:md.body_start], 1):
            if line.startswith(f"{key}:"):
                return number
        return 1

    def check_headings(self) -> None:
        o, t = self.original, self.translation
        ours = [(h.line, f"H{h.level} #{h.id}") for h in t.headings]
        theirs = [(h.line, f"H{h.level} #{h.id}") for h in o.headings]
        count_o = Counter(h.level for h in o.headings)
        count_t = Counter(h.level for h in t.headings)
        fix = "give both twins the same headings (level and { #id }) in the same order"
        if count_o == count_t:
            self.compare_sequences("heading", ours, theirs, fix)
            return
        levels = sorted(set(count_o) | set(count_t))
        detail = ", ".join(f"H{lv}: {count_t[lv]} here, {count_o[lv]} there"
                           for lv in levels if count_o[lv] != count_t[lv])
        first = next((i for i in range(min(len(ours), len(theirs)))
                      if ours[i][1] != theirs[i][1]), min(len(ours), len(theirs)))
        if first < len(theirs):
            line = ours[first][0] if first < len(ours) else (ours[-1][0] if ours else 1)
            where = f"; first difference: {theirs[first][1]} at " \
                    f"{self.where(o, theirs[first][0])}"
        else:
            line, where = ours[first][0], f"; first extra heading: {ours[first][1]}"
        self.report(t, line, f"heading count differs from {display_path(o.path)} "
                    f"({detail}){where}", fix)

    def normal(self, md: Page, lang: str, url: str) -> str:
        """A link target as both twins can share it: resolved against the Markdown file's place
        (docs/<lang>/<page>), without the language folder, and with a path segment naming the
        page's language (templates/id/x.md, templates/en/x.md) written as {lang}. So
        `../../assets/a.png` from docs/id/duties/ and from docs/en/duties/ are the same image,
        and so are `downloads/x.zip` in docs/id/index.md and `../downloads/x.zip` in
        docs/en/index.md (the English page is built one folder deeper)."""
        path, hash_, fragment = url.partition("#")
        if not path or not is_internal(url):
            return url
        folder = posixpath.dirname(f"{lang}/{self.rel}")
        resolved = posixpath.normpath(posixpath.join(folder, path))
        if resolved.startswith(lang + "/"):
            resolved = resolved[len(lang) + 1:]
        return self.same(resolved, lang) + hash_ + fragment

    def check_links(self) -> None:
        o, t = self.original, self.translation

        def targets(md: Page, lang: str) -> dict[str, tuple[int, str]]:
            found: dict[str, tuple[int, str]] = {}
            for link in md.links:
                if not link.image and is_internal(link.url):
                    found.setdefault(self.normal(md, lang, link.url), (link.line, link.url))
            return found

        mine = targets(t, self.translation_lang)
        theirs = targets(o, self.original_lang)
        for key in sorted(set(mine) - set(theirs), key=lambda k: mine[k]):
            line, url = mine[key]
            self.report(t, line, f"link to {url} is not in the {_name(self.original_lang)} "
                        f"original ({display_path(o.path)})",
                        "link to the same pages and sections in both twins")
        for key in sorted(set(theirs) - set(mine), key=lambda k: theirs[k]):
            line, url = theirs[key]
            self.report(t, self.section_line(line), f"link to {url} of the original "
                        f"({self.where(o, line)}) is missing here",
                        "link to the same pages and sections in both twins")


def run(project: Project, files: list[Path] | None = None) -> list[Finding]:
    languages = project.languages
    if len(languages) < 2:
        return []
    original, translations = languages[0], languages[1:]
    if files:
        wanted = {project.page_of(f) for f in files} - {None}
        rels = sorted({rel for _, rel in wanted})
    else:
        rels = sorted(set().union(*(project.pages(lang) for lang in languages)))
    findings: list[Finding] = []
    for rel in rels:
        if any(project.too_big(project.md_path(lang, rel)) for lang in languages):
            continue  # the page check reports it; comparing it would only add noise
        present = [lang for lang in languages if project.md_path(lang, rel).is_file()]
        for lang in languages:
            if lang in present:
                continue
            source = present[0] if present else None
            if source is None:
                continue
            path = project.md_path(source, rel)
            findings.append(Finding(
                display_path(path), 1, CHECK,
                f"no {_name(lang)} twin: docs/{lang}/{rel} does not exist",
                f"translate the page into docs/{lang}/{rel} (same file name, headings, ids)"))
        if original not in present:
            continue
        for lang in translations:
            if lang in present:
                findings += Pair(project, rel, original, lang).check()
    return findings


# --- --status ---------------------------------------------------------------------------------

def last_changes(project: Project) -> dict[str, int]:
    """Time (Unix seconds) of the last commit touching each file under docs/, from one `git log`
    (the same answer as `git log -1 --format=%ct -- FILE` per file, without 60 processes).
    Files with uncommitted changes count as changed now."""
    root = project.root
    docs = project.docs.resolve()
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root,
                             capture_output=True, text=True, check=True).stdout.strip()
        log = subprocess.run(["git", "log", "--format=@%ct", "--name-only", "--", str(docs)],
                             cwd=root, capture_output=True, text=True, check=True).stdout
        dirty = subprocess.run(["git", "status", "--porcelain", "--", str(docs)], cwd=root,
                               capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    changes: dict[str, int] = {}
    stamp = 0
    for line in log.splitlines():
        if line.startswith("@"):
            stamp = int(line[1:])
        elif line.strip():
            changes.setdefault(str(Path(top, line.strip()).resolve()), stamp)
    now = int(time.time())
    for line in dirty.splitlines():
        name = line[3:].split(" -> ")[-1].strip().strip('"')
        changes[str(Path(top, name).resolve())] = now
    return changes


def status_report(project: Project) -> str:
    languages = project.languages
    if len(languages) < 2:
        return "only one language: nothing to compare"
    original, translation = languages[0], languages[1]
    changes = last_changes(project)
    if not changes:
        return "no git history here: run this in a git checkout"
    rels = sorted(set().union(*(project.pages(lang) for lang in languages)))
    width = max(len(rel) for rel in rels)

    def when(lang: str, rel: str) -> int | None:
        path = project.md_path(lang, rel)
        if not path.is_file():
            return None
        return changes.get(str(path.resolve()), int(time.time()))

    def day(stamp: int | None) -> str:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp)) if stamp else "missing"

    header = (f"{'page':<{width}}  {original + ' changed':<16}  "
              f"{translation + ' changed':<16}  state")
    lines = [header]
    for rel in rels:
        a, b = when(original, rel), when(translation, rel)
        if a is None or b is None:
            state = f"no {_name(original if a is None else translation)} page"
        elif a > b:
            state = f"{translation} may be outdated: {original} changed " \
                    f"{_age(a - b)} after it"
        elif b > a:
            state = f"{translation} changed last ({_age(b - a)} after {original})"
        else:
            state = "changed together"
        lines.append(f"{rel:<{width}}  {day(a):<16}  {day(b):<16}  {state}")
    return "\n".join(lines)


def _age(seconds: int) -> str:
    if seconds >= 86400:
        return f"{seconds // 86400} d"
    if seconds >= 3600:
        return f"{seconds // 3600} h"
    return f"{max(seconds // 60, 1)} min"

