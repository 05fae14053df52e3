"""check_markdown() and check_terms(): forbidden forms in Indonesian prose only."""

from __future__ import annotations

import pytest
from conftest import SPELLING, make_entry, small_glossary, with_defaults
from handbook import glossary

ENTRIES = with_defaults(small_glossary())


def found(text: str, **kwargs) -> list[tuple[int, str, str]]:
    return [(f.line, f.found, f.suggestion)
            for f in glossary.check_markdown(text, ENTRIES, SPELLING, **kwargs)]


def test_finds_variants_in_prose_with_line_and_suggestion():
    text = "# Judul { #judul }\n\nPesan masuk ke antrian.\nSimpan di Database.\n"
    assert found(text) == [(3, "antrian", "antrean"), (4, "Database", "basis data")]
    [finding] = glossary.check_markdown("Ada antrian.", ENTRIES, path="x.md")
    assert str(finding) == 'x.md:1: [terms] "antrian" — fix: write antrean (glossary: queue)'
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
    [first, _] = glossary.check_markdown(text, ENTRIES, italics=True, path="x.md")
    assert first.kind == "italic"
    assert str(first) == ('x.md:3: [italics] "cache" stays English — fix: write it in italics, '
                          '*cache* (glossary: cache)')


@pytest.mark.parametrize("text", [
    # STYLE.md §7: UI labels are bold and untranslated (these lines once needed glossary-ignore)
    "Pilih **Create pull request** lalu tunggu *cache* terisi.\n",
    "Aktifkan **Restrict deletions**, **Block force pushes**, dan **Squash and merge**.\n",
    "Buka **Settings → Rules → Rulesets** dan pilih **Include default branch**.\n",
])
def test_bold_ui_labels_are_neither_italicised_nor_translated(text):
    entries = ENTRIES + with_defaults([
        {**ENTRIES[0], "id": "merge", "en": "merge", "id_term": "penggabungan",
         "variants_forbidden": ["merge"]},
        {**ENTRIES[0], "id": "branch", "en": "branch", "id_term": "cabang",
         "variants_forbidden": ["branch"]}])
    assert glossary.check_markdown(text, entries, italics=True) == []


@pytest.mark.parametrize(("text", "word"), [
    # a bold lead-in or emphasis of the page's own prose is checked as prose
    ("**Tulis ADR tentang cache.** Lalu tinjau.\n", "cache"),
    ("**Simpan di cache** sebelum membaca.\n", "cache"),
    ("**Simpan di database** sebelum membaca.\n", "database"),
])
def test_bold_prose_that_is_not_a_label_is_checked(text, word):
    assert word in [f.found for f in glossary.check_markdown(text, ENTRIES, italics=True)]


AVOIDING = with_defaults([
    *small_glossary(),
    make_entry(id="worker", en="worker", id_term="worker", keep_english=True, italic=True,
               variants_forbidden=[], avoid={"id": ["pekerja"]}),
    make_entry(id="load-balancer", en="load balancer", id_term="penyeimbang beban",
               variants_forbidden=[], avoid={"id": ["load balancer"]}),
    make_entry(id="retry", en="retry", id_term="coba ulang", variants_forbidden=["retry"],
               avoid={"id": ["percobaan ulang", {"form": "mengulang transaksi",
                                                 "write": "mencoba ulang transaksi"}]}),
    make_entry(id="email", en="email", id_term="surel", variants_forbidden=[],
               avoid={"en": ["e-mail"]}, allow=["E-Mail Address Internationalization"]),
    make_entry(id="directory", en="directory", id_term="direktori", variants_forbidden=[],
               avoid={"id": ["folder"], "en": ["folder"]}),
    make_entry(id="merge", en="merge", id_term="penggabungan", variants_forbidden=[],
               avoid={"id": [{"form": "di-merge", "write": "digabungkan"}]}),
])


def avoided(text: str, lang: str = "id") -> list[tuple[int, str, str]]:
    return [(f.line, f.found, f.suggestion)
            for f in glossary.check_markdown(text, AVOIDING, SPELLING, lang=lang)]


def test_avoided_synonyms_are_reported_with_the_form_to_write():
    text = ("---\ntitle: Pekerja Latar\n---\n\nJalankan pekerja kedua, lalu\n"
            "mengulang transaksi itu.\n")
    assert avoided(text) == [(2, "Pekerja", "*worker*"), (5, "pekerja", "*worker*"),
                             (6, "mengulang transaksi", "mencoba ulang transaksi")]
    [finding] = glossary.check_markdown("Tambah pekerja.", AVOIDING, lang="id", path="x.md")
    assert str(finding) == 'x.md:1: [terms] "pekerja" — fix: write *worker* (glossary: worker)'


