-- A small bookstore schema with sample rows for the SQL examples in queries.sql.
-- Try it: sqlite3 :memory: < schema.sql, or with PostgreSQL/MySQL after small changes.
-- --8<-- [start:schema]
CREATE TABLE authors (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE books (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    author_id   INTEGER NOT NULL REFERENCES authors (id),
    genre       TEXT NOT NULL,
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),  -- money as whole cents
    stock       INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0)
);

CREATE TABLE customers (
    id    INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    city  TEXT NOT NULL
);

CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    ordered_at  TEXT NOT NULL  -- ISO 8601, e.g. 2026-03-01
);

CREATE TABLE order_items (
    order_id         INTEGER NOT NULL REFERENCES orders (id),
    book_id          INTEGER NOT NULL REFERENCES books (id),
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),  -- the price paid
    PRIMARY KEY (order_id, book_id)
);
-- --8<-- [end:schema]

INSERT INTO authors (id, name) VALUES
    (1, 'Pramoedya Ananta Toer'), (2, 'Andrea Hirata'), (3, 'Dee Lestari'), (4, 'Leila S. Chudori');

INSERT INTO books (id, title, author_id, genre, price_cents, stock) VALUES
    (1, 'Bumi Manusia',      1, 'novel',   13250000, 5),
    (2, 'Anak Semua Bangsa', 1, 'novel',   12500000, 3),
    (3, 'Laskar Pelangi',    2, 'novel',    8900000, 12),
    (4, 'Sang Pemimpi',      2, 'novel',    7900000, 0),
    (5, 'Filosofi Kopi',     3, 'stories',  6500000, 8);

INSERT INTO customers (id, email, city) VALUES
    (1, 'ana@example.com', 'Bandung'), (2, 'budi@example.com', 'Surabaya'),
    (3, 'cita@example.com', 'Bandung');

INSERT INTO orders (id, customer_id, ordered_at) VALUES
    (1, 1, '2026-03-01'), (2, 1, '2026-03-15'), (3, 2, '2026-03-20'), (4, 1, '2026-04-02');

INSERT INTO order_items (order_id, book_id, quantity, unit_price_cents) VALUES
    (1, 1, 1, 13250000), (1, 3, 2, 8900000), (2, 2, 1, 12500000), (3, 3, 1, 8900000),
    (3, 5, 3, 6500000), (4, 1, 1, 13250000);
