"""render_glossary_page(), title_case() and abbr_lines()."""

from __future__ import annotations

import re

import markdown
import pytest
from conftest import small_glossary, with_defaults
from handbook import glossary
from support import ROOT

H2 = re.compile(r"^## (\S+) \{ #(letter-[a-z0-9-]+) \}$", re.MULTILINE)
H3 = re.compile(r"^### (.+) \{ #([a-z0-9-]+) \}$", re.MULTILINE)
LINK = re.compile(r"\]\(([^)#]+\.md)\)")


@pytest.fixture(scope="module")
def real_entries():
    return glossary.load_glossary(glossary.GLOSSARY_FILE)


def plain(heading: str) -> str:
    return glossary.sort_key(heading.strip("*"))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_real_page_is_alphabetical_with_anchors(real_entries, lang):
    page = glossary.render_glossary_page(real_entries, lang, ROOT / "docs")
    ids = [m.group(2) for m in H3.finditer(page)]
    assert sorted(ids) == sorted(e["id"] for e in real_entries)
    letters = [m.group(1) for m in H2.finditer(page)]
    assert letters == sorted(letters) and len(letters) == len(set(letters))
    for m in H2.finditer(page):
        assert m.group(2) == f"letter-{m.group(1).lower()}"
    # Within and across letters, H3 terms follow the order of their sort key.
    headings = [plain(m.group(1)) for m in H3.finditer(page)]
    assert headings == sorted(headings)
    # Each H3 sits under the H2 of its first letter.
    for section in re.split(r"^## ", page, flags=re.MULTILINE)[1:]:
        letter = section[0].lower()
        assert all(plain(h)[0] == letter for h, _ in H3.findall(section))
    # The letter index links every group.
    assert page.splitlines()[0].count("](#letter-") == len(letters)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_real_page_links_resolve_from_glossary_md(real_entries, lang):
    page = glossary.render_glossary_page(real_entries, lang, ROOT / "docs")
    targets = set(LINK.findall(page))
    assert targets
    for target in targets:
        assert not target.startswith(("/", "..", "id/", "en/"))
        assert (ROOT / "docs" / lang / target).is_file(), target


def test_real_page_uses_page_titles_in_each_language(real_entries):
    id_page = glossary.render_glossary_page(real_entries, "id", ROOT / "docs")
    en_page = glossary.render_glossary_page(real_entries, "en", ROOT / "docs")
    assert "[Manajemen Basis Data](duties/database-management.md)" in id_page
    assert "[Database Management](duties/database-management.md)" in en_page


def test_entry_layout_in_both_languages(docs):
    entries = with_defaults(small_glossary())
    id_page = glossary.render_glossary_page(entries, "id", docs)
    en_page = glossary.render_glossary_page(entries, "en", docs)
    assert "### Basis Data { #database }" in id_page
    assert "Bahasa Inggris: *database* · Dibahas di: [Manajemen Basis Data]" in id_page
    assert "### *Cache* { #cache }" in id_page  # kept in English: italic in Indonesian
    assert "### *Pull Request* { #pull-request }" in id_page
    assert "### Database { #database }" in en_page
    assert "Indonesian: *basis data* · Explained in: [Database Management]" in en_page
    assert "### Cache { #cache }" in en_page  # English prose never italicises it
    assert "Indonesian: *cache* (kept in English, in italics)" in en_page
    assert ("Kepanjangan: Application Programming Interface (antarmuka pemrograman aplikasi)"
            in id_page)
    assert "Stands for: Application Programming Interface" in en_page
    assert "Kumpulan data yang terorganisasi." in id_page
    assert "An organized collection of data." in en_page


def test_sorting_follows_the_language_shown(docs):
    entries = with_defaults(small_glossary())
    id_order = [m.group(2) for m in H3.finditer(glossary.render_glossary_page(entries, "id"))]
    en_order = [m.group(2) for m in H3.finditer(glossary.render_glossary_page(entries, "en"))]
    # antrean (queue) comes first in Indonesian, but under Q in English.
    assert id_order[:2] == ["queue", "api"]
    assert en_order.index("queue") > en_order.index("pull-request")
    assert en_order.index("database") < en_order.index("framework")


