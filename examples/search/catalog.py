"""Full-text search over the bookstore's catalog with SQLite's FTS5 (the Full-Text Search page).

An inverted index maps every word to the rows that contain it, so a search reads a few short
lists instead of every row. FTS5 keeps one in SQLite; search engines such as Elasticsearch, Solr
and OpenSearch keep the same structure (Apache Lucene's) spread over many machines.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata

# --8<-- [start:index]
SCHEMA = """
CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT NOT NULL, blurb TEXT NOT NULL);
-- The index stores only words; the text stays in books (an external-content table).
CREATE VIRTUAL TABLE books_fts USING fts5(
    title, blurb, content='books', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'  -- lower case, no accents: "Sétan" finds "setan"
);
-- Triggers keep the index in step with every insert, update and delete.
CREATE TRIGGER books_ai AFTER INSERT ON books BEGIN
    INSERT INTO books_fts(rowid, title, blurb) VALUES (new.id, new.title, new.blurb);
END;
CREATE TRIGGER books_ad AFTER DELETE ON books BEGIN
    INSERT INTO books_fts(books_fts, rowid, title, blurb)
    VALUES ('delete', old.id, old.title, old.blurb);
END;
CREATE TRIGGER books_au AFTER UPDATE ON books BEGIN
    INSERT INTO books_fts(books_fts, rowid, title, blurb)
    VALUES ('delete', old.id, old.title, old.blurb);
    INSERT INTO books_fts(rowid, title, blurb) VALUES (new.id, new.title, new.blurb);
END;
"""
# --8<-- [end:index]


# --8<-- [start:search]
MAX_CHARS, MAX_TERMS, MAX_RESULTS = 200, 8, 50


def to_match_query(user_text: str) -> str | None:
    """User text -> an FTS5 query of quoted words, so that quotes, AND, NEAR( or * typed by a
    user are searched for as words instead of breaking the query syntax (a 500)."""
    # Cut first: the regex below then never runs over a 10 MB request. NFKC then joins "e" +
    # U+0301 into "é" (NFD input from macOS or copy-paste) and turns full-width "ｓｅｔａｎ"
    # into "setan"; without it both split into pieces or match nothing.
    text = unicodedata.normalize("NFKC", user_text[:MAX_CHARS])
    words = re.findall(r"\w+", text)[:MAX_TERMS]
    if not words:
        return None
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)  # all words must match


def search(conn: sqlite3.Connection, user_text: str, limit: int = 10) -> list[dict]:
    query = to_match_query(user_text)
    if query is None:
        return []
    rows = conn.execute(
        """SELECT books.id, books.title,
                  snippet(books_fts, 1, '[', ']', '…', 8) AS excerpt
           FROM books_fts JOIN books ON books.id = books_fts.rowid
           WHERE books_fts MATCH ?
           ORDER BY bm25(books_fts, 10.0, 1.0)  -- a word in the title weighs 10 times more
           LIMIT ?""", (query, max(1, min(limit, MAX_RESULTS))))  # LIMIT -1 means no limit
    return [{"id": row[0], "title": row[1], "excerpt": row[2]} for row in rows]
# --8<-- [end:search]
