"""Full-text search samples (examples/search/catalog.py): each test proves what the Full-Text
Search page says about the inverted index, ranking and hostile queries."""

from __future__ import annotations

import sqlite3

import pytest
from search.catalog import SCHEMA, search

BOOKS = [
    (1, "Laskar Pelangi", "Sepuluh anak Belitung dan sekolah Muhammadiyah yang hampir ditutup."),
    (2, "Bumi Manusia", "Minke, pelajar pribumi di Surabaya, dan cintanya kepada Annelies."),
    (3, "Sang Pemimpi", "Lanjutan kisah anak-anak Belitung yang bermimpi sekolah ke Paris."),
    (4, "Orang-Orang Biasa", "Sekelompok sahabat di kota kecil merencanakan perampokan bank."),
]


@pytest.fixture
def conn():
    conn = sqlite3.connect(":memory:")
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO books VALUES (?, ?, ?)", BOOKS)
    yield conn
    conn.close()


# --8<-- [start:search_test]
def test_words_are_found_in_any_form_and_titles_rank_first(conn):
    assert [b["id"] for b in search(conn, "BELITUNG")] == [1, 3]  # case does not matter
    assert [b["id"] for b in search(conn, "pelangi")] == [1]
    assert search(conn, "belitung sekolah")[0]["excerpt"].count("[") == 2  # both words marked
    conn.execute("INSERT INTO books VALUES (5, 'Belitung', 'Catatan perjalanan.')")
    assert search(conn, "belitung")[0]["id"] == 5  # the word in the title outranks the blurbs


def test_the_index_follows_updates_and_deletes(conn):
    conn.execute("UPDATE books SET title = 'Edensor' WHERE id = 3")
    conn.execute("DELETE FROM books WHERE id = 1")
    assert search(conn, "belitung") == [{"id": 3, "title": "Edensor",
                                         "excerpt": "Lanjutan kisah anak-anak [Belitung] yang "
                                                    "bermimpi sekolah…"}]  # 8 tokens at most


@pytest.mark.parametrize("hostile", ['"', "NEAR(", "AND", "*", "belitung OR", "a:b", "", "  "])
def test_query_syntax_typed_by_a_user_is_searched_as_words_never_an_error(conn, hostile):
    assert isinstance(search(conn, hostile), list)


def test_decomposed_and_full_width_input_finds_the_same_books(conn):
    assert [b["id"] for b in search(conn, "Be\u0301litung")] == [1, 3]  # e + combining acute
    assert [b["id"] for b in search(conn, "ＢＥＬＩＴＵＮＧ")] == [1, 3]  # full-width letters


def test_only_the_first_characters_and_results_count(conn):
    assert search(conn, "z" * 200 + " belitung") == []  # past MAX_CHARS: never read
    assert [b["id"] for b in search(conn, "belitung " * 1_000_000)] == [1, 3]  # 9 MB, one answer
    assert len(search(conn, "belitung", limit=-1)) == 1  # not SQLite's "no limit"


def test_like_reads_every_row_while_the_index_does_not(conn):
    like = conn.execute("EXPLAIN QUERY PLAN SELECT id FROM books WHERE blurb LIKE '%belitung%'")
    fts = conn.execute("EXPLAIN QUERY PLAN SELECT rowid FROM books_fts WHERE books_fts MATCH "
                       "'belitung'")
    assert "SCAN books" in " ".join(row[3] for row in like)
    assert "VIRTUAL TABLE INDEX" in " ".join(row[3] for row in fts)
# --8<-- [end:search_test]
