"""Glossary tooltips on the built site: term links with definitions, focusable abbreviations."""

from __future__ import annotations

import pytest
from handbook import glossary
from lxml import html
from support import LANGUAGES, language_root

PAGES = ["index.html", "overview.html", "duties/server-side-logic.html", "skills/apis.html",
         "learning-path.html"]


def _doc(site, lang, path):
    return html.fromstring((language_root(site, lang) / path).read_bytes())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_term_links_lead_to_glossary_entries_and_carry_their_definition(built_site, lang):
    entries = {e["id"]: e for e in glossary.load_glossary(glossary.GLOSSARY_FILE)}
    anchors = set(_doc(built_site, lang, "glossary.html").xpath("//@id"))
    for path in PAGES:
        links = _doc(built_site, lang, path).xpath("//article//a[@class='glossary-term']")
        assert len(links) >= 10, (lang, path, len(links))
        ids = [link.get("href").rsplit("#", 1)[1] for link in links]
        assert len(ids) == len(set(ids)), f"{path}: a term is linked twice"
        for link, anchor in zip(links, ids, strict=True):
            assert link.get("href").split("#")[0].endswith("glossary.html")
            assert anchor in anchors, f"{path}: no glossary entry #{anchor}"
            definition = glossary.plain_text(entries[anchor]["definition"][lang])
            assert link.get("title") == definition, (path, anchor)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_glossary_page_links_no_terms_to_itself(built_site, lang):
    assert not _doc(built_site, lang, "glossary.html").xpath("//a[@class='glossary-term']")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_first_abbreviation_of_each_kind_is_focusable(built_site, lang):
    doc = _doc(built_site, lang, "duties/server-side-logic.html")
    abbrs = doc.xpath("//article//abbr[@title]")
    focusable = [a for a in abbrs if a.get("tabindex") == "0"]
    assert len(focusable) == len({a.text for a in abbrs}) >= 5
    first = {}
    for abbr in abbrs:
        first.setdefault(abbr.text, abbr)
    assert set(first.values()) == set(focusable)
