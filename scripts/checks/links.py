"""Link check over the built site (both languages), reported against the Markdown sources.

lxml parses each HTML page once; the rest is set lookups. What this adds that no link checker
does (lychee, linkchecker, htmlproofer): rules of this handbook and findings in Markdown terms —
  * every internal href/src/srcset resolves to a file of the build, and every #fragment to an id
    (or <a name>) in its target, the same as `lychee --offline --include-fragments`;
  * no link from a page of one language to a content page of the other (the language selector
    `a.md-select__link`, `<link rel=alternate hreflang>`, and any element whose `hreflang` names
    the target's language — a deliberate, declared switch — are allowed);
  * no root-absolute link (`/x.html`): it breaks reading the site from disk. The 404 pages are the
    exception: a static host serves them at any URL, so a relative link there would break, and
    Material writes them with links rooted at the path of site_url (`/panduan-backend/...`).
    In 404.html we therefore require the opposite: root-absolute links under site_url's path
    (resolved, after removing that prefix, against the site folder), or absolute site_url URLs;
  * no page loads a script, style, font, frame, image or media from another host (plain
    <a href> links to other hosts are external links: listed, and checked only on request);
  * every <img> has an alt attribute, and images in the page content have a non-empty one;
  * each finding in page content is mapped to the Markdown file (docs/<lang>/<page>.md) and to
    the line that holds the link, found by searching the source for the link's target; links in
    the theme (navigation, header, footer) are reported once, with the number of pages.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from . import ERROR, Finding, Project, display_path

CHECK = "links"

# Attributes that hold URLs, per element. `link` is split by rel below.
URL_ATTRIBUTES = {
    "a": ("href",), "area": ("href",), "link": ("href",), "script": ("src",),
    "img": ("src", "srcset"), "source": ("src", "srcset"), "iframe": ("src",),
    "frame": ("src",), "embed": ("src",), "object": ("data",), "video": ("src", "poster"),
    "audio": ("src",), "track": ("src",), "input": ("src",), "blockquote": ("cite",),
    "q": ("cite",), "form": ("action",),
}
TAGS = tuple(URL_ATTRIBUTES) + ("style",)
# Elements that make the browser fetch something while showing the page.
LOADING_TAGS = {"script", "img", "source", "iframe", "frame", "embed", "object", "video",
                "audio", "track", "input"}
LOADING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "prefetch",
                "modulepreload", "preconnect", "dns-prefetch", "manifest", "mask-icon",
                "prerender"}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")
# Below this many pages, a second process costs more than it saves.
PARALLEL_MIN_PAGES = 24


# A URL found in a page, as a plain tuple (cheap to make by the thousand, and to marshal):
# (tag, attribute, url, in page content?, language it may link to across languages, loads?)
Ref = tuple
TAG, ATTR, URL, IN_CONTENT, EXEMPT, LOADS = range(6)


@dataclass
class HtmlPage:
    rel: str  # path below the site folder, posix
    ids: set[str] = field(default_factory=set)
    refs: list[Ref] = field(default_factory=list)
    missing_alt: list[tuple[str, bool]] = field(default_factory=list)  # (src, in_content)
    empty_alt: list[str] = field(default_factory=list)  # content images with alt=""
    lang: str = ""  # <html lang>


@dataclass
class Problem:
    page: str  # site-relative HTML path
    ref: Ref | None
    message: str
    fix: str
    search: str = ""  # what to look for in the Markdown source to find the line
    kind: str = ""  # "no-alt" / "empty-alt": prefer <img> without alt / ![](...) lines


@dataclass
class Result:
    findings: list[Finding]
    pages: int
    external: list[tuple[str, str, bool]]  # (page rel, url, in_content)
    locate: object = None  # callable(page_rel, url) -> (path, line), for the external check
    problems: list = field(default_factory=list)  # the same, as found in the HTML


def _srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


_IDS = etree.XPath("//@id|//a/@name", smart_strings=False)
_LANG_ELEMENTS = etree.XPath("//body//*[@lang]")
_STYLED = etree.XPath("//*[@style]")


def _refs(elements, in_content: bool, langs: dict, page: HtmlPage) -> None:
    """Append the URLs of `elements` to page.refs (and note images without alt text)."""
    refs = page.refs
    for element in elements:
        tag = element.tag
        if tag == "style":
            for url in _CSS_URL.findall(element.text or ""):
                refs.append(("style", "style", url, in_content, None, True))
            continue
        loads = tag in LOADING_TAGS
        exempt = element.get("hreflang") or langs.get(element)
        if tag == "link":
            rels = set((element.get("rel") or "").lower().split())
            loads = bool(rels & LOADING_RELS)
            if "alternate" not in rels:
                exempt = None
        elif tag == "a" and "md-select__link" in (element.get("class") or ""):
            exempt = "*"
        for attr in URL_ATTRIBUTES[tag]:
            value = element.get(attr)
            if value is None:
                continue
            if attr == "srcset":
                for url in _srcset_urls(value):
                    refs.append((tag, attr, url, in_content, exempt, loads))
            else:
                refs.append((tag, attr, value.strip(), in_content, exempt, loads))
        if tag == "img":
            alt = element.get("alt")
            if alt is None:
                page.missing_alt.append((element.get("src") or "", in_content))
            elif in_content and not alt.strip():
                page.empty_alt.append(element.get("src") or "")


def parse_page(path: str, rel: str, parser: etree.HTMLParser) -> HtmlPage:
    with open(path, "rb") as handle:
        data = handle.read()
    page = HtmlPage(rel)
    root = etree.fromstring(data, parser) if data.strip() else None
    if root is None:
        return page
    page.ids = set(_IDS(root))
    page.lang = root.get("lang") or ""
    # Links inside an element marked with another language (<p lang="en">... <a>) are a
    # declared switch to that language, like hreflang.
    langs = {a: element.get("lang") for element in _LANG_ELEMENTS(root)
             for a in element.iter("a")}
    if b"url(" in data:  # style="background: url(...)" loads a file too
        for element in _STYLED(root):
            in_content = any(a.tag == "article" for a in element.iterancestors())
            for url in _CSS_URL.findall(element.get("style") or ""):
                page.refs.append(("style", "style", url, in_content, None, True))
    # The page content is <article>; everything else is the theme. Detach the article so that
    # each element is visited once, without a membership test.
    article = next(root.iter("article"), None)
    if article is not None:
        article.getparent().remove(article)
        _refs(article.iter(TAGS), True, langs, page)
    _refs(root.iter(TAGS), False, langs, page)
    page.refs = list(dict.fromkeys(page.refs))  # the nav repeats links; check each once per page
    return page


def parse_site(site: Path, workers: int = 2) -> tuple[set[str], dict[str, HtmlPage]]:
    """Every file of the build (site-relative posix paths) and every HTML page, parsed."""
    files: set[str] = set()
    html: list[tuple[str, str]] = []
    root = str(site)
    for folder, _dirs, names in os.walk(root):
        rel_folder = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if rel_folder == "." else rel_folder + "/"
        for name in names:
            rel = prefix + name
            files.add(rel)
            if name.endswith((".html", ".htm")):
                html.append((os.path.join(folder, name), rel))
    pages = _parse_in_parallel(html, workers) if workers > 1 and len(html) >= PARALLEL_MIN_PAGES \
        else _parse_chunk(html)
    return files, {page.rel: page for page in pages}


def _parse_chunk(items: list[tuple[str, str]]) -> list[HtmlPage]:
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, collect_ids=False)
    return [parse_page(path, rel, parser) for path, rel in items]


def _parse_in_parallel(items: list[tuple[str, str]], workers: int) -> list[HtmlPage]:
    """Parse on several cores: fork children that send their pages back through a pipe as
    marshal data (plain sets, lists and tuples). os.fork + marshal costs a few milliseconds,
    where multiprocessing's pool start-up and pickling cost more than the work saved."""
    if not hasattr(os, "fork"):
        return _parse_chunk(items)
    import marshal

    chunks = [items[i::workers] for i in range(workers)]
    children = []
    for chunk in chunks[1:]:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: parse, send, leave without running the parent's cleanup
            os.close(read)
            try:
                data = marshal.dumps([(p.rel, p.ids, p.refs, p.missing_alt, p.empty_alt, p.lang)
                                      for p in _parse_chunk(chunk)])
                with os.fdopen(write, "wb") as out:
                    out.write(data)
            finally:
                os._exit(0)
        os.close(write)
        children.append((pid, read))
    pages = _parse_chunk(chunks[0])
    for pid, read in children:
        with os.fdopen(read, "rb") as stream:
            data = stream.read()
        os.waitpid(pid, 0)
        pages += [HtmlPage(*fields) for fields in marshal.loads(data)]
    return pages


