-- Jobs to run after an order commits (the transactional outbox), and the invoices that
-- the background worker makes from them.
-- --8<-- [start:schema_outbox]
-- A row here is written in the same transaction as the order: both exist, or neither.
-- The relay copies unsent rows to the Redis stream and then sets sent_at.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    topic      TEXT NOT NULL,  -- which job, e.g. 'invoice'
    payload    TEXT NOT NULL,  -- its arguments as JSON, e.g. {"order_id": 7}
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    sent_at    TEXT            -- NULL until the relay has put it on the queue
);
CREATE INDEX idx_outbox_unsent ON outbox (id) WHERE sent_at IS NULL;

-- One invoice per order: UNIQUE (order_id) is what makes a second run of the job harmless.
CREATE TABLE invoices (
    number     INTEGER PRIMARY KEY,  -- printed as INV-000001
    order_id   INTEGER NOT NULL UNIQUE REFERENCES orders (id),
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
-- --8<-- [end:schema_outbox]
