"""Page check: the mistakes in a Markdown source that break the build or the page silently, found
before the build (`check.py source`, which `make check` runs first) with their line.

For every page under docs/: the file is UTF-8, holds no invisible control characters and is not
over MAX_PAGE_BYTES; its front matter is closed, valid YAML and a mapping without a key twice;
no two headings share an id and every id is lowercase words joined by hyphens; every admonition
(`!!!`), collapsible block (`???`) and content tab (`===`) is written so that its extension
recognises it, with a known type and an indented body; every code fence and HTML comment is
closed. For the original language, every page is in mkdocs.yml's nav and every nav entry names a
page that exists.

What this adds that no library does: MkDocs and Python-Markdown accept most of these mistakes
without a word (an unclosed quote in the front matter turns it into page text, a second heading
with the same id gives a page two id="origins", an admonition whose body is not indented renders
an empty box, an unclosed HTML comment hides the rest of the page), and when they do fail, they
fail with a traceback that names no line. The patterns are the extensions' own (admonition,
pymdownx.details, pymdownx.tabbed) so that what this check accepts is what the build renders.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from . import ERROR, MAX_PAGE_BYTES, Finding, Project, display_path
from .markdown import Page, page

CHECK = "pages"
HEADING_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Invisible characters that change how text displays (bidirectional overrides, the trick of
# "Trojan Source", CVE-2021-42574) or that no page needs (C0 controls other than tab and newline,
# DEL, zero-width spaces and a byte order mark inside the text).
INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069"
                       "\ufeff]")
FALLBACK_ADMONITION_TYPES = ("abstract", "bug", "danger", "example", "failure", "info", "note",
                             "question", "quote", "success", "tip", "warning")


def _patterns():
    from markdown.extensions.admonition import AdmonitionProcessor
    from pymdownx.details import DetailsProcessor
    from pymdownx.tabbed import TabbedProcessor

    return {"!!!": AdmonitionProcessor.RE, "???": DetailsProcessor.START,
            "===": TabbedProcessor.START}


def admonition_types(project: Project) -> set[str]:
    """Types that have a style: Material's (read from its stylesheet, so an upgrade that adds one
    is known at once) and the project's own extra CSS."""
    found: set[str] = set()
    try:
        import material

        sheets = list((Path(material.__file__).parent / "templates" / "assets" /
                       "stylesheets").glob("main.*.min.css"))
    except ImportError:
        sheets = []
    extra = project.mkdocs.get("extra_css") or []
    sheets += [project.docs / css for css in extra if isinstance(css, str)]
    for sheet in sheets:
        try:
            text = sheet.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        found.update(re.findall(r"\.admonition\.([a-z][\w-]*)", text))
    return found or set(FALLBACK_ADMONITION_TYPES)


