"""handbook/offline-zip: the whole built site, both languages, as one zip for reading from disk.

Written last, after every other plugin has finished the site; the pre-compressed .gz/.br copies
(handbook/precompress) stay out, but the deflate stream of each .gz copy is reused for its file.
`make offline` copies it to dist/.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority

from handbook.plugins import nested_build
from handbook.plugins.offline_zip.config import OfflineZipConfig

COMPRESSED = (".gz", ".br")


def _gzip_stream(path: Path) -> tuple[bytes, int, int] | None:
    """(raw deflate stream, CRC-32, size) of the file's .gz copy, when it holds this file.

    handbook/precompress wrote it (gzip.compress: a 10-byte header without a file name, the
    deflate stream, then CRC-32 and size). It is used only when its CRC-32 and size are the
    file's, so a stale or foreign copy never goes into the zip."""
    packed = path.with_name(path.name + ".gz")
    try:
        data = packed.read_bytes()
    except FileNotFoundError:
        return None
    if len(data) < 18 or data[:4] != b"\x1f\x8b\x08\x00":  # gzip, deflate, no optional fields
        return None
    crc, size = struct.unpack("<II", data[-8:])
    content = path.read_bytes()
    if size != len(content) or crc != zlib.crc32(content):
        return None
    return data[10:-8], crc, size


def _write_deflated(zf: zipfile.ZipFile, file: Path, name: str,
                    stream: tuple[bytes, int, int]) -> None:
    """Add a member whose deflate stream is already made (what ZipFile.write() would compute).

    zipfile has no way to store data compressed elsewhere; this follows ZipFile.mkdir(), which
    writes a member's header itself, with the compressed size and CRC known in advance."""
    raw, crc, size = stream
    zinfo = zipfile.ZipInfo.from_file(file, name)
    zinfo.compress_type = zipfile.ZIP_DEFLATED
    zinfo.CRC, zinfo.file_size, zinfo.compress_size = crc, size, len(raw)
    zinfo.header_offset = zf.fp.tell()
    zf._writecheck(zinfo)
    zf._didModify = True
    zf.filelist.append(zinfo)
    zf.NameToInfo[zinfo.filename] = zinfo
    zf.fp.write(zinfo.FileHeader(False))
    zf.fp.write(raw)
    zf.start_dir = zf.fp.tell()


def write_offline_zip(site: Path, path: str, folder: str) -> Path:
    """Zip the built site so that a reader can unpack it and open <folder>/index.html.

    A text file with a .gz copy beside it (handbook/precompress, which runs before) goes in with
    that copy's deflate stream, compressed once instead of twice; the others are deflated here.
    """
    target = site / path
    target.parent.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in site.rglob("*")
                   if p.is_file() and p != target and p.suffix not in COMPRESSED)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for file in files:
            name = f"{folder}/{file.relative_to(site).as_posix()}"
            stream = _gzip_stream(file)
            if stream is None:
                zf.write(file, name)
            else:
                _write_deflated(zf, file, name, stream)
    return target


class OfflineZipPlugin(BasePlugin[OfflineZipConfig]):
    serving = False

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"

    @event_priority(-400)  # after every plugin that writes into the site, precompress (-300) too
    def on_post_build(self, *, config):
        if not self.config.enabled or nested_build(config):
            return
        if self.serving and not self.config.serve:
            return
        write_offline_zip(Path(config.site_dir), self.config.path.strip("/"),
                          self.config.folder.strip("/"))
