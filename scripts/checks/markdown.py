"""A line-aware reading of the handbook's Markdown: front matter, fenced blocks, headings, links,
snippet includes, admonitions, tabs and checklist items, each with its line number.

What this adds that no library does: Python-Markdown (with pymdownx) renders HTML but keeps no
line numbers and drops the source of every construct the checks compare, and generic Markdown
parsers (markdown-it, pymarkdownlnt's tokenizer) do not know pymdownx's syntax. So this module
scans lines itself, but with pymdownx's own patterns where they exist (the superfences fence
header, the attribute list parser), so that what it sees as a code block is what the build sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from markdown.extensions.attr_list import get_attrs
from pymdownx.snippets import SnippetPreprocessor
from pymdownx.superfences import RE_NESTED_FENCE_START, RE_OPTIONS

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
_FENCE_LINE = re.compile(r"^(?P<ws>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<rest>.*)$")
# Options superfences accepts in the brace-less form (```python title="x"); any other key makes
# it abandon the fence (highlight_validator puts it in attrs, and parse_options then refuses).
FENCE_OPTIONS = {"hl_lines", "linenums", "title", "title_mode"}

_HEADING = re.compile(r"^ {0,3}(?P<marks>#{1,6})(?:[ \t]+(?P<text>.*?))?[ \t]*$")
_HEADING_ATTRS = re.compile(r"[ \t]*\{(?P<attrs>[^{}]*)\}[ \t]*$")
_ADMONITION = re.compile(r"^(?P<ws>[ \t]*)(?P<marker>!!!|\?\?\?\+?)[ \t]+(?P<kind>[\w-]+)")
_TAB = re.compile(r"^[ \t]*===[+!]?[ \t]+[\"']")
_TASK = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+\[[ xX]\](?:[ \t]|$)")
_CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

# [text](url "title") and ![alt](src); text may wrap onto the next line (not across a blank one).
_INLINE_LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\n]|\n(?![ \t]*\n)|\[[^\[\]\n]*\])*)\]"
    r"\([ \t]*(?P<url><[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))*)"
    r"(?:[ \t\n]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*\)"
)
_REF_DEFINITION = re.compile(r"^ {0,3}\[(?P<label>[^\]^][^\]]*)\]:[ \t]*<?(?P<url>[^\s>]+)>?",
                             re.MULTILINE)
_HTML_URL = re.compile(r"""<(?P<tag>[a-zA-Z][\w-]*)\b[^>]*?\b(?P<attr>href|src)\s*=\s*"""
                       r"""(?P<q>["'])(?P<url>.*?)(?P=q)""", re.DOTALL)
_AUTOLINK = re.compile(r"<(?P<url>https?://[^<>\s]+)>")


@dataclass
class Fence:
    """One fenced block: the opening line number and what superfences makes of its header."""

    line: int  # 1-based line of the opening fence
    end: int  # 1-based line of the closing fence (the last line of the file if unclosed)
    indent: str
    fence: str
    header: str  # everything after the fence characters
    lang: str = ""
    options: dict[str, str] = field(default_factory=dict)  # title, linenums, ...
    attrs: dict[str, str] = field(default_factory=dict)  # data-dialect, data-run, ...
    classes: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)  # content lines, fence indentation removed
    closed: bool = True
    problem: str = ""  # why superfences would not treat this as a code block, if it would not

    @property
    def body_line(self) -> int:
        """Line number of the first content line."""
        return self.line + 1

    @property
    def swallowed(self) -> int | None:
        """Line of the first content line that opens a block of its own (```json): the sign
        that this fence was never closed and ran into the next block, which then closed it."""
        opener = re.compile(re.escape(self.fence) + r"[ \t]*[\w{.]")
        for number, line in enumerate(self.body, self.body_line):
            if opener.match(line):
                return number
        return None


@dataclass
class Heading:
    line: int
    level: int
    text: str
    id: str | None


