-- Queries for the handbook, each in a named section. tests/examples/test_sql_samples.py
-- runs every one against schema.sql in SQLite and checks the result.

-- --8<-- [start:inner_join]
-- INNER JOIN: only books that have a matching author (here: all of them).
SELECT b.title, a.name AS author
FROM books AS b
INNER JOIN authors AS a ON a.id = b.author_id
ORDER BY b.title;
-- --8<-- [end:inner_join]

-- --8<-- [start:left_join]
-- LEFT JOIN: every author, with NULL where there is no book; COUNT(b.id) counts
-- only matched rows, so an author without books gets 0 instead of disappearing.
SELECT a.name, COUNT(b.id) AS books
FROM authors AS a
LEFT JOIN books AS b ON b.author_id = a.id
GROUP BY a.id, a.name
ORDER BY books DESC, a.name;
-- --8<-- [end:left_join]

-- --8<-- [start:group_by_having]
-- Customers who bought at least 3 copies in total: WHERE filters rows before
-- grouping, HAVING filters the groups after it.
SELECT c.email, SUM(oi.quantity) AS copies, COUNT(DISTINCT o.id) AS orders
FROM customers AS c
JOIN orders AS o ON o.customer_id = c.id
JOIN order_items AS oi ON oi.order_id = o.id
WHERE o.ordered_at >= '2026-03-01'
GROUP BY c.id, c.email
HAVING SUM(oi.quantity) >= 3
ORDER BY copies DESC;
-- --8<-- [end:group_by_having]

-- --8<-- [start:index_explain]
-- Without an index on author_id, finding one author's books reads the whole table.
EXPLAIN QUERY PLAN SELECT title FROM books WHERE author_id = 2;
-- detail: SCAN books

CREATE INDEX idx_books_author_id ON books (author_id);

EXPLAIN QUERY PLAN SELECT title FROM books WHERE author_id = 2;
-- detail: SEARCH books USING INDEX idx_books_author_id (author_id=?)
-- --8<-- [end:index_explain]

-- --8<-- [start:transaction]
-- Sell 2 copies of book 3 as one unit of work. The stock check and the change are one
-- statement; the application reads its row count and continues only if it is 1.
BEGIN;
UPDATE books SET stock = stock - 2 WHERE id = 3 AND stock >= 2;  -- 0 rows: ROLLBACK
INSERT INTO orders (id, customer_id, ordered_at) VALUES (5, 3, '2026-04-10');
INSERT INTO order_items (order_id, book_id, quantity, unit_price_cents)
SELECT 5, id, 2, price_cents FROM books WHERE id = 3;  -- today's price, kept as paid
COMMIT;
-- --8<-- [end:transaction]

-- --8<-- [start:window_function]
-- Window functions compute over related rows without collapsing them: each book's
-- rank by price within its author, and the author's average price beside it.
SELECT a.name AS author,
       b.title,
       b.price_cents,
       RANK() OVER (PARTITION BY b.author_id ORDER BY b.price_cents DESC) AS price_rank,
       AVG(b.price_cents) OVER (PARTITION BY b.author_id) AS author_avg_cents
FROM books AS b
JOIN authors AS a ON a.id = b.author_id
ORDER BY a.name, price_rank;
-- --8<-- [end:window_function]

-- --8<-- [start:running_total]
-- A running total of copies sold per day, oldest first.
SELECT o.ordered_at,
       SUM(oi.quantity) AS copies,
       SUM(SUM(oi.quantity)) OVER (ORDER BY o.ordered_at) AS running_total
FROM orders AS o
JOIN order_items AS oi ON oi.order_id = o.id
GROUP BY o.ordered_at
ORDER BY o.ordered_at;
-- --8<-- [end:running_total]
