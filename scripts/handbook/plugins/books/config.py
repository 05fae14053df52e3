from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class BooksConfig(Config):
    enabled = c.Type(bool, default=True)
    # Where `make books` writes the PDF and EPUB of each language; relative to mkdocs.yml.
    source = c.Type(str, default="dist/books")
    # Where they go in the built site, below site_url (both languages link the same folder).
    target = c.Type(str, default="downloads")
    # Show each book's size, read from `source`, and copy the books into the site. Off for the
    # book's own build (`scripts/books.py build`), whose pages link the published copies.
    sizes = c.Type(bool, default=True)
    # A book missing from `source` is a warning (which fails a strict build) instead of a note:
    # the deploy workflow sets HANDBOOK_BOOKS_REQUIRED=true (mkdocs.yml reads it with !ENV).
    required = c.Type(bool, default=False)
