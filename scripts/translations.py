"""Translation tracking: which version of its Indonesian original each English page translates.

    python scripts/translations.py status            # every page: up to date / outdated / missing
    python scripts/translations.py diff PAGE         # what changed in the original since
    python scripts/translations.py sync PAGE [...]   # mark English twins as up to date (--all)
    python scripts/translations.py pr --base REV     # the pull-request rule (CI)

The code lives in scripts/handbook/translations.py (also used by the handbook/translation-notices
and handbook/translation-status plugins).
"""

import sys

from handbook.translations import main

if __name__ == "__main__":
    sys.exit(main())
