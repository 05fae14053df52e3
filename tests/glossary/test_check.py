"""check_markdown() and check_terms(): forbidden forms in Indonesian prose only."""

from __future__ import annotations

import pytest
from conftest import SPELLING, small_glossary, with_defaults
from handbook import glossary

ENTRIES = with_defaults(small_glossary())


def found(text: str, **kwargs) -> list[tuple[int, str, str]]:
    return [(f.line, f.found, f.suggestion)
            for f in glossary.check_markdown(text, ENTRIES, SPELLING, **kwargs)]


def test_finds_variants_in_prose_with_line_and_suggestion():
    text = "# Judul { #judul }\n\nPesan masuk ke antrian.\nSimpan di Database.\n"
    assert found(text) == [(3, "antrian", "antrean"), (4, "Database", "basis data")]
    [finding] = glossary.check_markdown("Ada antrian.", ENTRIES, path="x.md")
    assert str(finding) == "x.md:1:5: 'antrian' -> antrean (glossary: queue)"
    assert finding.kind == "term" and finding.term == "queue"


@pytest.mark.parametrize("text", [
    "```sql\nSELECT * FROM antrian; -- database\n```\n",
    "~~~text\ndatabase\n~~~\n",
    "!!! note \"Catatan\"\n\n    ```python\n    database = connect()\n    ```\n",
    "Jalankan `database migrate` dan ``queue``.\n",
    "Lihat [dokumen](https://example.com/database/antrian).\n",
    "Lihat https://example.com/database dan <https://example.org/queue>.\n",
    "[ref]: https://example.com/database\n",
    "<!-- database antrian -->\n",
    "<!--\ndatabase\n-->\n",
    "## Basis Data { #database }\n",
    "Teks biasa.\n{ #database .queue }\n",
    "---\ntitle: Basis Data\nslug: database\n---\n\nTeks.\n",
    "Istilah basis data (*database*) dan antrean (*queue*).\n",
    "Sumber: [Database Internals](https://www.databass.dev/).\n",
    "Pesan *commit* \"update database\" tidak berguna.\n",
    "<span data-x=\"database\">teks</span>\n",
    "Tinjau *pull request* Anda; pull request kecil lebih cepat ditinjau.\n",
    "Pakai Spring Framework untuk Java.\n",
    "Header Queue-After memberi tahu klien.\n",
    "Baris ini mengutip database lama. <!-- glossary-ignore -->\n",
    "Tekan ++ctrl+c++ lalu :material-database: ikon.\n",
])
def test_skips_code_urls_metadata_and_allowed_phrases(text):
    assert found(text) == []


@pytest.mark.parametrize(("text", "line", "word"), [
    ("## Menyimpan di Database { #storing }\n", 1, "Database"),
    ("!!! tip \"Database yang Cepat\"\n\n    Isi.\n", 1, "Database"),
    ("| Kolom | Isi |\n| --- | --- |\n| a | antrian |\n", 3, "antrian"),
    ("Baca [bab database](../duties/database-management.md).\n", 1, "database"),
    ("---\ntitle: Mengelola Database\ndescription: Tentang antrian.\n---\n", 2, "Database"),
    ("Pesan\nmasuk ke\nantrian-antrian.\n", 3, "antrian"),
    ("Ubah database-nya.\n", 1, "database"),
    ("**Queue penuh.** Tambah pekerja.\n", 1, "Queue"),
    ("Pakai framework.\n", 1, "framework"),
])
def test_finds_variants_in_every_kind_of_prose(text, line, word):
    assert (line, word) in [(f[0], f[1]) for f in found(text)]


def test_longer_allowed_form_protects_the_word_inside():
    # "request" is forbidden, "pull request" (kept in English) is not; its hyphenated variant is.
    assert found("Buka pull request baru.") == []
    assert found("Buka pull-request baru.") == [(1, "pull-request", "*pull request*")]
    assert found("Kirim request ke server.") == [(1, "request", "permintaan")]


def test_spelling_and_style_rules():
    text = "Dalam praktek, kita melakukan\npengujian setiap hari.\n"
    assert found(text) == [(1, "praktek", "praktik"),
                           (1, "melakukan pengujian", "menguji")]
    style = found("Tabel pesanan, di mana setiap baris satu pesanan.")
    assert style and style[0][1] == ", di mana"
    assert found("Di mana berkas konfigurasinya?") == []
    assert found("Jadi, di mana berkas itu disimpan?") == []


def test_italics_check_is_opt_in():
    text = "## Lapisan Cache { #cache }\n\nPakai cache dan *cache* lagi, lalu di-cache.\n"
    assert found(text) == []
    italics = [(f.line, f.found) for f in glossary.check_markdown(text, ENTRIES, italics=True)]
    assert italics == [(3, "cache"), (3, "cache")]  # not the heading, not *cache*
    [first, _] = glossary.check_markdown(text, ENTRIES, italics=True)
    assert first.kind == "italic" and "*cache*" in str(first)


def test_check_terms_walks_indonesian_pages_only(tmp_path):
    docs = tmp_path / "docs"
    (docs / "id" / "duties").mkdir(parents=True)
    (docs / "en").mkdir()
    (docs / "id" / "duties" / "x.md").write_text("Masuk antrian.\n", encoding="utf-8")
    (docs / "id" / "ok.md").write_text("Masuk antrean.\n", encoding="utf-8")
    (docs / "id" / "glossary.md").write_text("Bukan antrian.\n", encoding="utf-8")
    (docs / "en" / "x.md").write_text("A database queue.\n", encoding="utf-8")
    findings = glossary.check_terms(docs, ENTRIES, SPELLING)
    assert [(f.path.endswith("docs/id/duties/x.md"), f.found) for f in findings] == [
        (True, "antrian")]
    only = glossary.check_terms(docs, ENTRIES, SPELLING, files=[docs / "id" / "ok.md",
                                                               docs / "en" / "x.md"])
    assert only == []


def test_cli_check_exit_codes(tmp_path, capsys):
    docs = tmp_path / "docs"
    (docs / "id").mkdir(parents=True)
    page = docs / "id" / "x.md"
    page.write_text("Masuk antrian.\n", encoding="utf-8")
    assert glossary.main(["--docs", str(docs), "check", str(page)]) == 1
    assert "'antrian' -> antrean" in capsys.readouterr().out
    page.write_text("Masuk antrean.\n", encoding="utf-8")
    assert glossary.main(["--docs", str(docs), "check"]) == 0


def test_the_glossarys_own_indonesian_definitions_pass_the_check():
    entries = glossary.load_glossary(glossary.GLOSSARY_FILE)
    spelling = glossary.load_spelling(glossary.GLOSSARY_FILE)
    text = "\n\n".join(e["definition"]["id"] for e in entries)
    assert glossary.check_markdown(text, entries, spelling, italics=True) == []
