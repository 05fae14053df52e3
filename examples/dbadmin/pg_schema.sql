-- The bookstore tables in PostgreSQL, run as bookstore_owner in the database bookstore
-- (stands in for the migrations). bookstore_owner owns the database, so it may create schemas.
CREATE SCHEMA bookstore;
CREATE TABLE bookstore.authors (
    id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE bookstore.books (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title       text NOT NULL,
    author_id   bigint NOT NULL REFERENCES bookstore.authors (id),
    price_cents bigint NOT NULL CHECK (price_cents >= 0),
    stock       integer NOT NULL DEFAULT 0 CHECK (stock >= 0)
);
CREATE TABLE bookstore.users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE bookstore.orders (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES bookstore.users (id),
    status      text NOT NULL DEFAULT 'pending',
    total_cents bigint NOT NULL CHECK (total_cents >= 0)
);
CREATE TABLE bookstore.order_items (
    order_id bigint NOT NULL REFERENCES bookstore.orders (id),
    book_id  bigint NOT NULL REFERENCES bookstore.books (id),
    quantity integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, book_id)
);
INSERT INTO bookstore.authors (name) VALUES ('Andrea Hirata');
INSERT INTO bookstore.books (title, author_id, price_cents, stock)
VALUES ('Laskar Pelangi', 1, 8900000, 12);
INSERT INTO bookstore.users (email, password_hash)
VALUES ('ana@example.com', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA');
