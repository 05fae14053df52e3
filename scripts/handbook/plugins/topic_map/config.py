from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class TopicMapConfig(Config):
    enabled = c.Type(bool, default=True)
    # The topic map, relative to mkdocs.yml. It is validated when loaded, and every mapped
    # section must exist in both languages: a broken entry fails the build with its line named.
    topics = c.File(exists=True, default="data/topics.yml")