def test_rendered_markdown_has_the_anchors(docs):
    entries = with_defaults(small_glossary())
    html = markdown.markdown(glossary.render_glossary_page(entries, "id", docs),
                             extensions=["attr_list", "toc"])
    for entry in entries:
        assert f'id="{entry["id"]}"' in html
    assert 'id="letter-a"' in html and 'class="glossary-meta"' in html
    assert 'class="glossary-letters"' in html


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        glossary.render_glossary_page([], "fr")


def test_marker_is_expanded_once(docs):
    entries = with_defaults(small_glossary())
    source = f"# Glosarium {{ #top }}\n\nPengantar.\n\n{glossary.GLOSSARY_MARKER}\n"
    page = glossary.expand_glossary_marker(source, entries, "id", docs)
    assert glossary.GLOSSARY_MARKER not in page and "### Basis Data { #database }" in page
    with pytest.raises(glossary.GlossaryError):
        glossary.expand_glossary_marker("# Glosarium\n", entries, "id")


def test_is_glossary_page():
    assert glossary.is_glossary_page("id/glossary.md")
    assert glossary.is_glossary_page("en/glossary.md")
    assert not glossary.is_glossary_page("id/duties/glossary.md")
    assert not glossary.is_glossary_page("id/overview.md")


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("basis data", "id", "Basis Data"),
    ("kebijakan asal yang sama", "id", "Kebijakan Asal yang Sama"),
    ("perubahan yang tidak kompatibel", "id", "Perubahan yang Tidak Kompatibel"),
    ("dari laporan ke uji", "id", "Dari Laporan ke Uji"),
    ("penyimpanan kunci-nilai", "id", "Penyimpanan Kunci-Nilai"),
    ("kunci API", "id", "Kunci API"),
    ("infrastructure as code", "en", "Infrastructure as Code"),
    ("back-of-the-envelope estimate", "en", "Back-of-the-Envelope Estimate"),
    ("N+1 query", "en", "N+1 Query"),
    ("OpenID Connect", "en", "OpenID Connect"),
    ("a guide to the web", "en", "A Guide to the Web"),
])
def test_title_case(text, lang, expected):
    assert glossary.title_case(text, lang) == expected


def test_abbr_lines_per_language():
    entries = with_defaults(small_glossary())
    assert glossary.abbr_lines(entries, "en") == [
        "*[API]: Application Programming Interface",
        "*[SQL]: Structured Query Language",
    ]
    assert glossary.abbr_lines(entries, "id")[0] == (
        "*[API]: Application Programming Interface (antarmuka pemrograman aplikasi)")
    # Only what the page uses, as a whole word and with the same case.
    assert glossary.abbr_lines(entries, "en", "Call the API.") == [
        "*[API]: Application Programming Interface"]
    assert glossary.abbr_lines(entries, "en", "An api, MySQL, APIs.") == []


def test_real_abbr_lines_are_well_formed(real_entries):
    for lang in ("id", "en"):
        lines = glossary.abbr_lines(real_entries, lang)
        assert len(lines) == sum(1 for e in real_entries if e["abbr"]) >= 30
        assert all(re.fullmatch(r"\*\[[^\]]+\]: \S.*", line) for line in lines)


def test_appended_abbreviations_render_as_abbr_elements_outside_code():
    entries = with_defaults(small_glossary())
    page = "# API { #api }\n\nPanggil API dengan `API_KEY` dan SQL.\n\n```text\nAPI\n```\n"
    source = glossary.append_abbreviations(page, entries, "id")
    assert source.startswith(page.rstrip("\n"))
    html = markdown.markdown(source, extensions=["abbr", "attr_list", "fenced_code"])
    assert html.count("<abbr") == 3  # heading, prose API, prose SQL
    assert '<abbr title="Structured Query Language (bahasa kueri terstruktur)">SQL</abbr>' in html
    assert "<code>API_KEY</code>" in html and "*[API]" not in html
    assert glossary.append_abbreviations("Tanpa singkatan.", entries, "id") == "Tanpa singkatan."


def test_cli_render_and_abbr(capsys):
    assert glossary.main(["render", "--lang", "en"]) == 0
    assert "## A { #letter-a }" in capsys.readouterr().out
    assert glossary.main(["abbr", "--lang", "id"]) == 0
    assert "*[API]: Application Programming Interface" in capsys.readouterr().out


