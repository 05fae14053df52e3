from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class TopicMapConfig(Config):
    enabled = c.Type(bool, default=True)
    # The topic map, relative to mkdocs.yml. It is validated when loaded: a broken entry fails
    # the build with its line named (`scripts/check.py topics` also checks every mapped section).
    topics = c.File(exists=True, default="data/topics.yml")