class SiteChecker:
    def __init__(self, project: Project, files: set[str], pages: dict[str, HtmlPage]):
        self.project = project
        self.files = files
        self.pages = pages
        site = project.site
        # Languages built in a folder of their own (en/); the one that is not is the default.
        # Read from the folders, not from mkdocs.yml: parsing YAML costs more than this check.
        folders = project.language_dirs
        self.sub_languages = {lang for lang in folders if (site / lang / "index.html").is_file()}
        rest = [lang for lang in folders if lang not in self.sub_languages]
        self.default = rest[0] if len(rest) == 1 else project.default_language
        # A 404 page is served at any URL, so its folder says nothing: its <html lang> does.
        known = set(folders)
        self.declared = {rel: page.lang.split("-")[0] for rel, page in pages.items()
                         if rel.rsplit("/", 1)[-1] == "404.html"
                         and page.lang.split("-")[0] in known}
        site_url = project.setting("site_url") or ""
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        match = re.match(r"^[a-zA-Z]+://[^/]+(/.*)?$", self.site_url)
        self.site_path = (match.group(1) or "/") if match else "/"
        self._resolved: dict[tuple[str, str], tuple] = {}

    def language(self, rel: str) -> str:
        if rel in self.declared:
            return self.declared[rel]
        first = rel.partition("/")[0]
        return first if first in self.sub_languages else self.default

    def _resolve(self, page: str, url: str, is_404: bool) -> tuple[str, str | None, str, str]:
        """Classify a URL found in `page`: (kind, target, fragment, detail). Kinds: skip,
        external, local (an existing file), missing, and the errors absolute, relative404,
        outside-site-path and file-scheme."""
        if not url or url == "#":
            return "skip", None, "", ""
        scheme = _SCHEME.match(url)
        if url.startswith("//") or (scheme and scheme.group(1).lower() in ("http", "https")):
            if self.site_url and url.startswith(self.site_url):
                rest = url[len(self.site_url):]
                return self._local(rest if rest[:1] not in ("", "#", "?") else "index.html" + rest,
                                   "", page)
            return "external", None, "", ""
        if scheme:
            name = scheme.group(1).lower()
            if name == "file":
                return "file-scheme", None, "", ""
            return "skip", None, "", ""
        path, _, fragment = url.partition("#")
        path = path.split("?", 1)[0]
        if path.startswith("/"):
            if not is_404:
                return "absolute", None, fragment, ""
            if not path.startswith(self.site_path):
                return "outside-site-path", None, fragment, ""
            rest = path[len(self.site_path):] or "index.html"
            return self._local(rest + ("#" + fragment if fragment else ""), "", page)
        if is_404 and path:
            return "relative404", None, fragment, ""
        if not path:
            return "local", page, unquote(fragment), ""
        return self._local(url, posixpath.dirname(page), page)

    def _local(self, url: str, base: str, page: str) -> tuple[str, str | None, str, str]:
        path, _, fragment = url.partition("#")
        path = unquote(path.split("?", 1)[0])
        if not path:
            return "local", page, unquote(fragment), ""
        target = posixpath.normpath(posixpath.join(base, path))
        if target == ".." or target.startswith("../"):
            return "missing", target, unquote(fragment), "outside the site"
        if target in self.files:
            return "local", target, unquote(fragment), ""
        index = "index.html" if target == "." else target + "/index.html"
        if index in self.files:
            return "local", index, unquote(fragment), ""
        return "missing", target, unquote(fragment), ""

    def problems(self) -> tuple[list[Problem], list[tuple[str, str, bool]]]:
        problems: list[Problem] = []
        external: list[tuple[str, str, bool]] = []
        language, pages, cache, resolve = self.language, self.pages, self._resolved, self._resolve
        for rel, page in pages.items():
            lang = language(rel)
            base = rel.rpartition("/")[0]
            is_404 = rel.endswith("404.html")
            for ref in page.refs:
                # Pages in the same folder share their navigation: resolve each URL once
                # (a bare #fragment means this very page, so it is resolved per page).
                url = ref[URL]
                key = (rel if url[:1] in ("#", "") else base, url)
                result = None if is_404 else cache.get(key)
                if result is None:
                    result = resolve(rel, ref[URL], is_404)
                    if not is_404:
                        cache[key] = result
                kind, target, fragment, detail = result
                if kind == "skip":
                    continue
                # Fast paths for most links: an existing file of the same language (or a
                # declared switch) whose fragment, if any, exists; a plain external link.
                if kind == "local":
                    if target in pages:
                        if (language(target) == lang or ref[EXEMPT] in ("*", language(target))
                                or target.endswith("404.html")) and \
                                (not fragment or fragment in pages[target].ids):
                            continue
                    elif not fragment:
                        continue
                elif kind == "external" and not ref[LOADS] and ref[TAG] == "a":
                    external.append((rel, ref[URL], ref[IN_CONTENT]))
                    continue
                problem = self._judge(rel, lang, ref, kind, target, fragment, detail, external)
                if problem:
                    problems.append(problem)
            for src, in_content in page.missing_alt:
                ref = ("img", "alt", src, in_content, None, True)
                problems.append(Problem(rel, ref, f"image {src} has no alt attribute",
                                        "describe the image: ![what it shows](...)", src,
                                        "no-alt"))
            for src in page.empty_alt:
                ref = ("img", "alt", src, True, None, True)
                problems.append(Problem(rel, ref, f"image {src} has an empty alt text",
                                        "describe the image in the brackets: "
                                        "![what it shows](...)", src, "empty-alt"))
        return problems, external

    def _judge(self, rel: str, lang: str, ref: Ref, kind: str, target: str | None,
               fragment: str, detail: str, external: list) -> Problem | None:
        url = ref[URL]
        if kind == "external":
            if ref[LOADS] or ref[TAG] == "style":
                return Problem(rel, ref, f"loads {url} from another host",
                               "keep a copy under docs/assets/ and link it relatively "
                               "(pages must not load anything from another host)", url)
            if ref[TAG] in ("a", "area"):
                external.append((rel, url, ref[IN_CONTENT]))
            return None
        if kind == "file-scheme":
            return Problem(rel, ref, f"file: URL {url} only works on one computer",
                           "link relative to the Markdown file", url)
        if kind == "absolute":
            return Problem(rel, ref, f"root-absolute link {url} breaks reading from disk",
                           "write the link relative to the Markdown file, e.g. ../skills/x.md",
                           url)
        if kind == "outside-site-path":
            return Problem(rel, ref, f"404 page link {url} is outside site_url's path "
                           f"{self.site_path}", "404 links must start with the site_url path", url)
        if kind == "relative404":
            return Problem(rel, ref, f"relative link {url} in a 404 page breaks when the page is "
                           "served at a nested URL", "use a link rooted at site_url's path", url)
        if kind == "missing":
            what = "page" if (target or "").endswith((".html", ".md")) else "file"
            where = f" ({detail})" if detail else ""
            return Problem(rel, ref, f"missing {what} {url}{where}",
                           self._suggest_file(rel, target or ""), url)
        # kind == "local": the file exists; check the fragment and the language.
        assert target is not None
        if fragment and target.endswith((".html", ".htm")) and target in self.pages \
                and fragment not in self.pages[target].ids:
            return Problem(rel, ref, f"missing anchor #{fragment} in "
                           f"{self._markdown_name(rel, target)}",
                           self._suggest_anchor(target, fragment), url)
        if target.endswith((".html", ".htm")) and target.rsplit("/", 1)[-1] != "404.html":
            target_lang = self.language(target)
            if target_lang != lang and ref[EXEMPT] not in ("*", target_lang):
                return Problem(rel, ref, f"link from a page in '{lang}' to a page in "
                               f"'{target_lang}': {url}", "link to the page of the same language "
                               f"(same slug, relative path inside docs/{lang}/)", url)
        return None

    def _markdown_name(self, page: str, target: str) -> str:
        """How the Markdown source would name a target: relative .md path from the page."""
        rel = posixpath.relpath(target, posixpath.dirname(page) or ".")
        return rel[:-5] + ".md" if rel.endswith(".html") else rel

    def _suggest_file(self, page: str, target: str) -> str:
        name = posixpath.basename(target)
        stem = name.rsplit(".", 1)[0]
        lang = self.language(page)
        candidates = sorted(f for f in self.files if posixpath.basename(f).rsplit(".", 1)[0]
                            == stem and f.endswith((".html", posixpath.splitext(name)[1] or "."))
                            and self.language(f) == lang)
        if candidates:
            return f"did you mean {self._markdown_name(page, candidates[0])}?"
        return "correct the path (relative to the Markdown file) or create the missing file"

    def _suggest_anchor(self, target: str, fragment: str) -> str:
        import difflib

        ids = [i for i in self.pages[target].ids if not i.startswith("__")]
        close = difflib.get_close_matches(fragment, ids, n=1)
        if close:
            return f"did you mean #{close[0]}?"
        return "use an id of a heading there ({ #id } in its Markdown)"


