"""handbook/preview: `make serve` re-renders only what an edit changes, and stays correct.

`make serve` runs `mkdocs serve --dirty`: MkDocs then renders only the pages whose source is
newer than their built file, so an edit shows in about a second instead of after a rebuild of
both languages. Left alone, a dirty rebuild would be wrong or slow in eight ways; this plugin, active only
under `mkdocs serve --dirty`, fixes each:

- the edited page's twin in the other language is not re-rendered (its translation notice
  depends on the original), nor are the pages that list every page (translation status, My
  progress): they are re-rendered with it when what they show of it changed (its translation
  state, its checklist), and a missing twin (shown as the original) always;
- a change outside the pages (mkdocs.yml, the glossary, the examples, the theme overrides, a
  page's title, a new or deleted page) changes other pages or the navigation of all: every page
  is re-rendered, as in a full build;
- the search index grows on every rebuild: Material's search plugin keeps the previous index and
  adds it to the next, and static-i18n adds each language's entries again and removes duplicates
  in quadratic time (202,580 entries after three edits instead of 828, and minutes per edit).
  This plugin keeps each page's entries itself and hands each language build its full list, as
  a clean build has it;
- the pages not re-rendered are not read either, so the navigation of those that are would show
  no title for them: their front matter is read (a file read, no rendering);
- the git-revision-date plugin runs `git log` for every page of both languages on every rebuild
  (it drops its cache when the language changes, which static-i18n does twice per build): after
  the first build it asks git for the dates of the re-rendered pages only;
- mkdocs-minify-plugin minifies our CSS and JavaScript again on every rebuild: the preview
  serves them as written;
- every rebuild compiles Material's templates again and lists the thousands of files of the
  theme: the compiled templates and the list are kept between rebuilds;
- MkDocs warns on every dirty build, and the strict build turns the warning into an error; the
  nested build of the second language also reports "stale files" in the preview's folder.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path, PurePosixPath

import jinja2
import jinja2.bccache
from mkdocs.plugins import BasePlugin, event_priority

from handbook import translations
from handbook.languages import LANGUAGES, building
from handbook.plugins import logger, nested_build
from handbook.plugins.preview.config import PreviewConfig
from handbook.translations import TRANSLATION

log = logger("preview")
_TASK_ITEM = re.compile(r"^\s*[-*+] \[[ xX]\] ", re.MULTILINE)
_TITLE = re.compile(r"\A---\n.*?^title:\s*(.+?)\s*$", re.DOTALL | re.MULTILINE)


class _DirtyWarning(logging.Filter):
    """Drops MkDocs's warning about dirty builds (handled by this plugin)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith((
            "A 'dirty' build is being performed", "The directory contains stale files"))


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory across rebuilds (Jinja checks each source's checksum,
    so an edited template is compiled again)."""

    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


class PreviewPlugin(BasePlugin[PreviewConfig]):
    def __init__(self):
        super().__init__()
        self.active = False
        self.snapshot: dict[str, int] = {}  # path -> mtime_ns of every watched file
        self.titles: dict[str, str | None] = {}  # page path below docs/ -> front matter title
        self.summaries: dict[str, tuple] = {}  # page below a language folder -> _summaries()
        self.rerender: set[str] | None = None  # pages below a language folder; None: all
        self.entries: dict[str, list[dict]] = {}  # built page URL -> its search entries
        self.order: dict[str, list[str]] = {}  # language -> its pages' URLs in build order
        self.seen = 0
        self.bytecode = _MemoryBytecodeCache()
        self.theme_files: dict[tuple, list[str]] = {}  # theme folders -> the files in them

    def on_startup(self, *, command, dirty):
        self.active = command == "serve" and dirty
        if self.active:
            logging.getLogger("mkdocs.commands.build").addFilter(_DirtyWarning())

    def on_serve(self, server, *, config, builder):
        if self.active and self.config.enabled:
            root = Path(config.config_file_path).absolute().parent
            for name in self.config.watch:
                if (root / name).exists():
                    server.watch(str(root / name))
        return server

    # --- what to re-render

    def _watched(self, config) -> list[Path]:
        # Absolute: mkdocs serve gives the first build the config file's path as typed, and the
        # rebuilds its absolute path.
        config_file = Path(config.config_file_path).absolute()
        return [Path(config.docs_dir).absolute(), config_file] + [
            config_file.parent / name for name in self.config.watch]

    def _scan(self, config) -> dict[str, int]:
        found = {}
        for top in self._watched(config):
            if top.is_file():
                found[str(top)] = top.stat().st_mtime_ns
                continue
            for folder, _dirs, names in os.walk(top):
                for name in names:
                    path = os.path.join(folder, name)
                    try:
                        found[path] = os.stat(path).st_mtime_ns
                    except FileNotFoundError:
                        pass
        return found

    def _pages_changed(self, config, now: dict[str, int]) -> set[str] | None:
        """Pages (below their language folder) to re-render in every language; None: all."""
        if not self.snapshot:
            return None  # the first build renders everything anyway
        changed = {path for path in now.keys() | self.snapshot.keys()
                   if now.get(path) != self.snapshot.get(path)}
        docs = Path(config.docs_dir)
        pages: set[str] = set()
        for path in changed:
            relative = PurePosixPath(Path(path).relative_to(docs).as_posix()) \
                if Path(path).is_relative_to(docs) else None
            if (relative is None or relative.suffix != ".md" or relative.parts[0] not in LANGUAGES
                    or path not in now or path not in self.snapshot):
                log.debug(f"{path} changed (not an existing page): re-rendering every page")
                return None  # navigation, theme, data or a new page
            if self.titles.get(str(relative)) != _title(Path(path)):
                log.debug(f"{path}: new title, in every page's navigation: re-rendering all")
                return None
            pages.add(PurePosixPath(*relative.parts[1:]).as_posix())
        if not pages:
            return pages
        # MkDocs re-renders an edited page itself (its source is newer than its HTML). What the
        # other pages show of it: its translation state (the twin's notice, the status table)
        # and its checklist size (My progress); a page with no twin is shown in its place.
        before, after = self.summaries, self._summaries(config)
        rerender = {page for page in pages if before.get(page) != after.get(page)
                    or not (docs / TRANSLATION / page).is_file()}
        if any(before.get(page) != after.get(page) for page in pages):
            rerender |= set(self.config.dependents)
        return rerender

    def _summaries(self, config) -> dict[str, tuple]:
        """What the pages that list every page show of each: (translation state, checklist)."""
        docs = Path(config.docs_dir)
        summaries = {}
        for status in translations.all_statuses(docs):
            items = []
            for lang in LANGUAGES:
                path = docs / lang / status.page
                text = path.read_text(encoding="utf-8") if path.is_file() else ""
                items.append(len(_TASK_ITEM.findall(text)))
            summaries[status.page] = (status.state, tuple(items))
        return summaries

    def _read_titles(self, config, now: dict[str, int]) -> None:
        """The front matter title of every page that changed since the last build."""
        docs = Path(config.docs_dir)
        for path, mtime in now.items():
            if (path.endswith(".md") and mtime != self.snapshot.get(path)
                    and Path(path).is_relative_to(docs)):
                self.titles[Path(path).relative_to(docs).as_posix()] = _title(Path(path))

    @event_priority(100)
    def on_config(self, config):
        self.seen = 0
        if not (self.active and self.config.enabled) or nested_build(config):
            return config
        now = self._scan(config)
        self.rerender = self._pages_changed(config, now)
        self._read_titles(config, now)
        self.summaries = self._summaries(config)
        git = config.plugins.get("git-revision-date-localized")
        if git is not None and self.snapshot:
            # After the first build, ask git for the dates of the pages re-rendered only.
            git.config["enable_parallel_processing"] = False
        minify = config.plugins.get("minify")
        if minify is not None:
            # Our CSS and JavaScript as written: minifying them again on every rebuild (in
            # pure Python, once per language) is work a preview does not need.
            minify.config["minify_js"] = minify.config["minify_css"] = False
        self.snapshot = now
        if self.rerender is None:
            log.debug("re-rendering every page")
            self.theme_files.clear()
        self._keep_theme_work(config.theme)
        return config

    def _keep_theme_work(self, theme) -> None:
        """Each build makes a new Jinja environment, which compiles Material's templates again
        and lists every file of the theme (thousands of icons) to copy its assets: both took
        most of a rebuild. Keep the compiled templates and the list between rebuilds (the list
        is made again when the theme's files may have changed: a full re-render)."""
        make_env = theme.get_env

        def get_env():
            env = make_env()
            env.bytecode_cache = self.bytecode
            searchpath = tuple(getattr(env.loader, "searchpath", ()))
            list_templates = env.list_templates

            def listed(extensions=None, filter_func=None) -> list[str]:
                code = getattr(filter_func, "__code__", filter_func)
                key = (searchpath, tuple(extensions or ()), code)
                if key not in self.theme_files:
                    self.theme_files[key] = list_templates(extensions, filter_func)
                return list(self.theme_files[key])

            env.list_templates = listed
            return env

        theme.get_env = get_env

    @event_priority(-110)  # after static-i18n (-100) has made this language's files
    def on_files(self, files, *, config):
        if not (self.active and self.config.enabled):
            return files
        pages = files.documentation_pages()
        self.order[building(config)] = [file.url for file in pages]
        for file in pages:
            norm = getattr(file, "norm_src_uri", file.src_uri)
            if self.rerender is None or norm in self.rerender:
                file.is_modified = _always  # render it although its source is older
        return files

    @event_priority(100)
    def on_env(self, env, *, config, files):
        """Read the front matter of the pages not re-rendered: the navigation of those that are
        shows every page's title, and a page that was not read has none."""
        if self.active and self.config.enabled:
            for file in files.documentation_pages():
                if file.page is not None and file.page.markdown is None:
                    file.page.read_source(config)
        return env

    # --- the search index

    def _search(self, config):
        for name in ("material/search", "search"):
            plugin = config.plugins.get(name)
            if plugin is not None and hasattr(plugin, "search_index"):
                return plugin
        return None

    @event_priority(-10)  # after Material's search plugin (0) has indexed the page
    def on_page_context(self, context, *, page, config, nav):
        search = self._search(config) if self.active and self.config.enabled else None
        if search is not None:
            entries = search.search_index.entries
            self.entries[page.file.url] = entries[self.seen:]
            self.seen = len(entries)
        return context

    @event_priority(10)  # before Material's search plugin (0) writes the index
    def on_post_build(self, *, config):
        search = self._search(config) if self.active and self.config.enabled else None
        if search is None:
            return
        search.search_index.entries = [entry for url in self.order.get(building(config), [])
                                       for entry in self.entries.get(url, [])]
        # Material's own merge with the previous index would add this index to itself (it keeps
        # the previous one when it knows the build is dirty): it gets the full list above instead.
        search.search_index_prev = None
        search.is_dirty = False


def _always() -> bool:
    return True


def _title(path: Path) -> str | None:
    try:
        match = _TITLE.match(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    return match.group(1) if match else None
