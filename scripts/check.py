#!/usr/bin/env python3
"""The handbook's content checks, one command (see scripts/checks/ for each check).

    python scripts/check.py links --site site      # internal links of the built site
    python scripts/check.py links --site site --external     # ... and external links (network)
    python scripts/check.py links --site site --list-external
    python scripts/check.py code [FILE.md ...]     # fenced code blocks in docs/**
    python scripts/check.py translations [FILE.md ...]      # twin pages match
    python scripts/check.py translations --status  # which twin changed last, per page (git)
    python scripts/check.py lint [FILE.md ...]     # pymarkdownlnt + codespell
    python scripts/check.py all --site site        # everything (make check runs this)

Common options: --docs DIR (default docs), --config FILE (default: mkdocs.yml beside the docs
folder), --site DIR (default site; only the link check reads it). FILE arguments (as pre-commit
passes them) limit code, translations and lint to those Markdown files.

Each problem is one line, `path:line: [check] what is wrong — fix: what to do`, on stdout; a
summary goes to stderr. Exit status: 0 when nothing is wrong (warnings allowed), 1 when there is a
problem, 2 when the command cannot run (for example, no built site).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checks.cli import main

if __name__ == "__main__":
    # Python's own finalisation is not needed and costs time on every run (the link check is
    # timed against lychee); flush and leave.
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:  # `check.py ... | head`
        status = 0
    sys.stderr.flush()
    os._exit(status)
