"""load_glossary(): the real glossary is valid, and every kind of bad entry is caught."""

from __future__ import annotations

import re

import pytest
from conftest import make_entry
from handbook import glossary
from support import ROOT


def test_the_real_glossary_is_valid_and_large_enough():
    entries = glossary.load_glossary(glossary.GLOSSARY_FILE)
    assert len(entries) >= 130
    assert len({e["id"] for e in entries}) == len(entries)
    for entry in entries:
        for lang in ("id", "en"):
            assert (ROOT / "docs" / lang / f"{entry['page']}.md").is_file()
    assert glossary.load_spelling(glossary.GLOSSARY_FILE)


def test_the_real_glossary_covers_the_core_terms():
    entries = glossary.load_glossary(glossary.GLOSSARY_FILE)
    english = {e["en"].casefold() for e in entries}
    for term in ("http", "rest", "api", "endpoint", "database", "query", "index", "transaction",
                 "migration", "orm", "cache", "cdn", "load balancer", "reverse proxy",
                 "container", "ci/cd", "deploy", "rollback", "observability", "log", "metric",
                 "trace", "slo", "latency", "throughput", "idempotency", "webhook", "hmac",
                 "oauth", "openid connect", "jwt", "session", "cookie", "cors", "csrf", "xss",
                 "sql injection", "hash", "kdf", "tls", "certificate", "rate limiting",
                 "backoff", "retry", "timeout", "queue", "message broker", "concurrency",
                 "thread", "race condition", "deadlock", "n+1 query", "normalization",
                 "foreign key", "replication", "sharding", "nosql", "key-value store",
                 "document database", "schema", "branch", "merge", "rebase", "commit",
                 "pull request", "code review", "merge conflict", "test double", "unit test",
                 "integration test", "regression", "stack trace", "breakpoint", "profiler",
                 "refactoring", "technical debt", "dependency", "semantic versioning",
                 "environment variable", "production", "staging", "incident", "postmortem",
                 "runbook"):
        assert term in english, term


def test_the_writing_guide_choices_are_recorded():
    by_id = {e["id"]: e for e in glossary.load_glossary(glossary.GLOSSARY_FILE)}
    assert by_id["database"]["id_term"] == "basis data"
    assert "database" in by_id["database"]["variants_forbidden"]
    assert "antrian" in by_id["queue"]["variants_forbidden"]
    assert "otentikasi" in by_id["authentication"]["variants_forbidden"]
    assert "mengkonfigurasi" in by_id["configuration"]["variants_forbidden"]
    assert by_id["deploy"]["keep_english"] and by_id["deploy"]["italic"]
    assert by_id["server"]["keep_english"] and not by_id["server"]["italic"]
    assert by_id["api"]["variants_forbidden"] == []


def test_valid_file_loads_with_defaults(write_glossary, docs):
    path = write_glossary([make_entry()])
    [entry] = glossary.load_glossary(path)
    assert entry["hint"] is True and entry["allow"] == [] and entry["expansion"] is None


def test_a_bare_list_of_terms_is_accepted(tmp_path, docs):
    path = tmp_path / "data" / "glossary.yml"
    path.parent.mkdir()
    path.write_text("- id: x\n  en: x\n  id_term: ix\n  keep_english: false\n  italic: false\n"
                    "  abbr: null\n  variants_forbidden: []\n  definition: {id: A., en: B.}\n"
                    "  page: skills/apis\n", encoding="utf-8")
    assert glossary.load_glossary(path)[0]["id"] == "x"


def problem(write_glossary, terms, spelling=None) -> str:
    path = write_glossary(terms, spelling)
    with pytest.raises(glossary.GlossaryError) as caught:
        glossary.load_glossary(path)
    return str(caught.value)