@dataclass
class Include:
    """A pymdownx.snippets include: `--8<-- "path:section"` (or one line of a block include)."""

    line: int
    target: str


@dataclass
class Link:
    line: int
    url: str
    image: bool = False
    text: str = ""


def parse_fence_header(fence: Fence) -> None:
    """Fill lang/options/attrs the way pymdownx.superfences reads the header (or set problem)."""
    match = RE_NESTED_FENCE_START.match(fence.fence + fence.header)
    if match is None or match.group("unrecognized"):
        fence.lang = match.group("lang") or "" if match else ""
        fence.problem = ("superfences does not understand this fence header, so the block is "
                         "not rendered as code")
        return
    fence.lang = match.group("lang") or ""
    if match.group("attrs") is not None:
        for key, value in get_attrs(match.group("attrs")):
            if key == ".":
                fence.classes.append(value)
            elif key in FENCE_OPTIONS:
                fence.options[key] = value
            elif key != "id":
                fence.attrs[key] = value
        if not fence.lang and fence.classes:
            fence.lang = fence.classes.pop(0)
        return
    for option in RE_OPTIONS.finditer(match.group("options") or ""):
        key = option.group("key")
        if key not in FENCE_OPTIONS:
            fence.problem = (f"superfences drops a fence with option {key!r} outside braces, so "
                             "the block is not rendered as code")
        fence.options[key] = option.group("value") or key


def scan_fences(lines: list[str], first: int = 0) -> list[Fence]:
    """Fenced blocks at any indentation (admonitions, tabs, lists), as superfences finds them:
    the closing fence repeats the opening one exactly, at the same indentation."""
    fences: list[Fence] = []
    i = first
    while i < len(lines):
        match = _FENCE_LINE.match(lines[i])
        if not match or (match["fence"][0] == "`" and "`" in match["rest"]):
            i += 1
            continue
        ws, marks = match["ws"], match["fence"]
        fence = Fence(line=i + 1, end=len(lines), indent=ws, fence=marks,
                      header=match["rest"].strip())
        parse_fence_header(fence)
        closing = re.compile(re.escape(marks) + r"[ \t]*$")
        j = i + 1
        while j < len(lines):
            line = lines[j]
            if line.startswith(ws) and closing.match(line, len(ws)):
                break
            j += 1
        fence.closed = j < len(lines)
        fence.end = j + 1 if fence.closed else len(lines)
        fence.body = [ln[len(ws):] if ln.startswith(ws) else ln.lstrip() for ln in lines[i + 1:j]]
        fences.append(fence)
        i = j + 1
    return fences


def _blank(match: re.Match) -> str:
    """Replace a match by spaces, keeping its newlines (and so every offset and line number)."""
    return re.sub(r"[^\n]", " ", match.group(0))


