"""The book to take away: a PDF and an EPUB of each language, from the site's own pages.

    python scripts/books.py build [--lang id] [--out dist/books]   # `make books`
    python scripts/books.py check [--out dist/books]               # EPUBCheck on each EPUB

The code lives in scripts/handbook/books/ (assemble, pdf, epub, cli); its docstring says which
tools make the books and why.
"""

import sys

from handbook.books.cli import main

if __name__ == "__main__":
    sys.exit(main())
