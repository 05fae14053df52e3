from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class TranslationNoticesConfig(Config):
    enabled = c.Type(bool, default=True)
    # The page that explains how to help translate (linked from the "not translated" notice).
    contributing = c.Type(str, default="contributing.md")
