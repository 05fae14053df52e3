from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class SearchSplitConfig(Config):
    enabled = c.Type(bool, default=True)
    # lunr.id.js of the theme's custom_dir, whose STOP_WORDS the Indonesian separator drops from
    # queries; relative to mkdocs.yml.
    lunr_id = c.File(exists=True, default="overrides/assets/javascripts/lunr/lunr.id.js")
