"""The handbook's MkDocs plugins, one folder per feature (plugin.py + config.py), registered as
`handbook/<name>` in pyproject.toml and switched on in mkdocs.yml. Helpers they share are here.
"""

from __future__ import annotations

from mkdocs.plugins import PrefixedLogger, get_plugin_logger


def logger(name: str) -> PrefixedLogger:
    """A plugin's logger: its messages start with "handbook/<name>:", the name in mkdocs.yml."""
    return get_plugin_logger(f"handbook/{name}")


def nested_build(config) -> bool:
    """True while static-i18n builds another language inside the main build.

    static-i18n runs every plugin's on_post_build once per language; work on the whole site (the
    search split, the zip...) belongs to the last call, the main build's, made after the others.
    """
    i18n = config.plugins.get("i18n")
    return i18n is not None and i18n.building
