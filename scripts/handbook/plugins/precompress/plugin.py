"""handbook/precompress: file.gz and file.br beside each text file of the built site.

For static hosts that serve them (nginx gzip_static/brotli_static; scripts/serve_static.py, the
audit's and browser tests' server, does the same). Only where a copy is smaller than the file.

Compressing the whole site took 7.4 CPU-seconds, more than the rest of a clean build; the copies
are therefore cached by the SHA-256 of the file's content (and the settings) in .cache/, so that
a build compresses only the files that changed since the last one, and links the others into the
site (a hard link: no bytes copied; a copy where the site is on another file system). zlib and
brotli release the GIL: threads compress on every core.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority

from handbook.plugins import logger, nested_build
from handbook.plugins.precompress.config import PrecompressConfig

log = logger("precompress")


class Compressor:
    """Compresses files with fixed settings, through the content-hash cache when it has one."""

    def __init__(self, cache: Path | None, gzip_level: int = 9, brotli_quality: int = 10,
                 min_size: int = 512):
        self.cache, self.min_size = cache, min_size
        self.gzip_level, self.brotli_quality = gzip_level, brotli_quality
        self.used: set[Path] = set()
        self.hits = self.misses = 0

    def packed(self, data: bytes) -> list[tuple[str, bytes]]:
        import brotli

        return [(".gz", gzip.compress(data, compresslevel=self.gzip_level, mtime=0)),
                (".br", brotli.compress(data, quality=self.brotli_quality))]

    def entries(self, data: bytes) -> list[Path]:
        """The cache files of a content's .gz and .br copies (they may not exist yet)."""
        settings = f"g{self.gzip_level}b{self.brotli_quality}"
        digest = hashlib.sha256(data).hexdigest()
        entry = self.cache / digest[:2] / f"{digest}-{settings}"
        return [entry.with_name(entry.name + suffix) for suffix in (".gz", ".br")]

    def compress(self, path: Path) -> None:
        data = path.read_bytes()
        if len(data) < self.min_size:
            return
        if self.cache is None:
            self._write(path, self.packed(data), len(data))
            return
        entries = self.entries(data)
        self.used.update(entries)
        try:
            for entry in entries:
                if entry.stat().st_size < len(data):
                    _link_or_copy(entry, path.with_name(path.name + entry.suffix))
            self.hits += 1
            return
        except FileNotFoundError:
            self.misses += 1
        packed = self.packed(data)
        entries[0].parent.mkdir(parents=True, exist_ok=True)
        for entry, (_suffix, blob) in zip(entries, packed, strict=True):
            partial = entry.with_name(f"{entry.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            partial.write_bytes(blob)
            partial.replace(entry)  # atomic: a concurrent build never reads half a file
        self._write(path, packed, len(data))

    @staticmethod
    def _write(path: Path, packed: list[tuple[str, bytes]], size: int) -> None:
        for suffix, blob in packed:
            if len(blob) < size:
                target = path.with_name(path.name + suffix)
                target.unlink(missing_ok=True)  # never write through a link into the cache
                target.write_bytes(blob)

    def prune(self) -> None:
        """Drop the cached copies this build did not use (the cache follows the site)."""
        if self.cache is None or not self.cache.is_dir():
            return
        for name in self.cache.glob("*/*"):
            if name not in self.used and not name.name.endswith(".tmp"):
                name.unlink(missing_ok=True)


def _link_or_copy(source: Path, target: Path) -> None:
    """target as a hard link to source (no bytes copied), or a copy on another file system."""
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def write_precompressed(site: Path, extensions, compressor: Compressor) -> None:
    paths = [p for p in site.rglob("*") if p.suffix in extensions and p.is_file()]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(compressor.compress, paths))  # list(): re-raise the first error, if any


class PrecompressPlugin(BasePlugin[PrecompressConfig]):
    serving = False

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"

    @event_priority(-300)  # after every plugin that writes pages; before the zip (-400)
    def on_post_build(self, *, config):
        if not self.config.enabled or nested_build(config):
            return
        if self.serving and not self.config.serve:
            return
        cache = None
        if self.config.cache_dir:
            cache = Path(self.config.cache_dir)
            if not cache.is_absolute():
                cache = Path(config.config_file_path).parent / cache
        compressor = Compressor(cache, self.config.gzip_level, self.config.brotli_quality,
                                self.config.min_size)
        write_precompressed(Path(config.site_dir), set(self.config.extensions), compressor)
        compressor.prune()
        log.debug(f"{compressor.hits} files from the cache, {compressor.misses} compressed")
