-- Stored responses for Idempotency-Key, and payment events already processed.
-- --8<-- [start:schema_idempotency]
CREATE TABLE idempotency_keys (
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code  INTEGER NOT NULL,
    response     TEXT NOT NULL,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (user_id, key)
);
-- --8<-- [end:schema_idempotency]

CREATE TABLE payment_events (
    event_id    TEXT PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders (id),
    received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
