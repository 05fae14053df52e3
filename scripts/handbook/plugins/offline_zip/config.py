from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class OfflineZipConfig(Config):
    enabled = c.Type(bool, default=True)
    # The zip, below site_dir (the home pages link to it).
    path = c.Type(str, default="downloads/panduan-backend-offline.zip")
    # The folder a reader gets when unpacking it: <folder>/index.html is the home page.
    folder = c.Type(str, default="panduan-backend")
    # Also under `mkdocs serve` (a preview never needs it).
    serve = c.Type(bool, default=False)
