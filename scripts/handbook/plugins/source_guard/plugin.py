"""handbook/source-guard: the page sources are sound before MkDocs reads them.

First in mkdocs.yml. Before the build reads a page (on_pre_build), every Markdown file under
docs/ goes through the checks of `scripts/check.py source`: the page check (checks.pages: UTF-8,
size, front matter, code fences, comments, admonitions, tabs, heading ids, nav) and the snippet
check (checks.code: every `--8<--` include names a file and section that exist). The third check
of `check.py source`, diagrams, is handbook/diagrams' own (it stops a strict build before any
page is rendered). Each problem is one
line, `file:line: [check] what — fix: how`, the same line `check.py source` prints.

Why in the build too: `make check` runs `check.py source` first, but `make build`, `make serve`
and a contributor's own `mkdocs build` did not, and MkDocs meets these mistakes badly. A byte
that is not UTF-8 stopped the build with a traceback that blamed another page; an include of a
missing section with a 19-frame traceback and no line; front matter that is not YAML was shown as
page text by a build that passed; a 5 MB page took 79 s to build. Now the build stops at once.

What stops the build: a problem it cannot get past or that corrupts a page without a word (a
byte that is not UTF-8, a page over the size limit, front matter that is not valid YAML or never
closed, an include of a missing file or section) stops every build, `mkdocs serve` included.
Any other problem of the page check (a heading id twice, an admonition whose body is not
indented, a page left out of the nav or a nav entry naming no page) stops a strict build (`make build`), before any page is rendered, and is a warning in
a build that is not strict (`make serve` keeps showing the page).

Only a file changed since the last check is read again (mkdocs serve rebuilds), and an include
is checked again only when its file changed.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from handbook.plugins import logger
from handbook.plugins.source_guard.config import SourceGuardConfig

log = logger("source-guard")
# Problems no build gets past, or that corrupt the page silently: they stop any build.
_FATAL = re.compile(r"^(?:page is [\d,]+ KB, over the limit|not UTF-8|front matter|snippet )")


class SourceGuardPlugin(BasePlugin[SourceGuardConfig]):
    def __init__(self):
        super().__init__()
        # path -> ((mtime_ns, size), findings of the page check, include targets with lines)
        self.pages: dict[Path, tuple[tuple[int, int], list, list]] = {}
        # (include target, file it names, that file's mtime_ns) -> problem or None
        self.includes: dict[tuple, tuple[str, str] | None] = {}
        # Lines already warned about for these very sources: mkdocs-static-i18n builds each
        # further language with the same plugins (on_config included), and once is enough.
        self.warned: set[str] = set()
        self.warned_for: frozenset = frozenset()

    def on_startup(self, *, command, dirty):
        pass  # kept across rebuilds of `mkdocs serve`, with its caches

    def on_pre_build(self, *, config):
        if not self.config.enabled:
            return
        findings = self.check(config)
        fatal = [f for f in findings if _FATAL.match(f.message)]
        stop = findings if config.strict else fatal
        if stop:
            lines = "\n".join(f.format() for f in sorted(stop))
            raise PluginError(
                f"handbook/source-guard: {len(stop)} problem(s) in the page sources, found "
                f"before the build read them (`scripts/check.py source` reports the same):\n"
                f"{lines}")
        sources = frozenset((path, cached[0]) for path, cached in self.pages.items())
        if sources != self.warned_for:  # a page changed (mkdocs serve): say it all again
            self.warned, self.warned_for = set(), sources
        for line in sorted(f.format() for f in findings):
            if line not in self.warned:
                self.warned.add(line)
                log.warning(line)

    def check(self, config) -> list:
        from checks import Finding, display_path
        from checks.code import Snippets
        from checks.markdown import Page
        from checks.pages import PageCheck

        project = _project(config)
        checker = PageCheck(project)
        snippets = None
        findings: list = []
        seen = set()
        for path in sorted(Path(config.docs_dir).rglob("*.md")):
            seen.add(path)
            try:
                stat = path.stat()
            except OSError:
                continue
            stamp = (stat.st_mtime_ns, stat.st_size)
            cached = self.pages.get(path)
            if cached is None or cached[0] != stamp:
                checker.findings = []
                includes = []
                if checker.check_file(path):
                    md = Page(path)
                    checker.check_page(md)
                    includes = [(include.line, include.target) for include in md.includes]
                cached = (stamp, checker.findings, includes)
                self.pages[path] = cached
            findings += cached[1]
            if cached[2] and snippets is None:
                snippets = Snippets(project)
            for line, target in cached[2]:
                problem = self._include_problem(snippets, target)
                if problem:
                    findings.append(Finding(display_path(path), line, "snippets", *problem))
        for gone in set(self.pages) - seen:
            del self.pages[gone]
        checker.findings = []
        checker.check_nav(None)  # a page left out of the nav, a nav entry naming no page
        return findings + checker.findings

    def _include_problem(self, snippets, target: str) -> tuple[str, str] | None:
        """Snippets.problem(target), again only when the file it names changed."""
        spec = snippets.pre.parse_snippet_target(target)
        named = snippets.pre.get_snippet_path(spec["path"]) if spec else None
        try:
            mtime = Path(named).stat().st_mtime_ns if named else None
        except OSError:
            mtime = None
        key = (target, named, mtime)
        if key not in self.includes:
            self.includes[key] = snippets.problem(target)
        return self.includes[key]


def _project(config):
    """The checks' view of the project, from the configuration this build runs with (which may
    INHERIT mkdocs.yml, as mkdocs.serve.yml does)."""
    from checks import Project

    project = Project(docs=Path(config.docs_dir), config=Path(config.config_file_path))
    extensions = [{name: dict(options)} for name, options in config.mdx_configs.items()]
    extensions += [name for name in config.markdown_extensions if name not in config.mdx_configs]
    hidden = config.not_in_nav
    project.__dict__["mkdocs"] = {
        "nav": config.nav,
        "not_in_nav": "\n".join(getattr(p, "pattern", "") or "" for p in hidden.patterns)
        if hidden is not None else "",
        "markdown_extensions": extensions,
        "extra_css": [str(css) for css in config.extra_css],
        # The original language: mkdocs-static-i18n sets theme.language to the language it
        # is building, so the second build (English) would take English for the original.
        "theme": {"language": _default_locale(config) or config.theme.get("language")},
    }
    return project


def _default_locale(config) -> str | None:
    i18n = config.plugins.get("i18n")
    for language in getattr(getattr(i18n, "config", None), "languages", None) or []:
        if getattr(language, "default", False):
            return language.locale
    return None
