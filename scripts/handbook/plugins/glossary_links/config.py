from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class GlossaryLinksConfig(Config):
    enabled = c.Type(bool, default=True)
    glossary = c.File(exists=True, default="data/glossary.yml")
    # Give each term link the term's definition as its title (the tooltip's text).
    tooltips = c.Type(bool, default=True)
