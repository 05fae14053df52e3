from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class GlossaryHintsConfig(Config):
    enabled = c.Type(bool, default=True)
    glossary = c.File(exists=True, default="data/glossary.yml")
    # Each page's result is kept here by the hash of the page, the glossary and the code, so a
    # build only works on what changed; relative to mkdocs.yml. Empty: no cache.
    cache_dir = c.Type(str, default=".cache/handbook/glossary")
