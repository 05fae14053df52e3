from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class GlossaryPageConfig(Config):
    enabled = c.Type(bool, default=True)
    # The glossary, relative to mkdocs.yml. It is validated when loaded: a broken entry fails
    # the build with the entry named.
    glossary = c.File(exists=True, default="data/glossary.yml")
