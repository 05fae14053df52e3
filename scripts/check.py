#!/usr/bin/env python3
"""The handbook's content checks, one command: `python scripts/check.py --help` lists them.

The command line lives in checks/cli.py (its docstring is the help text), so that Python caches
its byte code; this file only starts it.
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