def source_of(project: Project, page_rel: str, sub_languages: set[str], default: str) -> Path:
    """The file a finding in a built page belongs to: docs/<lang>/<page>.md, the 404 template,
    or (for a page with no source) the HTML file itself."""
    first, _, rest = page_rel.partition("/")
    lang, path = (first, rest) if first in sub_languages and rest else (default, page_rel)
    if path.rsplit("/", 1)[-1] == "404.html":
        custom = project.setting("custom_dir")
        if custom and (project.root / custom / "404.html").is_file():
            return project.root / custom / "404.html"
    stem = path.rsplit(".", 1)[0]
    for candidate in (project.docs / lang / f"{stem}.md",
                      project.docs / default / f"{stem}.md"):
        if candidate.is_file():
            return candidate
    return project.site / page_rel


_LINES: dict[Path, list[str]] = {}


_EMPTY_ALT = re.compile(r"!\[\s*\]\(|<img\b[^>]*\balt=(\"\"|'')")
_IMG_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\balt=)")


def find_line(source: Path, url: str, kind: str = "") -> int:
    """The line of `source` that holds a link to `url` (an HTML href), or 0.

    MkDocs rewrites `../skills/x.md#a` to `../skills/x.html#a` and adjusts paths that cross the
    language folder, so we look for ever shorter tails of the path, in .md and as written."""
    if source.suffix not in (".md", ".html", ".yml") or not source.is_file():
        return 0
    if source not in _LINES:
        _LINES[source] = source.read_text(encoding="utf-8").split("\n")
    lines = _LINES[source]
    path, _, fragment = url.partition("#")
    path = path.split("?", 1)[0]
    segments = [s for s in path.split("/") if s not in ("", ".", "..")]
    candidates: list[str] = []
    if path.startswith("/") or "://" in url:
        candidates.append(url)
    for i in range(len(segments)):
        tail = "/".join(segments[i:])
        forms = [tail[:-5] + ".md", tail] if tail.endswith(".html") else [tail]
        for form in forms:
            for decoded in dict.fromkeys((form, unquote(form))):
                candidates.append(decoded + ("#" + fragment if fragment else ""))
    if fragment:
        candidates += [c.partition("#")[0] for c in candidates if "#" in c]
        candidates.append("#" + fragment)
    wanted = {"empty-alt": _EMPTY_ALT, "no-alt": _IMG_WITHOUT_ALT}.get(kind)
    for candidate in dict.fromkeys(c for c in candidates if c):
        for number, line in enumerate(lines, 1):
            if candidate in line and (wanted is None or wanted.search(line)):
                return number
    return find_line(source, url) if wanted is not None else 0


