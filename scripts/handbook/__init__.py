"""The handbook's own build code: MkDocs plugins and the libraries behind them.

Installed with the project (`pip install -e .`, which `make` runs), so that mkdocs.yml can name
each plugin (`handbook/<name>`, entry points in pyproject.toml). The command-line tools in
scripts/ (glossary.py, diagrams.py, translations.py) are thin wrappers around these modules.

    languages.py     the book's languages and where each page's language comes from
    glossary/        data/glossary.yml: model, validation, rendering, prose masking, linking,
                     the term check and its command line
    diagrams.py      Mermaid fences and their pre-rendered SVGs
    translations.py  which version of its Indonesian original each English page translates
    search.py        per-language search settings (stop words, separator) and the index split
    plugins/<name>/  one MkDocs plugin per feature: plugin.py (the events) + config.py (its
                     options), the layout of Material's own plugins
"""