def test_meta_line_keeps_proper_nouns_and_italicizes_the_other_language(real_entries):
    # Regression: str.capitalize() lowercased the rest of the label ("bahasa inggris").
    pages = {lang: glossary.render_glossary_page(real_entries, lang, ROOT / "docs")
             for lang in ("id", "en")}
    assert "Tetap dalam bahasa Inggris, ditulis miring" in pages["id"]
    assert "bahasa inggris" not in pages["id"]
    # The English page names the Indonesian term in italics, as STYLE.md §5 asks for foreign words.
    assert "Indonesian: *waktu pulang-pergi*" in pages["en"]
    # Upright only for an English loan word the Indonesian prose keeps upright (header).
    assert not re.search(r"Indonesian: (?!header|server|port)[^*\s]", pages["en"])


def test_en_meta_line_gives_the_indonesian_form_of_upright_loan_words(real_entries):
    # Regression: Header, Server and Port said nothing about their Indonesian form on the
    # English page ("kept" was a label no code used); the other 243 entries do.
    en = glossary.render_glossary_page(real_entries, "en", ROOT / "docs")
    for term in ("header", "server", "port"):
        assert re.search(rf"\{{ #{term} \}}\n\n.+\n\nIndonesian: {term} \(kept in English\) · ",
                         en), term
    # Names and abbreviations are the same in both languages; their heading says so.
    for term in ("oauth", "openapi", "api"):
        block = re.search(rf"\{{ #{term} \}}\n\n.+\n\n(.+)\n", en).group(1)
        assert "Indonesian:" not in block, block


def test_id_meta_line_italicizes_english_expansions_without_repeating_them(real_entries):
    # Regression: "Kepanjangan: virtual machine (mesin virtual) · Bahasa Inggris: *virtual
    # machine*" showed the same English words twice, the first time upright.
    page = glossary.render_glossary_page(real_entries, "id", ROOT / "docs")
    assert "Kepanjangan: *virtual machine* (mesin virtual) · Dibahas di:" in page
    assert "Kepanjangan: *command-line interface* (antarmuka baris perintah) · Dibahas di:" in page
    assert "Kepanjangan: *infrastructure as code* (infrastruktur sebagai kode) · Dibahas di:" in page
    assert "Bahasa Inggris: *virtual machine*" not in page
    assert "Bahasa Inggris: *command-line interface*" not in page
    # A lowercase English expansion is italic; a name stays upright.
    assert "Kepanjangan: *time to live* (masa hidup data)" in page
    assert "Kepanjangan: Hypertext Transfer Protocol (protokol transfer hiperteks)" in page
    assert not re.search(r"Kepanjangan: [a-z]", page)
    # The abbreviation tooltips keep plain text.
    assert "*[VM]: virtual machine (mesin virtual)" in glossary.abbr_lines(real_entries, "id")


def test_id_italic_puts_the_english_words_of_a_heading_in_italics(real_entries):
    # Pages write antrean *dead letter*; the heading showed "Antrean Dead Letter" upright.
    page = glossary.render_glossary_page(real_entries, "id", ROOT / "docs")
    assert "### Antrean *Dead Letter* { #dead-letter-queue }" in page
    en = glossary.render_glossary_page(real_entries, "en", ROOT / "docs")
    assert "### Dead-Letter Queue { #dead-letter-queue }" in en


def test_every_abbreviation_appears_in_its_entry_in_both_languages(real_entries):
    # Regression: the heading showed "Virtual Machine" and the meta line "Stands for: virtual
    # machine", so VM, CLI, IaC, OIDC and SemVer never appeared on the glossary page.
    for lang in ("id", "en"):
        page = glossary.render_glossary_page(real_entries, lang, ROOT / "docs")
        blocks = {m.group(1): m.group(0)
                  for m in re.finditer(r"^### .*?\{ #([\w-]+) \}\n.*?(?=^### |^## |\Z)",
                                       page, re.MULTILINE | re.DOTALL)}
        for entry in real_entries:
            if entry["abbr"]:
                assert re.search(rf"(?<!\w){re.escape(entry['abbr'])}(?!\w)",
                                 blocks[entry["id"]]), (lang, entry["id"])
    en = glossary.render_glossary_page(real_entries, "en", ROOT / "docs")
    assert "### Virtual Machine (VM) { #" in en
    assert "Stands for: virtual machine ·" not in en
