from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class AbbreviationsConfig(Config):
    enabled = c.Type(bool, default=True)
    glossary = c.File(exists=True, default="data/glossary.yml")
    # Each page's result is kept here by the hash of the page, the glossary and the code, so a
    # build only works on what changed; relative to mkdocs.yml. Empty: no cache.
    cache_dir = c.Type(str, default=".cache/handbook/glossary")
    # Make the first <abbr> of each abbreviation on a page focusable, so that its tooltip also
    # shows on keyboard focus (the others keep theirs on hover only).
    focusable = c.Type(bool, default=True)