class PageCheck:
    def __init__(self, project: Project):
        self.project = project
        self.patterns = _patterns()
        self.types = admonition_types(project)
        self.findings: list[Finding] = []

    def report(self, path: Path, line: int, message: str, fix: str, level: str = ERROR) -> None:
        self.findings.append(Finding(display_path(path), line, CHECK, message, fix, level))

    # --- the file as bytes --------------------------------------------------------------------

    def check_file(self, path: Path) -> bool:
        """Size, encoding, line endings, invisible characters. False: do not read it further."""
        size = path.stat().st_size
        if size > MAX_PAGE_BYTES:
            self.report(path, 1, f"page is {size / 1000:,.0f} KB, over the limit of "
                        f"{MAX_PAGE_BYTES // 1000} KB (no other check reads it: a page this "
                        "long slows the build, the search index and lint, and no reader gets "
                        "through it)", "split it into pages of one topic each and link them; "
                        "move long listings into examples/ and include the part that matters")
            return False
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            self.report_encoding(path, data, error)
            text = data.decode("utf-8", errors="replace")
        if text.startswith("\ufeff"):
            self.report(path, 1, "file starts with a byte order mark (U+FEFF), which hides "
                        "the front matter from lint", "save it as UTF-8 without BOM "
                        "(.editorconfig: charset = utf-8)")
            text = text[1:]
        crlf = text.count("\r\n")
        if crlf:
            line = text[:text.index("\r\n")].count("\n") + 1
            self.report(path, line, f"Windows line endings (CRLF) on {crlf} lines",
                        "save with LF line endings (.editorconfig: end_of_line = lf; on "
                        "Windows: git config core.autocrlf input)")
        shown = 0
        for number, line in enumerate(text.split("\n"), 1):
            for match in INVISIBLE.finditer(line.rstrip("\r")):
                shown += 1
                if shown > 10:  # a pasted binary: ten lines say enough
                    break
                char = match.group()
                name = unicodedata.name(char, "control character")
                self.report(path, number, f"invisible character U+{ord(char):04X} ({name}) at "
                            f"column {match.start() + 1}", "delete it: it changes how the text "
                            "displays or reaches the page as an unreadable byte")
        return True

    def report_encoding(self, path: Path, data: bytes, error: UnicodeDecodeError) -> None:
        """The first few lines with bytes that are not UTF-8, with the byte and its column."""
        seen_lines: list[int] = []
        position = error.start
        while position is not None and len(seen_lines) < 3:
            line_start = data.rfind(b"\n", 0, position) + 1
            number = data.count(b"\n", 0, position) + 1
            column = len(data[line_start:position].decode("utf-8", errors="replace")) + 1
            bad = data[position:position + 1].hex().upper()
            seen_lines.append(number)
            self.report(path, number, f"not UTF-8: byte 0x{bad} at column {column} is not a "
                        "UTF-8 character (the file, or a part pasted into it, was saved in "
                        "another encoding such as Windows-1252)",
                        "save the file as UTF-8 (in the editor: Save with Encoding › UTF-8) "
                        "and check the characters on this line")
            line_end = data.find(b"\n", position)
            position = None
            if line_end != -1:
                rest = data[line_end:]
                try:
                    rest.decode("utf-8")
                except UnicodeDecodeError as more:
                    position = line_end + more.start

    # --- the text -----------------------------------------------------------------------------

    def check_page(self, md: Page) -> None:
        path = md.path
        self.check_front_matter(md)
        seen: dict[str, int] = {}
        for heading in md.headings:
            if not heading.id:
                continue  # the translation check asks for an id on every heading
            if not HEADING_ID.fullmatch(heading.id):
                self.report(path, heading.line, f"heading id #{heading.id} is not lowercase "
                            "English words joined by hyphens",
                            "write it like { #session-security } (the same id in both twins)")
            if heading.id in seen:
                self.report(path, heading.line, f"heading id #{heading.id} is already used at "
                            f"line {seen[heading.id]}, so the page gets two id=\"{heading.id}\" "
                            f"and a link to #{heading.id} reaches only the first",
                            "give this heading an id of its own (and the same in the twin)")
            else:
                seen[heading.id] = heading.line
        self.check_blocks(md)
        for fence in md.fences:
            if fence.swallowed:
                opener = md.lines[fence.swallowed - 1].strip()
                self.report(path, fence.line, f"code fence {fence.fence} is not closed before "
                            f"line {fence.swallowed}, which opens another block ({opener}), so "
                            "both blocks render wrong", f"close this block with {fence.fence} "
                            f"before line {fence.swallowed}")
            elif not fence.closed:
                self.report(path, fence.line, f"code fence {fence.fence} is never closed, so "
                            "the rest of the page renders as code",
                            f"close it with {fence.fence} on a line of its own, at the same "
                            "indentation")
        for number, line in enumerate(md.masked_lines, 1):
            if "<!--" in line:
                self.report(path, number, "HTML comment is never closed, so the rest of the "
                            "page disappears from the built page", "end the comment with -->")
                break

    def check_front_matter(self, md: Page) -> None:
        import yaml

        if md.lines and md.lines[0].strip() == "---" and md.front_matter_text is None:
            self.report(md.path, 1, "front matter starts with --- but is never closed, so MkDocs "
                        "shows it as page text", "end the front matter with a line ---")
            return
        if not md.front_matter_text:
            return
        try:
            data = load_front_matter(md.front_matter_text)
        except DuplicateKey as duplicate:
            self.report(md.path, duplicate.line + 2, f"front matter sets {duplicate.key!r} "
                        "twice (only the last one counts)", "keep one of them")
            return
        except yaml.YAMLError as error:
            line, message, fix = explain_yaml(error)
            self.report(md.path, line, f"front matter is not valid YAML, so MkDocs shows it as "
                        f"page text: {message}", fix)
            return
        if not isinstance(data, dict):
            self.report(md.path, 2, "front matter is not a list of `key: value` lines",
                        "write title: ... and description: ... between the two --- lines")

    def check_blocks(self, md: Page) -> None:
        """Admonitions, collapsible blocks and tabs: recognised, a known type, an indented
        body."""
        lines = md.masked_lines
        for index, line in enumerate(lines):
            stripped = line.lstrip(" ")
            marker = stripped[:3]
            if marker not in self.patterns or (marker == "===" and set(stripped.strip()) == {"="}):
                continue  # "====" alone is a setext heading underline, not a tab
            number = index + 1
            what = {"!!!": "admonition", "???": "collapsible block", "===": "content tab"}[marker]
            match = self.patterns[marker].match(stripped.rstrip())
            if match is None:
                example = {"!!!": '!!! tip "Judul"', "???": '??? note "Judul"',
                           "===": '=== "Python"'}[marker]
                self.report(md.path, number, f"{what} line not recognised, so it renders as "
                            f"plain text: {stripped.strip()[:60]!r}", f"write it as {example} "
                            "(a type, then an optional title in double quotes, closed)")
                continue
            if marker != "===":
                kind = (match.group(1) if marker == "!!!" else
                        (match.group(2) or match.group(4) or "")).split()[0]
                if kind and kind not in self.types:
                    self.report(md.path, number, f"{what} type {kind!r} is not one Material "
                                "styles", "use one of: " + ", ".join(sorted(self.types)) +
                                " (STYLE.md: tip, warning, note)")
            indent = len(line) - len(stripped)
            source = md.lines  # code in the body counts: masked_lines blanks it
            body = next((j for j in range(index + 1, len(source)) if source[j].strip()), None)
            if body is None:
                continue
            body_indent = len(source[body]) - len(source[body].lstrip(" "))
            if body_indent < indent + 4:
                self.report(md.path, body + 1, f"the body of the {what} at line {number} is "
                            "not indented, so it is shown outside it (and the "
                            f"{what} is empty)", f"indent its lines by {indent + 4} spaces")

    # --- the nav --------------------------------------------------------------------------------

    def check_nav(self, rels: set[str] | None) -> None:
        """Every page of the original language is in the nav; every nav entry exists."""
        config = self.project.config
        nav = self.project.mkdocs.get("nav")
        if not isinstance(nav, list) or not self.project.languages:
            return
        original = self.project.languages[0]
        entries: list[str] = []

        def walk(items) -> None:
            for item in items:
                if isinstance(item, str):
                    entries.append(item)
                elif isinstance(item, dict):
                    for value in item.values():
                        walk(value if isinstance(value, list) else [value])

        walk(nav)
        local = [e for e in entries if not re.match(r"^[a-z][a-z0-9+.-]*:", e)]
        config_lines = self.project.config_text.split("\n")

        def line_of(entry: str) -> int:
            return next((n for n, text in enumerate(config_lines, 1)
                         if re.search(rf"(^|[\s:'\"]){re.escape(entry)}\s*['\"]?\s*$", text)), 0)

        pages = set(self.project.pages(original))
        for entry in local:
            if entry not in pages and (rels is None or entry in rels):
                self.findings.append(Finding(
                    display_path(config), line_of(entry), CHECK,
                    f"nav names {entry}, which is not in docs/{original}/",
                    f"correct the path, or create docs/{original}/{entry} (and its twin)"))
        hidden = self.project.mkdocs.get("not_in_nav") or ""
        patterns = [p.strip().lstrip("/") for p in str(hidden).split("\n") if p.strip()]
        for rel in sorted(pages - set(local)):
            if rels is not None and rel not in rels:
                continue
            if any(Path(rel).match(p) for p in patterns):
                continue
            self.report(self.project.md_path(original, rel), 1, "page is not in the nav of "
                        "mkdocs.yml, so no menu leads to it",
                        f"add {rel} under nav: in mkdocs.yml (a new section also needs its "
                        "title in nav_translations)")


