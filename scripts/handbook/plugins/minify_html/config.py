from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class MinifyHtmlConfig(Config):
    enabled = c.Type(bool, default=True)
    # Also under `mkdocs serve` (a preview never needs it).
    serve = c.Type(bool, default=False)
    # Options of minify_html.minify() (https://github.com/wilsonzlin/minify-html). By default
    # <input type="text"> keeps its type (the default type, but the page's markup stays what
    # Material wrote, as it was with htmlmin).
    options = c.Type(dict, default={"keep_input_type_text_attr": True})
