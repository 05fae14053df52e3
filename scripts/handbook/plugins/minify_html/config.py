from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class MinifyHtmlConfig(Config):
    enabled = c.Type(bool, default=True)
    # Also under `mkdocs serve` (a preview never needs it).
    serve = c.Type(bool, default=False)
    # Options of minify_html.minify() (https://github.com/wilsonzlin/minify-html), for example
    # keep_comments: true.
    options = c.Type(dict, default={})
