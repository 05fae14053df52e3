"""Content checks for the handbook: links, code samples, translations and Markdown lint.

Run them with `python scripts/check.py {source,pages,snippets,links,code,translations,structure,
lint,all}`; see checks/cli.py.

What this package adds that no library does: one command that checks a bilingual MkDocs site
(Indonesian at the root, English under en/) against this project's own rules, and reports every
problem as `file:line: [check] what is wrong — fix: what to do`, pointing at the Markdown source a
contributor edits rather than at generated HTML. The parsing itself is left to libraries (lxml for
HTML, sqlglot for SQL, pymdownx's own snippet and fence patterns, pymarkdownlnt, codespell, ruff).

This module stays import-light (no third-party imports): the link check is timed against lychee.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

ERROR, WARNING = "error", "warning"
# A page over this size is refused by the page check and read by no other check (the largest
# page is 34 KB; pymarkdownlnt's time grows with the square of a page's length).
MAX_PAGE_BYTES = 200_000


@dataclass(frozen=True, order=True)
class Finding:
    """One problem, reported against the file a contributor edits."""

    path: str  # shown as given: relative to the current directory when possible
    line: int  # 1-based; 0 when the line is unknown
    check: str  # links, external, code, translations, lint
    message: str
    fix: str = ""
    level: str = ERROR  # warnings are printed but do not fail the run

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        tag = self.check if self.level == ERROR else f"{self.check} {self.level}"
        text = f"{where}: [{tag}] {self.message}"
        return f"{text} — fix: {self.fix}" if self.fix else text


def display_path(path: Path | str) -> str:
    """A path as the user will want to click it: relative to the current directory if inside."""
    path = Path(path)
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


_LANGUAGE_DIR = re.compile(r"^[a-z]{2}(?:-[A-Za-z]{2,4})?$")


@dataclass
class Project:
    """Where things are: the docs folder, mkdocs.yml beside it, the built site."""

    docs: Path
    config: Path
    site: Path | None = None

    @property
    def root(self) -> Path:
        return self.config.parent

    @cached_property
    def config_text(self) -> str:
        try:
            return self.config.read_text(encoding="utf-8")
        except OSError:
            return ""

    @cached_property
    def mkdocs(self) -> dict:
        """mkdocs.yml parsed with PyYAML, ignoring the !!python tags we cannot (and need not)
        construct. Imported lazily: the link check reads only two keys, with `top_level`."""
        import yaml

        class Loader(yaml.SafeLoader):
            pass

        Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
        Loader.add_multi_constructor("!", lambda *_: None)
        return yaml.load(self.config_text, Loader=Loader) or {}

    def setting(self, key: str) -> str | None:
        """A plain `key: value` of mkdocs.yml, read without a YAML parser (cheap: link check)."""
        match = re.search(rf"^[ \t]*{re.escape(key)}:[ \t]*['\"]?([^'\"#\s]+)", self.config_text,
                          re.MULTILINE)
        return match.group(1) if match else None

    @cached_property
    def language_dirs(self) -> list[str]:
        """Folders under docs/ named like a language (id, en, pt-BR), sorted."""
        if not self.docs.is_dir():
            return []
        return sorted(p.name for p in self.docs.iterdir()
                      if p.is_dir() and _LANGUAGE_DIR.match(p.name))

    @cached_property
    def languages(self) -> tuple[str, ...]:
        """Language folders under docs/, the default (original) language first."""
        found = self.language_dirs
        default = self.default_language if self.default_language in found else None
        return tuple(([default] if default else []) + [lang for lang in found if lang != default])

    @cached_property
    def default_language(self) -> str:
        """The language built at the site root: the mkdocs-static-i18n language with
        `default: true`, else theme.language, else "id"."""
        for plugin in self.mkdocs.get("plugins") or []:
            if isinstance(plugin, dict) and isinstance(plugin.get("i18n"), dict):
                for language in plugin["i18n"].get("languages") or []:
                    if language.get("default"):
                        return language["locale"]
        theme = self.mkdocs.get("theme")
        return (theme.get("language") if isinstance(theme, dict) else None) or "id"

    def pages(self, lang: str) -> list[str]:
        """Markdown pages of one language, as paths below docs/<lang>/."""
        folder = self.docs / lang
        return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.md"))

    def md_path(self, lang: str, page: str) -> Path:
        return self.docs / lang / page

    @staticmethod
    def too_big(path: Path) -> bool:
        """Over MAX_PAGE_BYTES: the page check reports it, the other checks leave it alone."""
        try:
            return path.stat().st_size > MAX_PAGE_BYTES
        except OSError:
            return False

    def page_of(self, path: Path) -> tuple[str, str] | None:
        """(language, page) for a Markdown file under docs/<lang>/, else None."""
        try:
            parts = path.resolve().relative_to(self.docs.resolve()).parts
        except ValueError:
            return None
        if len(parts) < 2 or parts[0] not in self.languages or path.suffix != ".md":
            return None
        return parts[0], "/".join(parts[1:])


def find_project(docs: str | os.PathLike, config: str | os.PathLike | None,
                 site: str | os.PathLike | None) -> Project:
    docs_path = Path(docs)
    config_path = Path(config) if config else docs_path.resolve().parent / "mkdocs.yml"
    return Project(docs=docs_path, config=config_path, site=Path(site) if site else None)
