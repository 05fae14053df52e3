"""Per-page results kept on disk, by the SHA-256 of everything they are made from.

The glossary plugins spend more time on a page than the rest of the build's own work (masking
every construct that is not prose, finding 256 terms); their output is a function of the page's
Markdown, the glossary and the code, so a build reuses what an earlier one made for the same
inputs. An entry is found by the hash of its inputs (the glossary file and the source of
handbook/glossary/ included), so a change to any of them is a miss, never a stale result.
"""

from __future__ import annotations

import hashlib
import os
import time
from functools import cache
from pathlib import Path

_GLOSSARY_CODE = Path(__file__).resolve().parent / "glossary"
KEEP_DAYS = 14  # entries unused for longer are removed at the end of a build


@cache
def code_version(folder: Path = _GLOSSARY_CODE) -> str:
    """A hash of the library's source: new code, new keys."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class PageCache:
    """`cached(make, *inputs)`: make() once per distinct inputs, then read from disk."""

    def __init__(self, folder: Path | None, *salt: str | bytes):
        self.folder = folder
        digest = hashlib.sha256()
        for part in salt:
            digest.update(part if isinstance(part, bytes) else part.encode())
            digest.update(b"\0")
        self.salt = digest.digest()

    def cached(self, make, *inputs: str) -> str:
        if self.folder is None:
            return make()
        digest = hashlib.sha256(self.salt)
        for part in inputs:
            digest.update(part.encode() + b"\0")
        key = digest.hexdigest()
        path = self.folder / key[:2] / key
        try:
            value = path.read_text(encoding="utf-8")
            os.utime(path)  # recently used: kept by prune()
            return value
        except FileNotFoundError:
            pass
        value = make()
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{key}.{os.getpid()}.tmp")
        partial.write_text(value, encoding="utf-8")
        partial.replace(path)  # atomic: a concurrent build never reads half a file
        return value

    def prune(self, days: float = KEEP_DAYS) -> None:
        if self.folder is None or not self.folder.is_dir():
            return
        oldest = time.time() - days * 86400
        for path in self.folder.glob("*/*"):
            try:
                if path.stat().st_mtime < oldest:
                    path.unlink()
            except FileNotFoundError:
                pass


def page_cache(name: str, cache_dir: str, config, glossary: str) -> PageCache:
    """The cache of one glossary plugin: cache_dir relative to mkdocs.yml ("" for none)."""
    if not cache_dir:
        return PageCache(None)
    folder = Path(cache_dir)
    if not folder.is_absolute():
        folder = Path(config.config_file_path).parent / folder
    return PageCache(folder / name, name, code_version(), Path(glossary).read_bytes())
