-- Change books.price (REAL) into books.price_cents (INTEGER) without losing data.
-- SQLite's ALTER TABLE cannot change a column's type, so this follows the
-- procedure in https://www.sqlite.org/lang_altertable.html#otheralter :
-- create the new table, copy, drop the old one, rename, recreate indexes.
-- The migration runner wraps the file in one transaction and runs
-- PRAGMA foreign_key_check before COMMIT.
-- --8<-- [start:price_to_cents]
-- Refuse rather than guess. SQLite stores any value in a REAL column, and CAST would
-- turn 'abc' into 0, '12,50' into 12 and 19.999 into 20.00. A price must be a number
-- of whole cents from 0 to 1e9 (the 0.001 leaves room for REAL's rounding error).
CREATE TEMP TABLE price_problems (id INTEGER);
CREATE TEMP TRIGGER refuse_price_problems BEFORE INSERT ON price_problems
BEGIN
    SELECT RAISE(ABORT, 'books.price holds a value that is not a price in whole cents — fix: correct the rows that SELECT id, price FROM books WHERE typeof(price) NOT IN (''integer'', ''real'') OR price NOT BETWEEN 0 AND 1e9 OR abs(price * 100 - round(price * 100)) > 0.001 lists, then migrate again');
END;
INSERT INTO price_problems
SELECT id FROM books
WHERE typeof(price) NOT IN ('integer', 'real')
   OR price NOT BETWEEN 0 AND 1e9
   OR abs(price * 100 - round(price * 100)) > 0.001;
DROP TABLE price_problems;  -- and its trigger with it

CREATE TABLE books_new (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    author_id   INTEGER NOT NULL REFERENCES authors (id),
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    stock       INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0)
);

INSERT INTO books_new (id, title, author_id, price_cents, stock)
SELECT id, title, author_id, CAST(ROUND(price * 100) AS INTEGER), stock
FROM books;

DROP TABLE books;
ALTER TABLE books_new RENAME TO books;

-- DROP TABLE removed the old table's indexes: create them again.
CREATE INDEX idx_books_author_id ON books (author_id);
-- --8<-- [end:price_to_cents]
