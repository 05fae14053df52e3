"""The handbook's glossary (data/glossary.yml): validation, the glossary page, abbreviations,
term tooltips, the term check of Indonesian prose and the English hint after a term's first use.

    python scripts/glossary.py validate               # schema, unique ids, pages exist
    python scripts/glossary.py render --lang id       # the generated body of glossary.md
    python scripts/glossary.py abbr --lang en         # *[API]: ... lines for pymdownx/abbr
    python scripts/glossary.py tooltips --lang en     # where each term tooltip lands
    python scripts/glossary.py check [--italics] [FILE ...]   # forbidden forms in docs/id

The code lives in scripts/handbook/glossary/ (model, validation, rendering, prose, linking, check,
cli), also used by the handbook/glossary-* and handbook/abbreviations plugins.
"""

import sys

from handbook.glossary.cli import main

if __name__ == "__main__":
    sys.exit(main())
