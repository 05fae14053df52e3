from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class QuietConfig(Config):
    enabled = c.Type(bool, default=True)
    # Loggers (and their children) whose INFO messages are dropped (their warnings and errors still show and still
    # fail the strict build).
    loggers = c.ListOfItems(c.Type(str), default=["mkdocs.plugins.mkdocs_static_i18n"])