def check(project: Project, workers: int = 2) -> Result:
    site = project.site
    files, pages = parse_site(site, workers)
    checker = SiteChecker(project, files, pages)
    problems, external = checker.problems()
    problems += css_problems(site, files)
    findings: list[Finding] = []
    theme: dict[tuple[str, str], list[str]] = {}
    for problem in problems:
        ref = problem.ref
        if ref is not None and not ref[IN_CONTENT] and ref[TAG] != "css":
            theme.setdefault((problem.message, problem.fix), []).append(problem.page)
            continue
        if ref and ref[TAG] != "css":
            source = source_of(project, problem.page, checker.sub_languages, checker.default)
        else:
            source = project.site / problem.page
        line = find_line(source, problem.search, problem.kind) if problem.search else 0
        findings.append(Finding(display_path(source), line, CHECK, problem.message, problem.fix))
    for (message, fix), where in theme.items():
        first = where[0]
        source = source_of(project, first, checker.sub_languages, checker.default)
        if source.suffix == ".md":  # the theme, not the page: name the built page instead
            source = project.site / first
        count = f" (theme or navigation, on {len(where)} pages)" if len(where) > 1 else \
            " (theme or navigation: mkdocs.yml nav or overrides/)"
        findings.append(Finding(display_path(source), 0, CHECK, message + count, fix))

    def locate(page_rel: str, url: str, in_content: bool = True) -> tuple[str, int]:
        """Markdown file and line of a link of a built page; theme links: mkdocs.yml."""
        if not in_content:
            return display_path(project.config), find_line(project.config, url)
        source = source_of(project, page_rel, checker.sub_languages, checker.default)
        return display_path(source), find_line(source, url)

    return Result(sorted(set(findings)), len(pages), external, locate, problems)


