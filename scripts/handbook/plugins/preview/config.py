from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class PreviewConfig(Config):
    enabled = c.Type(bool, default=True)
    # Folders and files outside docs_dir that the pages are made from, relative to mkdocs.yml:
    # `mkdocs serve` rebuilds when one changes, and a change there re-renders every page.
    watch = c.ListOfItems(c.Type(str), default=["mkdocs.yml", "data", "examples", "overrides",
                                                "package-lock.json"])
    # Pages that depend on every other page (their state, checklist or title): re-rendered
    # with any edited page. Paths below each language folder.
    dependents = c.ListOfItems(c.Type(str), default=["translation-status.md", "progress.md"])
