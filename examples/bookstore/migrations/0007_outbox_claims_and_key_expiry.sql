-- Two relays never send the same outbox row, and stored idempotency answers expire.
-- A relay claims rows before it sends them; claimed_until is when the claim runs out, so
-- rows of a relay that died half-way are taken by another relay 30 seconds later.
ALTER TABLE outbox ADD COLUMN claimed_until TEXT;

-- The hourly sweep deletes stored answers older than 24 hours (bookstore/db/idempotency.py).
CREATE INDEX idx_idempotency_keys_created_at ON idempotency_keys (created_at);
