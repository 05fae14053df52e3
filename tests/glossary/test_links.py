"""link_first_uses(), glossary_titles() and focusable_abbreviations(): the glossary tooltips."""

from __future__ import annotations

import markdown
import pytest
from conftest import make_entry, small_glossary, with_defaults
from handbook import glossary
from support import ROOT

ENTRIES = with_defaults(small_glossary())
HREF = "../glossary.md"


def link(text: str, lang: str = "id") -> str:
    return glossary.link_first_uses(text, ENTRIES, lang, HREF)


def term(text: str, anchor: str) -> str:
    return f"[{text}]({HREF}#{anchor}){{ .glossary-term }}"


def test_first_use_of_each_term_only():
    text = "Basis data menyimpan kueri. Setiap basis data dan kueri punya cadangan.\n"
    assert link(text) == (f"{term('Basis data', 'database')} menyimpan {term('kueri', 'query')}. "
                          "Setiap basis data dan kueri punya cadangan.\n")


def test_the_term_is_linked_and_its_english_gloss_is_not():
    hinted = glossary.first_use_hints("Simpan di basis data.\n", ENTRIES, "id")
    assert link(hinted) == f"Simpan di {term('basis data', 'database')} (*database*).\n"


def test_a_term_in_italics_is_linked_whole():
    assert link("Simpan di *cache* dulu, lalu *cache* lagi.\n") == (
        f"Simpan di {term('*cache*', 'cache')} dulu, lalu *cache* lagi.\n")


def test_the_longest_term_wins():
    assert link("Pakai basis data relasional.\n") == (
        f"Pakai {term('basis data relasional', 'relational-database')}.\n")


def test_english_pages_match_the_english_term_and_its_plural():
    assert link("Databases keep every request.\n", "en") == (
        f"{term('Databases', 'database')} keep every {term('request', 'request')}.\n")
    assert glossary.linking._english_forms("query") == ["query", "queries"]
    assert glossary.linking._english_forms("cache") == ["cache", "caches"]
    assert glossary.linking._english_forms("API") == ["API"]


@pytest.mark.parametrize("text", [
    "```text\nbasis data\n```\n",
    "Jalankan `basis data` lalu selesai.\n",
    "## Basis Data { #database }\n",
    "!!! tip \"Basis data\"\n\n    Isi.\n",
    "Lihat [basis data](other.md).\n",
    "Ini **basis data** penting.\n",
    "Buku *Designing basis data* itu.\n",
    "<p>basis data</p>\n",
    "Panggil API dan SQL.\n",  # abbreviations have their own tooltips
])
def test_not_linked_outside_prose_or_for_abbreviations(text):
    assert link(text) == text


def test_idempotent_and_only_insertions_on_real_pages():
    entries = glossary.load_glossary(glossary.GLOSSARY_FILE)
    linked = 0
    for lang in glossary.LANGUAGES:
        for page in sorted((ROOT / "docs" / lang).rglob("*.md")):
            source = page.read_text(encoding="utf-8")
            once = glossary.link_first_uses(source, entries, lang, HREF)
            assert glossary.link_first_uses(once, entries, lang, HREF) == once, page
            stripped = once.replace("{ .glossary-term }", "")
            assert len(stripped) >= len(source)
            linked += once.count("{ .glossary-term }")
    assert linked > 500


def test_rendered_links_get_the_definition_as_plain_text_title():
    source = link('Simpan di *cache* dan basis data "utama".\n')
    html = markdown.markdown(source, extensions=["attr_list"])
    entries = [dict(e) for e in ENTRIES]
    entries[0]["definition"] = {"id": 'Kumpulan data, misalnya `SELECT "x"` dan *cache*.',
                                "en": "An organized collection of data."}
    html = glossary.glossary_titles(html, entries, "id")
    assert ('title="Kumpulan data, misalnya SELECT &quot;x&quot; dan cache."'
            '>basis data</a>') in html
    assert html.count("title=") == 2
    assert '<a class="glossary-term" href="../glossary.md#cache" title="Kumpulan' in html


def test_plain_text_drops_code_marks_and_italics():
    assert glossary.plain_text("Lihat `git diff` dan *men-*deploy*, a*b.") == (
        "Lihat git diff dan *men-deploy, a*b.")
    assert glossary.plain_text("men-*deploy* dan di-*deploy*") == "men-deploy dan di-deploy"


def test_only_the_first_abbreviation_of_each_kind_is_focusable():
    html = ('<p><abbr title="Application Programming Interface">API</abbr> dan '
            '<abbr title="Structured Query Language">SQL</abbr> lalu '
            '<abbr title="Application Programming Interface">API</abbr></p>')
    result = glossary.focusable_abbreviations(html)
    assert result.count('tabindex="0"') == 2
    assert result.endswith('<abbr title="Application Programming Interface">API</abbr></p>')


def test_tooltip_false_and_tooltip_skip():
    entries = [dict(e) for e in ENTRIES]
    by_id = {e["id"]: e for e in entries}
    by_id["table"]["tooltip"] = False
    by_id["request"]["tooltip_skip"] = {"en": ["request body"], "id": []}
    text = "The request body of a table. A request to a table.\n"
    assert glossary.link_first_uses(text, entries, "en", HREF) == (
        f"The request body of a table. A {term('request', 'request')} to a table.\n")


def test_tooltip_keys_are_validated(write_glossary):
    bad = write_glossary([make_entry(tooltip="no"),
                          make_entry(id="queue", en="queue", id_term="antrean",
                                     variants_forbidden=["antrian"], tooltip_skip={"fr": ["x"]})])
    with pytest.raises(glossary.GlossaryError) as error:
        glossary.load_glossary(bad)
    assert "'tooltip' must be true or false" in str(error.value)
    assert "tooltip_skip must be {id: [phrases], en: [phrases]}" in str(error.value)


def test_cli_lists_where_tooltips_land(capsys):
    assert glossary.main(["tooltips", "--lang", "en", "docs/en/duties/index.md"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(line.startswith("duties/index.md:") for line in lines)
    assert any(": database: " in line and "[database" in line.lower() for line in lines)


def test_skip_phrases_see_through_marks_and_stop_hints_too():
    entries = [dict(e) for e in ENTRIES]
    by_id = {e["id"]: e for e in entries}
    by_id["queue"]["tooltip_skip"] = {"id": ["antrean *staging*"], "en": []}
    text = "Masuk antrean *staging* dulu, lalu antrean pesan.\n"
    hinted = glossary.first_use_hints(text, entries, "id")
    assert hinted == "Masuk antrean *staging* dulu, lalu antrean (*queue*) pesan.\n"
    assert glossary.link_first_uses(hinted, entries, "id", HREF) == (
        f"Masuk antrean *staging* dulu, lalu {term('antrean', 'queue')} (*queue*) pesan.\n")
    by_id["queue"]["tooltip_skip"] = {"id": ["antrean staging"]}  # written without the marks
    assert glossary.link_first_uses(hinted, entries, "id", HREF).count("glossary-term") == 1
    assert "lalu [antrean]" in glossary.link_first_uses(hinted, entries, "id", HREF)
