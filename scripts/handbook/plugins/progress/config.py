from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class ProgressConfig(Config):
    enabled = c.Type(bool, default=True)
    # The "My progress" page (in each language).
    page = c.Type(str, default="progress.md")
    # The pages whose checklists it counts: every nav page below these paths (their section
    # index pages excluded) and these pages, in nav order.
    tracked = c.ListOfItems(c.Type(str), default=["duties/", "skills/", "learning-path.md"])