BAD_ENTRIES = [
    # (overrides, expected message fragment)
    ({"page": "duties/nowhere"}, "does not exist as docs/id/duties/nowhere.md"),
    ({"page": "duties/database-management.md"}, "without .md"),
    ({"definition": {"id": "", "en": "Text."}}, "definition.id is missing or empty"),
    ({"definition": {"id": "Teks."}}, "definition.en is missing or empty"),
    ({"definition": "Teks."}, "definition must be a mapping"),
    ({"abbr": "DB"}, "abbreviation needs expansion"),
    ({"abbr": "DB", "expansion": {"en": "database"}}, "abbreviation needs expansion"),
    ({"expansion": {"en": "x", "id": "y"}}, "expansion is only for abbreviations"),
    ({"keep_english": True}, "id_term must be the English term"),
    ({"italic": True}, "italic is only for terms that stay in English"),
    ({"id_term": "API", "en": "API", "keep_english": True, "italic": True, "abbr": "API",
      "expansion": {"en": "x", "id": "y"}}, "abbreviations are not italicised"),
    ({"keep_english": "yes"}, "'keep_english' must be true or false"),
    ({"id": "Basis Data"}, "must be a lowercase slug"),
    ({"id": "letter-a"}, "collides with the glossary page's own anchors"),
    ({"en": ""}, "'en' must be a non-empty string"),
    ({"variants_forbidden": "database"}, "variants_forbidden must be a list"),
    ({"variants_forbidden": ["basis data"]}, "is the chosen form of"),
    ({"allow": "x"}, "allow must be a list"),
    ({"avoid": ["pangkalan data"]}, "avoid must be {id: [forms], en: [forms]}"),
    ({"avoid": {"fr": ["base"]}}, "avoid must be {id: [forms], en: [forms]}"),
    ({"avoid": {"id": [""]}}, "avoid must be {id: [forms], en: [forms]}"),
    ({"avoid": {"id": [{"write": "x"}]}}, "avoid must be {id: [forms], en: [forms]}"),
    ({"avoid": {"id": [{"form": "x", "use": "y"}]}}, "avoid must be {id: [forms], en: [forms]}"),
    ({"avoid": {"id": ["basis data"]}}, "avoided form 'basis data' (id) is the chosen form"),
    ({"avoid": {"en": ["database"]}}, "avoided form 'database' (en) is the chosen form"),
    ({"avoid": {"id": ["data base"]}}, "is also a forbidden variant of term #1"),
    ({"definitions": {"id": "x", "en": "y"}}, "unknown key 'definitions'"),
    ({"id_italic": "buru"}, "id_italic 'buru' must be whole words of id_term"),
    ({"id_italic": ""}, "must be whole words of id_term"),
    ({"id_term": "bad term", "keep_english": True, "id_italic": "bad"},
     "id_italic is for an Indonesian term with English words in it"),
]


@pytest.mark.parametrize(("overrides", "message"), BAD_ENTRIES,
                         ids=[m for _, m in BAD_ENTRIES])
def test_each_kind_of_bad_entry_is_named(write_glossary, overrides, message):
    bad = {"id": "bad", "en": "bad term", "id_term": "istilah buruk", "variants_forbidden": []}
    text = problem(write_glossary, [make_entry(), make_entry(**{**bad, **overrides})])
    assert message in text
    assert "term #2" in text and ("'bad'" in text or "id" in overrides)


def test_missing_required_key(write_glossary):
    entry = make_entry()
    del entry["page"]
    assert "term #1 'database': missing key 'page'" in problem(write_glossary, [entry])


def test_duplicates_are_caught(write_glossary):
    text = problem(write_glossary, [
        make_entry(),
        make_entry(id="database", en="data store", id_term="penyimpanan data",
                   variants_forbidden=[]),
        make_entry(id="db2", en="Database", id_term="pangkalan data", variants_forbidden=[]),
        make_entry(id="db3", en="data bank", id_term="Basis Data", variants_forbidden=[]),
    ])
    assert "duplicate id 'database'" in text
    assert "duplicate en 'Database'" in text
    assert "duplicate id_term 'Basis Data'" in text


def test_a_variant_may_not_belong_to_two_terms_or_be_a_chosen_english_form(write_glossary):
    text = problem(write_glossary, [
        make_entry(),
        make_entry(id="data-store", en="data store", id_term="penyimpanan data",
                   variants_forbidden=["Database"]),
        make_entry(id="cache", en="cache", id_term="cache", keep_english=True, italic=True,
                   variants_forbidden=[]),
        make_entry(id="x", en="x", id_term="ix", variants_forbidden=["cache"]),
    ])
    assert "'Database' is also listed by term #1 'database'" in text
    assert "'cache' is the chosen form of term #3 'cache'" in text


