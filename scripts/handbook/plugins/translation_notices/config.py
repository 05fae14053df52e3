from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class TranslationNoticesConfig(Config):
    enabled = c.Type(bool, default=True)
    # The page that explains how to help translate (linked from the "not translated" notice).
    contributing = c.Type(str, default="contributing.md")
    # The title of a heading's permalink per language, where it differs from the toc
    # extension's permalink_title in mkdocs.yml (written in the default language).
    permalink_titles = c.Type(dict, default={"en": "Link to this section"})
