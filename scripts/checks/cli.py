"""Command line of scripts/check.py. (It lives in the package so that Python caches its byte
code: a script run as `python scripts/check.py` is compiled on every run, and the link check is
timed against lychee.)

The handbook's content checks, one command (see scripts/checks/ for each check).

    python scripts/check.py links --site site      # internal links of the built site
    python scripts/check.py links --site site --external     # ... and external links (network)
    python scripts/check.py links --site site --list-external
    python scripts/check.py code [FILE.md ...]     # fenced code blocks in docs/**
    python scripts/check.py translations [FILE.md ...]      # twin pages match
    python scripts/check.py translations --status  # which twin changed last, per page (git)
    python scripts/check.py structure [FILE.md ...]  # duty/skill pages: nine sections, prose
    python scripts/check.py words                  # prose word count of every page
    python scripts/check.py lint [FILE.md ...]     # pymarkdownlnt + codespell
    python scripts/check.py style [FILE.md ...]    # headings in title case, no serial comma
    python scripts/check.py pages [FILE.md ...]    # each page's source: encoding, size, front
                                                   # matter, ids, admonitions, tabs, fences, nav
    python scripts/check.py snippets [FILE.md ...]  # every --8<-- include exists
    python scripts/check.py diagrams [FILE.md ...]  # every ```mermaid fence has current SVGs
    python scripts/check.py topics                 # data/topics.yml: valid, every mapped
                                                   # section exists in both languages
    python scripts/check.py source [FILE.md ...]   # pages + snippets + diagrams + topics: needs no build,
                                                   # takes a second (make check runs it first)
    python scripts/check.py all --site site        # everything (make check runs this after)

Common options: --docs DIR (default docs), --config FILE (default: mkdocs.yml beside the docs
folder), --site DIR (default site; only the link check reads it). FILE arguments (as pre-commit
passes them) limit code, translations and lint to those Markdown files.

Each problem is one line, `path:line: [check] what is wrong — fix: what to do`, on stdout; a
summary goes to stderr. Exit status: 0 when nothing is wrong (warnings allowed), 1 when there is a
problem, 2 when the command cannot run (for example, no built site).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from . import ERROR, Finding, find_project


def default_workers() -> int:
    """Two HTML-parsing processes pay off only when a second core is free."""
    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except OSError:
        busy = 0.0
    return 2 if cores >= 2 and busy < cores - 0.75 else 1


def parse_args(argv: list[str]) -> argparse.Namespace:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--docs", default="docs", help="the docs folder (default: docs)")
    common.add_argument("--config", help="mkdocs.yml (default: the one beside the docs folder)")
    common.add_argument("--site", default="site", help="the built site (default: site)")
    common.add_argument("files", nargs="*", help="only these Markdown files (code, "
                        "translations, lint)")
    links = argparse.ArgumentParser(add_help=False)
    links.add_argument("--external", action="store_true",
                       help="also check external links (needs network; skipped without)")
    links.add_argument("--list-external", action="store_true",
                       help="list every external link with the file and line that holds it")
    links.add_argument("--cache", default=".cache/external-links.json",
                       help="results of external checks (default: .cache/external-links.json)")
    links.add_argument("--cache-days", type=float, default=7.0,
                       help="reuse a working link's result for this long (default: 7)")
    links.add_argument("--timeout", type=float, default=10.0, help="per request (default: 10 s)")
    links.add_argument("--retries", type=int, default=2, help="after a timeout/5xx/429")
    links.add_argument("--concurrency", type=int, default=8, help="requests at once")
    links.add_argument("--per-host-interval", type=float, default=1.0,
                       help="seconds between two requests to the same host (default: 1)")
    links.add_argument("--workers", type=int, default=default_workers(),
                       help="processes that parse HTML (default: 2 on an idle machine with "
                       "two or more cores, else 1)")
    status = argparse.ArgumentParser(add_help=False)
    status.add_argument("--status", action="store_true",
                        help="print, per page, which twin changed last in git")

    parser = argparse.ArgumentParser(
        prog="check.py", description=__doc__[__doc__.index("The handbook's"):],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("links", parents=[common, links],
                   help="internal links, anchors, languages, hosts, alt text of the built site")
    sub.add_parser("code", parents=[common], help="every fenced block is included or valid")
    sub.add_parser("translations", parents=[common, status],
                   help="every page has a twin with the same structure, in its own language")
    sub.add_parser("structure", parents=[common],
                   help="duty and skill pages: the nine sections in order, checklist, prose")
    sub.add_parser("words", parents=[common], help="print the prose word count of every page")
    sub.add_parser("lint", parents=[common], help="pymarkdownlnt and codespell")
    sub.add_parser("style", parents=[common], help="STYLE.md rules a program can see: headings "
                   "in title case (§3), no serial comma in English prose (§5)")
    sub.add_parser("pages", parents=[common],
                   help="each page's source: encoding, size, front matter, heading ids, "
                   "admonitions, tabs, fences, comments, nav")
    sub.add_parser("snippets", parents=[common], help="every --8<-- include names a file and "
                   "section that exist")
    sub.add_parser("diagrams", parents=[common], help="every ```mermaid fence has its light "
                   "and dark SVG, current for its text (`make diagrams` renders them)")
    sub.add_parser("topics", parents=[common], help="data/topics.yml (the topic map) is valid "
                   "and every section it maps exists in both languages")
    sub.add_parser("source", parents=[common], help="pages, snippets, diagrams and topics: the checks "
                   "that need no build (make check runs them first)")
    sub.add_parser("all", parents=[common, links], help="all checks")
    return parser.parse_args(argv)


def config_problem(project) -> Finding | None:
    """mkdocs.yml that does not parse, as one finding with its line."""
    import yaml

    from . import display_path
    from .pages import yaml_place

    try:
        _ = project.mkdocs
    except yaml.YAMLError as error:
        problem, context, line = yaml_place(error)
        return Finding(display_path(project.config), line, "config",
                       f"mkdocs.yml is not valid YAML: {problem}" +
                       (f" ({context})" if context else ""),
                       "indent nav entries by the same number of spaces as their siblings, "
                       "start each with `- `, and quote a title that holds \": \"")
    return None


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    project = find_project(args.docs, args.config, args.site)
    if not project.docs.is_dir():
        print(f"check.py: no docs folder at {project.docs}", file=sys.stderr)
        return 2
    files = [Path(f) for f in args.files]
    if any(f.suffix != ".md" or not f.is_file() for f in files):
        wrong = next(f for f in files if f.suffix != ".md" or not f.is_file())
        print(f"check.py: {wrong} is not a Markdown file (FILE arguments are pages to check)",
              file=sys.stderr)
        return 2
    if args.command == "translations" and args.status:
        from . import parity

        print(parity.status_report(project))
        return 0

    if args.command == "words":
        from . import structure

        print(structure.word_report(project))
        return 0

    broken = config_problem(project)
    if broken:  # every check reads mkdocs.yml: one clear line instead of a traceback from each
        print(broken.format())
        print("check.py: mkdocs.yml does not parse; fix it first", file=sys.stderr)
        return 1
    commands = {"all": ["links", "pages", "code", "translations", "structure", "style", "lint",
                        "topics"],
                "source": ["pages", "snippets", "diagrams", "topics"]}.get(args.command, [args.command])
    findings: list[Finding] = []
    summary: list[str] = []
    lint_job = None
    if "lint" in commands:  # external processes: start first, collect last
        from . import lint

        lint_job = lint.start(project, files or None)
    for command in commands:
        started = time.perf_counter()
        notes: list[str] = []
        if command == "links":
            from . import links

            found, notes = links.run(project, external=args.external,
                                     list_external=args.list_external, options=vars(args))
            if found and found[0].message == "no built site here" and args.command == "links":
                print(found[0].format(), file=sys.stderr)
                return 2
        elif command == "code":
            from . import code

            found = code.run(project, files or None)
        elif command == "translations":
            from . import parity

            found = parity.run(project, files or None)
        elif command == "structure":
            from . import structure

            found = structure.run(project, files or None)
        elif command == "pages":
            from . import pages

            found = pages.run(project, files or None)
        elif command == "style":
            from . import style

            found = style.run(project, files or None)
        elif command == "snippets":
            from . import code

            found = code.run_snippets(project, files or None)
        elif command == "diagrams":
            from . import diagrams

            found = diagrams.run(project, files or None)
        elif command == "topics":
            from . import topics

            found = topics.run(project)
        else:
            found = lint.finish(lint_job)
        findings += found
        errors = sum(f.level == ERROR for f in found)
        warnings = len(found) - errors
        extra = f", {warnings} warnings" if warnings else ""
        info = f" ({'; '.join(n for n in notes if not n.startswith('external: '))})" \
            if notes else ""
        summary.append(f"check {command}: {errors} problems{extra}{info} "
                       f"in {time.perf_counter() - started:.2f} s")
        for note in notes:
            if note.startswith("external: "):
                print(note)
    for finding in sorted(findings, key=lambda f: (f.path, f.line, f.check, f.message)):
        print(finding.format())
    sys.stdout.flush()
    for line in summary:
        print(line, file=sys.stderr)
    return 1 if any(f.level == ERROR for f in findings) else 0
