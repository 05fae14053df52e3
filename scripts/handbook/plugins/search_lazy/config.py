from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class SearchLazyConfig(Config):
    enabled = c.Type(bool, default=True)
    # Sections shown per page in the results (the best one first), when they hold every word of
    # the query; the others stay folded under "N more on this page".
    shown_sections = c.Type(int, default=2)
