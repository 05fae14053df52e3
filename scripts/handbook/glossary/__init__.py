"""The glossary (data/glossary.yml), split by job:

    model.py       where the glossary lives, loading (validated, cached), GlossaryError
    validation.py  the schema of each term and of the spelling list
    rendering.py   title case, the glossary page, abbreviation definitions
    prose.py       masking everything in a page that is not prose (shared by the two below)
    linking.py     English hints after first uses, links to entries and their tooltips
    check.py       the term check of Indonesian prose
    cli.py         `python scripts/glossary.py ...`

The public names are re-exported here: `from handbook import glossary; glossary.load_glossary()`.
"""

from handbook.glossary.check import Finding, check_markdown, check_terms
from handbook.glossary.cli import main
from handbook.glossary.linking import (
                                       first_use_hints,
                                       glossary_titles,
                                       link_first_uses,
                                       plain_text,
                                       tooltip_uses,
)
from handbook.glossary.model import (
                                       DOCS_DIR,
                                       GLOSSARY_FILE,
                                       GLOSSARY_MARKER,
                                       GLOSSARY_PAGE,
                                       LANGUAGES,
                                       GlossaryError,
                                       cached_glossary,
                                       is_glossary_page,
                                       load_glossary,
                                       load_spelling,
)
from handbook.glossary.prose import mask_non_prose
from handbook.glossary.rendering import (
                                       abbr_lines,
                                       append_abbreviations,
                                       expand_glossary_marker,
                                       focusable_abbreviations,
                                       render_glossary_page,
                                       sort_key,
                                       title_case,
)

__all__ = ["DOCS_DIR", "GLOSSARY_FILE", "GLOSSARY_MARKER", "GLOSSARY_PAGE", "LANGUAGES", "Finding",
           "GlossaryError", "abbr_lines", "append_abbreviations", "cached_glossary",
           "check_markdown", "check_terms", "expand_glossary_marker", "first_use_hints",
           "focusable_abbreviations", "glossary_titles", "is_glossary_page", "link_first_uses",
           "load_glossary", "load_spelling", "main", "mask_non_prose", "plain_text",
           "render_glossary_page", "sort_key", "title_case", "tooltip_uses"]
