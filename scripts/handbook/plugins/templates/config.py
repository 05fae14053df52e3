from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class TemplatesConfig(Config):
    enabled = c.Type(bool, default=True)
    # examples/templates/<lang>/ holds the Markdown templates of each language; relative to
    # mkdocs.yml.
    source = c.Dir(exists=True, default="examples/templates")
    # Where they go below each language root.
    target = c.Type(str, default="downloads/templates")
