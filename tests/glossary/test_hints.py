"""first_use_hints(): the English term once, after the first prose use of a term."""

from __future__ import annotations

import pytest
from conftest import small_glossary, with_defaults
from handbook import glossary
from support import ROOT

ENTRIES = with_defaults(small_glossary())


def hint(text: str) -> str:
    return glossary.first_use_hints(text, ENTRIES, "id")


def test_first_use_only():
    text = "Basis data menyimpan pesanan. Setiap basis data punya cadangan.\n"
    assert hint(text) == ("Basis data (*database*) menyimpan pesanan. "
                          "Setiap basis data punya cadangan.\n")


def test_idempotent_on_real_pages():
    entries = glossary.load_glossary(glossary.GLOSSARY_FILE)
    changed = 0
    for page in sorted((ROOT / "docs" / "id").rglob("*.md")):
        source = page.read_text(encoding="utf-8")
        once = glossary.first_use_hints(source, entries)
        assert glossary.first_use_hints(once, entries) == once, page
        changed += once != source
        # Only insertions: removing them gives the page back.
        assert once.replace(" (*", "\0").count("\0") >= source.replace(" (*", "\0").count("\0")
    assert changed


@pytest.mark.parametrize("text", [
    "```text\nbasis data\n```\n",
    "Jalankan `basis data` lalu selesai.\n",
    "## Basis Data { #database }\n",
    "!!! tip \"Basis data\"\n\n    Isi.\n",
    "=== \"Basis data\"\n\n    Isi.\n",
    "Baca [basis data](x.md).\n",
    "Baca [bab ini](https://example.com/basis data).\n",
    "<p>basis data</p>\n",
    "---\ntitle: Basis Data\ndescription: Tentang basis data.\n---\n",
    "**Basis data** adalah inti aplikasi.\n",
    "*basis data* miring.\n",
    "Data tersimpan (di basis data) aman.\n",
    "Mereka menulis \"basis data\" dengan benar.\n",
    "Basis data-basis data itu.\n",
    "<!-- basis data -->\n",
])
def test_never_in_code_headings_titles_links_html_emphasis_or_brackets(text):
    assert hint(text) == text


def test_first_prose_use_after_skipped_places():
    text = "## Basis Data { #database }\n\n`basis data` lalu basis data asli.\n"
    assert hint(text) == ("## Basis Data { #database }\n\n"
                          "`basis data` lalu basis data (*database*) asli.\n")


def test_skips_terms_the_page_already_glosses():
    assert hint("Basis data (*database*) dan basis data.") == (
        "Basis data (*database*) dan basis data.")
    assert hint("Basis data (database) cepat.") == "Basis data (database) cepat."
    text = "Basis data cepat. Nanti: *database* dalam bahasa Inggris."
    assert hint(text) == text


def test_longer_term_wins_and_each_gets_its_own_hint():
    text = "Basis data relasional memakai tabel. Basis data lain juga.\n"
    assert hint(text) == ("Basis data relasional (*relational database*) memakai tabel. "
                          "Basis data (*database*) lain juga.\n")


def test_no_hint_for_kept_english_same_word_or_hint_false_terms():
    text = "Pakai *cache*, API, tabel, dan kueri.\n"
    assert hint(text) == "Pakai *cache*, API, tabel, dan kueri (*query*).\n"


def test_term_wrapped_over_two_lines_and_tables():
    assert hint("Simpan di basis\ndata utama.\n") == "Simpan di basis\ndata (*database*) utama.\n"
    table = "| Istilah | Arti |\n| --- | --- |\n| antrean | daftar tunggu |\n"
    assert hint(table) == "| Istilah | Arti |\n| --- | --- |\n| antrean (*queue*) | daftar tunggu |\n"


def test_not_right_before_an_opening_bracket():
    assert hint("Antrean (FIFO) dan antrean lain.") == "Antrean (FIFO) dan antrean (*queue*) lain."


def test_english_pages_are_unchanged():
    text = "Basis data menyimpan pesanan.\n"
    assert glossary.first_use_hints(text, ENTRIES, "en") == text
