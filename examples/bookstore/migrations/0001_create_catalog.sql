-- The first catalog schema. Storing the price as REAL was a mistake (binary
-- floating point cannot hold 0.10 exactly); migration 0004 repairs it.
-- --8<-- [start:schema_catalog]
CREATE TABLE authors (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE books (
    id        INTEGER PRIMARY KEY,
    title     TEXT NOT NULL,
    author_id INTEGER NOT NULL REFERENCES authors (id),
    price     REAL NOT NULL,
    stock     INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0)
);
-- --8<-- [end:schema_catalog]
