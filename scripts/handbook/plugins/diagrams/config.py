from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class DiagramsConfig(Config):
    enabled = c.Type(bool, default=True)
    # Where `make diagrams` writes the SVGs, below docs_dir.
    output = c.Type(str, default="assets/diagrams")
    # The lock file that pins the renderer (npm's mermaid); its version is part of each SVG's
    # name, so an upgrade makes every diagram stale. Relative to mkdocs.yml.
    lock_file = c.File(exists=False, default="package-lock.json")
