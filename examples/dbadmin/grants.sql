-- Step 2 of roles.sql, as bookstore_owner after the migrations (e.g. as their last file):
-- each role gets what its job needs, and nothing else. pg_dump copies these grants.

-- --8<-- [start:grants]
-- The app reads and writes rows, but cannot change the schema or delete orders.
GRANT USAGE ON SCHEMA bookstore TO bookstore_app;
GRANT SELECT ON bookstore.authors, bookstore.books TO bookstore_app;
GRANT UPDATE (stock) ON bookstore.books TO bookstore_app;  -- this column only
GRANT SELECT, INSERT ON bookstore.users, bookstore.orders, bookstore.order_items
    TO bookstore_app;
GRANT UPDATE (status) ON bookstore.orders TO bookstore_app;

-- Reports read, never write, and never see e-mail addresses or password hashes.
GRANT USAGE ON SCHEMA bookstore TO bookstore_report;
GRANT SELECT ON bookstore.authors, bookstore.books, bookstore.orders, bookstore.order_items
    TO bookstore_report;
GRANT SELECT (id, created_at) ON bookstore.users TO bookstore_report;
-- --8<-- [end:grants]
