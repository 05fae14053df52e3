"""The handbook's glossary (data/glossary.yml): validation, the glossary page, abbreviations,
term tooltips, the term check of Indonesian prose and the English hint after a term's first use.

    python scripts/glossary.py validate               # schema, unique ids, pages exist
    python scripts/glossary.py render --lang id       # the generated body of glossary.md
    python scripts/glossary.py abbr --lang en         # *[API]: ... lines for pymdownx/abbr
    python scripts/glossary.py tooltips --lang en     # where each term tooltip lands
    python scripts/glossary.py check [--italics] [FILE ...]   # forbidden and avoided forms

The build adds the same output through the plugins handbook/glossary-page, glossary-hints,
glossary-links and abbreviations (see mkdocs.yml), so none of it is kept in the repository.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from handbook.glossary.check import check_terms
from handbook.glossary.linking import tooltip_uses
from handbook.glossary.model import (
    DOCS_DIR,
    GLOSSARY_FILE,
    LANGUAGES,
    GlossaryError,
    cached_glossary,
    load_glossary,
    load_spelling,
)
from handbook.glossary.rendering import abbr_lines, render_glossary_page


def _check_command(args) -> int:
    files = args.files or None
    if files and any(Path(f).name == GLOSSARY_FILE.name for f in files):
        files = None  # the glossary changed: every page may be affected
    entries, spelling = cached_glossary(args.glossary)
    examples = args.examples
    if examples is None:  # the project's examples/ beside its docs/
        examples = args.docs.resolve().parent / "examples"
    findings = check_terms(args.docs, entries, spelling, files=files, italics=args.italics,
                           examples_dir=examples if examples.is_dir() else None)
    for item in findings:
        print(item)
    pages = len({f.path for f in findings})
    if findings:
        print(f"{len(findings)} finding(s) in {pages} page(s); see STYLE.md §9 and "
              f"docs/<lang>/glossary.md", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--glossary", type=Path, default=GLOSSARY_FILE, help=argparse.SUPPRESS)
    parser.add_argument("--docs", type=Path, default=DOCS_DIR, help=argparse.SUPPRESS)
    parser.add_argument("--examples", type=Path, default=None, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="check data/glossary.yml against the schema")
    render = sub.add_parser("render", help="print the generated glossary page body")
    render.add_argument("--lang", choices=LANGUAGES, default="id")
    abbr = sub.add_parser("abbr", help="print the abbreviation lines of a language")
    abbr.add_argument("--lang", choices=LANGUAGES, default="id")
    tips = sub.add_parser("tooltips", help="where each term tooltip lands (first uses)")
    tips.add_argument("--lang", choices=LANGUAGES, default="id")
    tips.add_argument("files", nargs="*", help="only these files (default: all of docs/<lang>)")
    check = sub.add_parser("check", help="forbidden and avoided forms in the pages (Indonesian: "
                           "every rule; English: the English avoid lists) and templates")
    check.add_argument("--italics", action="store_true",
                       help="also report English terms written without italics (Indonesian)")
    check.add_argument("files", nargs="*", help="only these files (default: docs/id, docs/en and "
                       "the Markdown templates under examples/)")
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            return _check_command(args)
        entries = load_glossary(args.glossary, args.docs)
        if args.command == "validate":
            spelling = load_spelling(args.glossary)
            print(f"{args.glossary.name}: {len(entries)} terms, "
                  f"{sum(1 for e in entries if e['abbr'])} abbreviations, "
                  f"{len(spelling)} spelling rules: OK")
        elif args.command == "render":
            print(render_glossary_page(entries, args.lang, args.docs), end="")
        elif args.command == "abbr":
            print("\n".join(abbr_lines(entries, args.lang)))
        elif args.command == "tooltips":
            for page, line, term, text in tooltip_uses(args.docs, entries, args.lang, args.files):
                print(f"{page}:{line}: {term}: {text}")
    except GlossaryError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
