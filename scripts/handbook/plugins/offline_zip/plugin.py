"""handbook/offline-zip: the whole built site, both languages, as one zip for reading from disk.

Written last, after every other plugin has finished the site; the pre-compressed .gz/.br copies
(handbook/precompress) stay out. `make offline` copies it to dist/.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority

from handbook.plugins import nested_build
from handbook.plugins.offline_zip.config import OfflineZipConfig

COMPRESSED = (".gz", ".br")


def write_offline_zip(site: Path, path: str, folder: str) -> Path:
    """Zip the built site so that a reader can unpack it and open <folder>/index.html."""
    target = site / path
    target.parent.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in site.rglob("*")
                   if p.is_file() and p != target and p.suffix not in COMPRESSED)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for file in files:
            zf.write(file, f"{folder}/{file.relative_to(site).as_posix()}")
    return target


class OfflineZipPlugin(BasePlugin[OfflineZipConfig]):
    serving = False

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"

    @event_priority(-300)  # after every plugin that writes into the site (-200, -210)
    def on_post_build(self, *, config):
        if not self.config.enabled or nested_build(config):
            return
        if self.serving and not self.config.serve:
            return
        write_offline_zip(Path(config.site_dir), self.config.path.strip("/"),
                          self.config.folder.strip("/"))