class Page:
    """One Markdown file, read once (see `page()`)."""

    def __init__(self, path: Path):
        self.path = path
        # Read as MkDocs does (UTF-8, a byte order mark dropped), but never fail: bytes that are
        # not UTF-8 become U+FFFD and CR LF becomes LF, so one bad byte or a Windows editor does
        # not stop every check; the page check (pages.py) reports both with their line.
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        self.text = text.replace("\r\n", "\n")
        self.lines = self.text.split("\n")
        match = _FRONT_MATTER.match(self.text)
        self.front_matter_text = match.group(1) or "" if match else None
        self.body_start = match.group(0).count("\n") if match else 0  # index of first body line

    @cached_property
    def front_matter(self) -> dict:
        """The YAML front matter ({} if none); raises yaml.YAMLError if it does not parse."""
        if not self.front_matter_text:
            return {}
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(self.front_matter_text, Loader=loader)
        return data if isinstance(data, dict) else {}

    @cached_property
    def fences(self) -> list[Fence]:
        return scan_fences(self.lines, self.body_start)

    @cached_property
    def fenced_lines(self) -> set[int]:
        """0-based indices of fence lines and their content (only fences superfences renders)."""
        inside: set[int] = set()
        for fence in self.fences:
            if not fence.problem:
                inside.update(range(fence.line - 1, fence.end))
        return inside

    @cached_property
    def masked_lines(self) -> list[str]:
        """The body with front matter, fenced code, inline code and HTML comments blanked out
        (same line count), for finding prose constructs without tripping over code."""
        lines = [("" if i < self.body_start or i in self.fenced_lines else line)
                 for i, line in enumerate(self.lines)]
        text = _HTML_COMMENT.sub(_blank, "\n".join(lines))
        text = _CODE_SPAN.sub(_blank, text)
        return text.split("\n")

    @cached_property
    def masked_text(self) -> str:
        return "\n".join(self.masked_lines)

    @cached_property
    def headings(self) -> list[Heading]:
        found = []
        for i, line in enumerate(self.masked_lines):
            match = _HEADING.match(line)
            if not match:
                continue
            text, heading_id = (match["text"] or "").strip(), None
            attrs = _HEADING_ATTRS.search(text)
            if attrs:
                text = text[:attrs.start()].rstrip()
                ids = re.findall(r"(?:^|\s)#([^\s#}]+)", attrs["attrs"])
                heading_id = ids[-1] if ids else None
            text = re.sub(r"[ \t]+#+$", "", text)
            found.append(Heading(i + 1, len(match["marks"]), text, heading_id))
        return found

    @cached_property
    def links(self) -> list[Link]:
        """Inline links and images, reference definitions, autolinks and raw-HTML href/src."""
        text = self.masked_text
        found = []

        def line_of(offset: int) -> int:
            return text.count("\n", 0, offset) + 1

        for match in _INLINE_LINK.finditer(text):
            url = match["url"].strip("<>")
            found.append(Link(line_of(match.start()), url, bool(match["bang"]), match["text"]))
        for match in _REF_DEFINITION.finditer(text):
            found.append(Link(line_of(match.start()), match["url"]))
        for match in _AUTOLINK.finditer(text):
            found.append(Link(line_of(match.start()), match["url"]))
        for match in _HTML_URL.finditer(text):
            found.append(Link(line_of(match.start("url")), match["url"],
                              match["tag"].lower() == "img"))
        return sorted(found, key=lambda link: link.line)

    @cached_property
    def includes(self) -> list[Include]:
        """Snippet includes anywhere in the page (the snippets preprocessor runs before fences
        are parsed, so an include inside a fence is a real include), matched with pymdownx's
        own pattern; escaped ones (`;--8<--`) are skipped as pymdownx skips them."""
        pattern = SnippetPreprocessor.RE_ALL_SNIPPETS
        found: list[Include] = []
        in_block = False
        for i in range(self.body_start, len(self.lines)):
            line = self.lines[i]
            match = pattern.match(line)
            if in_block:
                if match and match.group("block_marker") and not match.group("escape"):
                    in_block = False
                elif line.strip() and not line.strip().startswith(";"):
                    found.append(Include(i + 1, line.strip()))
                continue
            if not match or match.group("escape"):
                continue
            if match.group("block_marker"):
                in_block = True
            else:
                found.append(Include(i + 1, match.group("snippet")[1:-1]))
        return found

    @cached_property
    def admonitions(self) -> list[tuple[int, str]]:
        """(line, kind) of every admonition and collapsible block (!!!, ???, ???+)."""
        return [(i + 1, m["kind"]) for i, line in enumerate(self.masked_lines)
                if (m := _ADMONITION.match(line))]

    @cached_property
    def tabs(self) -> list[int]:
        return [i + 1 for i, line in enumerate(self.masked_lines) if _TAB.match(line)]

    @cached_property
    def tasks(self) -> list[int]:
        return [i + 1 for i, line in enumerate(self.masked_lines) if _TASK.match(line)]


@cache
def page(path: Path) -> Page:
    return Page(path)


def is_internal(url: str) -> bool:
    """A link into the handbook itself (relative), as opposed to another site or a scheme."""
    return bool(url) and not re.match(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)", url)
