"""Full-text search over the bookstore's catalog with SQLite FTS5 (the Full-Text Search page)."""