def test_avoid_lists_load_and_an_avoided_form_belongs_to_one_term(write_glossary):
    path = write_glossary([make_entry(avoid={"id": ["pangkalan data", {
        "form": "membasisdatakan", "write": "menyimpan di basis data"}], "en": ["data bank"]})])
    [entry] = glossary.load_glossary(path)
    assert entry["avoid"]["en"] == ["data bank"]
    assert glossary.load_glossary(write_glossary([make_entry()]))[0]["avoid"] == {}
    text = problem(write_glossary, [
        make_entry(avoid={"en": ["data bank"]}),
        make_entry(id="store", en="store", id_term="penyimpanan", variants_forbidden=[],
                   avoid={"en": ["Data Bank"]})])
    assert "avoided form 'Data Bank' (en) is also listed by term #1 'database'" in text


def test_every_problem_is_reported_at_once(write_glossary):
    text = problem(write_glossary, [make_entry(page="nowhere"),
                                    make_entry(id="b", en="b", id_term="bb", abbr="B",
                                               variants_forbidden=[])])
    assert re.search(r"(\d+) problem", text).group(1) == "3"  # page in id, in en; expansion


def test_spelling_rules_are_validated(write_glossary):
    text = problem(write_glossary, [make_entry()],
                   [{"wrong": "praktek"}, {"wrong": "basis data", "right": "x"}])
    assert "spelling #1" in text and "spelling #2" in text


def test_glossary_error_is_a_value_error_and_bad_yaml_is_reported(tmp_path):
    path = tmp_path / "glossary.yml"
    path.write_text("terms: [\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not valid YAML"):
        glossary.load_glossary(path, check_pages=False)
    path.write_text("words: []\n", encoding="utf-8")
    with pytest.raises(glossary.GlossaryError, match="`terms:` list"):
        glossary.load_glossary(path, check_pages=False)


def test_cached_glossary_reloads_after_an_edit(write_glossary):
    path = write_glossary([make_entry()])
    first, _ = glossary.cached_glossary(path)
    assert glossary.cached_glossary(path)[0] is first
    path.write_text(path.read_text(encoding="utf-8").replace("basis data", "pangkalan data"),
                    encoding="utf-8")
    import os
    os.utime(path, ns=(1, 1))  # a different mtime, whatever the file system's resolution
    assert glossary.cached_glossary(path)[0][0]["id_term"] == "pangkalan data"


def test_cli_validate(capsys):
    assert glossary.main(["validate"]) == 0
    assert "terms" in capsys.readouterr().out


@pytest.mark.parametrize("raw, line", [
    (b"\xff\xfe" + "terms: []\n".encode("utf-16-le"), 1),  # saved as UTF-16 with its BOM
    ("terms:\n  - id: caf\xe9\n".encode("latin-1"), 2),  # saved as Latin-1  # codespell:ignore
], ids=["utf-16", "latin-1"])
def test_a_glossary_that_is_not_utf8_is_a_clean_error_naming_its_line(tmp_path, raw, line):
    # Regression: path.read_text() let a UnicodeDecodeError through as a traceback.
    path = tmp_path / "glossary.yml"
    path.write_bytes(raw)
    with pytest.raises(glossary.GlossaryError) as caught:
        glossary.load_glossary(path, check_pages=False)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: not UTF-8")
    assert "— fix: save the file as UTF-8" in message
    with pytest.raises(glossary.GlossaryError, match="not UTF-8"):
        glossary.load_spelling(path)


def test_cli_reports_a_glossary_that_is_not_utf8_without_a_traceback(tmp_path, capsys):
    path = tmp_path / "glossary.yml"
    path.write_bytes(b"\xff\xfe" + "terms: []\n".encode("utf-16-le"))
    assert glossary.main(["--glossary", str(path), "validate"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:1: not UTF-8") and "Traceback" not in err
