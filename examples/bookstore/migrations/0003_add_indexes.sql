-- Indexes for the lookups the service does on every request.
-- --8<-- [start:indexes]
-- "My orders": WHERE user_id = ? ORDER BY id. Without this index SQLite scans
-- every order of every user; with it, it jumps straight to this user's rows.
CREATE INDEX idx_orders_user_id ON orders (user_id, id);

-- Foreign keys are not indexed automatically in SQLite.
CREATE INDEX idx_books_author_id ON books (author_id);
CREATE INDEX idx_order_items_book_id ON order_items (book_id);
-- --8<-- [end:indexes]