def test_an_avoided_form_is_reported_in_italics_too_but_not_as_a_gloss():
    assert avoided("Pasang *load balancer* di depan.") == [
        (1, "load balancer", "penyeimbang beban")]
    assert avoided("**Pasang load balancer.** Lalu _load balancer_.") == [
        (1, "load balancer", "penyeimbang beban"), (1, "load balancer", "penyeimbang beban")]
    assert avoided("Cabang itu sudah di-*merge* dan di-merge.") == [
        (1, "di-merge", "digabungkan"), (1, "di-merge", "digabungkan")]
    assert avoided("Pasang penyeimbang beban (*load balancer*) di depan.") == []
    assert avoided("Pasang penyeimbang beban (*load balancer*, LB) di depan.") == []


@pytest.mark.parametrize("text", [
    "Jalankan `pekerja` dan ```folder```.\n",
    "```text\npekerja folder\n```\n",
    "Artikel itu menulis \"pekerja\", bukan *worker*.\n",
    "Baca [Folder dan pekerja](https://example.com/folder) dari sumber.\n",
    "Lihat https://example.com/pekerja.\n",
    "<!-- pekerja -->\n",
    "Baris lama tentang pekerja. <!-- glossary-ignore -->\n",
])
def test_avoided_forms_skip_code_quotes_urls_and_external_link_texts(text):
    assert avoided(text) == []


def test_english_pages_get_the_english_list_only():
    text = "Send an e-mail to the on-call engineer.\nOpen the folder; the pekerja and database.\n"
    assert avoided(text, "en") == [(1, "e-mail", "email"), (2, "folder", "directory")]
    assert avoided("Per RFC 6530, E-Mail Address Internationalization.", "en") == []
    assert avoided("Kirim e-mail.", "id") == []  # not on the Indonesian list


def test_check_terms_walks_both_languages_and_the_templates(tmp_path):
    docs = tmp_path / "docs"
    examples = tmp_path / "examples"
    (docs / "id" / "duties").mkdir(parents=True)
    (docs / "en").mkdir()
    (examples / "templates" / "en").mkdir(parents=True)
    (examples / "debugging" / "filled" / "id").mkdir(parents=True)
    (docs / "id" / "duties" / "x.md").write_text("Masuk antrian.\n", encoding="utf-8")
    (docs / "id" / "ok.md").write_text("Masuk antrean.\n", encoding="utf-8")
    (docs / "id" / "glossary.md").write_text("Bukan antrian.\n", encoding="utf-8")
    (docs / "en" / "glossary.md").write_text("No e-mail.\n", encoding="utf-8")
    (docs / "en" / "x.md").write_text("A database queue and an e-mail.\n", encoding="utf-8")
    (examples / "templates" / "en" / "t.md").write_text("Your e-mail:\n", encoding="utf-8")
    (examples / "debugging" / "filled" / "id" / "f.md").write_text("Tiga pekerja.\n",
                                                                   encoding="utf-8")
    (examples / "README.md").write_text("An e-mail, a pekerja.\n", encoding="utf-8")
    findings = glossary.check_terms(docs, AVOIDING, SPELLING)
    shown = [("/".join(f.path.split("/")[-3:]), f.found) for f in findings]
    assert shown == [("id/duties/x.md", "antrian"), ("docs/en/x.md", "e-mail")]
    with_examples = glossary.check_terms(docs, AVOIDING, SPELLING, examples_dir=examples)
    assert [("/".join(f.path.split("/")[-2:]), f.found) for f in with_examples][2:] == [
        ("id/f.md", "pekerja"), ("en/t.md", "e-mail")]
    only = glossary.check_terms(docs, AVOIDING, SPELLING, files=[docs / "id" / "ok.md",
                                                                docs / "en" / "glossary.md"])
    assert only == []


def test_cli_check_exit_codes(tmp_path, capsys):
    docs = tmp_path / "docs"
    (docs / "id").mkdir(parents=True)
    page = docs / "id" / "x.md"
    page.write_text("Masuk antrian.\n", encoding="utf-8")
    assert glossary.main(["--docs", str(docs), "check", str(page)]) == 1
    assert '"antrian" — fix: write antrean' in capsys.readouterr().out
    page.write_text("Masuk antrean.\n", encoding="utf-8")
    assert glossary.main(["--docs", str(docs), "check"]) == 0


def test_the_glossarys_own_definitions_pass_the_check():
    entries = glossary.load_glossary(glossary.GLOSSARY_FILE)
    spelling = glossary.load_spelling(glossary.GLOSSARY_FILE)
    text = "\n\n".join(e["definition"]["id"] for e in entries)
    assert glossary.check_markdown(text, entries, spelling, italics=True) == []
    english = "\n\n".join(e["definition"]["en"] for e in entries)
    assert glossary.check_markdown(english, entries, spelling, lang="en") == []
