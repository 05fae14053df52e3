from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class AbbreviationsConfig(Config):
    enabled = c.Type(bool, default=True)
    glossary = c.File(exists=True, default="data/glossary.yml")
    # Make the first <abbr> of each abbreviation on a page focusable, so that its tooltip also
    # shows on keyboard focus (the others keep theirs on hover only).
    focusable = c.Type(bool, default=True)
