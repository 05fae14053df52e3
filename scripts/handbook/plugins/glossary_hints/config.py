from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class GlossaryHintsConfig(Config):
    enabled = c.Type(bool, default=True)
    glossary = c.File(exists=True, default="data/glossary.yml")
