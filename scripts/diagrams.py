"""Diagrams: check or render the pre-rendered SVGs of the pages' Mermaid fences.

    python scripts/diagrams.py render   # render missing SVGs (needs Chromium and npm's mermaid)
    python scripts/diagrams.py check    # every fence rendered, no orphan SVG, every fence described

The code lives in scripts/handbook/diagrams.py (also used by the handbook/diagrams plugin).
"""

import sys

from handbook.diagrams import main

if __name__ == "__main__":
    sys.exit(main())
