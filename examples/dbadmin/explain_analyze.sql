-- EXPLAIN ANALYZE runs the statement to measure it: an UPDATE or DELETE under it really
-- changes data. tests/examples/test_dbadmin.py runs this file and checks that it does not.

-- --8<-- [start:explain_analyze]
BEGIN;
EXPLAIN (ANALYZE, BUFFERS OFF, COSTS OFF, TIMING OFF, SUMMARY OFF)
UPDATE bookstore.books SET stock = stock - 1 WHERE id = 1;
ROLLBACK;  -- the UPDATE really ran: undo it
-- --8<-- [end:explain_analyze]
