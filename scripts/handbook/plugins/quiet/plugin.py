"""handbook/quiet: the build prints only what needs a reader's attention.

mkdocs-static-i18n reports at INFO level, on every build, that it overrides site_name and the
palette for each language, adds languages to the search plugin, finds language links "that should
be an absolute path" and translates the navigation: all of it configured on purpose, and read
like warnings by newcomers, so that real warnings drowned. This plugin drops the INFO messages of
the loggers it is given; warnings and errors still show, and still fail the strict build.

(Material's end-of-life notice is printed when the theme is imported, before any plugin runs:
the Makefile sets NO_MKDOCS_2_WARNING=1, the switch Material documents for it.)
"""

from __future__ import annotations

import logging

from mkdocs.plugins import BasePlugin

from handbook.plugins.quiet.config import QuietConfig


class _BelowWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


class QuietPlugin(BasePlugin[QuietConfig]):
    def __init__(self):
        super().__init__()
        self.filtered: list[logging.Logger] = []
        self.filter = _BelowWarning()

    def on_startup(self, *, command, dirty):
        pass  # kept across rebuilds of `mkdocs serve`

    def on_config(self, config):
        # Before static-i18n's on_config (-100), which reports the overrides.
        for logger in self.filtered:
            logger.removeFilter(self.filter)
        self.filtered = []
        if self.config.enabled:
            # A logger's filters do not apply to its children's messages: filter each module's
            # logger (plugins make theirs when imported, before any on_config).
            names = [name for name in logging.root.manager.loggerDict
                     if any(name == prefix or name.startswith(prefix + ".")
                            for prefix in self.config.loggers)]
            for name in names:
                logger = logging.getLogger(name)
                logger.addFilter(self.filter)
                self.filtered.append(logger)
        return config
