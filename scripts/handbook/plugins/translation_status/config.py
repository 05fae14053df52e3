from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class TranslationStatusConfig(Config):
    enabled = c.Type(bool, default=True)
    # The comment in a page that the table replaces.
    marker = c.Type(str, default="<!-- translation-status -->")