def css_problems(site: Path, files: set[str]) -> list[Problem]:
    """Stylesheets of the build: no url()/@import from another host, local ones must exist."""
    problems = []
    for rel in sorted(f for f in files if f.endswith(".css")):
        text = (site / rel).read_text(encoding="utf-8", errors="replace")
        for url in _CSS_URL.findall(text):
            ref = ("css", "url", url, True, None, True)
            if url.startswith("//") or re.match(r"^https?:", url, re.IGNORECASE):
                problems.append(Problem(rel, ref, f"stylesheet loads {url} from another host",
                                        "vendor the file under docs/assets/", url))
            elif not _SCHEME.match(url) and not url.startswith("#"):
                path = unquote(url.split("?")[0].split("#")[0])
                target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path))
                if target not in files:
                    problems.append(Problem(rel, ref, f"stylesheet refers to missing file {url}",
                                            "fix the url() path", url))
    return problems


def run(project: Project, external: bool = False, list_external: bool = False,
        options: dict | None = None) -> tuple[list[Finding], list[str]]:
    """The `links` subcommand: findings, plus lines of information for the summary."""
    if project.site is None or not (project.site / "index.html").is_file():
        where = project.site or "site/"
        return [Finding(display_path(where), 0, CHECK, "no built site here",
                        "run `mkdocs build` first, or pass --site DIR", ERROR)], []
    result = check(project, workers=(options or {}).get("workers", 2))
    notes = [f"{result.pages} HTML pages checked"]
    unique = sorted({url for _, url, _ in result.external})
    if list_external:
        listed = set()
        for page_rel, url, in_content in result.external:
            listed.add((*result.locate(page_rel, url, in_content), url))
        for path, line, url in sorted(listed):
            notes.append(f"external: {path}:{line}: {url}" if line else f"external: {path}: {url}")
    if external:
        from . import external as external_check

        findings, summary = external_check.run(result.external, result.locate, options or {})
        return result.findings + findings, notes + summary
    notes.append(f"{len(unique)} external links not checked (use --external to check them)")
    return result.findings, notes
