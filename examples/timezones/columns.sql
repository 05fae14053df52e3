-- PostgreSQL: the same input into timestamptz and timestamp, read in two session time zones.
-- Run with psql against a scratch database (tests/examples/test_time_and_zones.py does).
-- --8<-- [start:timestamp_columns]
CREATE TEMPORARY TABLE delivery (
    placed_at   timestamptz,  -- an instant: stored as UTC, shown in the session's TimeZone
    placed_wall timestamp,    -- a wall-clock reading: any offset in the input is DROPPED
    deliver_on  date          -- a calendar date, no time and no zone (a delivery day)
);

SET TimeZone = 'Asia/Makassar';  -- the session of a user in WITA
INSERT INTO delivery
VALUES ('2026-12-07T10:00:00+07:00', '2026-12-07T10:00:00+07:00', '2026-12-24');
SELECT placed_at, placed_wall, deliver_on FROM delivery;

SET TimeZone = 'UTC';  -- another session, another zone
SELECT placed_at, placed_wall, deliver_on FROM delivery;
-- --8<-- [end:timestamp_columns]
