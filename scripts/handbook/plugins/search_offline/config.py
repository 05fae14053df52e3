from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class SearchOfflineConfig(Config):
    enabled = c.Type(bool, default=True)
    # Also under `mkdocs serve`, which serves over HTTP, where Material fetches the JSON.
    serve = c.Type(bool, default=False)