class DuplicateKey(Exception):
    def __init__(self, key, line: int):
        super().__init__(key)
        self.key, self.line = key, line


def load_front_matter(text: str):
    """yaml.safe_load, but a key given twice is an error (PyYAML keeps the last silently)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def mapping(loader, node, deep=False):
        keys: set = set()
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            if key in keys:
                raise DuplicateKey(key, key_node.start_mark.line)
            keys.add(key)
        return yaml.SafeLoader.construct_mapping(loader, node, deep)

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    return yaml.load(text, Loader=Loader)


def yaml_place(error) -> tuple[str, str, int]:
    """(problem, context, 1-based line) of a PyYAML error. PyYAML marks where it noticed the
    problem; for an unclosed quote or bracket that is the end of the text, so there the line
    where the construct started (its context mark) is the one to fix."""
    problem = getattr(error, "problem", None) or str(error).split("\n")[0]
    context = getattr(error, "context", None) or ""
    mark = getattr(error, "problem_mark", None)
    if "quoted scalar" in context or "flow" in context or mark is None:
        mark = getattr(error, "context_mark", None) or mark
    return problem, context, (mark.line + 1 if mark else 0)


def explain_yaml(error) -> tuple[int, str, str]:
    """(page line, what, fix) for a YAML error in front matter that starts on the page's line
    2."""
    problem, context, line = yaml_place(error)
    line += 1  # the front matter starts on the page's line 2
    if "quoted scalar" in context:
        return line, "a quoted value starts on this line and its quote is never closed", \
            "close the quote at the end of the value (or drop the quotes)"
    if "mapping values are not allowed" in problem:
        return line, 'a value holds ": " without quotes', \
            'put the value in double quotes: description: "Kata: penjelasan"'
    if "flow" in context or "flow" in problem:
        return line, f"{context or problem}: a [ or {{ is never closed", \
            "close the bracket, or put the value in quotes"
    if "block mapping" in context or "expected <block end>" in problem:
        return line, f"{problem} (lines of one mapping must start at the same column)", \
            "start every key at the beginning of the line, without indentation"
    text = f"{problem} ({context})" if context else problem
    return line, text, 'write one `key: value` per line and quote values that hold ": " or "#"'


def markdown_files(project: Project, files: list[Path] | None) -> list[Path]:
    if files:
        return [f for f in files if f.suffix == ".md"]
    return sorted(project.docs.rglob("*.md"))


def run(project: Project, files: list[Path] | None = None) -> list[Finding]:
    checker = PageCheck(project)
    rels: set[str] | None = None
    if files:
        rels = {rel for lang, rel in filter(None, map(project.page_of, files))
                if project.languages and lang == project.languages[0]}
    for path in markdown_files(project, files):
        if checker.check_file(path):
            checker.check_page(page(path))
    if rels is None or rels:
        checker.check_nav(rels)
    return checker.findings


def unfit(path: Path) -> bool:
    """Pages the other tools must not read: over the size limit (pymarkdownlnt is quadratic in
    a page's length), not UTF-8 (pymarkdownlnt stops on the whole batch) or with front matter
    that is not valid YAML (pymarkdownlnt then reports every line of it). This check reports
    each once, with its line."""
    try:
        if path.stat().st_size > MAX_PAGE_BYTES:
            return True
        if path.read_bytes().decode("utf-8").startswith("\ufeff"):
            return True
    except (OSError, UnicodeDecodeError):
        return True
    md = page(path)
    if md.front_matter_text is None:
        return bool(md.lines) and md.lines[0].strip() == "---"
    try:
        load_front_matter(md.front_matter_text)
    except Exception:  # noqa: BLE001 - any YAML problem, or a key twice
        return True
    return False
