from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class PrecompressConfig(Config):
    enabled = c.Type(bool, default=True)
    # Files with these suffixes get a .gz and a .br copy beside them, when it saves bytes.
    extensions = c.ListOfItems(c.Type(str), default=[
        ".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".md"])
    min_size = c.Type(int, default=512)
    gzip_level = c.Type(int, default=9)
    # Quality 10, not 11: on the full book (256 files, 12.6 MB) quality 11 took 14.7 s and
    # quality 10 5.4 s for 2.5 % more bytes (2,493 KB against 2,433 KB).
    brotli_quality = c.Type(int, default=10)
    # Compressed copies are kept here by content hash, so a file compresses once, not on every
    # build; relative to mkdocs.yml. `make clean` removes it. Empty: no cache.
    cache_dir = c.Type(str, default=".cache/handbook/precompress")
    # Also under `mkdocs serve` (its server compresses nothing and needs none of it).
    serve = c.Type(bool, default=False)
